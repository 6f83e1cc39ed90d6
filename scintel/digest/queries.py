"""What the digest shows, read from the warehouse in a handful of indexed queries.

Every query reads canonical documents only (duplicates point at their canonical copy),
so a story seen in two outlets counts once.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, and_, func, or_, select

from scintel.digest.weeks import IsoWeek
from scintel.nlp.signal_types import MARKET_SIGNALS
from scintel.storage import models as m

D = m.Document.__table__
S = m.Source.__table__
N = m.NewsItem.__table__
FC = m.FundingCall.__table__
PT = m.Patent.__table__
PR = m.Project.__table__
DT = m.DocumentTopic.__table__
T = m.Topic.__table__
MN = m.Mention.__table__
E = m.Entity.__table__
SG = m.Signal.__table__
DL = m.DocumentLink.__table__

KIND_SINGULAR = {
    "publication": "Publication",
    "patent": "Patent",
    "funding_call": "Funding call",
    "news": "News",
    "project": "Project",
}
KIND_LABELS = {
    "publication": "Publications",
    "patent": "Patents",
    "funding_call": "Funding calls",
    "news": "News",
    "project": "Projects",
}
SOURCE_NAMES = {
    "europepmc": "Europe PMC",
    "arxiv": "arXiv",
    "biorxiv": "bioRxiv",
    "medrxiv": "medRxiv",
    "openalex": "OpenAlex",
    "pubmed": "PubMed",
    "crossref": "Crossref",
    "epo_ops": "EPO",
    "patentsview": "USPTO PatentsView",
    "uspto": "USPTO",
    "eu_funding": "EU Funding & Tenders",
    "cordis": "CORDIS",
    "grants_gov": "Grants.gov",
    "nih": "NIH",
    "nsf": "NSF",
}
LINK_METHODS = {
    "harvested": "grant acknowledged in the paper",
    "matched": "applicant or participant match",
}
NEW_CALL_SIGNALS = ("funding_call",)
CALL_HORIZON_DAYS = 30
TREND_WEEKS = 8
CHART_WEEKS = 12

_LEGAL_FORMS = re.compile(
    r"\b(A/?S|AB|AG|AS|B\.?V|CO|CORP(ORATION)?|GMBH|INC|KG|LLC|LTD|LIMITED|N\.?V|OY|PLC|S\.?A|"
    r"S\.?P\.?A|S\.?A\.?S|S\.?R\.?L|SE)\b\.?"
)


@dataclass
class Entry:
    """One linked item of the digest, with why it was picked."""

    document_id: int
    kind: str
    title: str
    url: str | None
    published: date | None
    source: str
    details: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    quote: str | None = None
    reason: str | None = None


@dataclass
class Metric:
    label: str
    current: int
    previous: int

    @property
    def delta(self) -> int:
        return self.current - self.previous


@dataclass
class Group:
    """A titled list of entries: a topic, an applicant, a signal type, a project."""

    name: str
    entries: list[Entry]
    total: int = 0
    note: str | None = None
    url: str | None = None


@dataclass
class Mover:
    entity_id: int
    name: str
    label: str
    current: int
    mean: float
    score: float
    example: Entry | None = None


@dataclass
class Series:
    """Weekly counts per named line, for the charts."""

    weeks: list[str]
    lines: dict[str, list[int]]

    def total(self) -> int:
        return sum(sum(v) for v in self.lines.values())


@dataclass
class DigestData:
    week: IsoWeek
    headline: list[Metric]
    calls_closing: list[Entry]
    calls_new: list[Entry]
    publications: list[Group]
    patents: list[Group]
    market: list[Group]
    movers: list[Mover]
    projects: list[Group]
    by_kind: Series
    by_topic: Series

    def is_empty(self) -> bool:
        return not any(
            (
                self.calls_closing,
                self.calls_new,
                self.publications,
                self.patents,
                self.market,
                self.movers,
                self.projects,
            )
        ) and not any(metric.current for metric in self.headline)

    def counts(self) -> dict[str, int]:
        return {
            "calls_closing": len(self.calls_closing),
            "calls_new": len(self.calls_new),
            "publications": sum(len(g.entries) for g in self.publications),
            "patents": sum(len(g.entries) for g in self.patents),
            "market_signals": sum(len(g.entries) for g in self.market),
            "movers": len(self.movers),
            "project_outputs": sum(len(g.entries) for g in self.projects),
        }


def _canonical() -> Any:
    return D.c.canonical_id.is_(None)


def _with_source(*columns: Any) -> Select[Any]:
    """Document basics plus the name readers know the source by (news: the outlet)."""
    return (
        select(
            D.c.id,
            D.c.kind,
            D.c.title,
            D.c.url,
            D.c.published,
            func.coalesce(N.c.outlet, S.c.name).label("source"),
            *columns,
        )
        .select_from(D)
        .join(S, S.c.id == D.c.source_id)
        .outerjoin(N, N.c.document_id == D.c.id)
    )


def _entry(row: Any, details: Iterable[str | None] = ()) -> Entry:
    return Entry(
        document_id=row.id,
        kind=row.kind,
        title=row.title,
        url=row.url,
        published=row.published,
        source=SOURCE_NAMES.get(row.source, row.source),
        details=[d for d in details if d],
    )


def evidence_terms(evidence: Any, limit: int = 3) -> list[str]:
    """Matched terms from topic evidence, whatever shape the enricher stored them in."""
    items: Iterable[Any]
    if isinstance(evidence, dict):
        items = evidence.get("terms") or evidence.get("matches") or evidence.get("patterns") or []
    elif isinstance(evidence, list):
        items = evidence
    else:
        return []
    found: list[str] = []
    for item in items:
        term = item
        if isinstance(item, dict) and item.get("cpc"):
            term = f"CPC {item['cpc']}"
        elif isinstance(item, dict):
            term = next(
                (item[k] for k in ("term", "text", "match", "keyword", "pattern") if item.get(k)),
                None,
            )
        if isinstance(term, str) and term.strip() and term.strip().lower() not in found:
            found.append(term.strip() if term.startswith("CPC ") else term.strip().lower())
        if len(found) >= limit:
            break
    return found


def _quote(evidence: Any, title: str) -> str | None:
    """The passage a signal was found in, if the enricher kept it, without a repeated title."""
    if not isinstance(evidence, dict):
        return None
    for key in ("sentence", "snippet", "text", "quote", "context"):
        value = evidence.get(key)
        if isinstance(value, str) and value.strip():
            quote = value.strip()
            if quote.startswith(title.strip()) and len(quote) > len(title.strip()) + 20:
                quote = quote[len(title.strip()) :].lstrip(" .:-–—")
            return quote
    return None


def explain(conn: Connection, entries: Sequence[Entry], max_entities: int = 4) -> None:
    """Fill each entry's matched topics (with evidence terms) and its most-mentioned entities."""
    ids = sorted({e.document_id for e in entries})
    topics: dict[int, list[str]] = defaultdict(list)
    entities: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = conn.execute(
            select(DT.c.document_id, T.c.name, DT.c.evidence)
            .join(T, T.c.id == DT.c.topic_id)
            .where(DT.c.document_id.in_(chunk))
            .order_by(DT.c.document_id, DT.c.score.desc())
        )
        for doc_id, name, evidence in rows:
            terms = evidence_terms(evidence)
            topics[doc_id].append(f"{name} ({', '.join(terms)})" if terms else name)
        rows = conn.execute(
            select(MN.c.document_id, E.c.canonical_name, func.count().label("n"))
            .join(E, E.c.id == MN.c.entity_id)
            .where(MN.c.document_id.in_(chunk))
            .group_by(MN.c.document_id, E.c.id, E.c.canonical_name)
            .order_by(MN.c.document_id, func.count().desc(), E.c.canonical_name)
        )
        for doc_id, name, _n in rows:
            if len(entities[doc_id]) < max_entities:
                entities[doc_id].append(name)
    for entry in entries:
        entry.topics = topics.get(entry.document_id, [])[:3]
        entry.entities = entities.get(entry.document_id, [])


