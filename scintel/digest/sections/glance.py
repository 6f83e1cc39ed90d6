"""At a glance: this week's documents per kind, and market signals, against the week before."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from scintel.digest.queries import KIND_LABELS, SG, D, Series, canonical, chart_volume
from scintel.digest.registry import QueryContext, Section
from scintel.digest.weeks import IsoWeek
from scintel.nlp.signal_types import MARKET_SIGNALS


@dataclass
class Metric:
    label: str
    current: int
    previous: int

    @property
    def delta(self) -> int:
        return self.current - self.previous


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
    signal_counts: dict[str, int] = dict(
        conn.execute(
            select(SG.c.iso_week, func.count())
            .join(D, D.c.id == SG.c.document_id)
            .where(
                SG.c.iso_week.in_([str(week), str(week.shift(-1))]),
                SG.c.signal_type.in_(list(MARKET_SIGNALS)),
                canonical(),
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


def _headline(context: QueryContext) -> list[Metric]:
    return headline(context.conn, context.week, context.once(chart_volume))


SECTIONS = (
    Section(
        anchor="glance",
        title="At a glance",
        order=10,
        partials="glance.j2",
        query=_headline,
        shown=lambda _metrics: True,  # opens every digest that has news
        news=lambda metrics: any(metric.current for metric in metrics),
        stats=lambda metrics: {"headline": {metric.label: metric.current for metric in metrics}},
        listed=False,
    ),
)
