"""Big files: rows built in worker processes load exactly as rows built in the writer."""

from __future__ import annotations

import gc
import json
import shutil
import weakref
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, Dialect

from scintel.storage import batches
from scintel.storage import models as m
from scintel.storage.engine import make_engine
from scintel.storage.items import parse_item
from scintel.storage.loader import load_file
from scintel.storage.rows import DETAILS, DOCUMENT_COLUMNS, RowBuilder, make_dialect
from tests.test_loader import CALL, GOOD, NEWS, PROJECT, PUBLICATION, count, write_jsonl

DUMP = """
SELECT d.kind, d.external_id, d.title, d.summary, d.published, d.iso_week, d.content_hash,
       d.extra, p.doi, p.authors, pc.identifier, pc.deadline, pc.deadlines, pc.budget_eur,
       pr.project_id, pr.ec_contribution_eur, pr.start_date
FROM documents d
LEFT JOIN publications p ON p.document_id = d.id
LEFT JOIN funding_calls pc ON pc.document_id = d.id
LEFT JOIN projects pr ON pr.document_id = d.id
ORDER BY d.external_id
"""


def messy_file(path: Path) -> Path:
    """Items of every kind, a repeat within a few lines, blank and malformed lines."""
    rows: list[object] = []
    for i in range(120):
        base = GOOD[i % len(GOOD)]
        rows.append(base | {"external_id": f"{base['external_id']}-{i}", "title": f"Item {i}"})
        if i % 17 == 0:
            rows.append("{not json")
        if i % 23 == 0:
            rows.append("")
        if i % 31 == 0:  # the same key again, changed: the last copy wins
            rows.append(base | {"external_id": f"{base['external_id']}-{i}", "title": f"Again {i}"})
    rows.append(NEWS | {"kind": "podcast"})
    return write_jsonl(path, rows)


def snapshot(engine: Engine) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        docs = [tuple(r) for r in conn.execute(text(DUMP))]
        children = [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT d.external_id, c.name, c.country FROM project_participants c "
                    "JOIN documents d ON d.id = c.document_id ORDER BY 1, 2"
                )
            )
        ]
    return docs, children


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few lines, so a small file goes through many worker round trips."""
    monkeypatch.setattr(batches, "CHUNK_BYTES", 2000)


@pytest.mark.usefixtures("small_chunks")
def test_workers_load_what_one_process_loads(
    warehouse: Engine, sqlite_template: Path, tmp_path: Path
) -> None:
    path = messy_file(tmp_path / "big.jsonl")
    shutil.copyfile(sqlite_template, tmp_path / "serial.db")
    one_process = make_engine(URL.create("sqlite", database=str(tmp_path / "serial.db")))
    serial = load_file(one_process, path, batch_size=7, workers=0)
    parallel = load_file(warehouse, path, batch_size=7, workers=2)

    assert parallel.as_dict() == serial.as_dict()
    assert parallel.rejects == serial.rejects  # same line numbers across chunk boundaries
    # a repeat in the same batch is a duplicate, one in a later batch an update
    assert (serial.rejected, serial.repeats + serial.updated, serial.inserted) == (9, 4, 120)
    lines = path.read_text("utf-8").splitlines()
    assert all(
        lines[n - 1] in ("{not json", json.dumps(NEWS | {"kind": "podcast"}))
        for n, _ in parallel.rejects
    )
    if warehouse.dialect.name == "sqlite":
        assert snapshot(warehouse) == snapshot(one_process)
    docs, children = snapshot(warehouse)
    assert ("project", "101000794-31") in {(d[0], d[1]) for d in docs}
    assert next(d for d in docs if d[1] == "101000794-31")[2] == "Again 31"
    assert len(children) == 2 * 24


@pytest.mark.usefixtures("small_chunks")
def test_reloading_with_workers_changes_nothing(warehouse: Engine, tmp_path: Path) -> None:
    path = messy_file(tmp_path / "big.jsonl")
    load_file(warehouse, path, workers=2)
    before = snapshot(warehouse)
    again = load_file(warehouse, path, workers=2)
    # the one repeat that falls in another batch updates its record twice on every load
    assert (again.inserted, again.updated, again.unchanged) == (0, 2, 119)
    assert snapshot(warehouse) == before


@pytest.mark.usefixtures("small_chunks")
def test_a_worker_that_fails_fails_the_load_and_changes_nothing(
    warehouse: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_file(warehouse, write_jsonl(tmp_path / "a.jsonl", [PUBLICATION]))
    real = batches._range_lines

    def unreadable(path: str, start: int, end: int) -> tuple[int, list[tuple[int, str]]]:
        if start > 4000:
            raise OSError("disk gone")
        return real(path, start, end)

    monkeypatch.setattr(batches, "_range_lines", unreadable)  # inherited by forked workers
    with pytest.raises(OSError, match="disk gone"):
        load_file(warehouse, messy_file(tmp_path / "big.jsonl"), batch_size=5, workers=1)
    assert count(warehouse, m.Document) == 1
    assert count(warehouse, m.LoadRun) == 1


def test_big_files_get_workers_and_small_ones_do_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = write_jsonl(tmp_path / "small.jsonl", GOOD)
    assert batches.default_workers(small) == 0
    monkeypatch.setattr(batches, "PARALLEL_MIN_BYTES", 10)
    monkeypatch.setattr(batches.os, "sched_getaffinity", lambda _pid: {0, 1})
    assert batches.default_workers(small) == 1
    monkeypatch.setattr(batches.os, "sched_getaffinity", lambda _pid: {0})
    assert batches.default_workers(small) == 0


def _reference(dialect: Dialect, table: Any, columns: tuple[str, ...], values: tuple) -> list:
    """What SQLAlchemy's own bind processors make of the values (None stays None)."""
    out = []
    for name, value in zip(columns, values, strict=True):
        proc = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        out.append(value if proc is None or value is None else proc(value))
    return out