def weekly_volume(conn: Connection, weeks: Sequence[IsoWeek]) -> Series:
    """Canonical documents per week and kind."""
    labels = [str(w) for w in weeks]
    rows = conn.execute(
        select(D.c.iso_week, D.c.kind, func.count())
        .where(D.c.iso_week.in_(labels), _canonical())
        .group_by(D.c.iso_week, D.c.kind)
    )
    lines = {kind: [0] * len(labels) for kind in KIND_LABELS}
    for week, kind, count in rows:
        lines.setdefault(kind, [0] * len(labels))[labels.index(week)] = count
    return Series(labels, lines)


def weekly_topics(conn: Connection, weeks: Sequence[IsoWeek], top: int = 6) -> Series:
    """Canonical documents per week for the busiest topics of the period."""
    labels = [str(w) for w in weeks]
    rows = conn.execute(
        select(D.c.iso_week, T.c.name, func.count())
        .select_from(D)
        .join(DT, DT.c.document_id == D.c.id)
        .join(T, T.c.id == DT.c.topic_id)
        .where(D.c.iso_week.in_(labels), _canonical())
        .group_by(D.c.iso_week, T.c.name)
    )
    lines: dict[str, list[int]] = defaultdict(lambda: [0] * len(labels))
    for week, name, count in rows:
        lines[name][labels.index(week)] = count
    busiest = sorted(lines, key=lambda name: (-sum(lines[name]), name))[:top]
    return Series(labels, {name: lines[name] for name in busiest})


