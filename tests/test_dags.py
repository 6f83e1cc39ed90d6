"""The Airflow DAGs: a clean DagBag, and real `dag.test()` runs against the replay server.

Airflow runs in a child process (tests/dagrun.py) with its own AIRFLOW_HOME and a
temporary SQLite metadata database; the warehouse is a temporary SQLite file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pipeline_fixtures import EUROPEPMC_BY_DAY, broken, serve_europepmc, watch_profile
from sqlalchemy import Engine, func, select

from scintel.pipeline import KINDS
from scintel.replay import ReplayServer
from scintel.storage import models as m
from scintel.testing import FAST

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
DAGRUN = Path(__file__).resolve().parent / "dagrun.py"
INGEST = {f"ingest_{kind}" for kind in KINDS}
DAG_IDS = INGEST | {"enrich_load", "weekly_digest"}


def dagrun(env: dict[str, str], *args: str) -> list[dict[str, Any]]:
    """Run tests/dagrun.py with `args`; its RESULT lines as dicts."""
    proc = subprocess.run(
        [sys.executable, str(DAGRUN), *args],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-6000:]
    results = [
        json.loads(line[7:]) for line in proc.stdout.splitlines() if line.startswith("RESULT ")
    ]
    assert results, (proc.stdout + proc.stderr)[-6000:]
    return results


@pytest.fixture(scope="session")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment with a fresh Airflow home and metadata database, dags_folder = dags/."""
    home = tmp_path_factory.mktemp("airflow")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "SCINTEL_"))}
    env |= {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "SCINTEL_SCRAPY_SETTINGS": json.dumps(FAST),
    }
    dagrun(env, "init")
    return env


@pytest.fixture
def scintel_env(
    airflow_env: dict[str, str], sqlite_warehouse: Engine, tmp_path: Path
) -> dict[str, str]:
    return airflow_env | {
        "SCINTEL_DATABASE_URL": sqlite_warehouse.url.render_as_string(hide_password=False),
        "SCINTEL_DATA_DIR": str(tmp_path / "var"),
    }


def tasks(result: dict[str, Any], task_id: str) -> dict[str, str]:
    """{rendered map index or task id: state} of one task of a run."""
    return {
        t["rendered_map_index"] or t["task_id"]: t["state"]
        for t in result["tasks"]
        if t["task_id"] == task_id
    }


# --- the DagBag -------------------------------------------------------------------------


def test_dagbag_imports_every_dag_with_retries_timeouts_and_tags(
    airflow_env: dict[str, str],
) -> None:
    [bag] = dagrun(airflow_env, "bag")
    assert bag["import_errors"] == {}
    assert bag["heavy_imports"] == []
    dags = bag["dags"]
    assert set(dags) == DAG_IDS
    for dag_id, dag in dags.items():
        assert "scintel" in dag["tags"], dag_id
        assert dag["doc_md"].strip().startswith(f"### {dag_id}"), dag_id
        for task_id, task in dag["tasks"].items():
            assert task["retries"] >= 1, (dag_id, task_id)
            assert task["retry_exponential_backoff"] > 1, (dag_id, task_id)
            assert task["execution_timeout"], (dag_id, task_id)

    for kind in KINDS:
        dag = dags[f"ingest_{kind}"]
        assert kind in dag["tags"]
        assert dag["timetable"] == "CronDataIntervalTimetable"
        crawl = dag["tasks"]["crawl"]
        assert crawl["mapped"] is True
        assert crawl["outlets"] == [f"scintel://landing/{kind}"]

    assert dags["enrich_load"]["asset_condition"] == sorted(f"scintel://landing/{k}" for k in KINDS)
    assert dags["weekly_digest"]["timetable"] == "CronTriggerTimetable"
    assert dags["weekly_digest"]["schedule"] == "0 6 * * 1"


# --- real runs --------------------------------------------------------------------------


def documents(engine: Engine) -> list[tuple[str, str]]:
    table, sources = m.Document.__table__, m.Source.__table__
    with engine.connect() as conn:
        return sorted(
            conn.execute(
                select(sources.c.name, table.c.external_id).join(
                    sources, sources.c.id == table.c.source_id
                )
            ).all()
        )


def crawl_runs(engine: Engine) -> list[tuple[str, str, str, str]]:
    runs, sources = m.CrawlRun.__table__, m.Source.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            select(sources.c.name, runs.c.window_start, runs.c.window_end, runs.c.status)
            .join(sources, sources.c.id == runs.c.source_id)
            .order_by(runs.c.id)
        ).all()
    return [(name, str(start), str(end), status) for name, start, end, status in rows]


@pytest.fixture
def europepmc() -> Iterator[ReplayServer]:
    with ReplayServer() as server:
        yield serve_europepmc(server)


