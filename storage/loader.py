"""Idempotent bulk loader: landing-zone JSON Lines -> warehouse.

One transaction per file; documents are upserted on their natural key
(source, external_id) with `INSERT ... ON CONFLICT` in batches, and a content
hash decides whether a known record was updated or is unchanged. Malformed
lines are stored in `rejected_records` with their line number and reason.
Rows are built by storage/rows.py (in worker processes for big files, see
storage/batches.py); this module only writes them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from scintel.storage import models as m
from scintel.storage.batches import (
    DEFAULT_BATCH_SIZE,
    Batch,
    FileBatches,
    batch_gc,
    collect_young,
)
from scintel.storage.items import Item
from scintel.storage.raw import RawIndex
from scintel.storage.rows import (
    DETAILS,
    DOCUMENT_COLUMNS,
    WRITER_COLUMNS,
    ItemRows,
    RowBuilder,
    converter,
)

log = logging.getLogger(__name__)

ANALYZE_AFTER = 5000
# A later, poorer copy of a record (a lite search answer after a full one) never empties
# what an earlier copy gave: these document columns, every detail column and the child rows
# (grants, participants) keep their stored values when the new copy has none.
RICHER_WINS = ("summary", "url", "published", "iso_week", "language", "extra", "raw_record_id")
# The advisory-lock namespace of warehouse writers, one lock per source within it.
SOURCE_LOCKS = 0x5C17


@dataclass
class LoadReport:
    """Counts for one load; received = inserted + updated + unchanged + repeats + rejected
    (a repeat is a key that came again later in the same batch: the last copy wins)."""

    path: str | None = None
    received: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    repeats: int = 0
    rejected: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)
    load_run_id: int | None = None

    def add(self, other: LoadReport) -> None:
        for name in ("received", "inserted", "updated", "unchanged", "repeats", "rejected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rejects.extend(other.rejects)

    def as_dict(self) -> dict[str, int]:
        return {
            "received": self.received,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "repeats": self.repeats,
            "rejected": self.rejected,
        }


@dataclass(frozen=True)
class UpsertResult:
    """Per-item outcome of one batch: the document id and 'inserted'|'updated'|'unchanged'."""

    document_ids: list[int]
    statuses: list[str]


def _insert(session: Session, table: Table) -> Any:
    """The dialect's INSERT, which has ON CONFLICT on both SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _marks(dialect: Dialect, n: int) -> str:
    return ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * n)


def _insert_sql(
    dialect: Dialect,
    table: str,
    columns: Sequence[str],
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
    also: str = "",
    returning: str = "",
    keep: Sequence[str] = (),
) -> str:
    """INSERT (with ON CONFLICT DO UPDATE when `conflict` is given) of many rows; a `keep`
    column keeps its stored value when the new row has none.

    SQLite gets one row of placeholders for the driver's executemany. PostgreSQL gets one
    array per column and unnests them: one statement per batch, where executemany made the
    server plan and run one INSERT per row, the larger part of a PostgreSQL load.
    """
    if dialect.name == "postgresql":
        types = {c.name: c.type.compile(dialect=dialect) for c in m.Base.metadata.tables[table].c}
        # %b: binary arrays (in text, psycopg escapes every element with a regex)
        arrays = ", ".join(f"%b::{types[c]}[]" for c in columns)
        rows = f"SELECT * FROM unnest({arrays})"
    else:
        rows = f"VALUES ({_marks(dialect, len(columns))})"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) {rows}"
    if conflict:
        sets = [
            f"{c} = COALESCE(excluded.{c}, {table}.{c})" if c in keep else f"{c} = excluded.{c}"
            for c in update
        ] + ([also] if also else [])
        sql += f" ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {', '.join(sets)}"
    return sql + (f" RETURNING {returning}" if returning else "")