def headline(conn: Connection, week: IsoWeek, volume: Series) -> list[Metric]:
    """This week's numbers against the previous week's."""
    now, before = volume.weeks.index(str(week)), volume.weeks.index(str(week.shift(-1)))
    metrics = [
        Metric(
            label,
            volume.lines.get(kind, [0] * len(volume.weeks))[now],
            volume.lines.get(kind, [0] * len(volume.weeks))[before],
        )
        for kind, label in KIND_LABELS.items()
        if kind != "project" or any(volume.lines.get(kind, []))
    ]
    signal_counts = dict(
        conn.execute(
            select(SG.c.iso_week, func.count())
            .join(D, D.c.id == SG.c.document_id)
            .where(
                SG.c.iso_week.in_([str(week), str(week.shift(-1))]),
                SG.c.signal_type.in_(list(MARKET_SIGNALS)),
                _canonical(),
            )
            .group_by(SG.c.iso_week)
        ).all()
    )
    metrics.append(
        Metric(
            "Market signals",
            signal_counts.get(str(week), 0),
            signal_counts.get(str(week.shift(-1)), 0),
        )
    )
    return metrics


def _call_entry(row: Any, reference: date) -> Entry:
    """A call is dated by its deadline and opening, not by when it was published."""
    entry = _entry(row, _call_details(row, reference))
    entry.published = None
    return entry


def _call_details(row: Any, reference: date) -> list[str | None]:
    details: list[str | None] = [row.identifier]
    if row.deadline:
        days = (row.deadline - reference).days
        left = f" ({days} days left)" if days >= 0 else ""
        details.append(f"deadline {row.deadline.isoformat()}{left}")
    if row.opening_date:
        details.append(f"opens {row.opening_date.isoformat()}")
    if row.budget_eur:
        details.append(f"budget {format_eur(row.budget_eur)}")
    if row.programme:
        details.append(row.programme)
    return details


