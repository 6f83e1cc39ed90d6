"""The steps Airflow tasks and `scintel run` share, each one call: which sources, crawl,
enrich and load, impact, digest; and `run_all`, which chains them in-process.

Heavy modules (Scrapy, spaCy, matplotlib) load inside the steps, so importing this
module stays cheap for DAG files and the CLI alike.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scintel.config import Settings
from scintel.errors import ScintelError
from scintel.kinds import KINDS as DOCUMENT_KINDS
from scintel.profile import Profile
from scintel.spiders.window import Window

if TYPE_CHECKING:
    from scintel.crawl import CrawlSummary
    from scintel.digest import DigestResult
    from scintel.digest.weeks import IsoWeek
    from scintel.enrich import EnrichSummary

log = logging.getLogger(__name__)

# DAG names of the source kinds -> the item kind their spiders emit (scintel/kinds.py).
KINDS: dict[str, str] = {k.group: k.key for k in DOCUMENT_KINDS}
# Two crawls at a time: each is a Scrapy process, and these machines have two cores.
CRAWL_WORKERS = 2
OFFLINE_KEY = "offline-replay"
MANIFEST = "manifest.json"
# The replay server is local: politeness delays would only slow the demo down (the news
# outlets' own delays and the pace EPO OPS's recorded throttling headers ask for included).
OFFLINE_SCRAPY_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "NEWS_DELAY_SCALE": "0",
    "EPO_OPS_DELAY_SCALE": "0",
}

Progress = Callable[["Event"], None]


@dataclass(frozen=True)
class Event:
    """A step starting or ending, for progress displays; `stage` is crawl/enrich/impact/digest."""

    stage: str
    name: str
    state: str  # planned | started | finished | skipped | failed
    detail: str = ""
    total: int = 0


class CrawlFailed(ScintelError):
    """A crawl that failed: the Airflow task fails, `scintel run` reports it and goes on."""

    def __init__(self, summary: CrawlSummary) -> None:
        where = f"; log: {summary.log_path}" if summary.log_path else ""
        super().__init__(
            f"crawl of {summary.source} over {summary.window} failed: {summary.message}{where}"
        )
        self.summary = summary


@dataclass
class SourceRun:
    """One source's line in the run summary: crawl counts plus what loading did with them."""

    source: str
    kind: str
    status: str
    records: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0
    message: str | None = None
    items_path: Path | None = None


@dataclass
class RunSummary:
    """What `run_all` did; `failed` lists the sources whose crawl failed."""

    window: Window
    sources: list[SourceRun] = field(default_factory=list)
    enrich: EnrichSummary | None = None
    impact: dict[str, Any] | None = None
    digest: DigestResult | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> list[SourceRun]:
        return [s for s in self.sources if s.status == "failed"]


# --- steps ----------------------------------------------------------------------------


def item_kind(kind: str) -> str:
    """The item kind of a DAG kind name ('patents' -> 'patent'); item kinds pass through."""
    if kind in KINDS:
        return KINDS[kind]
    if kind in KINDS.values():
        return kind
    raise ScintelError(f"unknown source kind {kind!r}; known: {', '.join(KINDS)}")


def sources_of_kind(profile: Profile, kind: str | None = None) -> list[str]:
    """The profile's enabled sources (of one kind, if given) that have a spider."""
    from scintel.spiders.source_settings import registered_sources

    wanted = item_kind(kind) if kind else None
    return [
        name
        for name, cls in registered_sources().items()
        if profile.source(name).enabled and (wanted is None or cls.kind == wanted)
    ]


def crawl_source(
    settings: Settings,
    profile: Profile,
    source: str,
    window: Window,
    *,
    base_url: str | None = None,
    scrapy_settings: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    strict: bool = True,
) -> CrawlSummary:
    """Crawl one source over the window into the landing zone; raise CrawlFailed if `strict`."""
    from scintel.crawl import crawl

    summary = crawl(
        settings,
        profile,
        source,
        window,
        base_url=base_url,
        scrapy_settings=dict(scrapy_settings or {}),
        environ=environ,
    )
    if summary.status == "skipped":
        log.warning("%s skipped: %s", source, summary.message)
    if strict and summary.status == "failed":
        raise CrawlFailed(summary)
    return summary


