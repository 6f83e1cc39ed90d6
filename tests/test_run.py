"""`scintel run`: the whole job in-process, as a user runs it (a child process, a fresh folder)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pipeline_fixtures import broken, serve_europepmc, watch_profile

from scintel import dagtasks, pipeline
from scintel.errors import ScintelError
from scintel.replay import ReplayServer
from scintel.spiders.window import Window
from scintel.testing import FAST

pytestmark = pytest.mark.e2e

KINDS = {"publication", "patent", "funding_call", "project", "news"}


def scintel(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed command in `cwd` with no SCINTEL_* settings but `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SCINTEL_")}
    return subprocess.run(
        [sys.executable, "-m", "scintel", *args],
        cwd=cwd,
        env=clean | {"COLUMNS": "120"} | (env or {}),
        check=False,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_offline_run_in_a_fresh_folder_loads_every_kind_and_writes_a_digest(tmp_path: Path) -> None:
    proc = scintel(tmp_path, "run", "--offline")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]

    db = tmp_path / "var" / "scintel.db"  # the default warehouse, migrated by `run` itself
    with sqlite3.connect(db) as conn:
        counts = dict(conn.execute("SELECT kind, count(*) FROM documents GROUP BY kind").fetchall())
        failed = conn.execute("SELECT count(*) FROM crawl_runs WHERE status = 'failed'").fetchone()[
            0
        ]
        mentions = conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
        signals = conn.execute("SELECT count(*) FROM signals").fetchone()[0]
    assert set(counts) == KINDS, counts
    assert all(n >= 5 for n in counts.values()), counts
    assert failed == 0 and mentions > 0 and signals > 0

    window = pipeline.offline_window()
    week = pipeline.digest_week(window)
    page = tmp_path / "var" / "digests" / str(week) / "digest.md"
    text = page.read_text(encoding="utf-8")
    assert f"{week}" in text.splitlines()[0]
    assert text.count("\n## ") >= 3, text[:2000]  # several sections, not an empty week
    assert (page.parent / "digest.html").is_file()
    # a price read outside its MONEY span ("3.04 EUR" of "3.04 EUR/kg") is shown with its unit
    assert re.search(r"\d EUR/kg", text) and not re.search(r"\d EUR(?:,|$)", text, re.M)

    out = proc.stdout
    assert f"scintel run {window}" in out
    for source in ("europepmc", "epo_ops", "eu_funding", "cordis", "news"):
        assert source in out
    assert f"html: var/digests/{week}/digest.html" in out


def test_missing_credentials_skip_a_source_with_a_note(tmp_path: Path) -> None:
    profile = watch_profile(tmp_path, ["uspto"])
    proc = scintel(
        tmp_path, "--profile", str(profile), "run", "--since", "2026-11-16", "--until", "2026-11-22"
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert (
        "skipped uspto: SCINTEL_USPTO_KEY not set in the environment; source skipped"
        in " ".join(proc.stdout.split())
    )
    assert "digest 2026-W47 (nothing new that week)" in proc.stdout
    assert (tmp_path / "var" / "digests" / "2026-W47" / "digest.md").is_file()


def test_a_failing_source_is_reported_and_the_others_are_loaded(tmp_path: Path) -> None:
    profile = watch_profile(tmp_path, ["europepmc", "arxiv"])
    with ReplayServer() as europepmc, ReplayServer() as failing:
        env = {
            "SCINTEL_EUROPEPMC_BASE_URL": serve_europepmc(europepmc).url,
            "SCINTEL_ARXIV_BASE_URL": broken(failing).url,
        }
        proc = scintel(
            tmp_path,
            "--profile",
            str(profile),
            "run",
            "--since",
            "2026-01-05",
            "--until",
            "2026-01-11",
            env=env | {"SCINTEL_SCRAPY_SETTINGS": json.dumps(FAST)},
        )
    assert proc.returncode == 2, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "1 source(s) failed: arxiv; the others were loaded" in proc.stderr
    rows = {
        line.split()[0]: line.split()[1:7]
        for line in proc.stdout.splitlines()
        if line.split()[:1] in (["europepmc"], ["arxiv"])
    }
    # records, new, updated, rejected (the entry without a title), time
    assert rows["europepmc"][:6] == ["publications", "finished", "4", "4", "0", "1"]
    assert rows["arxiv"][:2] == ["publications", "failed"]
    with sqlite3.connect(tmp_path / "var" / "scintel.db") as conn:
        loaded = conn.execute(
            "SELECT s.name, count(*) FROM documents d JOIN sources s ON s.id = d.source_id"
            " GROUP BY s.name"
        ).fetchall()
    assert dict(loaded) == {"europepmc": 4}  # the fixtures' papers of 5-11 January
    assert (tmp_path / "var" / "digests" / "2026-W02" / "digest.md").is_file()


# --- windows and weeks ------------------------------------------------------------------


def test_digest_week_is_the_window_s_last_week_once_it_is_over() -> None:
    today = date(2026, 11, 25)  # a Wednesday of 2026-W48
    assert (
        str(pipeline.digest_week(Window(date(2026, 11, 16), date(2026, 11, 22)), today))
        == "2026-W47"
    )
    assert (
        str(pipeline.digest_week(Window(date(2026, 1, 5), date(2026, 1, 8)), today)) == "2026-W02"
    )
    # A window reaching into the running week: the last complete week.
    assert (
        str(pipeline.digest_week(Window(date(2026, 11, 19), date(2026, 11, 25)), today))
        == "2026-W47"
    )


def test_data_intervals_become_inclusive_day_windows() -> None:
    day = dagtasks.interval_window(
        datetime(2026, 1, 7, tzinfo=UTC), datetime(2026, 1, 8, tzinfo=UTC)
    )
    assert day == Window(date(2026, 1, 7), date(2026, 1, 7))
    week = dagtasks.interval_window(
        datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC)
    )
    assert week == Window(date(2026, 11, 16), date(2026, 11, 22))
    assert dagtasks.interval_window(None, None) == Window.resolve()


def test_unknown_kind_is_a_clear_error() -> None:
    with pytest.raises(
        ScintelError, match="unknown source kind 'patent-ish'; known: publications, patents"
    ):
        pipeline.item_kind("patent-ish")
