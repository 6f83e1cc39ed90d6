"""The `scintel` command as a user runs it: help, schema, loads, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_loader import GOOD

SCINTEL = [sys.executable, "-m", "scintel"]


def scintel(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SCINTEL_")}
    environ.update(env or {})
    environ["COLUMNS"] = "200"
    return subprocess.run(
        [*SCINTEL, *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=120
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
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
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
    assert "│ 6 " in first.stdout and "rejected" in first.stdout and ":6: invalid JSON" in first.stdout
    second = scintel("load", "--workers", "1", str(items), cwd=tmp_path)  # rows built in a worker
    assert second.returncode == 0, second.stderr
    row = next(line for line in second.stdout.splitlines() if "items.jsonl" in line and "│" in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells[1:] == ["6", "0", "0", "5", "0", "1"]  # received, inserted, updated, unchanged, dup, rejected


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ((), {"SCINTEL_DATABASE_URL": "not a url"}, "SCINTEL_DATABASE_URL: not a database URL"),
        ((), {"SCINTEL_DATABASE_URL": "mysql://x@localhost/db"}, "SCINTEL_DATABASE_URL: unsupported database"),
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
        "db", "upgrade", cwd=tmp_path,
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
