"""Shared fixtures: a migrated warehouse on SQLite always, and on PostgreSQL when
SCINTEL_TEST_DATABASE_URL is set (a fresh database is created for the session)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from scintel.config import Settings, parse_database_url
from scintel.storage import migrate
from scintel.storage.engine import make_engine
from scintel.storage.models import Base

PG_ENV = "SCINTEL_TEST_DATABASE_URL"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite warehouse migrated once per session; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "warehouse.db"
    engine = make_engine(URL.create("sqlite", database=str(path)))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[URL]:
    """A fresh, migrated PostgreSQL database for this session, dropped at the end."""
    raw = os.environ.get(PG_ENV)
    if not raw:
        pytest.skip(f"{PG_ENV} is not set")
    server = parse_database_url(raw)
    name = f"scintel_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty, migrated warehouse: every test using it runs on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "warehouse.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        engine = make_engine(URL.create("sqlite", database=str(path)))
    else:
        engine = make_engine(request.getfixturevalue("postgres_url"))
        _truncate_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_warehouse(tmp_path: Path, sqlite_template: Path) -> Iterator[Engine]:
    """An empty, migrated SQLite warehouse, for tests that are not about the database."""
    path = tmp_path / "warehouse.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(URL.create("sqlite", database=str(path)))
    yield engine
    engine.dispose()


@pytest.fixture
def settings(warehouse: Engine, tmp_path: Path) -> Settings:
    """Settings pointing at the test warehouse and a fresh data dir."""
    return Settings(database_url=warehouse.url, data_dir=tmp_path / "var", profile="ket-biotech")
