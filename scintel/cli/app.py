"""The Typer application, its global options and one-line error handling."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from scintel.config import ENV_DATA_DIR, ENV_DATABASE_URL, ENV_PROFILE, Settings, load_settings

app = typer.Typer(
    name="scintel",
    help="Science intelligence: crawl sources, enrich, load the warehouse, write the digest.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(
    help="Manage the warehouse schema.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(db_app, name="db")

console = Console()
err_console = Console(stderr=True)


@app.callback()
def configure(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            envvar=ENV_DATABASE_URL, help="Warehouse URL (default: SQLite in the data dir)."
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(envvar=ENV_DATA_DIR, help="Landing zone and local state (default: ./var)."),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(envvar=ENV_PROFILE, help="Watch profile: a bundled name or a YAML path."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False,
) -> None:
    """Resolve settings once; commands read them from the context."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = load_settings(database_url=database_url, data_dir=data_dir, profile=profile)


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj
