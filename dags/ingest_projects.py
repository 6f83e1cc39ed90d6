"""
### ingest_projects

Crawls the watch profile's funded-project sources (CORDIS open data: H2020 and Horizon
Europe projects with their participants) over the run's data interval, one ISO week
(Monday to Sunday) per run: CORDIS publishes whole archives, not a feed. `crawl` is
mapped over the sources, so a failing source fails only its own task instance and is
retried on its own.

Each successful crawl updates the asset `scintel://landing/projects`, which
schedules `enrich_load`. A manual run crawls the days given as `since`/`until` in its
configuration, else its data interval (none when triggered without a logical date: then
the last seven days). Settings: Airflow Variables `scintel_database_url`,
`scintel_data_dir`, `scintel_profile` (else the `SCINTEL_*` environment).
"""

from scintel.dag_factory import ingest_dag

ingest_projects = ingest_dag("projects", "0 0 * * 1", doc_md=__doc__)
