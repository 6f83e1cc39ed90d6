"""The `scintel` command as a user runs it: help, schema, loads, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_loader import GOOD

SCINTEL = [sys.executable, "-m", "scintel"]


def scintel(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SCINTEL_")}
    environ.update(env or {})
    environ["COLUMNS"] = "200"
    return subprocess.run(
        [*SCINTEL, *args],
        cwd=cwd,
        env=environ,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = scintel("--help", cwd=tmp_path)
    assert result.returncode == 0
    from scintel.cli.app import app

    commands = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert {"db", "load"} <= commands
    for name in commands:
        assert name in result.stdout


def test_commands_load_heavy_libraries_only_when_they_run(tmp_path: Path) -> None:
    """`scintel --help`, `db` and `load` start in well under a second: no spaCy, Scrapy,
    scikit-learn or matplotlib until a command that needs them runs."""
    heavy = ("spacy", "scrapy", "sklearn", "matplotlib")
    code = f"import sys, scintel.cli; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == []
    sources = scintel("sources", cwd=tmp_path)  # a command that needs Scrapy still gets it
    assert sources.returncode == 0, sources.stderr
    assert "europepmc" in sources.stdout


def test_db_upgrade_then_load_twice_in_the_default_data_dir(tmp_path: Path) -> None:
    upgrade = scintel("db", "upgrade", cwd=tmp_path)
    assert upgrade.returncode == 0, upgrade.stderr
    assert (tmp_path / "var" / "scintel.db").is_file()
    items = tmp_path / "items.jsonl"
    items.write_text("\n".join(json.dumps(i) for i in GOOD) + "\n{broken\n", "utf-8")
    first = scintel("load", str(items), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (
        "│ 6 " in first.stdout and "rejected" in first.stdout and ":6: invalid JSON" in first.stdout
    )
    second = scintel("load", "--workers", "1", str(items), cwd=tmp_path)  # rows built in a worker
    assert second.returncode == 0, second.stderr
    row = next(line for line in second.stdout.splitlines() if "items.jsonl" in line and "│" in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells[1:] == [
        "6",
        "0",
        "0",
        "5",
        "0",
        "1",
    ]  # received, inserted, updated, unchanged, dup, rejected


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ((), {"SCINTEL_DATABASE_URL": "not a url"}, "SCINTEL_DATABASE_URL: not a database URL"),
        (
            (),
            {"SCINTEL_DATABASE_URL": "mysql://x@localhost/db"},
            "SCINTEL_DATABASE_URL: unsupported database",
        ),
        (
            (),
            {"SCINTEL_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"},
            "SCINTEL_DATABASE_URL: cannot connect to postgresql+psycopg://nobody@127.0.0.1:1/none",
        ),
        (
            ("--database-url", "sqlite:////proc/no-such-dir/w.db"),
            {},
            "SCINTEL_DATABASE_URL: cannot create the folder of the SQLite file",
        ),
    ],
)
def test_bad_database_settings_give_one_line(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], expected: str
) -> None:
    result = scintel(*args, "db", "upgrade", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_password_is_not_printed(tmp_path: Path) -> None:
    result = scintel(
        "db",
        "upgrade",
        cwd=tmp_path,
        env={"SCINTEL_DATABASE_URL": "postgresql://u:s3cr3t@127.0.0.1:1/none"},
    )
    assert result.returncode == 2 and "s3cr3t" not in result.stderr and "***" in result.stderr


def test_load_without_schema_says_what_to_run(tmp_path: Path) -> None:
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps(GOOD[0]) + "\n", "utf-8")
    result = scintel("load", str(items), cwd=tmp_path)
    assert result.returncode == 2 and "run `scintel db upgrade` first" in result.stderr


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    result = scintel("load", "nope.jsonl", cwd=tmp_path)
    assert result.returncode == 2 and "no such file: nope.jsonl" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("bogus",), "No such command 'bogus'"),
        (("run", "--offlin"), "No such option: --offlin"),
        (("load",), "Missing argument 'paths'"),
        (("network", "--export", "xml"), "'xml' is not one of"),
        (("crawl", "europepmc", "--since", "[^*$]"), "[^*$]"),
    ],
)
def test_usage_errors_are_one_literal_line_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    result = scintel(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("scintel: error: "), result.stderr
    assert expected in lines[0]


def test_help_shows_flags_without_a_value(tmp_path: Path) -> None:
    result = scintel("run", "--help", cwd=tmp_path)
    assert result.returncode == 0
    offline = next(line for line in result.stdout.splitlines() if "--offline" in line)
    assert "<bool>" not in offline and "BOOLEAN" not in offline


def test_a_held_sqlite_write_lock_fails_in_one_line(tmp_path: Path) -> None:
    import sqlite3

    assert scintel("db", "upgrade", cwd=tmp_path).returncode == 0
    items = tmp_path / "items.jsonl"
    items.write_text("\n".join(json.dumps(i) for i in GOOD) + "\n", "utf-8")
    holder = sqlite3.connect(tmp_path / "var" / "scintel.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = scintel(
            "load", str(items), cwd=tmp_path, env={"SCINTEL_SQLITE_BUSY_TIMEOUT": "0.2"}
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "database is locked" in lines[0] and "another process" in lines[0]


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own, for a test that breaks its schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    raw = os.environ.get("SCINTEL_TEST_DATABASE_URL")
    if not raw:
        pytest.skip("SCINTEL_TEST_DATABASE_URL is not set")
    from sqlalchemy import create_engine, text

    name = f"scintel_scratch_{uuid.uuid4().hex[:8]}"
    admin = create_engine(raw, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_database_error_is_one_line_without_sql(tmp_path: Path, scratch_db_url: str) -> None:
    from sqlalchemy import create_engine, text

    env = {"SCINTEL_DATABASE_URL": scratch_db_url}
    assert scintel("db", "upgrade", cwd=tmp_path, env=env).returncode == 0
    engine = create_engine(scratch_db_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE grants"))
    engine.dispose()
    items = tmp_path / "items.jsonl"
    items.write_text("\n".join(json.dumps(i) for i in GOOD) + "\n", "utf-8")
    result = scintel("load", str(items), cwd=tmp_path, env=env)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("scintel: error: database: "), result.stderr
    assert "grants" in lines[0] and "INSERT" not in lines[0] and "SELECT" not in lines[0]
