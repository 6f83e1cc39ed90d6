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
    "kind",
    "external_id",
    "title",
    "summary",
    "url",
    "published",
    "iso_week",
    "language",
    "content_hash",
    "extra",
)
WRITER_COLUMNS = ("source_id", "load_run_id", "first_seen", "last_seen", "raw_record_id")


class Detail(NamedTuple):
    """A kind's detail table (one row per document) and its child table (many rows)."""

    table: Table
    columns: tuple[str, ...]
    child: Table | None = None
    child_columns: tuple[str, ...] = ()


DETAILS: dict[str, Detail] = {
    "publication": Detail(
        m.Publication.__table__,
        ("doi", "pmid", "pmcid", "journal", "authors"),
        m.Grant.__table__,
        ("funder", "grant_id"),
    ),
    "patent": Detail(
        m.Patent.__table__,
        (
            "publication_number",
            "applicants",
            "inventors",
            "cpc",
            "priority_date",
            "family_id",
            "priority_claims",
        ),
    ),
    "funding_call": Detail(
        m.FundingCall.__table__,
        (
            "identifier",
            "programme",
            "status",
            "opening_date",
            "deadline",
            "deadlines",
            "budget_eur",
        ),
    ),
    "project": Detail(
        m.Project.__table__,
        (
            "project_id",
            "acronym",
            "programme_code",
            "start_date",
            "end_date",
            "ec_contribution_eur",
            "coordinator",
        ),
        m.ProjectParticipant.__table__,
        ("name", "country", "role", "ec_contribution_eur", "pic"),
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
    raw_ref: str | None = None  # the landing-zone body it was parsed from


@lru_cache(maxsize=4096)  # a batch's items share a few hundred dates
def iso_week(day: date | None) -> str | None:
    if day is None:
        return None
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


Convert = Callable[[Any], Any]


def make_dialect(drivername: str) -> Dialect:
    """A dialect for converting values, without an engine (worker processes have none)."""
    cls = URL.create(drivername).get_dialect()
    return cls(dbapi=cls.import_dbapi())


def converter(dialect: Dialect, type_: Any) -> Convert:
    """What SQLAlchemy does to a value of `type_` before the driver gets it (None kept, so
    an empty JSON column is SQL NULL, not JSON null)."""
    impl = type_.dialect_impl(dialect)
    proc = impl.bind_processor(dialect)
    if proc is None:
        return lambda value: value
    if dialect.name == "sqlite" and isinstance(impl, Date):  # the text SQLite's DATE stores
        return lambda value: None if value is None else value.isoformat()
    if dialect.name == "sqlite" and isinstance(impl, JSON):  # compact JSON text
        return lambda value: None if value is None else to_json(value).decode()
    return lambda value: None if value is None else proc(value)


class RowBuilder:
    """Builds ItemRows for one dialect.

    The columns' types are the models' own (a test checks every column against SQLAlchemy's
    converters); the rows are written out by hand because this runs for every item of a
    load, and a generic loop over columns was a third of it.
    """

    def __init__(self, dialect: Dialect) -> None:
        docs = m.Document.__table__
        self.date = converter(dialect, docs.c.published.type)
        self.json = converter(dialect, docs.c.extra.type)
        self.money = converter(dialect, m.Project.__table__.c.ec_contribution_eur.type)
        self._details: dict[str, Callable[[Any], tuple[tuple[Any, ...], list[tuple[Any, ...]]]]] = {
            "publication": self._publication,
            "patent": self._patent,
            "funding_call": self._call,
            "project": self._project,
            "news": self._news,
        }

    def build(self, item: Item) -> ItemRows:
        digest = item.content_hash()
        published = item.published
        document = (
            item.kind,
            item.external_id,
            item.title,
            item.summary,
            item.url,
            self.date(published),
            iso_week(published),
            item.language,
            digest,
            self.json(item.extra_fields()),
        )
        detail, children = self._details[item.kind](item)
        return ItemRows(
            item.kind, item.source, item.external_id, digest, document, detail, children,
            item.raw_ref,
        )  # fmt: skip

    def _publication(self, pub: PublicationItem) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        grants = {(g.funder or "", g.id): None for g in pub.grants}
        doi = pub.doi.lower() if pub.doi else None
        detail = (doi, pub.pmid, pub.pmcid, pub.journal, self.json(pub.authors or None))
        return detail, list(grants)

    def _patent(self, pat: PatentItem) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        json = self.json
        claims = [c.model_dump(mode="json", exclude_none=True) for c in pat.priority_claims]
        return (
            pat.publication_number,
            json(pat.applicants or None),
            json(pat.inventors or None),
            json(pat.cpc or None),
            self.date(pat.priority_date),
            pat.family_id,
            json(claims or None),
        ), []

    def _call(self, call: FundingCallItem) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        deadlines = [d.isoformat() for d in call.deadlines] or None
        return (
            call.identifier,
            call.programme,
            call.status,
            self.date(call.opening_date),
            self.date(call.deadline),
            self.json(deadlines),
            self.money(call.budget_eur),
        ), []

    def _project(self, proj: ProjectItem) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        money = self.money
        return (
            proj.project_id,
            proj.acronym,
            proj.programme_code,
            self.date(proj.start_date),
            self.date(proj.end_date),
            money(proj.ec_contribution_eur),
            proj.coordinator,
        ), [
            (p.name, p.country, p.role, money(p.ec_contribution_eur), p.pic)
            for p in proj.participants
        ]

    def _news(self, news: NewsItem) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        return (news.outlet, news.author), []