def test_two_intervals_a_rerun_enrich_load_and_the_weekly_digest(
    scintel_env: dict[str, str], europepmc: ReplayServer, sqlite_warehouse: Engine, tmp_path: Path
) -> None:
    env = scintel_env | {
        "SCINTEL_PROFILE": str(watch_profile(tmp_path, ["europepmc"])),
        "SCINTEL_BASE_URL": europepmc.url,
    }
    day1, day2, enrich1, rerun, enrich2, digest, manual, enrich3 = dagrun(
        env,
        "run",
        "ingest_publications@2026-01-08T00:00:00+00:00",  # data interval 2026-01-07
        "ingest_publications@2026-01-09T00:00:00+00:00",  # data interval 2026-01-08
        "enrich_load",
        "ingest_publications@2026-01-08T00:00:00+00:00",  # the first interval again
        "enrich_load",
        "weekly_digest@2026-01-12T06:00:00+00:00",  # Monday: the week 2026-W02
        'ingest_publications?{"since": "2026-01-07", "until": "2026-01-08"}',  # a manual run
        "enrich_load",
    )
    for result in (day1, day2, rerun, enrich1, enrich2, digest, manual, enrich3):
        assert result["state"] == "success", result
    assert day1["data_interval"] == ["2026-01-07 00:00:00+00:00", "2026-01-08 00:00:00+00:00"]
    assert tasks(day1, "crawl") == {"europepmc": "success"}
    assert day1["asset_events"] == ["scintel://landing/publications"]
    assert tasks(enrich1, "enrich") == {"enrich": "success"} and tasks(enrich1, "impact") == {
        "impact": "success"
    }

    assert crawl_runs(sqlite_warehouse) == [
        ("europepmc", "2026-01-07", "2026-01-07", "finished"),
        ("europepmc", "2026-01-08", "2026-01-08", "finished"),
        ("europepmc", "2026-01-07", "2026-01-07", "finished"),
        ("europepmc", "2026-01-07", "2026-01-08", "finished"),
    ]
    # One paper on each of these days; the rerun of 2026-01-07 and the manual run over
    # both days land more files but load nothing twice.
    expected = sorted(("europepmc", i) for ids in EUROPEPMC_BY_DAY.values() for i in ids)
    assert documents(sqlite_warehouse) == expected
    with sqlite_warehouse.connect() as conn:
        loads = conn.execute(
            select(m.LoadRun.inserted, m.LoadRun.unchanged)
            .where(m.LoadRun.step == "enrich")
            .order_by(m.LoadRun.id)
        ).all()
        published = sorted(str(d) for d in conn.execute(select(m.Document.published)).scalars())
        mentions = conn.scalar(select(func.count()).select_from(m.Mention))
    assert [tuple(row) for row in loads] == [(1, 0), (1, 0), (0, 1), (0, 2)]
    assert published == sorted(EUROPEPMC_BY_DAY)
    assert mentions > 0

    page = Path(scintel_env["SCINTEL_DATA_DIR"]) / "digests" / "2026-W02" / "digest.md"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# KET Biotechnology weekly intelligence digest: 2026-W02")
    with sqlite_warehouse.connect() as conn:
        titles = conn.execute(select(m.Document.title)).scalars().all()
    assert all(title in text for title in titles), text[:3000]
    assert (page.parent / "digest.html").is_file()


def test_a_source_answering_500_fails_only_its_own_mapped_task(
    scintel_env: dict[str, str], europepmc: ReplayServer, sqlite_warehouse: Engine, tmp_path: Path
) -> None:
    with ReplayServer() as failing:
        broken(failing)
        env = scintel_env | {
            "SCINTEL_PROFILE": str(watch_profile(tmp_path, ["europepmc", "arxiv"])),
            "SCINTEL_EUROPEPMC_BASE_URL": europepmc.url,
            "SCINTEL_ARXIV_BASE_URL": failing.url,
        }
        [run] = dagrun(env, "run", "--no-retries", "ingest_publications@2026-01-08T00:00:00+00:00")
        assert failing.requests, "the arxiv spider asked the broken server"

    assert run["state"] == "failed"
    assert tasks(run, "crawl") == {"arxiv": "failed", "europepmc": "success"}
    assert run["asset_events"] == ["scintel://landing/publications"]  # from europepmc only
    assert sorted((name, status) for name, _, _, status in crawl_runs(sqlite_warehouse)) == [
        ("arxiv", "failed"),
        ("europepmc", "finished"),
    ]
    landed = list(
        (Path(scintel_env["SCINTEL_DATA_DIR"]) / "landing" / "europepmc").glob("*/*.items.jsonl")
    )
    assert len(landed) == 1 and len(landed[0].read_text().splitlines()) == len(
        EUROPEPMC_BY_DAY["2026-01-07"]
    )
