"""Volume over the charted weeks: documents per kind, and in the busiest topics, as charts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from scintel.digest.charts import render_charts
from scintel.digest.queries import (
    CHART_WEEKS,
    DT,
    D,
    Series,
    T,
    canonical,
    chart_volume,
)
from scintel.digest.registry import QueryContext, Section
from scintel.digest.weeks import IsoWeek


@dataclass
class Volume:
    by_kind: Series
    by_topic: Series

    def has_documents(self) -> bool:
        """Whether there is anything to chart (a series without documents is not drawn)."""
        return bool(self.by_kind.total() or self.by_topic.total())


def weekly_topics(conn: Connection, weeks: Sequence[IsoWeek], top: int = 6) -> Series:
    """Canonical documents per week for the busiest topics of the period."""
    labels = [str(w) for w in weeks]
    rows = conn.execute(
        select(D.c.iso_week, T.c.name, func.count())
        .select_from(D)
        .join(DT, DT.c.document_id == D.c.id)
        .join(T, T.c.id == DT.c.topic_id)
        .where(D.c.iso_week.in_(labels), canonical())
        .group_by(D.c.iso_week, T.c.name)
    )
    lines: dict[str, list[int]] = defaultdict(lambda: [0] * len(labels))
    for week, name, count in rows:
        lines[name][labels.index(week)] = count
    busiest = sorted(lines, key=lambda name: (-sum(lines[name]), name))[:top]
    return Series(labels, {name: lines[name] for name in busiest})


def _volume(context: QueryContext) -> Volume:
    by_topic = weekly_topics(context.conn, context.week.trailing(CHART_WEEKS))
    return Volume(context.once(chart_volume), by_topic)


SECTIONS = (
    Section(
        anchor="trends",
        title=f"Volume over {CHART_WEEKS} weeks",
        order=90,
        partials="trends.j2",
        query=_volume,
        shown=Volume.has_documents,
        news=lambda _volume: False,  # charts alone are no reason to send a digest
        charts=lambda volume: render_charts(volume.by_kind, volume.by_topic),
    ),
)
