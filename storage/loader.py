"""Idempotent bulk loader: landing-zone JSON Lines -> warehouse.

One transaction per file; documents are upserted on their natural key
(source, external_id) with `INSERT ... ON CONFLICT` in batches, and a content
hash decides whether a known record was updated or is unchanged. Malformed
lines are stored in `rejected_records` with their line number and reason.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Engine,
    Integer,
    Table,
    Text,
    any_,
    bindparam,
    delete,
    func,
    null,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from scintel.storage import models as m
from scintel.storage.items import (
    BaseItem,
    FundingCallItem,
    Item,
    ItemError,
    NewsItem,
    PatentItem,
    ProjectItem,
    PublicationItem,
    parse_item,
)

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 2000
ANALYZE_AFTER = 5000


@dataclass
class LoadReport:
    """Counts for one load; received = inserted + updated + unchanged + duplicates + rejected."""

    path: str | None = None
    received: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)
    load_run_id: int | None = None

    def add(self, other: LoadReport) -> None:
        for name in ("received", "inserted", "updated", "unchanged", "duplicates", "rejected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rejects.extend(other.rejects)

    def as_dict(self) -> dict[str, int]:
        return {
            "received": self.received,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
        }


@dataclass(frozen=True)
class UpsertResult:
    """Per-item outcome of one batch: the document id and 'inserted'|'updated'|'unchanged'."""

    document_ids: list[int]
    statuses: list[str]


def iso_week(day: date | None) -> str | None:
    if day is None:
        return None
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _insert(session: Session, table: Table) -> Any:
    """The dialect's INSERT, which has ON CONFLICT on both SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


_UNSET = object()


class _Compiled:
    """A statement compiled once, run on parameters converted by the binds' own processors.

    In a bulk load SQLAlchemy's per-row parameter handling (and psycopg's parsing of a
    multi-row VALUES with thousands of placeholders) cost more than the database's work.
    """

    def __init__(self, session: Session, stmt: Any, names: Sequence[str] | None = None) -> None:
        dialect = session.get_bind().dialect
        compiled = stmt.compile(dialect=dialect, column_keys=names)
        self.sql = compiled.string
        order = compiled.positiontup or []
        self.pick: Callable[[dict[str, Any]], Any] | None = None
        if dialect.positional:
            self.pick = (lambda row: (row[order[0]],)) if len(order) == 1 else itemgetter(*order)
        self.convert = [
            (name, proc)
            for name, bind in compiled.binds.items()
            if (proc := bind.type.dialect_impl(dialect).bind_processor(dialect))
        ]

    def _params(self, rows: list[dict[str, Any]]) -> list[Any]:
        """The DBAPI parameters of rows, whose values are converted in place."""
        for name, proc in self.convert:
            last, out = _UNSET, None
            for row in rows:
                value = row[name]
                if value is not last:  # the load's timestamp and None repeat: convert once
                    last, out = value, proc(value)
                row[name] = out
        return rows if self.pick is None else [self.pick(row) for row in rows]

    def execute(self, session: Session, params: dict[str, Any]) -> Any:
        return session.connection().exec_driver_sql(self.sql, self._params([params])[0])

    def executemany(self, session: Session, rows: list[dict[str, Any]]) -> None:
        if rows:
            session.connection().exec_driver_sql(self.sql, self._params(rows))


# --- kind-specific detail rows ---------------------------------------------------------


def _publication_row(item: PublicationItem) -> dict[str, Any]:
    return {
        "doi": item.doi.lower() if item.doi else None,
        "pmid": item.pmid,
        "journal": item.journal,
        "authors": item.authors or None,
    }


def _patent_row(item: PatentItem) -> dict[str, Any]:
    return {
        "publication_number": item.publication_number,
        "applicants": item.applicants or None,
        "inventors": item.inventors or None,
        "cpc": item.cpc or None,
        "priority_date": item.priority_date,
    }