def calls(conn: Connection, week: IsoWeek, limit: int = 15) -> tuple[list[Entry], list[Entry]]:
    """Calls whose deadline falls within 30 days of the week's end, and calls new this week."""
    reference = week.sunday + timedelta(days=1)
    base = (
        _with_source(
            FC.c.identifier,
            FC.c.programme,
            FC.c.status,
            FC.c.opening_date,
            FC.c.deadline,
            FC.c.budget_eur,
        )
        .join(FC, FC.c.document_id == D.c.id)
        .where(_canonical(), func.lower(func.coalesce(FC.c.status, "")) != "closed")
    )
    closing_rows = conn.execute(
        base.where(FC.c.deadline.between(reference, reference + timedelta(days=CALL_HORIZON_DAYS)))
        .order_by(FC.c.deadline, FC.c.identifier)
        .limit(limit)
    ).all()
    closing = [_call_entry(r, reference) for r in closing_rows]
    for entry, row in zip(closing, closing_rows, strict=True):
        days = (row.deadline - reference).days
        entry.reason = (
            "closes today" if days == 0 else f"closes in {days} day{'s' if days != 1 else ''}"
        )
    shown = {e.document_id for e in closing}
    new_signal = select(SG.c.document_id).where(
        SG.c.iso_week == str(week), SG.c.signal_type.in_(NEW_CALL_SIGNALS)
    )
    new_rows = conn.execute(
        base.where(
            or_(
                FC.c.opening_date.between(week.monday, week.sunday),
                D.c.iso_week == str(week),
                D.c.id.in_(new_signal),
            ),
            or_(FC.c.deadline.is_(None), FC.c.deadline >= reference),
        )
        .order_by(FC.c.deadline.is_(None), FC.c.deadline, FC.c.identifier)
        .limit(limit + len(shown))
    ).all()
    new = []
    for row in new_rows:
        if row.id in shown or len(new) >= limit:
            continue
        entry = _call_entry(row, reference)
        opened = row.opening_date and week.monday <= row.opening_date <= week.sunday
        entry.reason = "opened this week" if opened else "announced this week"
        new.append(entry)
    return closing, new


def publications_by_topic(
    conn: Connection, week: IsoWeek, per_topic: int = 3, max_topics: int = 6
) -> list[Group]:
    """The best-scoring new publications of each topic; a paper is shown under one topic only."""
    ranked = (
        select(
            DT.c.topic_id,
            DT.c.document_id,
            func.row_number()
            .over(
                partition_by=DT.c.topic_id,
                order_by=(DT.c.score.desc(), D.c.published.desc(), D.c.id),
            )
            .label("rank"),
            func.count().over(partition_by=DT.c.topic_id).label("total"),
        )
        .join(D, D.c.id == DT.c.document_id)
        .where(D.c.kind == "publication", D.c.iso_week == str(week), _canonical())
        .subquery()
    )
    rows = conn.execute(
        _with_source(
            ranked.c.topic_id,
            ranked.c.rank,
            ranked.c.total,
            T.c.name.label("topic"),
            m.Publication.__table__.c.journal,
        )
        .join(ranked, ranked.c.document_id == D.c.id)
        .join(T, T.c.id == ranked.c.topic_id)
        .outerjoin(m.Publication.__table__, m.Publication.__table__.c.document_id == D.c.id)
        .where(ranked.c.rank <= per_topic * 2)
        .order_by(ranked.c.total.desc(), T.c.name, ranked.c.rank)
    ).all()
    groups: dict[int, Group] = {}
    shown: set[int] = set()
    for row in rows:
        group = groups.setdefault(row.topic_id, Group(row.topic, [], total=row.total))
        if row.id in shown or len(group.entries) >= per_topic:
            continue
        shown.add(row.id)
        same = row.journal and row.journal.casefold() == SOURCE_NAMES.get(row.source, "").casefold()
        entry = _entry(row, [None if same else row.journal])
        entry.reason = f"#{row.rank} of {row.total} new in this topic"
        group.entries.append(entry)
    return [g for g in groups.values() if g.entries][:max_topics]


def applicant_key(name: str) -> str:
    """Group 'NOVOZYMES A/S' with 'Novozymes AS': case, punctuation and legal form ignored."""
    upper = name.upper().replace("&", " AND ")
    return " ".join(re.sub(r"[^\w/]+", " ", _LEGAL_FORMS.sub(" ", upper)).split()) or upper