def enrich_pending(settings: Settings, profile: Profile) -> EnrichSummary:
    """Enrich and load every landing-zone file not enriched yet (reruns load nothing twice)."""
    from scintel.enrich import enrich

    return enrich(settings, profile)


def impact(settings: Settings, profile: Profile) -> dict[str, Any]:
    """Partner network, project output links and clusters for the monitored projects."""
    from scintel.impact.steps import run_impact

    return run_impact(settings, profile)


def mail_configured(environ: Mapping[str, str] | None = None) -> bool:
    """Whether an SMTP server is configured (URL, host or Airflow connection)."""
    from scintel.digest import mail

    env = os.environ if environ is None else environ
    return any(env.get(n) for n in (mail.ENV_SMTP_URL, mail.ENV_SMTP_HOST, mail.ENV_SMTP_CONN_ID))


def weekly_digest(
    settings: Settings,
    profile: Profile,
    week: str | IsoWeek | None = None,
    *,
    out_dir: Path | None = None,
    send: bool | None = None,
) -> DigestResult:
    """Write (and, when SMTP is configured and the profile has recipients, send) one digest."""
    from scintel.digest import build_digest

    if send is None:
        send = mail_configured() and bool(profile.digest.recipients)
    return build_digest(settings, profile, week, out_dir=out_dir, send=send)


def digest_week(window: Window, today: date | None = None) -> IsoWeek:
    """The week a run's digest covers: the window's last week once it is over, else the last
    complete week before today."""
    from scintel.digest.weeks import IsoWeek

    today = today or datetime.now(UTC).date()
    last = IsoWeek.of(window.until)
    return last if last.sunday < today else IsoWeek.last_complete(today)


def ensure_schema(settings: Settings) -> None:
    """Bring the embedded SQLite warehouse to the latest schema; other databases must be
    upgraded by their owner (`scintel db upgrade`), so they are only checked."""
    from scintel.storage import migrate
    from scintel.storage.engine import check_connection, make_engine
    from scintel.storage.schema import require_schema

    engine = make_engine(settings.database_url)
    try:
        check_connection(engine)
        if engine.dialect.name == "sqlite":
            migrate.upgrade(engine)
        require_schema(engine)
    finally:
        engine.dispose()


# --- offline --------------------------------------------------------------------------


def offline_window() -> Window:
    """The days the bundled samples cover (scintel/samples/manifest.json)."""
    from importlib import resources

    manifest = resources.files("scintel.samples").joinpath(MANIFEST)
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return Window.resolve(data["since"], data["until"])
    except (OSError, ValueError, KeyError) as exc:
        raise ScintelError(f"the bundled samples' {MANIFEST} is missing or broken: {exc}") from None


def offline_sources(sources: list[str]) -> tuple[list[str], list[str]]:
    """(sources with a bundled sample, sources without one)."""
    from scintel.replay import sample_dir

    with_sample = [s for s in sources if (sample_dir(s) / "routes.json").is_file()]
    return with_sample, [s for s in sources if s not in with_sample]


def offline_environ(sources: list[str]) -> dict[str, str]:
    """Placeholder credentials, so spiders that need keys run against the local replay server."""
    from scintel.spiders.source_settings import registered_sources

    names = {
        n
        for name, cls in registered_sources().items()
        if name in sources
        for n in (*cls.required_env, *cls.optional_env)
    }
    return {name: OFFLINE_KEY for name in sorted(names)}


# --- the whole job in-process ------------------------------------------------------------


def _notify(progress: Progress | None, *args: Any, **kwargs: Any) -> None:
    if progress is not None:
        progress(Event(*args, **kwargs))


def _load_counts(settings: Settings, runs: list[SourceRun]) -> None:
    """Fill new/updated/unchanged/rejected per source from the enrich step's load_runs rows."""
    from sqlalchemy import select

    from scintel.storage import models as m
    from scintel.storage.engine import make_engine

    paths = {
        str(r.items_path.resolve()): r for r in runs if r.items_path and r.items_path.is_file()
    }
    if not paths:
        return
    table = m.LoadRun.__table__
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(
                    table.c.path,
                    table.c.inserted,
                    table.c.updated,
                    table.c.unchanged,
                    table.c.rejected,
                )
                .where(table.c.step == "enrich", table.c.path.in_(list(paths)))
                .order_by(table.c.id)
            )
            for path, inserted, updated, unchanged, rejected in rows:
                run = paths[path]
                run.new, run.updated, run.unchanged = inserted, updated, unchanged
                run.rejected += rejected
    finally:
        engine.dispose()


