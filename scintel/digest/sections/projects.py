"""Project impact: outputs published or credited this week to a monitored project."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, and_, or_

from scintel.digest.queries import D, Group, canonical, group_entries, to_entry, with_source
from scintel.digest.registry import Section
from scintel.digest.weeks import IsoWeek
from scintel.impact.confidence import SHOW_THRESHOLD
from scintel.kinds import BY_KEY
from scintel.storage import models as m

PR = m.Project.__table__
DL = m.DocumentLink.__table__

LINK_METHODS = {
    "harvested": "grant acknowledged in the paper",
    "matched": "applicant or participant match",
}


def project_outputs(
    conn: Connection, week: IsoWeek, per_project: int = 3, max_projects: int = 6
) -> list[Group]:
    """Outputs published or linked this week to a monitored project, grouped by project:
    links whose confidence reaches SHOW_THRESHOLD (scintel/impact/confidence.py)."""
    return _outputs(conn, week, per_project, max_projects, candidates=False)


def candidate_outputs(conn: Connection, week: IsoWeek, limit: int = 8) -> list[Group]:
    """This week's links below the threshold, in one group: for an analyst to confirm
    (a manual link) or veto (curation), not to count."""
    groups = _outputs(conn, week, limit, 10_000, candidates=True)
    entries = sorted(
        (e for g in groups for e in g.entries), key=lambda e: (e.reason or "", e.document_id)
    )
    if not entries:
        return []
    note = f"confidence below {SHOW_THRESHOLD:.2f}: to confirm or veto, not counted"
    return [Group("Candidate links", entries[:limit], total=len(entries), note=note)]


def _outputs(
    conn: Connection, week: IsoWeek, per_project: int, max_projects: int, candidates: bool
) -> list[Group]:
    PD = D.alias("project_document")
    start = datetime.combine(week.monday, time.min, tzinfo=UTC)
    end = datetime.combine(week.sunday + timedelta(days=1), time.min, tzinfo=UTC)
    rows = conn.execute(
        with_source(
            PR.c.project_id,
            PR.c.acronym,
            PD.c.title.label("project_title"),
            PD.c.url.label("project_url"),
            DL.c.method,
            DL.c.confidence,
            DL.c.evidence,
        )
        .join(DL, and_(DL.c.to_document_id == D.c.id, DL.c.link_type == "project_output"))
        .join(PR, PR.c.document_id == DL.c.from_document_id)
        .join(PD, PD.c.id == PR.c.document_id)
        .where(canonical(), or_(D.c.iso_week == str(week), DL.c.found_at.between(start, end)))
        .where(
            DL.c.confidence < SHOW_THRESHOLD if candidates else DL.c.confidence >= SHOW_THRESHOLD
        )
        .order_by(PR.c.acronym, PR.c.project_id, D.c.published.desc(), D.c.id)
    ).all()
    groups: dict[str, Group] = {}
    seen: set[tuple[str, int]] = set()
    for row in rows:
        name = f"{row.acronym} ({row.project_id})" if row.acronym else row.project_id
        group = groups.setdefault(
            row.project_id, Group(name, [], note=row.project_title, url=row.project_url)
        )
        if (row.project_id, row.id) in seen:  # linked by more than one method
            continue
        seen.add((row.project_id, row.id))
        group.total += 1
        if len(group.entries) >= per_project:
            continue
        how = link_explanation(row.method, row.evidence)
        if row.confidence is not None and row.confidence < 1:
            how += f" (confidence {row.confidence:.2f})"
        entry = to_entry(row, [BY_KEY[row.kind].singular if row.kind in BY_KEY else row.kind, how])
        entry.reason = f"{'candidate ' if candidates else ''}output of {name}"
        group.entries.append(entry)
    return sorted(groups.values(), key=lambda g: (-g.total, g.name))[:max_projects]


def link_explanation(method: str, evidence: Any) -> str:
    """How an output was credited to a project, from the link's evidence when it has some."""
    found = evidence if isinstance(evidence, dict) else {}
    if found.get("grant_id"):
        return f"acknowledges grant {found['grant_id']}"
    if found.get("grant_number"):
        return f"names grant {found['grant_number']}"
    if found.get("acronym") and found.get("shown_by"):
        return f"names {found['acronym']} ({found['shown_by']})"
    if found.get("applicant") and found.get("participant"):
        return f"applicant {found['applicant']} is participant {found['participant']}"
    if found.get("participant") and found.get("acting"):
        return f"participant {found['participant']} acts in it ({found['acting']})"
    if found.get("participant"):
        return f"names participant {found['participant']}"
    return "linked by " + LINK_METHODS.get(method, method.replace("_", " "))


SECTIONS = (
    Section(
        anchor="projects",
        title="Project impact",
        order=80,
        partials="projects.j2",
        query=lambda context: project_outputs(context.conn, context.week),
        entries=group_entries,
        counted_as="project_outputs",
    ),
    Section(
        anchor="project-candidates",
        title="Candidate project links",
        order=81,
        partials="projects.j2",
        query=lambda context: candidate_outputs(context.conn, context.week),
        entries=group_entries,
        listed=False,
    ),
)