def _call_row(item: FundingCallItem) -> dict[str, Any]:
    return {
        "identifier": item.identifier,
        "programme": item.programme,
        "status": item.status,
        "opening_date": item.opening_date,
        "deadline": item.deadline,
        "deadlines": [d.isoformat() for d in item.deadlines] or None,
        "budget_eur": item.budget_eur,
    }


def _project_row(item: ProjectItem) -> dict[str, Any]:
    return {
        "project_id": item.project_id,
        "acronym": item.acronym,
        "programme_code": item.programme_code,
        "start_date": item.start_date,
        "end_date": item.end_date,
        "ec_contribution_eur": item.ec_contribution_eur,
        "coordinator": item.coordinator,
    }


def _news_row(item: NewsItem) -> dict[str, Any]:
    return {"outlet": item.outlet, "author": item.author}


def _grant_rows(item: Any) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for grant in item.grants:
        key = (grant.funder or "", grant.id)
        seen[key] = {"funder": key[0], "grant_id": key[1]}
    return list(seen.values())


def _participant_rows(item: Any) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "country": p.country,
            "role": p.role,
            "ec_contribution_eur": p.ec_contribution_eur,
        }
        for p in item.participants
    ]


RowFn = Callable[[Any], dict[str, Any]]
ChildFn = Callable[[Any], list[dict[str, Any]]]
DETAILS: dict[str, tuple[Table, RowFn]] = {
    "publication": (m.Publication.__table__, _publication_row),
    "patent": (m.Patent.__table__, _patent_row),
    "funding_call": (m.FundingCall.__table__, _call_row),
    "project": (m.Project.__table__, _project_row),
    "news": (m.NewsItem.__table__, _news_row),
}
CHILDREN: dict[str, tuple[Table, ChildFn]] = {
    "publication": (m.Grant.__table__, _grant_rows),
    "project": (m.ProjectParticipant.__table__, _participant_rows),
}


