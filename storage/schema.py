"""Checks that the warehouse schema is in place before a step writes to it."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from scintel.config import ENV_DATABASE_URL
from scintel.errors import ScintelError


def require_schema(engine: Engine) -> None:
    """Fail clearly when `scintel db upgrade` has not been run on this warehouse."""
    if not inspect(engine).has_table("documents"):
        safe = engine.url.render_as_string(hide_password=True)
        raise ScintelError(
            f"no warehouse schema at {safe}; run `scintel db upgrade` first", ENV_DATABASE_URL
        )
