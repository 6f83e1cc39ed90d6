"""`scintel digest`: write (and optionally send) the weekly digest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scintel.cli.app import app, console, settings


@app.command("digest")
def digest(
    ctx: typer.Context,
    week: Annotated[
        str | None,
        typer.Option(help="ISO week, e.g. 2026-W47 (default: the last complete week)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder (default: <data dir>/digests/<week>)."),
    ] = None,
    send: Annotated[
        bool, typer.Option("--send", help="E-mail it to the profile's recipients (SCINTEL_SMTP_*).")
    ] = False,
) -> None:
    """Write the weekly digest as HTML and Markdown, archive it, and optionally e-mail it."""
    from scintel.digest import build_digest  # matplotlib loads only when this command runs

    result = build_digest(settings(ctx), week=week, out_dir=out, send=send)
    table = Table("section", "items", title=f"digest {result.week} ({result.profile})")
    for name, count in result.stats["items"].items():
        table.add_row(name.replace("_", " "), str(count))
    console.print(table)
    if result.empty:
        console.print(f"[yellow]nothing new in {result.week}[/]")
    console.print(f"html: {result.html_path}\ntext: {result.text_path}")
    if result.sent_to:
        console.print(f"sent to {', '.join(result.sent_to)}")
    console.print(f"done in {result.seconds:.2f}s (archived as digest #{result.digest_id})")
