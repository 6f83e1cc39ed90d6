"""`scintel db ...`: build, upgrade and inspect the warehouse schema."""

from __future__ import annotations

from typing import Annotated

import typer

from scintel.cli.app import console, db_app, settings
from scintel.storage import migrate
from scintel.storage.engine import check_connection, make_engine


@db_app.command("upgrade")
def upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Create or upgrade the warehouse schema (Alembic)."""
    config = settings(ctx)
    engine = make_engine(config.database_url)
    check_connection(engine)
    migrate.upgrade(engine, revision)
    console.print(
        f"warehouse at [bold]{config.safe_database_url()}[/] is at revision {migrate.current(engine)}"
    )


@db_app.command("downgrade")
def downgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision ('base' drops everything).")],
) -> None:
    """Downgrade the warehouse schema to REVISION."""
    config = settings(ctx)
    engine = make_engine(config.database_url)
    check_connection(engine)
    migrate.downgrade(engine, revision)
    console.print(f"warehouse is at revision {migrate.current(engine) or 'base'}")


@db_app.command("current")
def current(ctx: typer.Context) -> None:
    """Print the schema revision of the warehouse."""
    engine = make_engine(settings(ctx).database_url)
    check_connection(engine)
    console.print(migrate.current(engine) or "base (empty)")
