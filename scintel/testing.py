"""Helpers for spider tests and benchmarks: crawl through the real runner, read what it wrote.

`run_spider` starts `python -m scintel.spiders.run` (the runner `scintel crawl` uses)
in a child process, so requests go through Scrapy's real downloader to a
ReplayServer on 127.0.0.1. `replay` is a pytest fixture with a running server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scintel.replay import ReplayServer

# Politeness off for tests and benchmarks only: no delays, tiny backoff, short timeouts.
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "SCINTEL_BACKOFF_BASE": "0.05",
    "SCINTEL_BACKOFF_MAX": "2",
    "DOWNLOAD_TIMEOUT": "10",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "RETRY_TIMES": "2",
    "LOG_LEVEL": "INFO",
}


@dataclass
class CrawlResult:
    """What one crawl wrote: items, rejects, stats, raw bodies, log and exit code."""

    code: int
    items: list[dict[str, Any]]
    rejected: list[dict[str, Any]]
    stats: dict[str, Any]
    raw_dir: Path
    log: str

    def ids(self) -> list[str]:
        return [i["external_id"] for i in self.items]

    def item(self, external_id: str) -> dict[str, Any]:
        return next(i for i in self.items if i["external_id"] == external_id)

    def raw_index(self) -> list[dict[str, Any]]:
        index = self.raw_dir / "index.jsonl"
        return (
            [json.loads(line) for line in index.read_text().splitlines()] if index.exists() else []
        )


def _read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def run_spider(
    name: str,
    base_url: str,
    out: Path,
    since: str,
    until: str,
    spec: dict[str, Any],
    settings: dict[str, str] | None = None,
    args: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
) -> CrawlResult:
    """Crawl `name` in a child process against `base_url`; return what it wrote."""
    out.mkdir(parents=True, exist_ok=True)
    overrides = (
        FAST
        | {
            "SCINTEL_BASE_URL": base_url,
            "SCINTEL_ITEMS_PATH": str(out / "items.jsonl"),
            "SCINTEL_REJECTED_PATH": str(out / "rejected.jsonl"),
            "SCINTEL_RAW_DIR": str(out / "raw"),
            "SCINTEL_STATS_PATH": str(out / "stats.json"),
            "LOG_FILE": str(out / "crawl.log"),
        }
        | (settings or {})
    )
    cmd = [sys.executable, "-m", "scintel.spiders.run", name, "--since", since, "--until", until]
    cmd += ["--arg", f"source_spec={json.dumps(spec)}", "--profile", "test"]
    for key, value in (args or {}).items():
        cmd += ["--arg", f"{key}={value}"]
    for key, value in overrides.items():
        cmd += ["--set", f"{key}={value}"]
    proc = subprocess.run(
        cmd,
        env=os.environ | {"SCINTEL_DATA_DIR": str(out / "var")} | (env or {}),
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    stats_file = out / "stats.json"
    log_file = out / "crawl.log"
    return CrawlResult(
        code=proc.returncode,
        items=_read(out / "items.jsonl"),
        rejected=_read(out / "rejected.jsonl"),
        stats=json.loads(stats_file.read_text()) if stats_file.exists() else {},
        raw_dir=out / "raw",
        log=(log_file.read_text() if log_file.exists() else "") + proc.stderr,
    )


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    """A running, empty replay server; add routes, then crawl against `replay.url`."""
    with ReplayServer() as server:
        yield server
