"""Project -> output links with provenance: publications, patents and news.

Each rule (scintel/impact/confidence.py) gives a method (document_links.method), a
calibrated confidence and the evidence stored with the link:
- harvested: the record's own grant field names the project number;
- text-mined: the project number in the text with its acronym, an FP7/H2020 contract code,
  or grant wording and an EU funder nearby; or the acronym in the consortium's spelling with
  project context (scintel/impact/acronyms.py);
- matched: a patent whose applicant is a participant, filed within the project period or up
  to N years after, with text similar to the project's; news in which a participant acts
  (the headline's subject or a party of the story's event), on the project's topic. A
  document is credited to several projects only when each is about as similar as the best;
- manual: an analyst's link from the profile's curation.

The step owns the output links of the monitored projects: it recomputes them all, so reruns
are idempotent; unchanged links are left alone (their found_at is kept), a link another step
wrote for a pair these rules also find takes these rules' method and evidence, and links no
rule confirms (stale, vetoed, or written by cruder rules elsewhere) are removed and counted
by method in the summary.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from scintel.impact import confidence as confidence_mod
from scintel.impact.acronyms import MIN_LENGTH, acronym_context
from scintel.impact.corpus import ProjectRecord, TextModel, snippet
from scintel.impact.curation import Curation, CurationEffect
from scintel.impact.parties import Participation, ProjectOrganisations
from scintel.profile import ImpactSpec
from scintel.storage import models as m

log = logging.getLogger(__name__)

LINK_TYPE = "project_output"
METHOD_RANK = {"manual": 4, "harvested": 3, "text-mined": 2, "matched": 1}
EC_FUNDER = re.compile(
    r"europe|\bec\b|\beu\b|h2020|horizon|\bfp7\b|framework programme|\bbbi\b|\bcbe\b|\berc\b"
    r"|commission|cordis|marie|curie|msca|bio.?based industries|joint undertaking",
    re.I,
)
# In text: six to nine digits standing alone, not part of a decimal, a DOI
# ("2020.06.01.127001") or another funder's award code ("CBET-887115").
GRANT_NUMBER = re.compile(r"(?<![\w/-])(?<!\d\.)(\d{6,9})(?!\d)(?!\.\d)")
# FP7 and H2020 contract codes end in the number: "HEALTH-F4-2007-201413",
# "PIEF-GA-2010-275103", "H2020-MSCA-IF-2014-659449".
GRANT_CODE = re.compile(r"(?<![\w/])(?:[A-Z][A-Z0-9]*-){1,4}(?:19|20)\d\d-(\d{6,9})(?![\d-])")
# In a grant id field ("GA 887115", "H2020-887115"): any run of six to nine digits.
GRANT_DIGITS = re.compile(r"(?<!\d)(\d{6,9})(?!\d)")
GRANT_WORDING = re.compile(
    r"grant|agreement|contract|\bn[o°º]\b|\bga\b|funded|funding|project|programme", re.I
)
WORD = re.compile(r"[\w][\w-]*[\w]|\w")
FUNDING_FIELDS = ("acknowledgements", "acknowledgments", "funding_text", "funding")
# A document credited to several projects by similarity keeps those within this share of
# the best match: a patent of a company in ten projects is not the output of all ten.
RUNNER_UP_SHARE = 0.75


@dataclass(frozen=True)
class Candidate:
    project_document_id: int
    document_id: int
    method: str
    confidence: float
    evidence: dict[str, Any]

    def beats(self, other: Candidate) -> bool:
        return (METHOD_RANK[self.method], self.confidence) > (
            METHOD_RANK[other.method],
            other.confidence,
        )


def candidate(project_document_id: int, document_id: int, rule: str, **evidence: Any) -> Candidate:
    """A candidate of a rule: its method and calibrated confidence come from the rule."""
    return Candidate(
        project_document_id,
        document_id,
        confidence_mod.method(rule),
        confidence_mod.confidence(rule),
        {"rule": rule, **evidence},
    )


class Candidates:
    """The best candidate per (project, document) pair, and every rule that found it: the
    link keeps the others as `also_found_by`, so each rule's precision can be measured
    whichever wins (bench/links.py), not only where it is the best."""

    def __init__(self) -> None:
        self.best: dict[tuple[int, int], Candidate] = {}
        self.rules: dict[tuple[int, int], set[str]] = defaultdict(set)

    def add(self, candidate: Candidate) -> None:
        key = (candidate.project_document_id, candidate.document_id)
        self.rules[key].add(candidate.evidence["rule"])
        if key not in self.best or candidate.beats(self.best[key]):
            self.best[key] = candidate

    def evidence(self, key: tuple[int, int]) -> dict[str, Any]:
        best = self.best[key]
        others = sorted(self.rules.get(key, set()) - {best.evidence.get("rule")})
        return best.evidence | ({"also_found_by": others} if others else {})


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def best_matches(sims: dict[int, float], threshold: float) -> dict[int, float]:
    """The projects a document is credited to by similarity: above the threshold and
    within RUNNER_UP_SHARE of the best, so each credited project has evidence of its own."""
    above = {i: s for i, s in sims.items() if s >= threshold}
    if not above:
        return {}
    best = max(above.values())
    return {i: s for i, s in above.items() if s >= RUNNER_UP_SHARE * best}


class Linker:
    """Finds output candidates for a fixed set of projects."""

    def __init__(
        self,
        session: Session,
        projects: list[ProjectRecord],
        spec: ImpactSpec,
        organisations: ProjectOrganisations,
    ) -> None:
        self.session = session
        self.projects = projects
        self.organisations = organisations
        self.spec = spec
        self.by_id = {p.project_id: i for i, p in enumerate(projects)}
        self.by_acronym: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(projects):
            if p.acronym and len(p.acronym.strip()) >= MIN_LENGTH:
                self.by_acronym[p.acronym.strip().casefold()].append(i)
        self.model = TextModel([p.text for p in projects]) if projects else None
        self.participant_finder = organisations.finder()

    # --- publications --------------------------------------------------------------

    def harvested(self, out: Candidates) -> None:
        """The record's own grant field names the project number (EU funder or none)."""
        rows = self.session.execute(
            select(m.Grant.document_id, m.Grant.funder, m.Grant.grant_id)
            .join(m.Document, m.Document.id == m.Grant.document_id)
            .order_by(m.Grant.id)
        )
        for doc_id, funder, grant_id in rows:
            raw = grant_id.strip()
            if raw in self.by_id:
                hits = [raw]
            elif not funder or EC_FUNDER.search(funder):
                hits = [n for n in GRANT_DIGITS.findall(raw) if n in self.by_id]
            else:
                continue
            for project_id in hits:
                evidence = {"grant_id": grant_id, "funder": funder or None}
                if raw != project_id:
                    evidence["normalised_to"] = project_id
                project = self.projects[self.by_id[project_id]]
                out.add(candidate(project.document_id, doc_id, "grant_id", **evidence))

    def text_mined(self, out: Candidates) -> None:
        """Project numbers with grant wording, and acronyms with project context, in
        publications and news."""
        rows = self.session.execute(
            select(
                m.Document.id,
                m.Document.title,
                m.Document.summary,
                m.Document.extra,
            )
            .where(m.Document.kind.in_(("publication", "news")))
            .order_by(m.Document.id)
        )
        for doc_id, title, summary, extra in rows:
            text = "\n".join(filter(None, [title, summary, *_funding_text(extra)]))
            acronyms: dict[int, list[re.Match[str]]] = defaultdict(list)
            for match in WORD.finditer(text):
                for i in self.by_acronym.get(match.group().casefold(), ()):
                    acronyms[i].append(match)
            numbers: dict[str, tuple[str, re.Match[str]]] = {}
            for match in GRANT_CODE.finditer(text):
                if match.group(1) in self.by_id:
                    numbers.setdefault(match.group(1), ("grant_code", match))
            for match in GRANT_NUMBER.finditer(text):
                if match.group(1) in self.by_id:
                    numbers.setdefault(match.group(1), ("grant_number", match))
            for number, (form, match) in numbers.items():
                i = self.by_id[number]
                project = self.projects[i]
                # The funder is named near the number ("... Framework Programme under grant
                # agreement no. 288263"); "No." ends no sentence, so a window, not a sentence.
                around = text[max(0, match.start() - 200) : match.end() + 60]
                evidence: dict[str, Any] = {
                    "grant_number": number,
                    "snippet": snippet(text, match.start(), match.end()),
                }
                if form == "grant_code":
                    rule = "grant_code"
                    evidence["code"] = match.group()
                elif any(project.acronym == a.group() for a in acronyms.get(i, ())):
                    rule = "grant_number_acronym"
                    evidence["acronym"] = project.acronym
                elif GRANT_WORDING.search(
                    text[max(0, match.start() - 100) : match.start()]
                ) and EC_FUNDER.search(around):
                    rule = "grant_number_wording"
                else:
                    continue
                out.add(candidate(project.document_id, doc_id, rule, **evidence))
            for i, matches in acronyms.items():
                project = self.projects[i]
                for match in matches:
                    found = acronym_context(
                        text,
                        match.start(),
                        match.end(),
                        project.acronym or "",
                        project.title,
                    )
                    if found is None:
                        continue
                    out.add(
                        candidate(
                            project.document_id,
                            doc_id,
                            found.rule,
                            acronym=project.acronym,
                            shown_by=found.shown_by,
                            snippet=snippet(text, match.start(), match.end()),
                        )
                    )
                    break

    def news_actors(self, out: Candidates) -> None:
        """News in which a participant acts (the headline's subject, or a party of the
        story's event), on the topic of the participant's project."""
        if self.model is None or not self.organisations.members:
            return
        parties = _signal_parties(self.session)
        rows = self.session.execute(
            select(m.Document.id, m.Document.title, m.Document.summary)
            .where(m.Document.kind == "news", m.Document.canonical_id.is_(None))
            .order_by(m.Document.id)
        )
        for doc_id, title, summary in rows:
            acting: dict[str, str] = {}
            lead = (summary or "").lstrip()
            lead = lead[: lead.find(". ") + 1 or len(lead)]
            for where, line in (("headline", title or ""), ("lead", lead)):
                for key, start, end in self.participant_finder.find(line):
                    if start <= 4:  # the headline or the lead sentence opens with it
                        acting.setdefault(key, f"{where} subject: {line[start:end]}")
            named: dict[str, dict[int, Participation]] = {}
            for key, _ in acting.items():
                named[key] = self.organisations.by_project(key)
            for name, signal_type in parties.get(doc_id, ()):
                if found := self.organisations.named(name):
                    key = self.organisations.key(name) or name
                    named.setdefault(key, found)
                    acting.setdefault(key, f"party of {signal_type}: {name}")
            if not acting:
                continue
            vector = self.model.vector(" ".join(filter(None, [title, summary])))
            for key, role in sorted(acting.items()):
                found = named[key]
                rows_ = sorted(found)
                sims = dict(zip(rows_, self.model.similarity(vector, rows_), strict=True))
                for i, sim in best_matches(sims, self.spec.news_min_similarity).items():
                    project = self.projects[i]
                    out.add(
                        candidate(
                            project.document_id,
                            doc_id,
                            "news_actor",
                            participant=found[i].name,
                            acting=role,
                            via_group=found[i].via_group,
                            similarity=round(sim, 3),
                            shared_terms=self.model.shared_terms(vector, i),
                        )
                    )

    # --- patents ---------------------------------------------------------------------

    def patents(self, out: Candidates) -> None:
        """Applicant among the participants, filed in the window, with text similar to the
        project's above the threshold (shared topics alone are not enough)."""
        if self.model is None:
            return
        rows = self.session.execute(
            select(
                m.Patent.document_id,
                m.Patent.applicants,
                m.Patent.priority_date,
                m.Patent.cpc,
                m.Document.published,
                m.Document.title,
                m.Document.summary,
            )
            .join(m.Document, m.Document.id == m.Patent.document_id)
            .where(m.Document.canonical_id.is_(None))
            .order_by(m.Patent.document_id)
        )
        prefixes = tuple(c.replace(" ", "").upper() for c in self.spec.patent_cpc)
        for doc_id, applicants, priority, cpc, published, title, summary in rows:
            filed = priority or published
            classes = [str(c).replace(" ", "").upper() for c in cpc or []]
            in_field = [c for c in classes if c.startswith(prefixes)]
            if filed is None or (classes and not in_field):
                continue
            projects: dict[int, tuple[str, str, str | None]] = {}
            for applicant in applicants or []:
                for i, part in self.organisations.named(applicant).items():
                    projects.setdefault(i, (applicant, part.name, part.via_group))
            windows: dict[int, date] = {}
            for i in sorted(projects):
                p = self.projects[i]
                if p.start_date and p.end_date:
                    until = years_after(p.end_date, self.spec.patent_years_after_end)
                    if p.start_date <= filed <= until:
                        windows[i] = until
            if not windows:
                continue
            vector = self.model.vector(" ".join(filter(None, [title, summary])))
            sims = dict(zip(windows, self.model.similarity(vector, list(windows)), strict=True))
            credited = best_matches(sims, self.spec.patent_min_similarity)
            for i, sim in credited.items():
                p = self.projects[i]
                applicant, participant, via_group = projects[i]
                out.add(
                    candidate(
                        p.document_id,
                        doc_id,
                        "patent_applicant",
                        applicant=applicant,
                        participant=participant,
                        via_group=via_group,
                        filed=filed.isoformat(),
                        window=[p.start_date.isoformat(), windows[i].isoformat()],
                        within_project=filed <= p.end_date,
                        similarity=round(sim, 3),
                        shared_terms=self.model.shared_terms(vector, i),
                        cpc=in_field[:5],
                        also_credited=len(credited) - 1,
                    )
                )


