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

from scintel.dag_factory import ingest_dag

ingest_publications = ingest_dag("publications", "@daily", doc_md=__doc__)
