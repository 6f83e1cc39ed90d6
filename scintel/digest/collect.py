"""One week's digest: every registered section's query run, and every entry explained."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection

from scintel.digest.charts import Chart
from scintel.digest.queries import explain
from scintel.digest.registry import QueryContext, Section, registered
from scintel.digest.weeks import IsoWeek

T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    """A section with what its query found this week."""

    section: Section[T]
    content: T

    def is_news(self) -> bool:
        return (self.section.news or self.section.shown)(self.content)


@dataclass
class DigestData:
    """What the sections found for one week: the page, the stats and the charts read it."""

    week: IsoWeek
    found: list[Found[Any]]  # every registered section, in reading order

    def is_empty(self) -> bool:
        return not any(f.is_news() for f in self.found)

    def shown(self) -> list[Found[Any]]:
        """The sections this week's digest shows, in reading order; empty ones are left out."""
        if self.is_empty():
            return []
        return [f for f in self.found if f.section.shown(f.content)]

    def charts(self) -> list[Chart]:
        return [chart for f in self.found for chart in f.section.charts(f.content)]

    def stats(self) -> dict[str, Any]:
        """What the archive keeps besides the page: the sections' own numbers, then how many
        items each counted section has."""
        stats: dict[str, Any] = {}
        for f in self.found:
            for key, numbers in f.section.stats(f.content).items():
                stats.setdefault(key, {}).update(numbers)
        stats["items"] = {
            f.section.counted_as: sum(1 for _ in f.section.entries(f.content))
            for f in self.found
            if f.section.counted_as
        }
        return stats


def collect(conn: Connection, week: IsoWeek) -> DigestData:
    """Everything one week's digest shows, with every entry explained."""
    context = QueryContext(conn, week)
    found = [Found(section, section.query(context)) for section in registered()]
    explain(conn, [entry for f in found for entry in f.section.entries(f.content)])
    return DigestData(week, found)
