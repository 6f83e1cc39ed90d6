"""The bodies of the Airflow tasks in dags/: settings from Airflow Variables or the
environment, the run's data interval as a Window, then one step of scintel.pipeline.

DAG files import this module inside their tasks, never at parse time. Every function
returns a small JSON-able dict (the task's XCom), and raises when its step failed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from scintel import pipeline
from scintel.config import (
    ENV_BASE_URL,
    ENV_DATA_DIR,
    ENV_DATABASE_URL,
    ENV_PROFILE,
    ENV_SCRAPY_SETTINGS,
    Settings,
    load_settings,
    scrapy_overrides,
)
from scintel.profile import Profile, load_profile
from scintel.spiders.window import Window

# Airflow Variables win over the environment of the worker.
VARIABLES = {
    ENV_DATABASE_URL: "scintel_database_url",
    ENV_DATA_DIR: "scintel_data_dir",
    ENV_PROFILE: "scintel_profile",
}


def _variable(name: str) -> str | None:
    """An Airflow Variable, or None outside a task or when it is not set."""
    try:
        from airflow.sdk import Variable
    except ImportError:
        return None
    try:
        value = Variable.get(name, default=None)
    except Exception:  # noqa: BLE001 - no task context (plain Python) or the API is not reachable
        return None
    return str(value) if value not in (None, "") else None


def _setting(env_name: str) -> str | None:
    return _variable(VARIABLES.get(env_name, env_name.lower())) or os.environ.get(env_name) or None


def task_settings() -> tuple[Settings, Profile]:
    """Settings and profile for a task: Variables (scintel_database_url, ...), else env."""
    settings = load_settings(
        database_url=_setting(ENV_DATABASE_URL),
        data_dir=_setting(ENV_DATA_DIR),
        profile=_setting(ENV_PROFILE),
    )
    return settings, load_profile(settings.profile)


def interval_window(start: datetime | None, end: datetime | None) -> Window:
    """The days of a data interval [start, end); a run without one (a manual trigger without
    a logical date) takes the default window, the last seven days."""
    if start is None or end is None:
        return Window.resolve()
    last = end - timedelta(microseconds=1) if end > start else end
    return Window(start.astimezone(UTC).date(), last.astimezone(UTC).date())


def sources(kind: str) -> list[str]:
    """The profile's enabled sources of one kind: the crawl task maps over them."""
    _, profile = task_settings()
    return pipeline.sources_of_kind(profile, kind)


def run_window(
    start: datetime | None, end: datetime | None, params: Mapping[str, Any] | None = None
) -> Window:
    """`since`/`until` from the run's params when given (manual runs), else the data interval."""
    since, until = (params or {}).get("since"), (params or {}).get("until")
    if since or until:
        return Window.resolve(since, until)
    return interval_window(start, end)


def crawl(
    source: str,
    start: datetime | None,
    end: datetime | None,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Crawl one source over the run's window; a failed crawl fails the (mapped) task."""
    settings, profile = task_settings()
    summary = pipeline.crawl_source(
        settings,
        profile,
        source,
        run_window(start, end, params),
        base_url=_setting(ENV_BASE_URL),
        scrapy_settings=scrapy_overrides(_setting(ENV_SCRAPY_SETTINGS)),
    )
    return {
        "source": source,
        "window": str(summary.window),
        "status": summary.status,
        "items": summary.items,
        "rejected": summary.rejected,
        "message": summary.message,
        "items_path": str(summary.items_path) if summary.items_path else None,
        "crawl_run_id": summary.crawl_run_id,
    }


def enrich_load() -> dict[str, Any]:
    """Enrich and load every landing-zone file not enriched yet."""
    settings, profile = task_settings()
    return pipeline.enrich_pending(settings, profile).as_dict()


def impact() -> dict[str, Any]:
    settings, profile = task_settings()
    return pipeline.impact(settings, profile)


def weekly_digest(
    run_date: datetime | None, params: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The digest of the `week` param, else of the last ISO week complete before the run date
    (default: today)."""
    from scintel.digest.weeks import IsoWeek

    settings, profile = task_settings()
    day: date = (run_date.astimezone(UTC) if run_date else datetime.now(UTC)).date()
    week = (params or {}).get("week") or IsoWeek.last_complete(day)
    result = pipeline.weekly_digest(settings, profile, week)
    return {
        "week": result.week,
        "html": str(result.html_path),
        "text": str(result.text_path),
        "sections": result.sections,
        "empty": result.empty,
        "sent_to": result.sent_to,
    }
