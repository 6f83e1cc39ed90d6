"""What every section's query is built from: the tables, entries and groups, the weekly
volume, and the explanation each entry gets.

Every query reads canonical documents only (duplicates point at their canonical copy),
so a story seen in two outlets counts once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, func, select

from scintel.digest.weeks import IsoWeek
from scintel.kinds import KINDS
from scintel.spiders.source_settings import source_label
from scintel.storage import models as m

D = m.Document.__table__
S = m.Source.__table__
N = m.NewsItem.__table__
DT = m.DocumentTopic.__table__
T = m.Topic.__table__
MN = m.Mention.__table__
E = m.Entity.__table__
SG = m.Signal.__table__

KIND_LABELS = {k.key: k.plural for k in KINDS}
CHART_WEEKS = 12


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
class Group:
    """A titled list of entries: a topic, an applicant, a signal type, a project."""

    name: str
    entries: list[Entry]
    total: int = 0
    note: str | None = None
    url: str | None = None


@dataclass
class Series:
    """Weekly counts per named line, for the charts."""

    weeks: list[str]
    lines: dict[str, list[int]]

    def total(self) -> int:
        return sum(sum(v) for v in self.lines.values())


def group_entries(groups: Iterable[Group]) -> list[Entry]:
    """The entries of every group, for sections that show groups."""
    return [entry for group in groups for entry in group.entries]


def canonical() -> Any:
    return D.c.canonical_id.is_(None)


def with_source(*columns: Any) -> Select[Any]:
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


def to_entry(row: Any, details: Iterable[str | None] = ()) -> Entry:
    """An entry for a row of `with_source`, its empty details dropped."""
    return Entry(
        document_id=row.id,
        kind=row.kind,
        title=row.title,
        url=row.url,
        published=row.published,
        source=source_label(row.source),
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
            select(
                MN.c.document_id, E.c.canonical_name, E.c.label, func.min(MN.c.text),
                func.count().label("n"),
            )
            .join(E, E.c.id == MN.c.entity_id)
            .where(MN.c.document_id.in_(chunk))
            .group_by(MN.c.document_id, E.c.id, E.c.canonical_name, E.c.label)
            .order_by(MN.c.document_id, func.count().desc(), E.c.canonical_name)
        )  # fmt: skip
        for doc_id, name, label, written, _n in rows:
            if len(entities[doc_id]) < max_entities:
                if label == "MONEY":
                    # as the text writes it ("EUR 2.1 billion"), not its key; a price with
                    # the unit its key keeps ("3.04 EUR" of key "EUR 3.04/kg": "3.04 EUR/kg")
                    unit = name.partition("/")[2]
                    name = f"{written}/{unit}" if unit else written
                entities[doc_id].append(name)
    for entry in entries:
        entry.topics = topics.get(entry.document_id, [])[:3]
        entry.entities = entities.get(entry.document_id, [])


def weekly_volume(conn: Connection, weeks: Sequence[IsoWeek]) -> Series:
    """Canonical documents per week and kind."""
    labels = [str(w) for w in weeks]
    rows = conn.execute(
        select(D.c.iso_week, D.c.kind, func.count())
        .where(D.c.iso_week.in_(labels), canonical())
        .group_by(D.c.iso_week, D.c.kind)
    )
    lines = {kind: [0] * len(labels) for kind in KIND_LABELS}
    for week, kind, count in rows:
        lines.setdefault(kind, [0] * len(labels))[labels.index(week)] = count
    return Series(labels, lines)


def chart_volume(conn: Connection, week: IsoWeek) -> Series:
    """Documents per week and kind over the charted weeks: the glance and the trends read it."""
    return weekly_volume(conn, week.trailing(CHART_WEEKS))


def format_eur(amount: Decimal | float) -> str:
    value = float(amount)
    if value >= 1e9:
        return f"€{value / 1e9:.1f}bn"
    if value >= 1e6:
        return f"€{value / 1e6:.1f}M"
    if value >= 1e3:
        return f"€{value / 1e3:.0f}k"
    return f"€{value:.0f}"
