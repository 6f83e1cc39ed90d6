"""Parse dags/ or run its DAGs with Airflow's `dag.test()`, and print the outcome as JSON.

tests/test_dags.py starts this in a child process with AIRFLOW_HOME and a temporary
SQLite metadata database in the environment, so Airflow reads that configuration fresh
and nothing of it leaks into the other tests:

    python tests/dagrun.py init                      create the metadata database
    python tests/dagrun.py bag                       the DagBag: errors, DAGs, tasks
    python tests/dagrun.py run [--no-retries] DAG_ID[@LOGICAL_DATE][?CONF_JSON] ...

Each result is one line `RESULT {json}` on stdout (Airflow logs go to stderr).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

DAGS = Path(__file__).resolve().parent.parent / "dags"
# DAG files import these inside their tasks only: the DAG processor parses often.
HEAVY_MODULES = ("scintel", "scrapy", "spacy", "matplotlib", "sklearn")
LIGHT_MODULES = {"scintel", "scintel.dag_factory", "scintel.kinds"}  # DAG files may import these


def emit(data: dict[str, Any]) -> None:
    sys.stdout.write("RESULT " + json.dumps(data, default=str) + "\n")
    sys.stdout.flush()


def init() -> None:
    from airflow.utils.db import initdb

    initdb()
    emit({"init": "ok"})


def bag() -> None:
    from airflow.dag_processing.dagbag import DagBag

    before = set(sys.modules)
    dagbag = DagBag(dag_folder=str(DAGS))
    heavy = sorted(
        {
            m
            for m in set(sys.modules) - before
            if m.startswith(HEAVY_MODULES) and m not in LIGHT_MODULES
        }
    )
    dags = {}
    for dag_id, dag in dagbag.dags.items():
        condition = getattr(dag.timetable, "asset_condition", None)
        dags[dag_id] = {
            "tags": sorted(dag.tags),
            "doc_md": dag.doc_md or "",
            "timetable": type(dag.timetable).__name__,
            "schedule": getattr(dag.timetable, "expression", None),
            "asset_condition": sorted(a.uri for a in condition.objects) if condition else [],
            "tasks": {
                task.task_id: {
                    "retries": task.retries,
                    "retry_exponential_backoff": task.retry_exponential_backoff,
                    "execution_timeout": task.execution_timeout.total_seconds()
                    if task.execution_timeout
                    else None,
                    "mapped": bool(getattr(task, "is_mapped", False)),
                    "outlets": [getattr(o, "uri", None) for o in task.outlets],
                }
                for task in dag.tasks
            },
        }
    emit({"import_errors": dagbag.import_errors, "dags": dags, "heavy_imports": heavy})


def run(specs: list[str], no_retries: bool) -> None:
    from airflow.dag_processing.dagbag import DagBag
    from airflow.models.asset import AssetEvent
    from airflow.settings import Session

    dagbag = DagBag(dag_folder=str(DAGS))
    for spec in specs:
        spec, _, conf = spec.partition("?")
        dag_id, _, when = spec.partition("@")
        dag = dagbag.dags[dag_id]
        if no_retries:  # a failing task would otherwise wait out its retry delay
            for task in dag.tasks:
                task.retries = 0
        logical_date = datetime.fromisoformat(when) if when else None
        dr = dag.test(logical_date=logical_date, run_conf=json.loads(conf) if conf else None)
        session = Session()
        tis = dr.get_task_instances(session=session)
        events = session.query(AssetEvent).filter(AssetEvent.source_run_id == dr.run_id).all()
        emit(
            {
                "dag_id": dag_id,
                "run_id": dr.run_id,
                "state": str(dr.state),
                "data_interval": [dr.data_interval_start, dr.data_interval_end],
                "tasks": [
                    {
                        "task_id": ti.task_id,
                        "map_index": ti.map_index,
                        "rendered_map_index": ti.rendered_map_index,
                        "state": str(ti.state),
                    }
                    for ti in sorted(tis, key=lambda t: (t.task_id, t.map_index))
                ],
                "asset_events": sorted(e.uri for e in events),
            }
        )
        session.close()


def main(argv: list[str]) -> int:
    command, rest = argv[0], argv[1:]
    if command == "init":
        init()
    elif command == "bag":
        bag()
    elif command == "run":
        no_retries = "--no-retries" in rest
        run([a for a in rest if a != "--no-retries"], no_retries)
    else:
        raise SystemExit(f"unknown command {command!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
