"""Migrations: one head, a full round trip, and models that match the migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL

from scintel.storage import migrate
from scintel.storage.engine import make_engine
from scintel.storage.models import Base

VIEWS = {
    "v_documents",
    "v_weekly_signals",
    "v_entity_trends",
    "v_open_calls",
    "v_project_outputs",
    "v_project_output_candidates",
    "v_follow_on",
    "v_uptake",
    "v_organisations",
}


def test_single_head() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config(make_engine(URL.create("sqlite"))))
    assert len(script.get_heads()) == 1


def test_models_match_migrations(warehouse: Engine) -> None:
    with warehouse.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_round_trip_to_base_and_back(warehouse: Engine) -> None:
    assert set(inspect(warehouse).get_view_names()) >= VIEWS
    migrate.downgrade(warehouse, "base")
    inspector = inspect(warehouse)
    assert set(inspector.get_table_names()) <= {"alembic_version"}
    assert not set(inspector.get_view_names()) & VIEWS
    migrate.upgrade(warehouse)
    inspector = inspect(warehouse)
    assert {t.name for t in Base.metadata.sorted_tables} <= set(inspector.get_table_names())
    assert set(inspector.get_view_names()) >= VIEWS


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(URL.create("sqlite", database=str(tmp_path / "new" / "w.db")))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert (
        migrate.current(engine)
        == ScriptDirectory.from_config(migrate.alembic_config(engine)).get_current_head()
    )


def test_foreign_keys_are_enforced(warehouse: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), warehouse.begin() as conn:
        conn.execute(text("INSERT INTO publications (document_id) VALUES (424242)"))