def patents_by_applicant(
    conn: Connection, week: IsoWeek, per_applicant: int = 2, max_applicants: int = 6
) -> list[Group]:
    """New patent publications grouped under their first-named applicant."""
    rows = conn.execute(
        _with_source(PT.c.publication_number, PT.c.applicants, PT.c.cpc)
        .join(PT, PT.c.document_id == D.c.id)
        .where(D.c.kind == "patent", D.c.iso_week == str(week), _canonical())
        .order_by(D.c.published.desc(), PT.c.publication_number)
    ).all()
    groups: dict[str, list[tuple[str, Entry]]] = defaultdict(list)
    for row in rows:
        applicants = [a for a in (row.applicants or []) if isinstance(a, str) and a.strip()]
        first = applicants[0].strip() if applicants else "Applicant not stated"
        others = ", ".join(a.strip() for a in applicants[1:3])
        cpc = ", ".join(str(c) for c in (row.cpc or [])[:3])
        entry = _entry(
            row,
            [
                row.publication_number,
                f"with {others}" if others else None,
                f"CPC {cpc}" if cpc else None,
            ],
        )
        entry.reason = "published this week"
        groups[applicant_key(first)].append((first, entry))
    ordered = sorted(groups.values(), key=lambda g: (-len(g), applicant_key(g[0][0])))
    result = []
    for members in ordered[:max_applicants]:
        name = Counter(n for n, _ in members).most_common(1)[0][0]
        more = len(members) - per_applicant
        result.append(
            Group(
                name,
                [e for _, e in members[:per_applicant]],
                total=len(members),
                note=f"and {more} more" if more > 0 else None,
            )
        )
    rest = ordered[max_applicants:]
    if rest and result:
        count = sum(len(g) for g in rest)
        result[-1].note = (result[-1].note + "; " if result[-1].note else "") + (
            f"{count} more patents from {len(rest)} other applicants"
        )
    return result


def market_signals(conn: Connection, week: IsoWeek, per_type: int = 8) -> list[Group]:
    """Funding rounds, partnerships, acquisitions and approvals found this week, best first."""
    rows = conn.execute(
        _with_source(SG.c.signal_type, SG.c.score, SG.c.amount_eur, SG.c.evidence)
        .join(SG, SG.c.document_id == D.c.id)
        .where(SG.c.iso_week == str(week), SG.c.signal_type.in_(list(MARKET_SIGNALS)), _canonical())
        .order_by(
            SG.c.signal_type, SG.c.score.desc(), func.coalesce(SG.c.amount_eur, 0).desc(), D.c.id
        )
    ).all()
    groups: dict[str, Group] = {}
    for row in rows:
        group = groups.setdefault(row.signal_type, Group(MARKET_SIGNALS[row.signal_type], []))
        group.total += 1
        if len(group.entries) >= per_type or any(e.document_id == row.id for e in group.entries):
            continue
        entry = _entry(
            row,
            [
                format_eur(row.amount_eur) if row.amount_eur else None,
                f"signal score {row.score:.2f}",
            ],
        )
        entry.quote = _quote(row.evidence, row.title)
        entry.reason = f"{row.signal_type.replace('_', ' ')} signal"
        group.entries.append(entry)
    for group in groups.values():
        more = group.total - len(group.entries)
        group.note = f"and {more} more" if more > 0 else None
    return [groups[t] for t in MARKET_SIGNALS if t in groups]


def trend_score(current: int, mean: float) -> float:
    """How unusual this week's count is: (this week - mean) / sqrt(mean + 1)."""
    return (current - mean) / math.sqrt(mean + 1.0)


