"""The crawl step and `scintel crawl`: child process, landing zone, crawl-run lineage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from scintel.config import Settings
from scintel.crawl import crawl
from scintel.errors import ScintelError
from scintel.profile import Profile, SourceSpec
from scintel.replay import ReplayServer, Reply
from scintel.spiders.window import Window
from scintel.storage import models as m
from scintel.storage.engine import make_engine
from scintel.storage.loader import load_file

PATH = "/europepmc/webservices/rest/search"
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "SCINTEL_BACKOFF_BASE": "0.05",
    "RETRY_TIMES": "1",
}
WINDOW = Window.resolve("2026-01-05", "2026-01-11")


def profile(**sources: dict) -> Profile:
    return Profile(
        name="test", title="Test", sources={k: SourceSpec(**v) for k, v in sources.items()}
    )


def serve_epmc(replay: ReplayServer) -> None:
    pages = FIXTURES / "europepmc"
    replay.add(PATH, Reply.file(pages / "page1.json"), {"cursorMark": "*"})
    replay.add(
        PATH, Reply.file(pages / "page2.json"), {"cursorMark": "AoJwgOn4pZcDPwBNRUQ6NDEyMzQ1MDc="}
    )
    replay.add(
        PATH,
        Reply.file(pages / "page3_last.json"),
        {"cursorMark": "AoJwgOHw8ZcDPwBNRUQ6NDEyMzQ1MzM="},
    )


def test_crawl_writes_landing_zone_and_records_the_run(
    settings: Settings, replay: ReplayServer
) -> None:
    serve_epmc(replay)
    prof = profile(europepmc={"query": "transaminase", "page_size": 3})
    summary = crawl(settings, prof, "europepmc", WINDOW, base_url=replay.url, scrapy_settings=FAST)

    assert summary.status == "finished", summary.message
    assert (summary.items, summary.rejected, summary.pages) == (4, 1, 3)
    # Landing zone: partitioned by source and the window's last day.
    assert summary.items_path.parent == settings.landing_dir / "europepmc" / "2026-01-11"
    lines = [json.loads(x) for x in summary.items_path.read_text().splitlines()]
    assert {x["crawl_run_id"] for x in lines} == {summary.crawl_run_id}
    assert len(list(summary.raw_dir.glob("*.json"))) == 3
    assert (
        json.loads(summary.rejected_path.read_text())["reason"] == "entry lacks id, source or title"
    )

    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        run = session.get(m.CrawlRun, summary.crawl_run_id)
        assert (run.status, run.items_received, run.items_rejected, run.pages) == (
            "finished",
            4,
            1,
            3,
        )
        assert (run.window_start, run.window_end) == (WINDOW.since, WINDOW.until)
        source = session.scalar(select(m.Source).where(m.Source.name == "europepmc"))
        assert source.kind == "publication" and source.endpoint.startswith("https://www.ebi.ac.uk/")
    report = load_file(engine, summary.items_path)
    assert report.inserted == 4 and report.rejected == 0
    engine.dispose()


def test_failed_crawl_is_recorded_as_failed(settings: Settings, replay: ReplayServer) -> None:
    replay.add(PATH, Reply(503, b"down", {"Retry-After": "0"}))
    prof = profile(europepmc={"query": "transaminase"})
    summary = crawl(settings, prof, "europepmc", WINDOW, base_url=replay.url, scrapy_settings=FAST)

    assert summary.status == "failed"
    assert "1 request(s) failed after retries" in summary.message
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        run = session.get(m.CrawlRun, summary.crawl_run_id)
        assert run.status == "failed" and "failed after retries" in run.error
    engine.dispose()


def test_source_absent_from_profile_is_skipped(settings: Settings) -> None:
    summary = crawl(settings, profile(), "europepmc", WINDOW)
    assert summary.status == "skipped" and "not enabled in profile 'test'" in summary.message


@pytest.mark.e2e
def test_cli_crawl_to_output_file_then_load(tmp_path: Path, replay: ReplayServer) -> None:
    serve_epmc(replay)
    env = os.environ | {"SCINTEL_DATA_DIR": str(tmp_path / "var")}
    env.pop("SCINTEL_DATABASE_URL", None)
    scintel = str(Path(sys.executable).parent / "scintel")

    def run(*a: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([scintel, *a], env=env, check=False, capture_output=True, text=True)

    assert run("db", "upgrade").returncode == 0
    out = tmp_path / "x.jsonl"
    done = run(
        "crawl",
        "europepmc",
        "--since",
        "2026-01-05",
        "--until",
        "2026-01-11",
        "--base-url",
        replay.url,
        "--output",
        str(out),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(out.read_text().splitlines()) == 4
    loaded = run("load", str(out))
    assert loaded.returncode == 0, loaded.stderr
    engine = make_engine(URL.create("sqlite", database=str(tmp_path / "var" / "scintel.db")))
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(m.Publication)) == 4
        assert session.scalar(select(m.CrawlRun.status)) == "finished"
    engine.dispose()

    # A mirror without the endpoint answers 404: the crawl fails with one clear line.
    failed = run("crawl", "europepmc", "--base-url", f"{replay.url}/nowhere", "--output", str(out))
    assert failed.returncode == 2
    assert "crawl of europepmc failed" in failed.stderr


def test_every_crawl_honours_the_documented_environment(
    settings: Settings, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SCINTEL_BASE_URL and SCINTEL_SCRAPY_SETTINGS reach a crawl started without arguments
    (`scintel crawl` and `scintel run` ignored one or the other)."""
    serve_epmc(replay)
    monkeypatch.setenv("SCINTEL_BASE_URL", replay.url)
    monkeypatch.setenv(
        "SCINTEL_SCRAPY_SETTINGS", json.dumps(FAST | {"USER_AGENT": "probe-agent/1"})
    )
    prof = profile(europepmc={"query": "transaminase", "page_size": 3})
    summary = crawl(settings, prof, "europepmc", WINDOW)
    assert summary.status == "finished", summary.message
    assert summary.items == 4 and len(replay.requests) == 3
    assert {h.get("User-Agent") for h in replay.headers} == {"probe-agent/1"}

    monkeypatch.setenv("SCINTEL_SCRAPY_SETTINGS", "[1, 2]")
    with pytest.raises(ScintelError, match="SCINTEL_SCRAPY_SETTINGS: must be a JSON object"):
        crawl(settings, prof, "europepmc", WINDOW)


def test_one_exception_is_one_parser_error() -> None:
    """Scrapy records an exception under spider_exceptions/count and under its class: the
    summary used to add both and report two."""
    from scintel.crawl import CrawlSummary, _summarise

    summary = CrawlSummary(source="europepmc", window=WINDOW, status="running")
    stats = {"finish_reason": "finished", "spider_exceptions/count": 1,
             "spider_exceptions/TypeError": 1, "scintel/items": 3}  # fmt: skip
    _summarise(summary, stats, 0)
    assert (summary.status, summary.message) == ("failed", "1 parser error(s); see the log")
