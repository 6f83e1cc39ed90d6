"""Items as rows ready for the database driver.

Building rows is the per-item half of a load: validation has happened, and what is left is
the content hash and turning values into what the driver takes (dates, JSON, amounts), with
the same converters SQLAlchemy itself would use. It needs no connection, so a big file's
rows are built in worker processes while the writer writes (storage/batches.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from pydantic_core import to_json
from sqlalchemy import JSON, Date, Table
from sqlalchemy.engine import URL, Dialect

from scintel.storage import models as m
from scintel.storage.items import (
    FundingCallItem,
    Item,
    NewsItem,
    PatentItem,
    ProjectItem,
    PublicationItem,
)

# Document columns the row builder fills; the writer adds WRITER_COLUMNS in front.
DOCUMENT_COLUMNS = (
    "kind", "external_id", "title", "summary", "url", "published", "iso_week", "language",
    "content_hash", "extra",
)
WRITER_COLUMNS = ("source_id", "load_run_id", "first_seen", "last_seen")


class Detail(NamedTuple):
    """A kind's detail table (one row per document) and its child table (many rows)."""

    table: Table
    columns: tuple[str, ...]
    child: Table | None = None
    child_columns: tuple[str, ...] = ()


DETAILS: dict[str, Detail] = {
    "publication": Detail(
        m.Publication.__table__, ("doi", "pmid", "journal", "authors"),
        m.Grant.__table__, ("funder", "grant_id"),
    ),
    "patent": Detail(
        m.Patent.__table__,
        ("publication_number", "applicants", "inventors", "cpc", "priority_date"),
    ),
    "funding_call": Detail(
        m.FundingCall.__table__,
        ("identifier", "programme", "status", "opening_date", "deadline", "deadlines", "budget_eur"),
    ),
    "project": Detail(
        m.Project.__table__,
        ("project_id", "acronym", "programme_code", "start_date", "end_date",
         "ec_contribution_eur", "coordinator"),
        m.ProjectParticipant.__table__, ("name", "country", "role", "ec_contribution_eur"),
    ),
    "news": Detail(m.NewsItem.__table__, ("outlet", "author")),
}


class ItemRows(NamedTuple):
    """One item's rows; `document` follows DOCUMENT_COLUMNS, `detail` and `children` the
    kind's Detail columns, all without the ids the writer adds."""

    kind: str
    source: str
    external_id: str
    content_hash: str
    document: tuple[Any, ...]
    detail: tuple[Any, ...]
    children: list[tuple[Any, ...]]


@lru_cache(maxsize=4096)  # a batch's items share a few hundred dates
def iso_week(day: date | None) -> str | None:
    if day is None:
        return None
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _values(item: Any, kind: str) -> tuple[list[Any], list[list[Any]]]:
    """The detail values and child rows of an item, before conversion."""
    if kind == "publication":
        pub: PublicationItem = item
        grants = {(g.funder or "", g.id): None for g in pub.grants}
        return (
            [pub.doi.lower() if pub.doi else None, pub.pmid, pub.journal, pub.authors or None],
            [[funder, grant_id] for funder, grant_id in grants],
        )
    if kind == "patent":
        pat: PatentItem = item
        return [pat.publication_number, pat.applicants or None, pat.inventors or None,
                pat.cpc or None, pat.priority_date], []
    if kind == "funding_call":
        call: FundingCallItem = item
        return [call.identifier, call.programme, call.status, call.opening_date, call.deadline,
                [d.isoformat() for d in call.deadlines] or None, call.budget_eur], []
    if kind == "project":
        proj: ProjectItem = item
        return (
            [proj.project_id, proj.acronym, proj.programme_code, proj.start_date, proj.end_date,
             proj.ec_contribution_eur, proj.coordinator],
            [[p.name, p.country, p.role, p.ec_contribution_eur] for p in proj.participants],
        )
    news: NewsItem = item
    return [news.outlet, news.author], []


Converter = tuple[tuple[int, Callable[[Any], Any]], ...]


def make_dialect(drivername: str) -> Dialect:
    """A dialect for converting values, without an engine (worker processes have none)."""
    cls = URL.create(drivername).get_dialect()
    return cls(dbapi=cls.import_dbapi())


class RowBuilder:
    """Builds ItemRows for one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        docs = m.Document.__table__
        self._document = self.converter(docs, DOCUMENT_COLUMNS)
        self._detail: dict[str, tuple[Converter, Converter]] = {
            kind: (
                self.converter(d.table, d.columns),
                self.converter(d.child, d.child_columns) if d.child is not None else (),
            )
            for kind, d in DETAILS.items()
        }

    def converter(self, table: Table, columns: tuple[str, ...]) -> Converter:
        """(position, bind processor) of the columns whose values the driver can't take as is."""
        found = []
        for position, name in enumerate(columns):
            type_ = table.c[name].type.dialect_impl(self.dialect)
            proc = type_.bind_processor(self.dialect)
            if proc is not None:
                found.append((position, self._faster(type_) or proc))
        return tuple(found)

    def _faster(self, type_: Any) -> Callable[[Any], Any] | None:
        """A quicker converter with SQLAlchemy's result on SQLite, where it stores dates as ISO
        text and JSON as text (compact here, which reads back the same); these two were a
        fifth of a big load's row building."""
        if self.dialect.name != "sqlite":
            return None
        if isinstance(type_, Date):
            return date.isoformat
        if isinstance(type_, JSON):
            return lambda value: to_json(value).decode()
        return None

    @staticmethod
    def convert(values: list[Any], converter: Converter) -> tuple[Any, ...]:
        for position, proc in converter:
            if values[position] is not None:  # SQL NULL, not JSON null
                values[position] = proc(values[position])
        return tuple(values)

    def build(self, item: Item) -> ItemRows:
        digest = item.content_hash()
        document = [
            item.kind, item.external_id, item.title, item.summary, item.url, item.published,
            iso_week(item.published), item.language, digest, item.extra_fields(),
        ]
        detail, children = _values(item, item.kind)
        detail_conv, child_conv = self._detail[item.kind]
        return ItemRows(
            item.kind,
            item.source,
            item.external_id,
            digest,
            self.convert(document, self._document),
            self.convert(detail, detail_conv),
            [self.convert(child, child_conv) for child in children],
        )
