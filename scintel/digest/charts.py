"""Weekly volume charts as PNG (matplotlib, Agg), each with alt text that states its numbers."""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from scintel.digest.queries import KIND_LABELS, Series
from scintel.kinds import KINDS

WIDTH_IN, HEIGHT_IN, DPI = 5.6, 2.5, 200  # 1120 x 500 px, shown at 560 px for sharp screens
KIND_COLOURS = {k.key: k.colour for k in KINDS}
LINE_COLOURS = ["#1f6feb", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#0a7b83"]


@dataclass(frozen=True)
class Chart:
    """A rendered chart: `name` is its file stem and Content-ID stem."""

    name: str
    title: str
    alt: str
    png: bytes

    @property
    def filename(self) -> str:
        return f"{self.name}.png"


def _short(week: str) -> str:
    return week.split("-")[1]


def _figure(legend_rows: int) -> tuple[Figure, object]:
    """Fixed margins (no tight_layout pass: it draws the figure once more), legend on top."""
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.08, right=0.99, bottom=0.1, top=0.93 - 0.065 * legend_rows)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=7)
    ax.grid(axis="y", color="#d0d7de", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return fig, ax


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 3}
    )
    return buffer.getvalue()


def volume_by_kind(series: Series) -> Chart:
    """Stacked weekly bars of canonical documents by kind."""
    fig, ax = _figure(legend_rows=1)
    x = range(len(series.weeks))
    bottom = [0] * len(series.weeks)
    kinds = [k for k in KIND_LABELS if any(series.lines.get(k, []))]
    for kind in kinds:
        values = series.lines[kind]
        ax.bar(
            x, values, bottom=bottom, color=KIND_COLOURS[kind], label=KIND_LABELS[kind], width=0.7
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(list(x), [_short(w) for w in series.weeks])
    if kinds:
        ax.legend(
            fontsize=6.5, frameon=False, ncols=len(kinds), loc="lower left", bbox_to_anchor=(0, 1.0)
        )
    latest = ", ".join(f"{series.lines[k][-1]} {KIND_LABELS[k].lower()}" for k in kinds)
    alt = (
        f"Bar chart: documents per week by kind, {series.weeks[0]} to {series.weeks[-1]}; "
        f"{sum(bottom)} in all. Latest week: {latest or 'none'}."
    )
    return Chart("volume-by-kind", "Documents per week by kind, last 12 weeks", alt, _png(fig))


def volume_by_topic(series: Series) -> Chart:
    """Weekly lines for the busiest topics."""
    fig, ax = _figure(legend_rows=(len(series.lines) + 1) // 2)
    x = list(range(len(series.weeks)))
    for colour, (name, values) in zip(LINE_COLOURS, series.lines.items(), strict=False):
        ax.plot(x, values, color=colour, linewidth=1.4, marker="o", markersize=2.2, label=name)
    ax.set_xticks(x, [_short(w) for w in series.weeks])
    ax.set_ylim(bottom=0)
    if series.lines:
        ax.legend(fontsize=6, frameon=False, ncols=2, loc="lower left", bbox_to_anchor=(0, 1.0))
    latest = ", ".join(f"{name} {values[-1]}" for name, values in series.lines.items())
    alt = (
        f"Line chart: documents per week for the {len(series.lines)} busiest topics, "
        f"{series.weeks[0]} to {series.weeks[-1]}. Latest week: {latest or 'none'}."
    )
    title = "Documents per week in the busiest topics, last 12 weeks"
    return Chart("volume-by-topic", title, alt, _png(fig))


def render_charts(by_kind: Series, by_topic: Series) -> list[Chart]:
    """The charts worth drawing: a series with no documents at all is left out."""
    charts = []
    if by_kind.total():
        charts.append(volume_by_kind(by_kind))
    if by_topic.total():
        charts.append(volume_by_topic(by_topic))
    return charts
