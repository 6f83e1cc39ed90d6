"""
### enrich_load

Runs whenever an ingest DAG has landed new items (any of the `scintel://landing/<kind>`
assets): enriches every landing-zone file not enriched yet (entities, topics, signals,
duplicates) and loads it into the warehouse in one transaction per batch, then refreshes
the project impact (partner network, project output links, clusters). Reruns load
nothing twice. One run at a time, so two runs never enrich the same file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import Asset, AssetAny, dag, task

from scintel.dag_factory import landing_asset
from scintel.kinds import KINDS

LANDED = [landing_asset(kind.group) for kind in KINDS]
WAREHOUSE = Asset("scintel://warehouse/documents")


@dag(
    dag_id="enrich_load",
    schedule=AssetAny(*LANDED),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["scintel", "enrich", "load"],
    default_args={
        "owner": "scintel",
        "retries": 2,
        "retry_delay": timedelta(minutes=2),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=30),
        "execution_timeout": timedelta(hours=3),
    },
)
def enrich_load() -> None:
    @task(outlets=[WAREHOUSE])
    def enrich() -> dict:
        from scintel import dagtasks

        return dagtasks.enrich_load()

    @task(execution_timeout=timedelta(minutes=30))
    def impact() -> dict:
        from scintel import dagtasks

        return dagtasks.impact()

    enrich() >> impact()


enrich_load()