def _same(ours: Any, theirs: Any) -> bool:
    """Equal as the database would store them: JSON compared as JSON, Jsonb by content."""
    if hasattr(theirs, "obj"):  # psycopg's Jsonb wrapper
        return hasattr(ours, "obj") and ours.obj == theirs.obj
    if isinstance(theirs, str) and theirs[:1] in "[{" and isinstance(ours, str):
        return json.loads(ours) == json.loads(theirs)
    return ours == theirs and type(ours) is type(theirs)


@pytest.mark.parametrize("drivername", ["sqlite+pysqlite", "postgresql+psycopg"])
@pytest.mark.parametrize("raw", [*GOOD, CALL | {"extra_note": {"a": 1}}], ids=lambda r: r["kind"])
def test_rows_convert_values_as_sqlalchemy_would(drivername: str, raw: dict) -> None:
    """The row builder's hand-written rows match the models' column types on both drivers."""
    dialect = make_dialect(drivername)
    item = parse_item(json.dumps(raw))
    rows = RowBuilder(dialect).build(item)
    detail = DETAILS[item.kind]
    plain = {
        "published": item.published,
        "extra": item.extra_fields(),
        "iso_week": rows.document[DOCUMENT_COLUMNS.index("iso_week")],
    }
    document = tuple(plain.get(c, rows.document[i]) for i, c in enumerate(DOCUMENT_COLUMNS))
    expected = _reference(dialect, m.Document.__table__, DOCUMENT_COLUMNS, document)
    assert all(_same(o, t) for o, t in zip(rows.document, expected, strict=True)), rows.document
    # An empty list is stored as NULL, as every list column of the row builder is.
    values = {c: getattr(item, c, None) or None for c in detail.columns}
    if item.kind == "publication":
        values["doi"] = item.doi.lower()
    if item.kind == "funding_call":
        values["deadlines"] = [d.isoformat() for d in item.deadlines]
    expected = _reference(dialect, detail.table, detail.columns, tuple(values.values()))
    assert all(_same(o, t) for o, t in zip(rows.detail, expected, strict=True)), rows.detail
    if item.kind == "project":
        assert [c[:3] for c in rows.children] == [
            (p["name"], p["country"], p["role"]) for p in PROJECT["participants"]
        ]


def test_new_sqlite_warehouses_get_big_pages(tmp_path: Path) -> None:
    engine = make_engine(URL.create("sqlite", database=str(tmp_path / "w.db")))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA page_size").scalar() == 16384
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


class _Cycle:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("workers", [0, 1])
def test_a_load_collects_garbage_once_a_batch_and_restores_the_collector(
    warehouse: Engine, tmp_path: Path, workers: int
) -> None:
    path = write_jsonl(
        tmp_path / "news.jsonl",
        [NEWS | {"external_id": f"https://news.example.org/{i}"} for i in range(30)],
    )
    enabled: list[bool] = []
    cycles: list[weakref.ref[_Cycle]] = []

    def on_batch(_lines: int) -> None:
        enabled.append(gc.isenabled())
        cycles.append(weakref.ref(_Cycle()))

    load_file(warehouse, path, batch_size=10, on_batch=on_batch, workers=workers)
    assert enabled == [False, False, False]  # no automatic collections during the load
    assert [ref() is None for ref in cycles[:-1]] == [True, True]  # freed by the next batch
    assert gc.isenabled()

    gc.disable()  # a caller's choice is kept
    try:
        load_file(warehouse, path, batch_size=10)
        assert not gc.isenabled()
    finally:
        gc.enable()
