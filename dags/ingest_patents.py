"""
### ingest_patents

Crawls the watch profile's patent sources (EPO OPS, USPTO Open Data Portal: those the
profile enables) over the run's data interval, one day per run, into the landing zone.
EPO OPS and USPTO need keys (`SCINTEL_EPO_KEY`/`SCINTEL_EPO_SECRET` or the Airflow
connection named by `SCINTEL_EPO_CONN_ID`; `SCINTEL_USPTO_KEY`); a source without its
key is skipped, not failed. `crawl` is mapped over the sources, so a failing source
fails only its own task instance and is retried on its own.

Each successful crawl updates the asset `scintel://landing/patents`, which
schedules `enrich_load`. A manual run crawls the days given as `since`/`until` in its
configuration, else its data interval (none when triggered without a logical date: then
the last seven days). Settings: Airflow Variables `scintel_database_url`,
`scintel_data_dir`, `scintel_profile` (else the `SCINTEL_*` environment).
"""

from scintel.dag_factory import ingest_dag

ingest_patents = ingest_dag("patents", "@daily", doc_md=__doc__)
