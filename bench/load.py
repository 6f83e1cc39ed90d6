"""Loader benchmark: bulk idempotent load vs ORM objects committed item by item.

    python bench/load.py [--items 50000] [--baseline-items 3000] [--postgres URL] [--workers K]

Generates N realistic mixed-kind items, loads them with `load_file` into a fresh SQLite
warehouse (and PostgreSQL when --postgres or SCINTEL_TEST_DATABASE_URL is given), and
prints items/s against baselines measured in the same run: the naive loader that adds
each item's ORM objects and commits, item by item. The main baseline writes the rows the
bulk load writes (the document and its detail rows; checked); one writes the document
only, and on SQLite one runs with SQLite's own defaults (rollback journal,
synchronous=FULL) instead of scintel's WAL and synchronous=NORMAL. The load runs as
`scintel load` does (row-building worker processes beside the writer for a big file)
and again with no workers. Peak Python memory of the writer and the workers' peak
resident memory are measured for N/10 and N items: a streamed, batched load keeps them
flat.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from scintel.config import parse_database_url
from scintel.storage import migrate
from scintel.storage import models as m
from scintel.storage.batches import default_workers
from scintel.storage.engine import make_engine
from scintel.storage.items import (
    FundingCallItem,
    Item,
    PatentItem,
    ProjectItem,
    PublicationItem,
    parse_item,
)
from scintel.storage.loader import load_file
from scintel.storage.rows import iso_week

WORDS = [
    "enzyme",
    "biocatalysis",
    "transaminase",
    "lipase",
    "fermentation",
    "yeast",
    "Saccharomyces",
    "Escherichia",
    "metabolic",
    "engineering",
    "pathway",
    "CRISPR",
    "biorefinery",
    "lignocellulose",
    "succinic",
    "lactic",
    "acid",
    "polyhydroxyalkanoate",
    "bioplastic",
    "microbial",
    "consortium",
    "bioprocess",
    "scale-up",
    "downstream",
    "cell-free",
    "synthesis",
    "marine",
    "algae",
    "omics",
    "proteomics",
    "sequencing",
    "platform",
    "bio-based",
]
ORGS = [
    "Novozymes A/S",
    "DSM-Firmenich AG",
    "Evonik Industries AG",
    "BASF SE",
    "VTT",
    "Fraunhofer IGB",
    "TU Delft",
    "Wageningen University",
    "DTU Biosustain",
    "Corbion N.V.",
]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make_item(i: int, rng: random.Random) -> dict[str, object]:
    day = (date(2024, 1, 1) + timedelta(days=rng.randrange(1000))).isoformat()
    kind = ("publication", "publication", "patent", "news", "funding_call", "project")[i % 6]
    base: dict[str, object] = {
        "kind": kind,
        "title": _text(rng, 12).capitalize(),
        "summary": _text(rng, 180),
        "published": day,
        "url": f"https://example.org/{kind}/{i}",
    }
    if kind == "publication":
        return base | {
            "source": "europepmc",
            "external_id": f"MED:{30000000 + i}",
            "doi": f"10.1234/bench.{i}",
            "pmid": str(30000000 + i),
            "journal": "Biotechnol Bioeng",
            "authors": [f"Author{j} {chr(65 + j)}" for j in range(rng.randint(2, 8))],
            "grants": [{"funder": "European Commission", "id": str(101000000 + i % 700)}],
        }
    if kind == "patent":
        return base | {
            "source": "epo_ops",
            "external_id": f"EP{4000000 + i}A1",
            "publication_number": f"EP{4000000 + i}A1",
            "applicants": rng.sample(ORGS, 2),
            "inventors": ["JENSEN KARIN", "ROSSI MARCO"],
            "cpc": ["C12N9/1096", "C12P7/62"],
            "priority_date": day,
        }
    if kind == "news":
        return base | {
            "source": "news",
            "external_id": f"https://news.example.org/a/{i}",
            "outlet": "Example Biotech News",
            "author": "J. Doe",
        }
    if kind == "funding_call":
        return base | {
            "source": "eu_funding",
            "external_id": f"HORIZON-CL6-2027-{i}",
            "identifier": f"HORIZON-CL6-2027-{i}",
            "programme": "HORIZON",
            "status": "open",
            "opening_date": day,
            "deadline": "2027-02-17",
            "deadlines": ["2027-02-17", "2027-09-15"],
            "budget_eur": 5000000,
        }
    return base | {
        "source": "cordis",
        "external_id": str(101000000 + i),
        "project_id": str(101000000 + i),
        "acronym": f"PRJ{i}",
        "programme_code": "H2020-EU.2.1.4",
        "start_date": "2021-01-01",
        "end_date": "2024-12-31",
        "ec_contribution_eur": 3999999.5,
        "coordinator": ORGS[i % 10],
        "participants": [
            {"name": o, "country": "DK", "role": "participant"} for o in rng.sample(ORGS, 4)
        ],
    }


def write_items(path: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps(make_item(i, rng)) + "\n")
    return path


def detail_objects(item: Item, doc_id: int) -> list[m.Base]:
    """The ORM objects of an item's detail rows: the same rows the bulk loader writes."""
    if isinstance(item, PublicationItem):
        return [
            m.Publication(
                document_id=doc_id,
                doi=item.doi and item.doi.lower(),
                pmid=item.pmid,
                journal=item.journal,
                authors=item.authors or None,
            ),
            *(
                m.Grant(document_id=doc_id, funder=g.funder or "", grant_id=g.id)
                for g in item.grants
            ),
        ]
    if isinstance(item, PatentItem):
        return [
            m.Patent(
                document_id=doc_id,
                publication_number=item.publication_number,
                applicants=item.applicants or None,
                inventors=item.inventors or None,
                cpc=item.cpc or None,
                priority_date=item.priority_date,
            )
        ]
    if isinstance(item, FundingCallItem):
        return [
            m.FundingCall(
                document_id=doc_id,
                identifier=item.identifier,
                programme=item.programme,
                status=item.status,
                opening_date=item.opening_date,
                deadline=item.deadline,
                deadlines=[d.isoformat() for d in item.deadlines] or None,
                budget_eur=item.budget_eur,
            )
        ]
    if isinstance(item, ProjectItem):
        return [
            m.Project(
                document_id=doc_id,
                project_id=item.project_id,
                acronym=item.acronym,
                programme_code=item.programme_code,
                start_date=item.start_date,
                end_date=item.end_date,
                ec_contribution_eur=item.ec_contribution_eur,
                coordinator=item.coordinator,
            ),
            *(
                m.ProjectParticipant(
                    document_id=doc_id,
                    name=p.name,
                    country=p.country,
                    role=p.role,
                    ec_contribution_eur=p.ec_contribution_eur,
                )
                for p in item.participants
            ),
        ]
    return [m.NewsItem(document_id=doc_id, outlet=item.outlet, author=item.author)]


