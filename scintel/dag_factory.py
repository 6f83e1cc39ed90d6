"""The ingest DAGs, one per source kind, alike but for the kind and the schedule.

DAG files import this at parse time, so it imports nothing but airflow.sdk; the task
bodies import scintel.dagtasks when they run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import Asset, CronDataIntervalTimetable, Param, dag, task

SINCE = "First day to crawl, YYYY-MM-DD (manual runs; default: the run's data interval)"
UNTIL = "Last day to crawl, YYYY-MM-DD (manual runs; default: the run's data interval)"
DEFAULT_ARGS = {
    "owner": "scintel",
    "retries": 3,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(hours=1),
    "execution_timeout": timedelta(hours=2),
}


def landing_asset(kind: str) -> Asset:
    """The asset a successful crawl of `kind` updates; enrich_load is scheduled on it."""
    return Asset(f"scintel://landing/{kind}")


def ingest_dag(kind: str, cron: str, doc_md: str) -> Any:
    """`ingest_<kind>`: crawl the profile's sources of `kind`, one mapped task per source."""
    landing = landing_asset(kind)

    @dag(
        dag_id=f"ingest_{kind}",
        schedule=CronDataIntervalTimetable(cron, timezone="UTC"),
        start_date=datetime(2026, 1, 1, tzinfo=UTC),
        catchup=False,
        max_active_runs=1,
        doc_md=doc_md,
        params={
            "since": Param(None, type=["null", "string"], format="date", description=SINCE),
            "until": Param(None, type=["null", "string"], format="date", description=UNTIL),
        },
        tags=["scintel", "ingest", kind],
        default_args=DEFAULT_ARGS,
    )
    def ingest() -> None:
        @task(execution_timeout=timedelta(minutes=5))
        def sources() -> list[str]:
            from scintel import dagtasks

            return dagtasks.sources(kind)

        @task(outlets=[landing], map_index_template="{{ task.op_kwargs['source'] }}")
        def crawl(
            source: str, data_interval_start=None, data_interval_end=None, params=None
        ) -> dict:
            from scintel import dagtasks

            return dagtasks.crawl(source, data_interval_start, data_interval_end, params)

        crawl.expand(source=sources())

    return ingest()
