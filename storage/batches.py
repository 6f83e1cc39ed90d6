"""JSON Lines files as batches of rows, built in worker processes for big files.

Validating, hashing and converting an item costs about as much CPU as the database's own
work on it, so a big file is cut at line boundaries into chunks that worker processes turn
into rows while the writer writes the previous ones. Chunks come back in file order, so
line numbers, counts and the last-copy-wins rule for repeats are the same as in one process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from sqlalchemy.engine import Dialect

from scintel.storage.items import Item, ItemError, parse_item
from scintel.storage.rows import ItemRows, RowBuilder, make_dialect

DEFAULT_BATCH_SIZE = 2000
PARALLEL_MIN_BYTES = 8 * 2**20  # below this, starting workers costs more than it saves
CHUNK_BYTES = 4 * 2**20


@dataclass
class Batch:
    """Rows of up to batch_size distinct items, and what the lines they came from held."""

    rows: list[ItemRows] = field(default_factory=list)
    rejects: list[tuple[int, str, str]] = field(default_factory=list)  # line, reason, text
    lines: int = 0  # non-blank lines read
    repeats: int = 0  # keys that came again within the batch; the last copy wins
    items: list[Item] = field(default_factory=list)  # the rows' items, when asked to keep them

    # Workers send rows as plain tuples: pickle calls a NamedTuple's Python-level __new__
    # for each one, which cost the writer a tenth of a second per 50,000 items.
    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__ | {"rows": [tuple(r) for r in self.rows]}

    def __setstate__(self, state: dict[str, Any]) -> None:
        new = tuple.__new__
        self.__dict__ = state | {"rows": [new(ItemRows, r) for r in state["rows"]]}


@contextmanager
def batch_gc() -> Iterator[None]:
    """Collect garbage once a batch (`collect_young`) instead of every 700 new objects.

    A load keeps tens of thousands of row tuples alive until their batch is written, and
    the automatic collector re-scanned them again and again: a fifth of the writer's time.
    Rows hold no reference cycles; the hundred or so a batch leaves (SQLAlchemy makes
    some) are young when its batch ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_young() -> None:
    """Free the cycles made since the last batch; older objects are not scanned again."""
    gc.collect(1)


def _numbered(raw_lines: Iterable[bytes]) -> Iterator[tuple[int, str]]:
    """(line number, text) of the non-blank lines, numbered from 1."""
    for number, raw in enumerate(raw_lines, start=1):
        # Bytes that are not UTF-8 stay as lone surrogates, so parse_item can reject the
        # line naming the byte (and the reject keeps it visible) instead of a silent U+FFFD.
        text = raw.decode("utf-8", errors="surrogateescape").strip()
        if text:
            yield number, text


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) for the non-blank lines of a JSON Lines file."""
    with path.open("rb") as handle:
        yield from _numbered(handle)


def make_batches(
    lines: Iterable[tuple[int, str]], builder: RowBuilder, batch_size: int, keep_items: bool = False
) -> Iterator[Batch]:
    """Validate numbered lines and build their rows, batch_size distinct items at a time;
    `keep_items` keeps each row's item too (enrichment reads their text)."""
    batch, rows = Batch(), dict[tuple[str, str], tuple[ItemRows, Item]]()
    for number, text in lines:
        batch.lines += 1
        try:
            item = parse_item(text)
        except ItemError as exc:
            batch.rejects.append((number, str(exc), text))
            continue
        built = builder.build(item)
        key = (built.source, built.external_id)
        if key in rows:
            batch.repeats += 1  # the last copy wins, in the first copy's place
        rows[key] = (built, item)
        if len(rows) >= batch_size:
            _fill(batch, rows, keep_items)
            yield batch
            batch, rows = Batch(), {}
    if batch.lines:
        _fill(batch, rows, keep_items)
        yield batch


def _fill(batch: Batch, rows: dict[tuple[str, str], tuple[ItemRows, Item]], keep: bool) -> None:
    batch.rows = [built for built, _ in rows.values()]
    if keep:
        batch.items = [item for _, item in rows.values()]


def _ranges(path: Path, size: int) -> Iterator[tuple[int, int]]:
    """Byte ranges of about `size` that start and end at line boundaries."""
    total = path.stat().st_size
    with path.open("rb") as handle:
        start = 0
        while start < total:
            handle.seek(min(start + size, total))
            handle.readline()
            end = min(handle.tell(), total)
            yield start, end
            start = end


def _range_lines(path: str, start: int, end: int) -> tuple[int, list[tuple[int, str]]]:
    """The number of lines in a byte range, and its non-blank ones numbered from 1."""
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    pieces = data.split(b"\n")
    if pieces and not pieces[-1]:
        pieces.pop()
    return len(pieces), list(_numbered(pieces))


_worker_builder: RowBuilder | None = None


def _start_worker(drivername: str) -> None:
    global _worker_builder
    gc.disable()  # _chunk collects once a chunk (see batch_gc)
    _worker_builder = RowBuilder(make_dialect(drivername))


def _chunk(path: str, start: int, end: int, batch_size: int) -> tuple[int, list[Batch]]:
    """Worker side: one chunk's line count and batches, with line numbers from 1."""
    assert _worker_builder is not None
    count, lines = _range_lines(path, start, end)
    built = list(make_batches(lines, _worker_builder, batch_size))
    collect_young()
    return count, built


def default_workers(path: Path) -> int:
    """One worker beside the writer on a multi-core machine, for files worth the start-up."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (cpus or 1) < 2 or path.stat().st_size < PARALLEL_MIN_BYTES:
        return 0
    return min((cpus or 1) - 1, 3)


class FileBatches:
    """The batches of one file, in order; a context manager so workers stop with the load.

    `workers=0` builds rows in this process; otherwise that many worker processes build
    them, at most two chunks each ahead of the writer, so memory stays flat in file size.
    """

    def __init__(
        self,
        path: Path,
        dialect: Dialect,
        batch_size: int = DEFAULT_BATCH_SIZE,
        workers: int | None = None,
        keep_items: bool = False,
    ) -> None:
        self.path = path
        self.dialect = dialect
        self.batch_size = batch_size
        self.keep_items = keep_items
        # Items kept for enrichment stay in this process (the NLP is its bottleneck anyway).
        self.workers = 0 if keep_items else default_workers(path) if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[Future[tuple[int, list[Batch]]]] = deque()
        self._ranges = _ranges(path, CHUNK_BYTES)

    def __enter__(self) -> Self:
        if self.workers > 0:
            # fork starts in milliseconds (spawn takes most of a second to import pydantic);
            # workers only read the file and build rows, and inherit nothing they use.
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context(method),
                initializer=_start_worker,
                initargs=(f"{self.dialect.name}+{self.dialect.driver}",),
            )
            self._fill()  # workers start now, before the caller opens a transaction
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _fill(self) -> None:
        assert self._pool is not None
        while len(self._pending) < 2 * self.workers:
            span = next(self._ranges, None)
            if span is None:
                return
            self._pending.append(self._pool.submit(_chunk, str(self.path), *span, self.batch_size))

    def __iter__(self) -> Iterator[Batch]:
        if self._pool is None:
            builder = RowBuilder(self.dialect)
            yield from make_batches(
                read_lines(self.path), builder, self.batch_size, self.keep_items
            )
            return
        offset = 0
        while self._pending:
            count, batches = self._pending.popleft().result()
            self._fill()
            for batch in batches:
                batch.rejects = [(offset + n, reason, text) for n, reason, text in batch.rejects]
                yield batch
            offset += count