def _in_list(dialect: Dialect, column: str) -> str:
    """`column IN :list` with the list as one parameter: a JSON array on SQLite, an array
    on PostgreSQL, so the statement text is the same for every batch."""
    if dialect.name == "postgresql":
        return f"{column} = ANY(%s)"
    return f"{column} IN (SELECT value FROM json_each(?))"


class _Statements:
    """The loader's SQL for one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self.list_param: Callable[[list[Any]], Any] = (
            (lambda values: values) if dialect.name == "postgresql" else json.dumps
        )
        mark = _marks(dialect, 1)
        # SQLite has one writer at a time, so the loader numbers new documents itself instead
        # of looking their ids up after the insert; PostgreSQL's concurrent writers need that.
        self.assigns_ids = dialect.name == "sqlite"
        self.arrays = dialect.name == "postgresql"  # rows go as one array per column
        self.max_id = "SELECT COALESCE(MAX(id), 0) FROM documents"
        columns = WRITER_COLUMNS + DOCUMENT_COLUMNS + ("id",) * self.assigns_ids
        # load_run_id is set apart on update: with foreign keys on, SQLite checks a foreign
        # key column in DO UPDATE SET on every row inserted, which tripled the insert's cost.
        kept = {"id", "source_id", "external_id", "first_seen", "load_run_id"}
        self.documents = _insert_sql(
            dialect,
            "documents",
            columns,
            ("source_id", "external_id"),
            [c for c in columns if c not in kept],
            "enriched_at = NULL",
            returning="" if self.assigns_ids else "source_id, external_id, id",
            keep=RICHER_WINS,
        )
        self.restamp = f"UPDATE documents SET load_run_id = {mark} WHERE {_in_list(dialect, 'id')}"
        self.lookup = (
            "SELECT external_id, id, content_hash FROM documents "
            f"WHERE source_id = {mark} AND {_in_list(dialect, 'external_id')}"
        )
        self.touch = f"UPDATE documents SET last_seen = {mark} WHERE {_in_list(dialect, 'id')}"
        self.details = {
            kind: _insert_sql(
                dialect,
                d.table.name,
                ("document_id", *d.columns),
                ("document_id",),
                d.columns,
                keep=d.columns,
            )
            for kind, d in DETAILS.items()
        }
        self.children = {
            kind: _insert_sql(dialect, d.child.name, ("document_id", *d.child_columns))
            for kind, d in DETAILS.items()
            if d.child is not None
        }


class Loader:
    """Upserts items within the caller's transaction."""

    def __init__(self, session: Session, load_run_id: int | None = None) -> None:
        self.session = session
        self.load_run_id = load_run_id
        self.now = datetime.now(UTC)
        dialect = session.get_bind().dialect
        self.builder = RowBuilder(dialect)
        self.sql = _Statements(dialect)
        stamp = converter(dialect, m.Document.__table__.c.first_seen.type)
        self._now = stamp(self.now)  # as the driver takes it
        self._source_ids: dict[str, int] = {}
        self._raw = RawIndex()
        self._raw_ids: dict[tuple[int, str], int | None] = {}

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
        return self.write([self.builder.build(item) for item in items])

    def write(self, rows: Sequence[ItemRows]) -> UpsertResult:
        """`upsert` for rows built already (storage/batches.py builds a file's in workers)."""
        keys = [(self.source_id(r.source, r.kind), r.external_id) for r in rows]
        self._lock_sources({source_id for source_id, _ in keys})
        existing = self._lookup(keys)
        statuses = [
            "inserted"
            if known is None
            else "unchanged"
            if known[1] == r.content_hash
            else "updated"
            for r, known in zip(rows, map(existing.get, keys), strict=True)
        ]
        ids: dict[tuple[int, str], int] = {k: v[0] for k, v in existing.items()}
        new_keys = [k for k, status in zip(keys, statuses, strict=True) if status == "inserted"]
        if new_keys and self.sql.assigns_ids:
            start = self._execute(self.sql.max_id, ()).scalar_one() + 1
            ids.update(zip(new_keys, range(start, start + len(new_keys)), strict=True))

        stamp = (self.load_run_id, self._now, self._now)
        raw_ids = self._raw_record_ids(
            [
                (k[0], r.raw_ref)
                for r, k, s in zip(rows, keys, statuses, strict=True)
                if s != "unchanged"
            ]
        )
        documents = []
        for r, key, status in zip(rows, keys, statuses, strict=True):
            if status == "unchanged":
                continue
            row = (key[0], *stamp, raw_ids.get((key[0], r.raw_ref or "")), *r.document)
            if self.sql.assigns_ids:  # an update's id is NULL: its natural key finds its row
                row += (ids[key] if status == "inserted" else None,)
            documents.append(row)
        if documents:
            written = self._executemany(self.sql.documents, documents)
            updated = [
                ids[k] for k, status in zip(keys, statuses, strict=True) if status == "updated"
            ]
            if updated:
                self._execute(self.sql.restamp, (self.load_run_id, self.sql.list_param(updated)))
            if not self.sql.assigns_ids:  # PostgreSQL returns the ids it gave
                ids.update({(source_id, ext): id_ for source_id, ext, id_ in written})
        touched = [
            ids[k] for k, status in zip(keys, statuses, strict=True) if status == "unchanged"
        ]
        if touched:
            self._execute(self.sql.touch, (self._now, self.sql.list_param(touched)))
        document_ids = [ids[k] for k in keys]
        changed = [
            (r, doc_id)
            for r, doc_id, status in zip(rows, document_ids, statuses, strict=True)
            if status != "unchanged"
        ]
        self._write_details(changed, replace="updated" in statuses)
        return UpsertResult(document_ids=document_ids, statuses=statuses)

    def _raw_record_ids(
        self, refs: list[tuple[int, str | None]]
    ) -> dict[tuple[int, str], int | None]:
        """raw_records ids of the bodies these (source id, raw_ref) pairs name, registering
        new bodies from their landing-zone index (storage/raw.py)."""
        table = m.RawRecord.__table__
        new = {}
        for source_id, ref in refs:
            if ref and (source_id, ref) not in self._raw_ids:
                entry = self._raw.entry(ref)
                self._raw_ids[(source_id, ref)] = None
                if entry is not None:
                    new[(source_id, ref)] = entry
        if new:
            rows = [{"source_id": k[0], **entry} for k, entry in new.items()]
            self.session.execute(
                _insert(self.session, table).on_conflict_do_nothing(
                    index_elements=["source_id", "content_hash"]
                ),
                rows,
            )
            by_hash: dict[tuple[int, str], list[tuple[int, str]]] = {}
            for k, entry in new.items():  # identical bodies in two files share one row
                by_hash.setdefault((k[0], entry["content_hash"]), []).append(k)
            for chunk in _chunks(sorted(by_hash), 400):
                found = self.session.execute(
                    select(table.c.source_id, table.c.content_hash, table.c.id).where(
                        tuple_(table.c.source_id, table.c.content_hash).in_(chunk)
                    )
                )
                for source_id, content_hash, raw_id in found:
                    for k in by_hash[(source_id, content_hash)]:
                        self._raw_ids[k] = raw_id
        return {k: v for k, v in self._raw_ids.items() if v is not None}

    def _lock_sources(self, source_ids: set[int]) -> None:
        """On PostgreSQL, hold each source's lock until commit, in id order: two loads or
        enrichments of one source then write it one after the other, and each sees the
        other's rows before deciding insert, update or unchanged (without the lock both
        inserted the same records' child rows, mixing two files' participants, or crashed
        on a unique key). SQLite has one writer at a time already."""
        if self.sql.arrays:
            for source_id in sorted(source_ids):
                self._execute("SELECT pg_advisory_xact_lock(%s, %s)", (SOURCE_LOCKS, source_id))

    def _execute(self, sql: str, params: tuple[Any, ...]) -> Any:
        return self.session.connection().exec_driver_sql(sql, params)

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> list[Any]:
        """Run an insert of many rows; the rows it returns, if it returns any."""
        if not rows:
            return []
        if self.sql.arrays:
            columns = tuple(list(column) for column in zip(*rows, strict=True))
            result = self._execute(sql, columns)
            return result.fetchall() if result.returns_rows else []
        self.session.connection().exec_driver_sql(sql, rows)
        return []

    def _lookup(self, keys: Sequence[tuple[int, str]]) -> dict[tuple[int, str], tuple[int, str]]:
        """(id, content hash) of the known documents among `keys`, one index range per source."""
        by_source: dict[int, list[str]] = {}
        for source_id, external_id in keys:
            by_source.setdefault(source_id, []).append(external_id)
        found: dict[tuple[int, str], tuple[int, str]] = {}
        for source_id, external_ids in by_source.items():
            result = self._execute(self.sql.lookup, (source_id, self.sql.list_param(external_ids)))
            found.update({(source_id, r[0]): (r[1], r[2]) for r in result.fetchall()})
        return found

    def _write_details(self, changed: list[tuple[ItemRows, int]], replace: bool) -> None:
        by_kind: dict[str, list[tuple[ItemRows, int]]] = {}
        for r, doc_id in changed:
            by_kind.setdefault(r.kind, []).append((r, doc_id))
        for kind, pairs in by_kind.items():
            self._executemany(self.sql.details[kind], [(doc_id, *r.detail) for r, doc_id in pairs])
            if kind in self.sql.children:
                child = DETAILS[kind].child
                assert child is not None
                if replace:  # a copy without child rows keeps the stored ones
                    doc_ids = [doc_id for r, doc_id in pairs if r.children]
                    for chunk in _chunks(doc_ids, 1000):
                        self.session.execute(delete(child).where(child.c.document_id.in_(chunk)))
                self._executemany(
                    self.sql.children[kind],
                    [(doc_id, *c) for r, doc_id in pairs for c in r.children],
                )

    def reject(self, origin: str, line_number: int, reason: str, payload: str) -> None:
        # A NUL is kept visible as its JSON escape (PostgreSQL text cannot hold U+0000), and
        # bytes that were not UTF-8 as \xNN escapes.
        reason, payload = reason.replace("\x00", "\\u0000"), payload.replace("\x00", "\\u0000")
        if not payload.isascii():
            payload = payload.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
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


