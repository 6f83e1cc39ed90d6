"""Schema migrations through Alembic, for the CLI, the tests and Airflow alike."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from scintel.errors import ScintelError


def migrations_dir() -> Path:
    """The Alembic scripts: packaged as scintel.migrations, or alembic/ of a checkout."""
    spec = importlib.util.find_spec("scintel.migrations")
    if spec and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    checkout = Path(__file__).resolve().parent.parent / "alembic"
    if (checkout / "env.py").is_file():
        return checkout
    raise ScintelError("the migration scripts are missing from this installation")


def alembic_config(engine: Engine) -> Config:
    """An Alembic config that runs on the given engine's connection."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("path_separator", "os")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    command.downgrade(alembic_config(engine), revision)


def current(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