def naive_load(engine: Engine, path: Path, details: bool = True) -> int:
    """The baseline: validate, then add an item's ORM objects and commit, item by item.

    With `details`, an item's detail rows are added with its document, so the baseline
    writes what the bulk loader writes; without, only the document.
    """
    sources: dict[str, int] = {}
    count = 0
    with Session(engine) as session, path.open("rb") as lines:
        for line in lines:
            item = parse_item(line)
            if item.source not in sources:
                src = m.Source(name=item.source, kind=item.kind)
                session.add(src)
                session.commit()
                sources[item.source] = src.id
            doc = m.Document(
                kind=item.kind,
                source_id=sources[item.source],
                external_id=item.external_id,
                title=item.title,
                summary=item.summary,
                url=item.url,
                published=item.published,
                iso_week=iso_week(item.published),
                content_hash=item.content_hash(),
                extra=item.extra_fields(),
            )
            session.add(doc)
            if details:
                session.flush()
                session.add_all(detail_objects(item, doc.id))
            session.commit()
            count += 1
    return count


def table_counts(engine: Engine) -> dict[str, int]:
    tables = (
        "documents",
        "publications",
        "grants",
        "patents",
        "funding_calls",
        "projects",
        "project_participants",
        "news_items",
    )
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in tables}


def check_same_rows(kind: str, pg_url: URL | None, workdir: Path, path: Path) -> None:
    """The baseline is a fair one only if it writes the rows the bulk loader writes."""
    counts = []
    for load in (lambda e: load_file(e, path), lambda e: naive_load(e, path)):
        engine, cleanup = fresh_engine(kind, pg_url, workdir)
        try:
            load(engine)
            counts.append(table_counts(engine))
        finally:
            cleanup()
    if counts[0] != counts[1]:
        raise SystemExit(f"the baseline writes other rows than the bulk load: {counts}")


