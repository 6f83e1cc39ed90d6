"""Digest benchmark: build one week's digest from a warehouse of >= 200,000 documents.

    python bench/digest.py [--documents 200000] [--weeks 104] [--postgres URL]

Fills a fresh SQLite warehouse (and PostgreSQL when --postgres or SCINTEL_TEST_DATABASE_URL
is given) with documents of every kind spread over `--weeks` weeks, their topic tags,
entity mentions (5 per document on average), signals and project links, using bulk
inserts. It then times `build_digest` for the latest week end to end, and each of its
queries, twice: with the schema at head and, as the baseline measured in the same run,
with the schema just before the digest's index revision (e4f2b8a6c1d0). Target: < 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from scintel.config import Settings, parse_database_url
from scintel.digest import build_digest, queries
from scintel.digest.sections import calls, market, movers, patents, projects, publications, trends
from scintel.digest.weeks import IsoWeek
from scintel.storage import migrate
from scintel.storage import models as m
from scintel.storage.engine import make_engine

KINDS = (
    ["publication"] * 55 + ["patent"] * 20 + ["news"] * 20 + ["funding_call"] * 3 + ["project"] * 2
)
SOURCES = {
    "publication": "europepmc",
    "patent": "epo_ops",
    "news": "news",
    "funding_call": "eu_funding",
    "project": "cordis",
}
WORDS = [
    "enzyme",
    "biocatalysis",
    "transaminase",
    "lipase",
    "fermentation",
    "yeast",
    "metabolic",
    "engineering",
    "pathway",
    "biorefinery",
    "lignocellulose",
    "succinic",
    "lactic",
    "polyhydroxyalkanoate",
    "bioplastic",
    "bioprocess",
    "scale-up",
    "cell-free",
    "marine",
    "algae",
    "proteomics",
    "platform",
    "bio-based",
]
APPLICANTS = [
    "NOVOZYMES AS",
    "Novozymes A/S",
    "BASF SE",
    "DSM IP ASSETS BV",
    "CARBIOS",
    "LANZATECH INC",
    "EVONIK OPERATIONS GMBH",
    "CORBION NV",
    "AMYRIS INC",
    "GINKGO",
]
SIGNALS = ["funding_round", "partnership", "acquisition", "regulatory_approval"]
BEFORE_DIGEST_REVISION = "c3d9a1f0e5b2"  # the head before 20261125_e4f2b8a6c1d0_digest_indexes


def _batches(rows: Iterator[dict[str, Any]], size: int = 20000) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def fill(
    engine: Engine, documents: int, weeks: int, last: IsoWeek, seed: int = 5
) -> dict[str, int]:
    """Bulk-insert a realistic warehouse; returns row counts per table."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    first_monday = last.shift(-(weeks - 1)).monday
    counts: dict[str, int] = {}

    def insert(table: Any, rows: Iterator[dict[str, Any]]) -> None:
        n = 0
        with engine.begin() as conn:
            for batch in _batches(rows):
                conn.execute(table.insert(), batch)
                n += len(batch)
        counts[table.name] = counts.get(table.name, 0) + n

    insert(
        m.Source.__table__,
        (
            {"id": i + 1, "name": name, "kind": kind, "created_at": now}
            for i, (kind, name) in enumerate(SOURCES.items())
        ),
    )
    source_ids = {kind: i + 1 for i, kind in enumerate(SOURCES)}
    kinds = [rng.choice(KINDS) for _ in range(documents)]
    days = [first_monday + timedelta(days=rng.randrange(weeks * 7)) for _ in range(documents)]

    def document_rows() -> Iterator[dict[str, Any]]:
        for i in range(documents):
            day, kind = days[i], kinds[i]
            year, week, _ = day.isocalendar()
            yield {
                "id": i + 1,
                "kind": kind,
                "source_id": source_ids[kind],
                "external_id": f"{kind}-{i}",
                "url": f"https://example.org/{kind}/{i}",
                "title": " ".join(rng.choice(WORDS) for _ in range(10)).capitalize(),
                "published": day,
                "iso_week": f"{year}-W{week:02d}",
                "content_hash": f"{i:064d}",
                "canonical_id": i if i % 40 == 39 else None,  # 2.5% duplicates
                "first_seen": now,
                "last_seen": now,
            }

    insert(m.Document.__table__, document_rows())
    ids_by_kind: dict[str, list[int]] = {}
    for i, kind in enumerate(kinds):
        ids_by_kind.setdefault(kind, []).append(i + 1)
    insert(
        m.Publication.__table__,
        ({"document_id": d, "journal": "Biotechnol Bioeng"} for d in ids_by_kind["publication"]),
    )
    insert(
        m.Patent.__table__,
        (
            {
                "document_id": d,
                "publication_number": f"EP{d}A1",
                "cpc": ["C12N9/00", "C12P7/00"],
                "applicants": [rng.choice(APPLICANTS)]
                + ([rng.choice(APPLICANTS)] if d % 3 else []),
            }
            for d in ids_by_kind["patent"]
        ),
    )
    insert(
        m.NewsItem.__table__,
        ({"document_id": d, "outlet": f"Outlet {d % 30}"} for d in ids_by_kind["news"]),
    )
    insert(
        m.FundingCall.__table__,
        (
            {
                "document_id": d,
                "identifier": f"HORIZON-CL6-{d}",
                "status": "open",
                "opening_date": days[d - 1],
                "deadline": days[d - 1] + timedelta(days=rng.randrange(30, 200)),
                "budget_eur": Decimal(rng.randrange(2, 40) * 1_000_000),
            }
            for d in ids_by_kind["funding_call"]
        ),
    )
    insert(
        m.Project.__table__,
        (
            {
                "document_id": d,
                "project_id": str(100000000 + d),
                "acronym": f"PROJ{d}",
                "programme_code": "H2020-EU.2.1.4",
            }
            for d in ids_by_kind["project"]
        ),
    )
    insert(
        m.Topic.__table__,
        ({"id": t + 1, "key": f"topic-{t}", "name": f"Topic {t}"} for t in range(10)),
    )
    insert(
        m.DocumentTopic.__table__,
        (
            {"document_id": d, "topic_id": t, "score": rng.random(), "evidence": ["enzyme"]}
            for d in range(1, documents + 1)
            for t in rng.sample(range(1, 11), rng.choice((1, 1, 2)))
        ),
    )
    entities = 5000
    insert(
        m.Entity.__table__,
        (
            {
                "id": e,
                "label": "ORG",
                "canonical_name": f"Entity {e}",
                "key": f"entity-{e}",
                "created_at": now,
            }
            for e in range(1, entities + 1)
        ),
    )

    def mention_rows() -> Iterator[dict[str, Any]]:
        for d in range(1, documents + 1):
            popular = {int(rng.paretovariate(1.2)) % entities + 1 for _ in range(2)}
            for n, e in enumerate(popular | set(rng.sample(range(1, entities + 1), 3))):
                yield {
                    "document_id": d,
                    "entity_id": e,
                    "start_char": n * 10,
                    "end_char": n * 10 + 6,
                    "text": "entity",
                    "origin": "ner",
                }

    insert(m.Mention.__table__, mention_rows())

    def signal_rows() -> Iterator[dict[str, Any]]:
        for d in range(1, documents + 1):
            if kinds[d - 1] == "news" and rng.random() < 0.5:
                kind = rng.choice(SIGNALS)
                year, week, _ = days[d - 1].isocalendar()
                yield {
                    "document_id": d,
                    "signal_type": kind,
                    "fingerprint": "",
                    "score": rng.random(),
                    "iso_week": f"{year}-W{week:02d}",
                    "created_at": now,
                    "amount_eur": Decimal(rng.randrange(1, 300) * 1_000_000)
                    if kind == "funding_round"
                    else None,
                    "evidence": {"sentence": "A and B announced a deal."},
                }

    insert(m.Signal.__table__, signal_rows())
    projects = ids_by_kind["project"]
    insert(
        m.DocumentLink.__table__,
        (
            {
                "from_document_id": rng.choice(projects),
                "to_document_id": d,
                "link_type": "project_output",
                "method": "harvested",
                "confidence": 1.0,
                "found_at": now,
            }
            for d in ids_by_kind["publication"][::20]
        ),
    )
    return counts


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(engine: Engine, settings: Settings, week: IsoWeek, out: Path) -> dict[str, float]:
    """Seconds for the whole digest and for each of its queries."""
    result: dict[str, float] = {}
    chart_weeks = week.trailing(queries.CHART_WEEKS)
    with engine.connect() as conn:
        for name, fn in {
            "weekly volume": lambda: queries.weekly_volume(conn, chart_weeks),
            "weekly topics": lambda: trends.weekly_topics(conn, chart_weeks),
            "calls": lambda: calls.calls(conn, week),
            "publications": lambda: publications.publications_by_topic(conn, week),
            "patents": lambda: patents.patents_by_applicant(conn, week),
            "market signals": lambda: market.market_signals(conn, week),
            "movers": lambda: movers.movers(conn, week),
            "project outputs": lambda: projects.project_outputs(conn, week),
        }.items():
            result[name] = timed(fn)
    result["build_digest"] = timed(lambda: build_digest(settings, week=week, out_dir=out))
    return result


