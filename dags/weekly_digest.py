"""
### weekly_digest

Every Monday at 06:00 UTC: writes the digest of the previous ISO week (HTML page,
Markdown twin, charts) to `<data dir>/digests/<week>/`, archives it in the warehouse and,
when an SMTP server is configured (`SCINTEL_SMTP_URL`, `SCINTEL_SMTP_HOST` or the Airflow
connection named by `SCINTEL_SMTP_CONN_ID`), e-mails it to the profile's recipients.
A manual run builds the ISO week given as `week` in its configuration, else the last
complete week before today.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import CronTriggerTimetable, Param, dag, task


@dag(
    dag_id="weekly_digest",
    schedule=CronTriggerTimetable("0 6 * * 1", timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    params={
        "week": Param(
            None,
            type=["null", "string"],
            pattern=r"^\d{4}-W\d{2}$",
            description="ISO week, e.g. 2026-W47 (manual runs; default: the previous week)",
        ),
    },
    tags=["scintel", "digest"],
    default_args={
        "owner": "scintel",
        "retries": 2,
        "retry_delay": timedelta(minutes=5),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=30),
        "execution_timeout": timedelta(minutes=30),
    },
)
def weekly_digest() -> None:
    @task
    def digest(logical_date=None, params=None) -> dict:
        from scintel import dagtasks

        return dagtasks.weekly_digest(logical_date, params)

    digest()


weekly_digest()
