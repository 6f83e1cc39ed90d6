"""Project -> output links with provenance: publications, patents and news.

Methods (stored in document_links.method):
- harvested: the publication record acknowledges the project's grant id (exact or normalised);
- text-mined: the project's acronym and grant number (or grant wording) appear in the text,
  or, for news, the acronym appears with project context;
- matched: a patent whose applicant is a participant, filed within the project period or up
  to N years after, on an overlapping topic; news naming the coordinator with project
  context on an overlapping topic;
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

from scintel.impact.corpus import ProjectRecord, TextModel, document_topics, snippet
from scintel.impact.curation import Curation, CurationEffect
from scintel.impact.names import NameFinder
from scintel.profile import ImpactSpec
from scintel.storage import models as m

log = logging.getLogger(__name__)

LINK_TYPE = "project_output"
METHOD_RANK = {"manual": 4, "harvested": 3, "text-mined": 2, "matched": 1}
EC_FUNDER = re.compile(
    r"europe|\bec\b|\beu\b|h2020|horizon|\bbbi\b|\bcbe\b|\berc\b|commission|cordis"
    r"|bio.?based industries|joint undertaking",
    re.I,
)
# In text: six to nine digits standing alone, not part of a decimal, a DOI
# ("2020.06.01.127001") or another funder's award code ("CBET-887115").
GRANT_NUMBER = re.compile(r"(?<![\w/-])(?<!\d\.)(\d{6,9})(?!\d)(?!\.\d)")
# In a grant id field ("GA 887115", "H2020-887115"): any run of six to nine digits.
GRANT_DIGITS = re.compile(r"(?<!\d)(\d{6,9})(?!\d)")
GRANT_WORDING = re.compile(r"grant|agreement|\bn[o°º]\b|\bga\b|funded|funding", re.I)
WORD = re.compile(r"[\w][\w-]*[\w]|\w")
FUNDING_FIELDS = ("acknowledgements", "acknowledgments", "funding_text", "funding")


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


class Candidates:
    """The best candidate per (project, document) pair."""

    def __init__(self) -> None:
        self.best: dict[tuple[int, int], Candidate] = {}

    def add(self, candidate: Candidate) -> None:
        key = (candidate.project_document_id, candidate.document_id)
        if key not in self.best or candidate.beats(self.best[key]):
            self.best[key] = candidate


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


class Linker:
    """Finds output candidates for a fixed set of projects."""

    def __init__(
        self,
        session: Session,
        projects: list[ProjectRecord],
        spec: ImpactSpec,
        curation: Curation,
        effect: CurationEffect,
    ) -> None:
        self.session = session
        self.projects = projects
        self.spec = spec
        self.curation = curation
        self.effect = effect
        self.by_id = {p.project_id: i for i, p in enumerate(projects)}
        self.by_acronym: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(projects):
            if p.acronym and len(p.acronym.strip()) >= 3:
                for form in {p.acronym.strip(), p.acronym.strip().upper()}:
                    self.by_acronym[form].append(i)
        self.model = TextModel([p.text for p in projects]) if projects else None
        self.context = re.compile(
            "|".join(re.escape(w) for w in sorted(spec.context_words, key=len, reverse=True)),
            re.I,
        )
        self.participants: dict[str, list[tuple[int, str]]] = defaultdict(list)
        coordinators: dict[str, str] = {}
        self.coordinated: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(projects):
            for name, _, role in p.organisation_names():
                key, _, _ = curation.resolve(name)
                if not key or curation.is_vetoed_organisation(key):
                    continue
                self.participants[key].append((i, name))
                if role == "coordinator":
                    coordinators[key] = key
                    self.coordinated[key].append(i)
        for alias_key, (canonical_key, _) in curation.aliases.items():
            if canonical_key in coordinators:
                coordinators[alias_key] = canonical_key
        self.coordinator_finder = NameFinder(coordinators)

    # --- publications --------------------------------------------------------------

    def harvested(self, out: Candidates) -> None:
        rows = self.session.execute(
            select(m.Grant.document_id, m.Grant.funder, m.Grant.grant_id)
            .join(m.Document, m.Document.id == m.Grant.document_id)
            .order_by(m.Grant.id)
        )
        for doc_id, funder, grant_id in rows:
            raw = grant_id.strip()
            if raw in self.by_id:
                hits, confidence = [raw], 1.0
            elif not funder or EC_FUNDER.search(funder):
                hits = [n for n in GRANT_DIGITS.findall(raw) if n in self.by_id]
                confidence = 0.95
            else:
                continue
            for project_id in hits:
                evidence = {"grant_id": grant_id, "funder": funder or None}
                if raw != project_id:
                    evidence["normalised_to"] = project_id
                project = self.projects[self.by_id[project_id]]
                out.add(Candidate(project.document_id, doc_id, "harvested", confidence, evidence))

    def text_mined(self, out: Candidates) -> None:
        """Acronym plus grant number (or grant wording) in publications; acronym in news."""
        rows = self.session.execute(
            select(
                m.Document.id,
                m.Document.kind,
                m.Document.title,
                m.Document.summary,
                m.Document.extra,
            )
            .where(m.Document.kind.in_(("publication", "news")))
            .order_by(m.Document.id)
        )
        for doc_id, kind, title, summary, extra in rows:
            text = " ".join(filter(None, [title, summary, *_funding_text(extra)]))
            numbers = {
                match.group(1): match
                for match in GRANT_NUMBER.finditer(text)
                if match.group(1) in self.by_id
            }
            acronyms: dict[int, re.Match[str]] = {}
            for match in WORD.finditer(text):
                for i in self.by_acronym.get(match.group(), ()):
                    acronyms.setdefault(i, match)
            for number, match in numbers.items():
                i = self.by_id[number]
                project = self.projects[i]
                evidence: dict[str, Any] = {
                    "grant_number": number,
                    "snippet": snippet(text, match.start(), match.end()),
                }
                if i in acronyms:
                    evidence["acronym"] = project.acronym
                    confidence = 0.9
                elif GRANT_WORDING.search(text[max(0, match.start() - 100) : match.start()]):
                    evidence["grant_wording"] = True
                    confidence = 0.75
                else:
                    continue
                out.add(Candidate(project.document_id, doc_id, "text-mined", confidence, evidence))
            if kind != "news":
                continue
            for i, match in acronyms.items():
                around = text[max(0, match.start() - 150) : match.end() + 150]
                context = self.context.search(around)
                if not context:
                    continue
                project = self.projects[i]
                out.add(
                    Candidate(
                        project.document_id,
                        doc_id,
                        "text-mined",
                        0.85,
                        {
                            "acronym": project.acronym,
                            "context": context.group().lower(),
                            "snippet": snippet(text, match.start(), match.end()),
                        },
                    )
                )

    def news_by_coordinator(self, out: Candidates) -> None:
        """News naming a coordinator with project context, on one of its projects' topics."""
        if self.model is None or not self.coordinated:
            return
        rows = self.session.execute(
            select(m.Document.id, m.Document.title, m.Document.summary)
            .where(m.Document.kind == "news")
            .order_by(m.Document.id)
        )
        for doc_id, title, summary in rows:
            text = " ".join(filter(None, [title, summary]))
            found = self.coordinator_finder.find(text)
            if not found:
                continue
            context = self.context.search(text)
            if not context:
                continue
            vector = self.model.vector(text)
            for key, start, end in found:
                rows_ = self.coordinated[key]
                for i, sim in zip(rows_, self.model.similarity(vector, rows_), strict=True):
                    if sim < self.spec.news_min_similarity:
                        continue
                    project = self.projects[i]
                    out.add(
                        Candidate(
                            project.document_id,
                            doc_id,
                            "matched",
                            round(min(0.8, 0.5 + sim), 3),
                            {
                                "coordinator": project.coordinator,
                                "named_as": text[start:end],
                                "context": context.group().lower(),
                                "similarity": round(sim, 3),
                                "shared_terms": self.model.shared_terms(vector, i),
                            },
                        )
                    )

    # --- patents ---------------------------------------------------------------------

    def patents(self, out: Candidates) -> None:
        """Applicant among the participants, filed in the window, on an overlapping topic."""
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
            .order_by(m.Patent.document_id)
        )
        matches: list[tuple[int, str, date, dict[int, str], dict[int, str], list[str]]] = []
        prefixes = tuple(c.replace(" ", "").upper() for c in self.spec.patent_cpc)
        for doc_id, applicants, priority, cpc, published, title, summary in rows:
            filed = priority or published
            classes = [str(c).replace(" ", "").upper() for c in cpc or []]
            in_field = [c for c in classes if c.startswith(prefixes)]
            if filed is None or (classes and not in_field):
                continue
            projects: dict[int, str] = {}
            applicant_of: dict[int, str] = {}
            for applicant in applicants or []:
                key, _, _ = self.curation.resolve(applicant)
                for i, participant in self.participants.get(key, ()):
                    projects.setdefault(i, participant)
                    applicant_of.setdefault(i, applicant)
            if projects:
                text = " ".join(filter(None, [title, summary]))
                matches.append((doc_id, text, filed, applicant_of, projects, in_field))
        topics = document_topics(self.session, [doc for doc, *_ in matches])
        for doc_id, text, filed, applicant_of, projects, in_field in matches:
            in_window = []
            for i in sorted(projects):
                p = self.projects[i]
                if p.start_date and p.end_date:
                    until = _years_after(p.end_date, self.spec.patent_years_after_end)
                    if p.start_date <= filed <= until:
                        in_window.append((i, until))
            vector = self.model.vector(text)
            sims = self.model.similarity(vector, [i for i, _ in in_window])
            for (i, until), sim in zip(in_window, sims, strict=True):
                p = self.projects[i]
                shared_topics = sorted(set(topics.get(doc_id, {})) & set(p.topics))
                if sim < self.spec.patent_min_similarity and not shared_topics:
                    continue
                confidence = min(0.95, 0.55 + 0.5 * sim + (0.1 if shared_topics else 0.0))
                evidence = {
                    "applicant": applicant_of[i],
                    "participant": projects[i],
                    "filed": filed.isoformat(),
                    "window": [p.start_date.isoformat(), until.isoformat()],
                    "within_project": filed <= p.end_date,
                    "similarity": round(sim, 3),
                    "shared_terms": self.model.shared_terms(vector, i),
                    "shared_topics": shared_topics,
                    "cpc": in_field[:5],
                }
                out.add(Candidate(p.document_id, doc_id, "matched", round(confidence, 3), evidence))


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
        out.add(Candidate(project_doc, doc_id, "manual", 1.0, evidence))
        effect.manual_links += 1


def find_candidates(
    session: Session,
    projects: list[ProjectRecord],
    spec: ImpactSpec,
    curation: Curation,
    effect: CurationEffect,
) -> Candidates:
    """Every rule over the warehouse; the best candidate per pair."""
    out = Candidates()
    linker = Linker(session, projects, spec, curation, effect)
    linker.harvested(out)
    linker.text_mined(out)
    linker.news_by_coordinator(out)
    linker.patents(out)
    _manual(session, curation, effect, out)
    return out


def store_links(
    session: Session,
    projects: list[ProjectRecord],
    candidates: Candidates,
    curation: Curation,
    effect: CurationEffect,
) -> dict[str, Any]:
    """Make the stored output links of these projects equal the candidates, minus vetoes."""
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
                links.c.link_type == LINK_TYPE,
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
        evidence = _jsonable(c.evidence)
        row = existing.get(pair)
        if row is None:
            session.execute(
                links.insert().values(
                    from_document_id=pair[0],
                    to_document_id=pair[1],
                    link_type=LINK_TYPE,
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
    return counts | {
        "links": len(wanted),
        "by_method": dict(sorted(by_method.items())),
        "removed_by_method": dict(sorted(removed.items())),
    }