def run(url: URL, label: str, documents: int, weeks: int, workdir: Path) -> float:
    engine = make_engine(url)
    migrate.upgrade(engine)
    week = IsoWeek.parse("2026-W47")
    started = time.perf_counter()
    counts = fill(engine, documents, weeks, week)
    print(
        f"[{label}] filled in {time.perf_counter() - started:.1f}s: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    if engine.dialect.name == "postgresql":
        # Autovacuum analyses freshly loaded tables in production; do it now, not minutes later.
        # SQLite gets no statistics: nothing gathers them unless asked, so plans must not need them.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    settings = Settings(database_url=url, data_dir=workdir, profile="ket-biotech")
    build_digest(settings, week=week, out_dir=workdir / "warmup")  # imports, caches
    indexed = measure(engine, settings, week, workdir / "indexed")
    migrate.downgrade(engine, BEFORE_DIGEST_REVISION)
    baseline = measure(engine, settings, week, workdir / "baseline")
    engine.dispose()
    print(f"[{label}] {'step':<16} {'head (s)':>9} {'before idx (s)':>15} {'ratio':>7}")
    for name in indexed:
        ratio = baseline[name] / indexed[name] if indexed[name] else float("inf")
        print(f"[{label}] {name:<16} {indexed[name]:>9.3f} {baseline[name]:>15.3f} {ratio:>6.1f}x")
    verdict = "meets" if indexed["build_digest"] < 5 else "MISSES"
    print(
        f"[{label}] digest of {documents:,} documents built in {indexed['build_digest']:.2f}s "
        f"({verdict} the 5 s target)"
    )
    return indexed["build_digest"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--postgres", default=os.environ.get("SCINTEL_TEST_DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scintel-bench-digest-") as tmp:
        workdir = Path(tmp)
        seconds = [
            run(
                URL.create("sqlite", database=str(workdir / "bench.db")),
                "sqlite",
                args.documents,
                args.weeks,
                workdir / "sqlite",
            )
        ]
        if args.postgres:
            server = parse_database_url(args.postgres)
            name = f"scintel_bench_{uuid.uuid4().hex[:8]}"
            admin = make_engine(server, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                seconds.append(
                    run(
                        server.set(database=name),
                        "postgresql",
                        args.documents,
                        args.weeks,
                        workdir / "postgresql",
                    )
                )
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    return 0 if max(seconds) < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