def movers(
    conn: Connection,
    week: IsoWeek,
    limit: int = 10,
    min_documents: int = 3,
    min_score: float = 2.0,
) -> list[Mover]:
    """Entities mentioned in unusually many documents this week against their 8-week mean."""
    weeks = [str(w) for w in week.trailing(TREND_WEEKS + 1)]
    rows = conn.execute(
        select(MN.c.entity_id, D.c.iso_week, func.count(func.distinct(MN.c.document_id)))
        .select_from(D)
        .join(MN, MN.c.document_id == D.c.id)
        .where(D.c.iso_week.in_(weeks), _canonical())
        .group_by(MN.c.entity_id, D.c.iso_week)
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for entity_id, iso_week, n in rows:
        counts[entity_id][iso_week] = n
    scored = []
    for entity_id, by_week in counts.items():
        current = by_week.get(str(week), 0)
        if current < min_documents:
            continue
        mean = sum(by_week.get(w, 0) for w in weeks[:-1]) / TREND_WEEKS
        score = trend_score(current, mean)
        if score >= min_score:
            scored.append((score, current, entity_id, mean))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    top = scored[:limit]
    if not top:
        return []
    ids = [s[2] for s in top]
    names = {
        r.id: (r.canonical_name, r.label)
        for r in conn.execute(select(E.c.id, E.c.canonical_name, E.c.label).where(E.c.id.in_(ids)))
    }
    examples: dict[int, Entry] = {}
    example_rows = conn.execute(
        _with_source(MN.c.entity_id, func.count().label("n"))
        .join(MN, MN.c.document_id == D.c.id)
        .where(MN.c.entity_id.in_(ids), D.c.iso_week == str(week), _canonical())
        .group_by(
            MN.c.entity_id,
            D.c.id,
            D.c.kind,
            D.c.title,
            D.c.url,
            D.c.published,
            N.c.outlet,
            S.c.name,
        )
        .order_by(MN.c.entity_id, func.count().desc(), D.c.published.desc(), D.c.id)
    )
    for row in example_rows:
        if row.entity_id not in examples:
            examples[row.entity_id] = _entry(row)
    return [
        Mover(
            entity_id,
            *names[entity_id],
            current=current,
            mean=mean,
            score=score,
            example=examples.get(entity_id),
        )
        for score, current, entity_id, mean in top
    ]


def project_outputs(
    conn: Connection, week: IsoWeek, per_project: int = 3, max_projects: int = 6
) -> list[Group]:
    """Outputs published or linked this week to a monitored project, grouped by project."""
    PD = D.alias("project_document")
    start = datetime.combine(week.monday, time.min, tzinfo=UTC)
    end = datetime.combine(week.sunday + timedelta(days=1), time.min, tzinfo=UTC)
    rows = conn.execute(
        _with_source(
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
        .where(_canonical(), or_(D.c.iso_week == str(week), DL.c.found_at.between(start, end)))
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
        entry = _entry(row, [KIND_SINGULAR.get(row.kind, row.kind), how])
        entry.reason = f"output of {row.acronym or row.project_id}"
        group.entries.append(entry)
    return sorted(groups.values(), key=lambda g: (-g.total, g.name))[:max_projects]


def link_explanation(method: str, evidence: Any) -> str:
    """How an output was credited to a project, from the link's evidence when it has some."""
    found = evidence if isinstance(evidence, dict) else {}
    if found.get("grant_id"):
        return f"acknowledges grant {found['grant_id']}"
    if found.get("applicant") and found.get("participant"):
        return f"applicant {found['applicant']} is participant {found['participant']}"
    if found.get("participant"):
        return f"names participant {found['participant']}"
    return "linked by " + LINK_METHODS.get(method, method.replace("_", " "))


def format_eur(amount: Decimal | float) -> str:
    value = float(amount)
    if value >= 1e9:
        return f"€{value / 1e9:.1f}bn"
    if value >= 1e6:
        return f"€{value / 1e6:.1f}M"
    if value >= 1e3:
        return f"€{value / 1e3:.0f}k"
    return f"€{value:.0f}"


def collect(conn: Connection, week: IsoWeek) -> DigestData:
    """Everything one week's digest shows, with every entry explained."""
    chart_weeks = week.trailing(CHART_WEEKS)
    by_kind = weekly_volume(conn, chart_weeks)
    closing, new = calls(conn, week)
    data = DigestData(
        week=week,
        headline=headline(conn, week, by_kind),
        calls_closing=closing,
        calls_new=new,
        publications=publications_by_topic(conn, week),
        patents=patents_by_applicant(conn, week),
        market=market_signals(conn, week),
        movers=movers(conn, week),
        projects=project_outputs(conn, week),
        by_kind=by_kind,
        by_topic=weekly_topics(conn, chart_weeks),
    )
    entries = [*data.calls_closing, *data.calls_new]
    for groups in (data.publications, data.patents, data.market, data.projects):
        entries.extend(e for g in groups for e in g.entries)
    entries.extend(mv.example for mv in data.movers if mv.example)
    explain(conn, entries)
    return data
