"""What a digest section is, and which there are.

Every module of `scintel.digest.sections` declares its sections in `SECTIONS`, with their
partials in a template next to it: adding a section touches no other file (docs/extending.md).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection

from scintel.digest import sections
from scintel.digest.charts import Chart
from scintel.digest.queries import Entry
from scintel.digest.weeks import IsoWeek

T = TypeVar("T")


class QueryContext:
    """One week of the warehouse as the sections read it; a query they share runs once."""

    def __init__(self, conn: Connection, week: IsoWeek) -> None:
        self.conn = conn
        self.week = week
        self._shared: dict[Callable[[Connection, IsoWeek], Any], Any] = {}

    def once(self, query: Callable[[Connection, IsoWeek], T]) -> T:
        """`query(conn, week)`, run on first use and remembered for the next section."""
        if query not in self._shared:
            self._shared[query] = query(self.conn, self.week)
        result: T = self._shared[query]
        return result


def _none(_content: object) -> list[Any]:
    return []


def _no_stats(_content: object) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Section(Generic[T]):
    """One part of the digest: its heading, its place, what it reads and when it is shown.

    `query` returns the section's content. The template named `partials` (a file next to
    the module) defines the macros `html(content)`, table rows for the page, and
    `md(content)`, for the Markdown twin; the main templates print the heading above them.
    """

    anchor: str  # the heading's id; also the name in the archived stats and in the result
    title: str
    order: int  # reading order; leave gaps so that a new section fits between two
    partials: str
    query: Callable[[QueryContext], T]
    # The entries it shows: explained (topics, entities), and counted under `counted_as`.
    entries: Callable[[T], Iterable[Entry]] = _none
    counted_as: str | None = None
    # Shown in a digest that has news at all; by default when the content is not empty.
    shown: Callable[[T], bool] = bool
    # Whether the content alone makes the week worth a digest (default: `shown`).
    news: Callable[[T], bool] | None = None
    # Numbers archived with the digest besides the item counts, as {group: {name: value}}.
    stats: Callable[[T], dict[str, Any]] = _no_stats
    # The charts it shows: inlined in the page, attached to the e-mail.
    charts: Callable[[T], list[Chart]] = _none
    # Named in the page's "In this issue" line.
    listed: bool = True


def registered() -> list[Section[Any]]:
    """Every section the modules of `scintel.digest.sections` declare, in reading order."""
    found: list[Section[Any]] = []
    for module_info in pkgutil.iter_modules(sections.__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{sections.__name__}.{module_info.name}")
        if not hasattr(module, "SECTIONS"):
            raise LookupError(f"{module.__name__} declares no SECTIONS")
        found.extend(module.SECTIONS)
    for attribute in ("anchor", "order"):
        values = [getattr(section, attribute) for section in found]
        shared = sorted({value for value in values if values.count(value) > 1})
        if shared:
            raise ValueError(f"digest sections share the {attribute} {shared}")
    return sorted(found, key=lambda section: section.order)
