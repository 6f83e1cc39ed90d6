"""Impact events beyond outputs: follow-on funding and uptake, as evidence-bearing links.

- follow_on (project -> later project): the later project shares a participant and starts
  after the earlier one has run `follow_on_min_months`, or after it ended. Projects of one
  call starting weeks apart share partners by design; that is a consortium, not follow-on.
- uptake (project -> document): a participant is a party of a typed uptake signal (a
  funding round, partnership, acquisition, approval, opening: the signal_types registry's
  uptake flag) from the project's start to `event_years_after_end` after its end. A name in
  a story without being a party of its event (an advisor, a survey partner) is no uptake.

Both are stored in document_links (link_type 'follow_on' / 'uptake') with the organisation,
its roles and the signal as evidence, by the same store as the output links; the views
(v_impact_events) count them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scintel.impact.acronyms import is_ordinary_word
from scintel.impact.corpus import ProjectRecord
from scintel.impact.links import Candidate, Candidates, candidate, years_after
from scintel.impact.parties import Participation, ProjectOrganisations
from scintel.profile import ImpactSpec
from scintel.storage import models as m

FOLLOW_ON = "follow_on"
UPTAKE = "uptake"


def _months_between(start: date, later: date) -> int:
    return (later.year - start.year) * 12 + later.month - start.month


def follow_on(
    projects: list[ProjectRecord],
    monitored: set[int],
    spec: ImpactSpec,
    organisations: ProjectOrganisations,
) -> Candidates:
    """Later projects of the monitored projects' participants, with the roles of each."""
    out = Candidates()
    for _, members in sorted(organisations.members.items()):
        for i, name, role in members:
            earlier = projects[i]
            if earlier.document_id not in monitored or earlier.start_date is None:
                continue
            for j, later_name, later_role in members:
                later = projects[j]
                if j == i or later.start_date is None or later.start_date <= earlier.start_date:
                    continue
                months = _months_between(earlier.start_date, later.start_date)
                after_end = bool(earlier.end_date and later.start_date > earlier.end_date)
                if months < spec.follow_on_min_months and not after_end:
                    continue
                found = candidate(
                    earlier.document_id,
                    later.document_id,
                    "follow_on_participant",
                    organisation=name,
                    role=role,
                    later_project=later.acronym or later.project_id,
                    later_name=later_name,
                    later_role=later_role,
                    months_after_start=months,
                    after_end=after_end,
                )
                _keep_strongest(out, found)
    return out


def _keep_strongest(out: Candidates, found: Candidate) -> None:
    """One link per pair: the coordinator's participation, else the first organisation."""
    pair = (found.project_document_id, found.document_id)
    current = out.best.get(pair)
    if current is None or (
        "coordinator" in (found.evidence.get("role"), found.evidence.get("later_role"))
        and "coordinator" not in (current.evidence.get("role"), current.evidence.get("later_role"))
    ):
        out.best[pair] = found


def uptake(
    session: Session,
    projects: list[ProjectRecord],
    monitored: set[int],
    spec: ImpactSpec,
    organisations: ProjectOrganisations,
) -> Candidates:
    """Documents whose uptake signals have a monitored project's participant (or its
    curated group) as a party."""
    out = Candidates()
    uptake_types = select(m.SignalTypeRow.key).where(m.SignalTypeRow.uptake)
    rows = session.execute(
        select(
            m.Signal.document_id,
            m.Signal.signal_type,
            m.Signal.evidence,
            m.Document.published,
            m.Document.title,
        )
        .join(m.Document, m.Document.id == m.Signal.document_id)
        .where(
            m.Signal.signal_type.in_(uptake_types),
            m.Document.canonical_id.is_(None),
            m.Document.kind != "project",
        )
        .order_by(m.Signal.document_id, m.Signal.id)
    )
    by_acronym = {p.acronym: i for i, p in enumerate(projects) if p.acronym}
    for doc_id, signal_type, evidence, published, title in rows:
        evidence = evidence or {}
        for party in evidence.get("organisations") or []:
            if not isinstance(party, str):
                continue
            found = organisations.named(party)
            if party.strip() in by_acronym and not is_ordinary_word(
                party.strip()
            ):  # "the AFTERBIOCHEM project inaugurated ..."
                i = by_acronym[party.strip()]
                found.setdefault(i, Participation(i, party.strip(), "project", "", None))
            for i, part in found.items():
                project = projects[i]
                if project.document_id not in monitored or not _in_window(
                    project, published, spec.event_years_after_end
                ):
                    continue
                details: dict[str, Any] = {
                    "organisation": part.name,
                    "named_as": party,
                    "via_group": part.via_group,
                    "role": part.role,
                    "signal_type": signal_type,
                    "cue": evidence.get("cue"),
                    "snippet": evidence.get("snippet") or title,
                }
                pair = (project.document_id, doc_id)
                if pair not in out.best:
                    out.best[pair] = candidate(
                        project.document_id, doc_id, "uptake_party", **details
                    )
    return out


def _in_window(project: ProjectRecord, published: date | None, years: int) -> bool:
    if published is None:
        return True
    if project.start_date and published < project.start_date:
        return False
    return not (project.end_date and published > years_after(project.end_date, years))