def fresh_engine(
    kind: str, pg_url: URL | None, workdir: Path, sqlite_defaults: bool = False
) -> tuple[Engine, Callable[[], None]]:
    """A migrated empty warehouse and a function that removes it.

    `sqlite_defaults` gives a plain engine with SQLite's own settings (rollback journal,
    synchronous=FULL) instead of scintel's WAL + synchronous=NORMAL.
    """
    if kind == "sqlite":
        url = URL.create("sqlite", database=str(workdir / f"{uuid.uuid4().hex}.db"))
        migrator = make_engine(url)
        migrate.upgrade(migrator)
        migrator.dispose()
        engine = create_engine(url) if sqlite_defaults else make_engine(url)
        if sqlite_defaults:
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
        return engine, engine.dispose
    assert pg_url is not None
    name = f"scintel_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(pg_url.set(database=name))
    migrate.upgrade(engine)

    def drop() -> None:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return engine, drop


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def peak_memory(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def workers_peak_rss() -> float:
    """The largest resident set of any worker process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**10


def best_of(
    repeat: int,
    kind: str,
    pg_url: URL | None,
    workdir: Path,
    load: Callable[[Engine], object],
    sqlite_defaults: bool = False,
) -> float:
    """The fastest of `repeat` timed loads, each into a fresh warehouse: the machine is shared,
    and the least disturbed run is the one that measures the code."""
    times = []
    for _ in range(repeat):
        engine, cleanup = fresh_engine(kind, pg_url, workdir, sqlite_defaults)
        try:
            times.append(timed(lambda engine=engine: load(engine)))
        finally:
            cleanup()
    return min(times)


def bench_backend(
    kind: str,
    pg_url: URL | None,
    files: dict[str, Path],
    n: int,
    workers: int | None,
    repeat: int,
    workdir: Path,
) -> None:
    fast = best_of(
        repeat, kind, pg_url, workdir, lambda e: load_file(e, files["full"], workers=workers)
    )
    single = best_of(
        repeat, kind, pg_url, workdir, lambda e: load_file(e, files["full"], workers=0)
    )
    engine, cleanup = fresh_engine(kind, pg_url, workdir)
    try:
        load_file(engine, files["full"], workers=workers)
        again = timed(lambda: load_file(engine, files["full"], workers=workers))
    finally:
        cleanup()
    base_n = sum(1 for _ in files["baseline"].open())
    check_same_rows(kind, pg_url, workdir, files["baseline"])
    baselines = [  # label, writes the detail rows too, SQLite's own settings
        ("document + detail rows, same engine", True, False),
        ("document only (less work), same engine", False, False),
    ]
    if kind == "sqlite":
        baselines.append(("document + detail rows, SQLite's default settings", True, True))
    naive = {
        label: best_of(
            repeat,
            kind,
            pg_url,
            workdir,
            lambda e, details=details: naive_load(e, files["baseline"], details),
            defaults,
        )
        for label, details, defaults in baselines
    }
    mem, rss = {}, {}
    for label in ("tenth", "full"):
        engine, cleanup = fresh_engine(kind, pg_url, workdir)
        try:
            mem[label] = peak_memory(
                lambda engine=engine, label=label: load_file(engine, files[label], workers=workers)
            )
            rss[label] = workers_peak_rss()
        finally:
            cleanup()
    used = default_workers(files["full"]) if workers is None else workers
    fast_rate = n / fast
    print(f"\n[{kind}]")
    print(
        f"  bulk load ({used} worker{'s' * (used != 1)}) {n:>7} items  {fast:7.2f} s  "
        f"{fast_rate:>9,.0f} items/s"
    )
    print(f"  bulk load (no workers) {n:>7} items  {single:7.2f} s  {n / single:>9,.0f} items/s")
    print(f"  reload (no-op)       {n:>7} items  {again:7.2f} s  {n / again:>9,.0f} items/s")
    for label, seconds in naive.items():
        rate = base_n / seconds
        print(
            f"  baseline (ORM, commit per item; {label}): {base_n} items {seconds:6.2f} s "
            f"{rate:>7,.0f} items/s -> speed-up {fast_rate / rate:.1f}x"
        )
    print(
        f"  peak Python memory of the writer: {mem['tenth']:.1f} MiB for {n // 10} items, "
        f"{mem['full']:.1f} MiB for {n} items (ratio {mem['full'] / mem['tenth']:.2f} for 10x items)"
    )
    if used:
        print(
            f"  peak resident memory of a worker process: {rss['tenth']:.0f} MiB after "
            f"{n // 10} items, {rss['full']:.0f} MiB after {n} items"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--baseline-items", type=int, default=3_000)
    parser.add_argument("--postgres", default=os.environ.get("SCINTEL_TEST_DATABASE_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each; the best counts")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="row-building processes (default: as `scintel load` chooses)",
    )
    args = parser.parse_args()
    pg_url = parse_database_url(args.postgres) if args.postgres else None
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        files = {
            "full": write_items(workdir / "full.jsonl", args.items),
            "tenth": write_items(workdir / "tenth.jsonl", args.items // 10),
            "baseline": write_items(
                workdir / "baseline.jsonl", min(args.baseline_items, args.items)
            ),
        }
        print(
            f"{args.items} mixed items ({files['full'].stat().st_size / 2**20:.1f} MiB of JSON Lines), "
            f"{len(os.sched_getaffinity(0))} cores, best of {args.repeat} runs"
        )
        if not args.skip_sqlite:
            bench_backend("sqlite", None, files, args.items, args.workers, args.repeat, workdir)
        if pg_url is not None:
            bench_backend(
                "postgresql", pg_url, files, args.items, args.workers, args.repeat, workdir
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
