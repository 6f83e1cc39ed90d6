"""Two loads of overlapping files at once on PostgreSQL: no crash, no deadlock, no mixed
child rows; every record accounted for in each load (SQLite has one writer at a time)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from tests.test_loader import PROJECT, PUBLICATION, write_jsonl

# Two `scintel` processes at once against PostgreSQL.
pytestmark = pytest.mark.e2e

N = 3000


def projects(tag: str, reverse: bool) -> list[object]:
    """N projects whose participants name the file they came from; one file in reverse."""
    rows = [
        PROJECT
        | {
            "external_id": f"P{i:05d}",
            "project_id": f"P{i:05d}",
            "title": f"Project {i} from {tag}",
            "participants": [
                {"name": f"{tag} member {j}", "country": "DK", "role": "participant"}
                for j in range(3)
            ],
        }
        for i in range(N)
    ]
    return rows[::-1] if reverse else rows


def publications(tag: str, reverse: bool) -> list[object]:
    rows = [
        PUBLICATION
        | {
            "external_id": f"MED:{i}",
            "title": f"Paper {i} ({tag})",
            "grants": [{"funder": "European Commission", "id": f"G{i % 50}"}],
        }
        for i in range(N)
    ]
    return rows[::-1] if reverse else rows


def load_in_parallel(url: URL, files: list[Path], command: str = "load") -> None:
    """`scintel load` (or enrich) on each file, all started before any is waited for."""
    env = os.environ | {"SCINTEL_DATABASE_URL": url.render_as_string(hide_password=False)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "scintel", command, str(path), "--batch-size", "20"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err[-3000:]


def test_two_loads_of_overlapping_files_serialise_per_source(
    warehouse: Engine, tmp_path: Path
) -> None:
    """Without the per-source lock, this deadlocked or mixed the two files' participants."""
    if warehouse.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    url = warehouse.url
    # Sources registered already, as in production: a new source's row alone would make the
    # second load wait for the first.
    load_in_parallel(url, [write_jsonl(tmp_path / "seed.jsonl", [PROJECT, PUBLICATION])])
    files = [
        write_jsonl(tmp_path / "a.jsonl", projects("A", False) + publications("A", False)),
        write_jsonl(tmp_path / "b.jsonl", projects("B", True) + publications("B", True)),
    ]
    load_in_parallel(url, files)

    with warehouse.connect() as conn:
        reports = [
            dict(r._mapping)
            for r in conn.execute(
                text(
                    "SELECT received, inserted, updated, unchanged, repeats, rejected "
                    "FROM load_runs WHERE step = 'load' AND id > 1"
                )
            )
        ]
    assert len(reports) == 2
    for report in reports:
        assert report["received"] == 2 * N
        assert report["received"] == (
            report["inserted"] + report["updated"] + report["unchanged"]
            + report["repeats"] + report["rejected"]
        )  # fmt: skip
    assert (
        sum(r["inserted"] for r in reports) == 2 * N
    )  # each new record inserted once  # each record inserted once
    with warehouse.connect() as conn:
        mixed = conn.execute(
            text(
                "SELECT d.external_id FROM project_participants p JOIN documents d "
                "ON d.id = p.document_id WHERE d.external_id LIKE 'P%' GROUP BY d.external_id "
                "HAVING COUNT(DISTINCT split_part(p.name, ' ', 1)) > 1 OR COUNT(*) <> 3"
            )
        ).all()
        assert mixed == []
        # Each project carries the participants of the file whose title it carries.
        wrong = conn.execute(
            text(
                "SELECT d.external_id FROM documents d JOIN project_participants p "
                "ON p.document_id = d.id WHERE d.external_id LIKE 'P%' AND d.title NOT LIKE '%from ' || "
                "split_part(p.name, ' ', 1)"
            )
        ).all()
        assert wrong == []
        grants = conn.execute(text("SELECT COUNT(*), COUNT(DISTINCT document_id) FROM grants"))
        assert tuple(grants.one()) == (N + 1, N + 1)


def test_two_enrichments_of_overlapping_files_write_each_document_once(
    warehouse: Engine, tmp_path: Path
) -> None:
    """Enrichment upserts through the loader (so it takes the same source locks) and adds
    new entities in one order: two at once neither crash nor double a document's mentions."""
    if warehouse.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    load_in_parallel(warehouse.url, [write_jsonl(tmp_path / "seed.jsonl", [PUBLICATION])])
    papers = [
        PUBLICATION
        | {
            "external_id": f"MED:{i}",
            "title": f"Transaminase {i} from Novozymes A/S and DSM in Delft",
            "summary": f"Chromobacterium violaceum transaminase variant {i} made 2-aminobutane.",
        }
        for i in range(60)
    ]
    files = [
        write_jsonl(tmp_path / "a.jsonl", papers),
        write_jsonl(tmp_path / "b.jsonl", papers[::-1]),
    ]
    load_in_parallel(warehouse.url, files, command="enrich")
    with warehouse.connect() as conn:
        per_doc = conn.execute(
            text(
                "SELECT d.external_id, COUNT(*) AS n, COUNT(DISTINCT m.start_char) AS spans "
                "FROM mentions m JOIN documents d ON d.id = m.document_id "
                "WHERE d.external_id LIKE 'MED:%' GROUP BY d.external_id"
            )
        ).all()
        assert len(per_doc) == 60
        assert all(n == spans for _, n, spans in per_doc), per_doc[:3]
        orgs = conn.execute(
            text(
                "SELECT key, COUNT(*) FROM entities WHERE label = 'ORG' GROUP BY key HAVING COUNT(*) > 1"
            )
        ).all()
        assert orgs == []
