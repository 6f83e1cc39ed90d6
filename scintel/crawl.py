"""The crawl step: run one spider over one window in a child process, record the run.

`crawl(settings, profile, source, window)` is what `scintel crawl` and the Airflow
task call. Scrapy runs in its own process (Twisted's reactor cannot restart), its
items land as JSON Lines (docs/items.md) and its counts go to `crawl_runs`.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scintel.config import (
    ENV_BASE_URL,
    ENV_DATA_DIR,
    ENV_SCRAPY_SETTINGS,
    Settings,
    scrapy_overrides,
)
from scintel.errors import ScintelError
from scintel.profile import Profile
from scintel.spiders.landing import Partition, run_stamp
from scintel.spiders.run import EXIT_FINISHED, EXIT_SKIPPED
from scintel.spiders.source_settings import registered_sources
from scintel.spiders.window import Window
from scintel.storage import models as m
from scintel.storage.engine import check_connection, make_engine
from scintel.storage.schema import require_schema

log = logging.getLogger(__name__)

LOG_TAIL_LINES = 15


@dataclass
class CrawlSummary:
    """What one crawl did; `status` is finished, skipped or failed."""

    source: str
    window: Window
    status: str
    items: int = 0
    rejected: int = 0
    pages: int = 0
    requests: int = 0
    out_of_window: int = 0
    seconds: float = 0.0
    message: str | None = None
    items_path: Path | None = None
    rejected_path: Path | None = None
    raw_dir: Path | None = None
    log_path: Path | None = None
    crawl_run_id: int | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def spider_class(source: str) -> type:
    classes = registered_sources()
    if source not in classes:
        raise ScintelError(f"no spider {source!r}; known: {', '.join(classes)}")
    return classes[source]


def _record_start(settings: Settings, cls: type, window: Window) -> tuple[Any, int]:
    engine = make_engine(settings.database_url)
    check_connection(engine)
    require_schema(engine)
    with Session(engine) as session, session.begin():
        source = session.scalar(select(m.Source).where(m.Source.name == cls.name))
        if source is None:
            source = m.Source(name=cls.name, kind=cls.kind, endpoint=cls.endpoint)
            session.add(source)
        else:
            source.kind = source.kind or cls.kind
            source.endpoint = cls.endpoint
        session.flush()
        run = m.CrawlRun(
            source_id=source.id,
            window_start=window.since,
            window_end=window.until,
            status="running",
        )
        session.add(run)
        session.flush()
        return engine, run.id


def _record_end(engine: Any, run_id: int, summary: CrawlSummary) -> None:
    with Session(engine) as session, session.begin():
        run = session.get(m.CrawlRun, run_id)
        assert run is not None
        run.finished_at = datetime.now(UTC)
        run.status = summary.status
        run.pages = summary.pages
        run.items_received = summary.items
        run.items_rejected = summary.rejected
        run.output_path = str(summary.items_path) if summary.items_path else None
        run.error = summary.message if summary.status != "finished" else None
        run.stats = {
            k: v
            for k, v in summary.stats.items()
            if isinstance(v, int | float | str) and v is not None
        }
    engine.dispose()


def _tail(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-LOG_TAIL_LINES:])


def _summarise(summary: CrawlSummary, stats: dict[str, Any], code: int) -> None:
    summary.stats = stats
    summary.items = int(stats.get("scintel/items", 0))
    summary.rejected = int(stats.get("scintel/rejected", 0))
    summary.pages = int(stats.get("downloader/response_status_count/200", 0))
    summary.requests = int(stats.get("downloader/request_count", 0))
    summary.out_of_window = int(stats.get("scintel/out_of_window", 0))
    reason = str(stats.get("finish_reason", ""))
    # Scrapy counts each exception twice: under spider_exceptions/count and its class name.
    errors = int(stats.get("spider_exceptions/count", 0))
    failed = int(stats.get("scintel/failed_requests", 0))
    bad_pages = int(stats.get("scintel/bad_pages", 0))
    if code == EXIT_SKIPPED:
        summary.status, summary.message = "skipped", reason.removeprefix("skipped: ")
    elif not stats:
        summary.status, summary.message = (
            "failed",
            f"the spider process ended with exit code {code}",
        )
    elif errors:
        summary.status, summary.message = "failed", f"{errors} parser error(s); see the log"
    elif failed:
        summary.status = "failed"
        summary.message = f"{failed} request(s) failed after retries; items so far were kept"
    elif code != EXIT_FINISHED:
        summary.status = "failed"
        summary.message = (
            f"nothing but bad pages ({bad_pages}); their rejects were kept"
            if reason == "finished" and bad_pages
            else f"the spider process ended with {reason or f'exit code {code}'}"
        )
    else:
        summary.status = "finished"


def crawl(
    settings: Settings,
    profile: Profile,
    source: str,
    window: Window,
    base_url: str | None = None,
    output: Path | None = None,
    scrapy_settings: dict[str, Any] | None = None,
    spider_args: dict[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> CrawlSummary:
    """Crawl `source` over `window` in a child process; items to `output` or the landing zone.

    `environ` adds variables for the child process only (e.g. dummy keys for an offline replay).
    """
    cls = spider_class(source)
    extra_env = dict(environ or {})
    # The documented settings apply to every crawl, however it is started; explicit arguments win.
    base_url = base_url or os.environ.get(ENV_BASE_URL) or None
    scrapy_settings = scrapy_overrides(os.environ.get(ENV_SCRAPY_SETTINGS)) | dict(
        scrapy_settings or {}
    )
    summary = CrawlSummary(source=source, window=window, status="skipped")
    if not profile.source(source).enabled:
        summary.message = f"source {source!r} is not enabled in profile {profile.name!r}"
        return summary
    if missing := [n for n in cls.required_env if not (extra_env.get(n) or os.environ.get(n))]:
        summary.message = f"{', '.join(missing)} not set in the environment; source skipped"
        return summary

    engine, run_id = _record_start(settings, cls, window)
    run = run_stamp()
    part = Partition(settings.landing_dir, source, window.until, run)
    part.folder.mkdir(parents=True, exist_ok=True)
    summary.crawl_run_id = run_id
    summary.items_path = output or part.items
    summary.rejected_path = (
        output.with_name(output.name.removesuffix(".jsonl") + ".rejected.jsonl")
        if output
        else part.rejected
    )
    summary.raw_dir = part.raw_dir
    summary.log_path = part.folder / f"{run}.log"
    stats_path = part.folder / f"{run}.stats.json"
    overrides = {
        "SCINTEL_ITEMS_PATH": str(summary.items_path),
        "SCINTEL_REJECTED_PATH": str(summary.rejected_path),
        "SCINTEL_RAW_DIR": str(summary.raw_dir),
        "SCINTEL_STATS_PATH": str(stats_path),
        "SCINTEL_RUN": run,
        "SCINTEL_CRAWL_RUN_ID": str(run_id),
        "LOG_FILE": str(summary.log_path),
        **({"SCINTEL_BASE_URL": base_url} if base_url else {}),
        **(scrapy_settings or {}),
    }
    cmd = [sys.executable, "-m", "scintel.spiders.run", source]
    cmd += ["--since", window.since.isoformat(), "--until", window.until.isoformat()]
    cmd += ["--profile", profile.name]
    spec = profile.source(source).model_dump(mode="json")
    for key, value in ({"source_spec": json.dumps(spec)} | (spider_args or {})).items():
        cmd += ["--arg", f"{key}={value}"]
    for key, value in overrides.items():
        cmd += ["--set", f"{key}={value}"]
    env = os.environ | extra_env | {ENV_DATA_DIR: str(settings.data_dir)}
    started = time.perf_counter()
    log.info("crawl %s %s -> %s", source, window, summary.items_path)
    proc = subprocess.run(
        cmd, env=env, stdin=subprocess.DEVNULL, check=False, capture_output=True, text=True
    )
    summary.seconds = time.perf_counter() - started
    stats = json.loads(stats_path.read_text(encoding="utf-8")) if stats_path.is_file() else {}
    _summarise(summary, stats, proc.returncode)
    if summary.status == "failed":
        log.error("crawl of %s failed: %s (log: %s)", source, summary.message, summary.log_path)
        log.info(
            "last lines of the crawl log:\n%s",
            _tail(summary.log_path) or proc.stderr.strip()[-2000:],
        )
    _record_end(engine, run_id, summary)
    return summary