def _signal_parties(session: Session) -> dict[int, list[tuple[str, str]]]:
    """The organisations each news story's typed signals name as their parties."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = session.execute(
        select(m.Signal.document_id, m.Signal.signal_type, m.Signal.evidence)
        .join(m.Document, m.Document.id == m.Signal.document_id)
        .where(m.Document.kind == "news")
        .order_by(m.Signal.id)
    )
    for doc_id, signal_type, evidence in rows:
        for name in (evidence or {}).get("organisations") or []:
            if isinstance(name, str):
                found[doc_id].append((name, signal_type))
    return found


def _funding_text(extra: dict[str, Any] | None) -> list[str]:
    """Funding statements a source item carried in extra fields (e.g. OpenAlex, Europe PMC)."""
    if not extra:
        return []
    texts: list[str] = []
    for name in FUNDING_FIELDS:
        value = extra.get(name)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            texts.extend(v for v in value if isinstance(v, str))
    return texts


def _document_refs(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """'source:external_id' of documents, the names curation files use."""
    wanted = sorted(set(ids))
    refs: dict[int, str] = {}
    for start in range(0, len(wanted), 900):
        rows = session.execute(
            select(m.Document.id, m.Source.name, m.Document.external_id)
            .join(m.Source, m.Source.id == m.Document.source_id)
            .where(m.Document.id.in_(wanted[start : start + 900]))
        )
        refs.update({doc_id: f"{source}:{external}" for doc_id, source, external in rows})
    return refs


def _manual(session: Session, curation: Curation, effect: CurationEffect, out: Candidates) -> None:
    for row in curation.manual_links:
        source, _, external_id = row.document.partition(":")
        doc_id = session.execute(
            select(m.Document.id)
            .join(m.Source, m.Source.id == m.Document.source_id)
            .where(m.Source.name == source, m.Document.external_id == external_id)
        ).scalar_one_or_none()
        project_doc = (
            session.execute(
                select(m.Project.document_id)
                .where(m.Project.project_id == row.project_id)
                .order_by(m.Project.document_id)
            )
            .scalars()
            .first()
        )
        if doc_id is None or project_doc is None:
            missing = row.document if doc_id is None else f"project {row.project_id}"
            effect.unresolved.append(
                f"manual link {row.project_id} -> {row.document}: no {missing} in the warehouse"
            )
            continue
        evidence = {
            "reason": row.reason,
            "analyst": row.analyst,
            "curation_version": curation.version,
        }
        out.add(candidate(project_doc, doc_id, "manual", **evidence))
        effect.manual_links += 1


def find_candidates(
    session: Session,
    projects: list[ProjectRecord],
    spec: ImpactSpec,
    curation: Curation,
    effect: CurationEffect,
    organisations: ProjectOrganisations,
) -> Candidates:
    """Every rule over the warehouse; the best candidate per pair."""
    out = Candidates()
    linker = Linker(session, projects, spec, organisations)
    linker.harvested(out)
    linker.text_mined(out)
    linker.news_actors(out)
    linker.patents(out)
    _manual(session, curation, effect, out)
    return out


def store_links(
    session: Session,
    projects: list[ProjectRecord],
    candidates: Candidates,
    curation: Curation,
    effect: CurationEffect,
    link_type: str = LINK_TYPE,
) -> dict[str, Any]:
    """Make the stored links of one type from these projects equal the candidates, minus
    vetoes."""
    now = datetime.now(UTC)
    links = m.DocumentLink.__table__
    project_ids = {p.document_id: p.project_id for p in projects}
    for c in candidates.best.values():
        if c.method == "manual" and c.project_document_id not in project_ids:
            project_ids[c.project_document_id] = session.execute(
                select(m.Project.project_id).where(m.Project.document_id == c.project_document_id)
            ).scalar_one()
    existing: dict[tuple[int, int], Any] = {}
    owned = sorted(project_ids)
    for start in range(0, len(owned), 900):
        rows = session.execute(
            select(links).where(
                links.c.link_type == link_type,
                links.c.from_document_id.in_(owned[start : start + 900]),
            )
        )
        existing.update({(r.from_document_id, r.to_document_id): r for r in rows})
    refs = _document_refs(session, [k[1] for k in (*candidates.best, *existing)])

    def vetoed(pair: tuple[int, int]) -> bool:
        return curation.is_vetoed_link(project_ids[pair[0]], refs.get(pair[1], ""))

    counts = {"inserted": 0, "updated": 0, "unchanged": 0, "removed": 0}
    by_method: dict[str, int] = defaultdict(int)
    removed: dict[str, int] = defaultdict(int)
    wanted: dict[tuple[int, int], Candidate] = {}
    for pair, candidate in candidates.best.items():
        if vetoed(pair):
            if pair not in existing:
                effect.links_vetoed += 1
            continue
        wanted[pair] = candidate
    for pair, row in existing.items():
        if pair in wanted:
            continue
        session.execute(delete(links).where(links.c.id == row.id))
        if vetoed(pair):
            effect.links_vetoed += 1
        else:
            counts["removed"] += 1
            removed[row.method] += 1
    for pair, c in sorted(wanted.items()):
        by_method[c.method] += 1
        evidence = _jsonable(candidates.evidence(pair))
        row = existing.get(pair)
        if row is None:
            session.execute(
                links.insert().values(
                    from_document_id=pair[0],
                    to_document_id=pair[1],
                    link_type=link_type,
                    method=c.method,
                    confidence=c.confidence,
                    evidence=evidence,
                    found_at=now,
                )
            )
            counts["inserted"] += 1
        elif (row.method, round(row.confidence, 3), row.evidence) == (
            c.method,
            c.confidence,
            evidence,
        ):
            counts["unchanged"] += 1
        else:
            session.execute(
                update(links)
                .where(links.c.id == row.id)
                .values(method=c.method, confidence=c.confidence, evidence=evidence)
            )
            counts["updated"] += 1
    shown = sum(1 for c in wanted.values() if c.confidence >= confidence_mod.SHOW_THRESHOLD)
    return counts | {
        "links": len(wanted),
        "shown": shown,
        "candidates": len(wanted) - shown,
        "by_method": dict(sorted(by_method.items())),
        "removed_by_method": dict(sorted(removed.items())),
    }
