"""Entities on the move: mentioned in unusually many documents this week."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from scintel.digest.queries import MN, D, E, Entry, N, S, canonical, to_entry, with_source
from scintel.digest.registry import QueryContext, Section
from scintel.digest.weeks import IsoWeek

TREND_WEEKS = 8


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
class Movers:
    """The week's movers, and how many weeks before it their mean is taken over."""

    weeks: int
    movers: list[Mover]


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
        .where(D.c.iso_week.in_(weeks), canonical())
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
        with_source(MN.c.entity_id, func.count().label("n"))
        .join(MN, MN.c.document_id == D.c.id)
        .where(MN.c.entity_id.in_(ids), D.c.iso_week == str(week), canonical())
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
            examples[row.entity_id] = to_entry(row)
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


def _movers(context: QueryContext) -> Movers:
    return Movers(TREND_WEEKS, movers(context.conn, context.week))


SECTIONS = (
    Section(
        anchor="movers",
        title="Entities on the move",
        order=50,
        partials="movers.j2",
        query=_movers,
        entries=lambda found: [mover.example for mover in found.movers if mover.example],
        counted_as="movers",
        shown=lambda found: bool(found.movers),
    ),
)
