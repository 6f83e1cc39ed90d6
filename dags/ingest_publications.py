"""
### ingest_publications

Crawls the watch profile's publication sources (Europe PMC, arXiv, bioRxiv/medRxiv,
OpenAlex: those the profile enables) over the run's data interval, one day per run, into
the landing zone. `crawl` is mapped over the sources, so a failing source fails only its
own task instance and is retried on its own.

Each successful crawl updates the asset `scintel://landing/publications`, which
schedules `enrich_load`. A manual run crawls the days given as `since`/`until` in its
configuration, else its data interval (none when triggered without a logical date: then
the last seven days). Settings: Airflow Variables `scintel_database_url`,
`scintel_data_dir`, `scintel_profile` (else the `SCINTEL_*` environment).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import Asset, CronDataIntervalTimetable, Param, dag, task

KIND = "publications"
LANDING = Asset(f"scintel://landing/{KIND}")
SINCE = "First day to crawl, YYYY-MM-DD (manual runs; default: the run's data interval)"
UNTIL = "Last day to crawl, YYYY-MM-DD (manual runs; default: the run's data interval)"


@dag(
    dag_id=f"ingest_{KIND}",
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    params={
        "since": Param(None, type=["null", "string"], format="date", description=SINCE),
        "until": Param(None, type=["null", "string"], format="date", description=UNTIL),
    },
    tags=["scintel", "ingest", KIND],
    default_args={
        "owner": "scintel",
        "retries": 3,
        "retry_delay": timedelta(minutes=5),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(hours=1),
        "execution_timeout": timedelta(hours=2),
    },
)
def ingest_publications() -> None:
    @task(execution_timeout=timedelta(minutes=5))
    def sources() -> list[str]:
        from scintel import dagtasks

        return dagtasks.sources(KIND)

    @task(outlets=[LANDING], map_index_template="{{ task.op_kwargs['source'] }}")
    def crawl(source: str, data_interval_start=None, data_interval_end=None, params=None) -> dict:
        from scintel import dagtasks

        return dagtasks.crawl(source, data_interval_start, data_interval_end, params)

    crawl.expand(source=sources())


ingest_publications()