class Loader:
    """Upserts validated items within the caller's transaction."""

    def __init__(self, session: Session, load_run_id: int | None = None) -> None:
        self.session = session
        self.load_run_id = load_run_id
        self.now = datetime.now(UTC)
        self._source_ids: dict[str, int] = {}
        self._compiled: dict[str, _Compiled] = {}

    def source_id(self, name: str, kind: str | None = None) -> int:
        """The id of a source, registering it on first sight."""
        if name not in self._source_ids:
            table = m.Source.__table__
            self.session.execute(
                _insert(self.session, table)
                .values(name=name, kind=kind, created_at=self.now)
                .on_conflict_do_nothing(index_elements=["name"])
            )
            self._source_ids[name] = self.session.execute(
                select(table.c.id).where(table.c.name == name)
            ).scalar_one()
        return self._source_ids[name]

    def upsert(self, items: Sequence[Item]) -> UpsertResult:
        """Insert new, update changed and touch unchanged documents; keys must be unique."""
        keys = [(self.source_id(i.source, i.kind), i.external_id) for i in items]
        hashes = [i.content_hash() for i in items]
        existing = self._lookup(keys)
        statuses: list[str] = []
        write_rows: list[dict[str, Any]] = []
        touched: list[int] = []
        for item, key, digest in zip(items, keys, hashes, strict=True):
            known = existing.get(key)
            if known is None:
                statuses.append("inserted")
            elif known[1] == digest:
                statuses.append("unchanged")
                touched.append(known[0])
                continue
            else:
                statuses.append("updated")
            write_rows.append(self._document_row(item, key[0], digest))

        ids: dict[tuple[int, str], int] = {k: v[0] for k, v in existing.items()}
        if write_rows:
            self._execute_many("documents", self._document_upsert, write_rows)
            new_keys = [k for k, status in zip(keys, statuses, strict=True) if status == "inserted"]
            ids.update({k: v[0] for k, v in self._lookup(new_keys).items()})
        if touched:
            self._touch(touched)
        document_ids = [ids[k] for k in keys]
        changed = [
            (item, doc_id)
            for item, doc_id, status in zip(items, document_ids, statuses, strict=True)
            if status != "unchanged"
        ]
        self._write_details(changed, replace=any(s == "updated" for s in statuses))
        return UpsertResult(document_ids=document_ids, statuses=statuses)

    def _lookup(self, keys: Sequence[tuple[int, str]]) -> dict[tuple[int, str], tuple[int, str]]:
        """(id, content hash) of the known documents among `keys`, one index range per source."""
        by_source: dict[int, list[str]] = {}
        for source_id, external_id in keys:
            by_source.setdefault(source_id, []).append(external_id)
        if "lookup" not in self._compiled:
            self._compiled["lookup"] = _Compiled(self.session, self._lookup_query())
        query = self._compiled["lookup"]
        found: dict[tuple[int, str], tuple[int, str]] = {}
        for source_id, external_ids in by_source.items():
            rows = query.execute(self.session, {"source_id": source_id, "ids": external_ids})
            found.update({(source_id, r[0]): (r[1], r[2]) for r in rows})
        return found

    def _in_list(self, column: Any, type_: Any) -> Any:
        """`column IN :ids` with the list passed as one parameter (a PostgreSQL array, a JSON
        array on SQLite): one statement compiled once, not one with a bind per value."""
        if self.session.get_bind().dialect.name == "postgresql":
            return column == any_(bindparam("ids", type_=postgresql.ARRAY(type_)))
        listed = func.json_each(bindparam("ids", type_=JSON)).table_valued("value")
        return column.in_(select(listed.c.value))

    def _lookup_query(self) -> Any:
        docs = m.Document.__table__
        return select(docs.c.external_id, docs.c.id, docs.c.content_hash).where(
            docs.c.source_id == bindparam("source_id"), self._in_list(docs.c.external_id, Text)
        )

    def _execute_many(self, name: str, build: Callable[[], Any], rows: list[dict[str, Any]]) -> None:
        """Run the statement `build` makes (compiled once per loader) for rows of equal keys."""
        if not rows:
            return
        if name not in self._compiled:
            self._compiled[name] = _Compiled(self.session, build(), list(rows[0]))
        self._compiled[name].executemany(self.session, rows)

    def _document_upsert(self) -> Any:
        docs = m.Document.__table__
        stmt = _insert(self.session, docs)
        kept = ("first_seen", "id", "source_id", "external_id", "canonical_id", "enriched_at")
        return stmt.on_conflict_do_update(
            index_elements=["source_id", "external_id"],
            set_={c.name: stmt.excluded[c.name] for c in docs.columns if c.name not in kept}
            | {"enriched_at": null()},
        )

    def _touch(self, ids: list[int]) -> None:
        if "touch" not in self._compiled:
            docs = m.Document.__table__
            stmt = update(docs).where(self._in_list(docs.c.id, Integer))
            self._compiled["touch"] = _Compiled(self.session, stmt.values(last_seen=bindparam("now")))
        self._compiled["touch"].execute(self.session, {"ids": ids, "now": self.now})

    def _document_row(self, item: BaseItem, source_id: int, digest: str) -> dict[str, Any]:
        return {
            "kind": item.kind,  # type: ignore[attr-defined]
            "source_id": source_id,
            "external_id": item.external_id,
            "title": item.title,
            "summary": item.summary,
            "url": item.url,
            "published": item.published,
            "iso_week": iso_week(item.published),
            "language": item.language,
            "content_hash": digest,
            "extra": item.extra_fields(),
            "first_seen": self.now,
            "last_seen": self.now,
            "load_run_id": self.load_run_id,
        }

    def _write_details(self, changed: list[tuple[Item, int]], replace: bool) -> None:
        by_kind: dict[str, list[tuple[Item, int]]] = {}
        for item, doc_id in changed:
            by_kind.setdefault(item.kind, []).append((item, doc_id))
        for kind, pairs in by_kind.items():
            table, row_fn = DETAILS[kind]
            rows = [row_fn(item) | {"document_id": doc_id} for item, doc_id in pairs]
            self._execute_many(table.name, lambda t=table: self._detail_upsert(t), rows)
            if kind in CHILDREN:
                child, child_fn = CHILDREN[kind]
                doc_ids = [doc_id for _, doc_id in pairs]
                if replace:
                    for chunk in _chunks(doc_ids, 1000):
                        self.session.execute(delete(child).where(child.c.document_id.in_(chunk)))
                child_rows = [
                    row | {"document_id": doc_id} for item, doc_id in pairs for row in child_fn(item)
                ]
                self._execute_many(child.name, child.insert, child_rows)

    def _detail_upsert(self, table: Table) -> Any:
        stmt = _insert(self.session, table)
        return stmt.on_conflict_do_update(
            index_elements=["document_id"],
            set_={c.name: stmt.excluded[c.name] for c in table.columns if not c.primary_key},
        )

    def reject(self, origin: str, line_number: int, reason: str, payload: str) -> None:
        table = m.RejectedRecord.__table__
        self.session.execute(
            _insert(self.session, table)
            .values(
                load_run_id=self.load_run_id,
                source_name=None,
                origin=origin,
                line_number=line_number,
                reason=reason,
                payload=payload,
                content_hash=hashlib.sha256(payload.encode("utf-8", "replace")).hexdigest(),
                received_at=self.now,
            )
            .on_conflict_do_nothing(index_elements=["content_hash", "origin", "line_number"])
        )


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) for the non-blank lines of a JSON Lines file."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.decode("utf-8", errors="replace").strip()
            if text:
                yield number, text


def load_lines(
    session: Session,
    lines: Iterable[tuple[int, str]],
    origin: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> LoadReport:
    """Validate and upsert numbered JSON lines inside the caller's transaction."""
    run = m.LoadRun(step="load", path=origin)
    session.add(run)
    session.flush()
    loader = Loader(session, run.id)
    report = LoadReport(path=origin, load_run_id=run.id)
    batch: dict[tuple[str, str], Item] = {}

    def flush() -> None:
        if not batch:
            return
        result = loader.upsert(list(batch.values()))
        for status in result.statuses:
            setattr(report, status, getattr(report, status) + 1)
        if on_batch:
            on_batch(len(batch))
        batch.clear()

    for number, text in lines:
        report.received += 1
        try:
            item = parse_item(text)
        except ItemError as exc:
            report.rejected += 1
            report.rejects.append((number, str(exc)))
            loader.reject(origin, number, str(exc), text)
            continue
        key = (item.source, item.external_id)
        if key in batch:  # a repeat within a batch: the last copy wins
            report.duplicates += 1
        batch[key] = item
        if len(batch) >= batch_size:
            flush()
    flush()
    run.finished_at = datetime.now(UTC)
    for name, value in report.as_dict().items():
        if hasattr(run, name):
            setattr(run, name, value)
    return report


def load_file(
    engine: Engine,
    path: Path,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> LoadReport:
    """Load one JSON Lines file in a single transaction: all of it, or nothing."""
    with Session(engine) as session, session.begin():
        report = load_lines(session, read_lines(path), str(path), batch_size, on_batch)
    if report.inserted >= ANALYZE_AFTER:
        refresh_statistics(engine)
    log.info("loaded %s: %s", path, report.as_dict())
    return report


def refresh_statistics(engine: Engine) -> None:
    """Refresh planner statistics after a large insert, so the next load's key lookups use
    the indexes (PostgreSQL's autovacuum analyses a freshly filled table only later)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in ("documents", "grants", "projects", "document_links"):
                conn.exec_driver_sql(f"ANALYZE {table}")
        else:
            conn.exec_driver_sql("PRAGMA optimize")
