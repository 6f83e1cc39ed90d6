"""`scintel load`: idempotent upsert of landing-zone JSON Lines files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from scintel.cli.app import app, console, settings
from scintel.errors import ScintelError
from scintel.storage.engine import check_connection, make_engine
from scintel.storage.loader import LoadReport, load_file
from scintel.storage.schema import require_schema

COLUMNS = ("received", "inserted", "updated", "unchanged", "repeats", "rejected")


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


@app.command("load")
def load(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="JSON Lines item files.")],
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per INSERT batch.")] = 2000,
    workers: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Processes that validate items and build rows beside the writer. "
            "Default: one per spare core (up to 3) for files over 8 MiB; 0: none.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Load item files, one transaction per file; reloading a file changes nothing."""
    for path in paths:
        if not path.is_file():
            raise ScintelError(f"no such file: {path}")
    engine = make_engine(settings(ctx).database_url)
    check_connection(engine)
    require_schema(engine)
    total = LoadReport(path="total")
    table = Table("file", *COLUMNS, title="load")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        for path in paths:
            task = progress.add_task(path.name, total=_count_lines(path))
            report = load_file(
                engine,
                path,
                batch_size=batch_size,
                workers=workers,
                on_batch=lambda n, task=task: progress.advance(task, n),
            )
            total.add(report)
            table.add_row(str(path), *(str(getattr(report, c)) for c in COLUMNS))
            for line, reason in report.rejects[:20]:
                console.print(f"[yellow]rejected[/] {path}:{line}: {reason}")
            if len(report.rejects) > 20:
                console.print(f"[yellow]... and {len(report.rejects) - 20} more rejected lines[/]")
    if len(paths) > 1:
        table.add_row("total", *(str(getattr(total, c)) for c in COLUMNS))
    console.print(table)