def _crawl_all(
    settings: Settings,
    profile: Profile,
    window: Window,
    sources: list[str],
    kinds: Mapping[str, str],
    progress: Progress | None,
    **crawl_options: Any,
) -> list[SourceRun]:
    def one(source: str) -> SourceRun:
        _notify(progress, "crawl", source, "started")
        try:
            summary = crawl_source(settings, profile, source, window, strict=False, **crawl_options)
        except ScintelError as exc:  # e.g. a spider that cannot start: the others go on
            run = SourceRun(source, kinds[source], "failed", message=str(exc))
        else:
            run = SourceRun(
                source,
                kinds[source],
                summary.status,
                records=summary.items,
                rejected=summary.rejected,
                seconds=summary.seconds,
                message=summary.message,
                items_path=summary.items_path,
            )
        _notify(progress, "crawl", source, run.status, run.message or f"{run.records} records")
        return run

    with ThreadPoolExecutor(max_workers=CRAWL_WORKERS, thread_name_prefix="crawl") as pool:
        return list(pool.map(one, sources))


def run_all(
    settings: Settings,
    profile: Profile,
    window: Window | None = None,
    *,
    offline: bool = False,
    week: str | IsoWeek | None = None,
    progress: Progress | None = None,
    scrapy_settings: Mapping[str, str] | None = None,
) -> RunSummary:
    """Crawl every enabled source over the window, enrich and load, impact, digest.

    Offline, the bundled samples are replayed from a local server on 127.0.0.1 over the
    window they cover, with placeholder credentials. A failing source is reported in the
    summary; the other sources, the load and the digest go on.
    """
    from scintel.spiders.source_settings import registered_sources

    started = time.perf_counter()
    if offline and window is None:
        window = offline_window()
    window = window or Window.resolve()
    summary = RunSummary(window)
    ensure_schema(settings)

    classes = registered_sources()
    kinds = {name: cls.kind for name, cls in classes.items()}
    sources = sources_of_kind(profile)
    missing: list[str] = []
    if offline:
        sources, missing = offline_sources(sources)
    _notify(progress, "crawl", "", "planned", total=len(sources) + len(missing))
    for source in missing:
        run = SourceRun(source, kinds[source], "skipped", message="no bundled offline sample")
        summary.sources.append(run)
        _notify(progress, "crawl", source, "skipped", run.message or "")

    if offline:
        from scintel.replay import serve_samples

        with serve_samples(sources) as server:
            log.info("offline: replaying %d sources from %s", len(sources), server.url)
            summary.sources += _crawl_all(
                settings,
                profile,
                window,
                sources,
                kinds,
                progress,
                base_url=server.url,
                environ=offline_environ(sources),
                scrapy_settings=dict(OFFLINE_SCRAPY_SETTINGS) | dict(scrapy_settings or {}),
            )
    else:
        summary.sources += _crawl_all(
            settings, profile, window, sources, kinds, progress, scrapy_settings=scrapy_settings
        )
    summary.sources.sort(key=lambda r: (list(KINDS.values()).index(r.kind), r.source))

    _notify(progress, "enrich", "enrich", "started")
    summary.enrich = enrich_pending(settings, profile)
    _load_counts(settings, summary.sources)
    _notify(progress, "enrich", "enrich", "finished", f"{summary.enrich.received} items")

    _notify(progress, "impact", "impact", "started")
    summary.impact = impact(settings, profile)
    _notify(progress, "impact", "impact", "finished")

    _notify(progress, "digest", "digest", "started")
    summary.digest = weekly_digest(settings, profile, week or digest_week(window), send=False)
    _notify(progress, "digest", "digest", "finished", str(summary.digest.html_path))
    summary.seconds = time.perf_counter() - started
    return summary
