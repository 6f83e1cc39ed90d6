"""Top publications by topic: the best-scored new papers of the busiest topics."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from scintel.digest.queries import (
    DT,
    D,
    Group,
    T,
    canonical,
    group_entries,
    to_entry,
    with_source,
)
from scintel.digest.registry import Section
from scintel.digest.weeks import IsoWeek
from scintel.spiders.source_settings import source_label
from scintel.storage import models as m

P = m.Publication.__table__


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
        .where(D.c.kind == "publication", D.c.iso_week == str(week), canonical())
        .subquery()
    )
    rows = conn.execute(
        with_source(
            ranked.c.topic_id,
            ranked.c.rank,
            ranked.c.total,
            T.c.name.label("topic"),
            P.c.journal,
        )
        .join(ranked, ranked.c.document_id == D.c.id)
        .join(T, T.c.id == ranked.c.topic_id)
        .outerjoin(P, P.c.document_id == D.c.id)
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
        same = row.journal and row.journal.casefold() == source_label(row.source).casefold()
        entry = to_entry(row, [None if same else row.journal])
        entry.reason = f"#{row.rank} of {row.total} new in this topic"
        group.entries.append(entry)
    return [g for g in groups.values() if g.entries][:max_topics]


SECTIONS = (
    Section(
        anchor="publications",
        title="Top publications by topic",
        order=60,
        partials="publications.j2",
        query=lambda context: publications_by_topic(context.conn, context.week),
        entries=group_entries,
        counted_as="publications",
    ),
)
