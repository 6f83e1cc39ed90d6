"""`scintel enrich`: NLP enrichment of landing-zone items into the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scintel.cli.app import app, console, settings
from scintel.profile import load_profile


@app.command("enrich")
def enrich_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Item files (default: landing-zone files not yet enriched)."),
    ] = None,
    batch_size: Annotated[
        int | None, typer.Option(min=1, help="Documents per nlp.pipe batch and transaction.")
    ] = None,
    n_process: Annotated[
        int | None, typer.Option(min=1, help="spaCy worker processes (default: the profile's).")
    ] = None,
) -> None:
    """Extract entities, topics and signals, link duplicates; rerunning changes nothing."""
    from scintel.enrich import enrich  # spaCy loads only when this command runs

    config = settings(ctx)
    summary = enrich(
        config,
        load_profile(config.profile),
        paths or None,
        batch_size=batch_size,
        n_process=n_process,
    )
    table = Table("enrich", "count")
    for name, value in summary.as_dict().items():
        table.add_row(name, str(value))
    console.print(table)
    for origin, line, reason in summary.rejects[:20]:
        console.print(f"[yellow]rejected[/] {origin}:{line}: {reason}")