def load_batches(
    session: Session,
    batches: Iterable[Batch],
    origin: str,
    on_batch: Callable[[int], None] | None = None,
) -> LoadReport:
    """Upsert a file's batches inside the caller's transaction, keeping its rejects."""
    run = m.LoadRun(step="load", path=origin)
    session.add(run)
    session.flush()
    loader = Loader(session, run.id)
    report = LoadReport(path=origin, load_run_id=run.id)
    for batch in batches:
        report.received += batch.lines
        report.repeats += batch.repeats
        for number, reason, text in batch.rejects:
            report.rejected += 1
            report.rejects.append((number, reason))
            loader.reject(origin, number, reason, text)
        if batch.rows:
            for status in loader.write(batch.rows).statuses:
                setattr(report, status, getattr(report, status) + 1)
        collect_young()
        if on_batch:
            on_batch(batch.lines)
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
    workers: int | None = None,
) -> LoadReport:
    """Load one JSON Lines file in a single transaction: all of it, or nothing.

    `workers` processes build rows beside the writer (None: one per spare core, for files
    big enough to be worth it; 0: none).
    """
    with (
        batch_gc(),
        FileBatches(path, engine.dialect, batch_size, workers) as batches,
        Session(engine) as session,
        session.begin(),
    ):
        report = load_batches(session, batches, str(path), on_batch)
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
