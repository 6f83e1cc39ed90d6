"""`scintel crawl NAME` and `scintel sources`: run one spider, list the spiders."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scintel.cli.app import app, console, settings
from scintel.errors import ScintelError
from scintel.profile import load_profile
from scintel.spiders.source_settings import registered_sources
from scintel.spiders.window import Window


@app.command("crawl")
def crawl(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Spider name (see `scintel sources`).")],
    since: Annotated[
        str | None, typer.Option(help="First day YYYY-MM-DD (default: 7 days ago).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Last day YYYY-MM-DD (default: today).")] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url", help="Ask this scheme://host[:port] instead of the live service."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(help="Write items to this JSON Lines file instead of the landing zone."),
    ] = None,
) -> None:
    """Crawl one source over a window in its own process and record the run."""
    from scintel import crawl as crawl_step  # Scrapy loads only when a crawl command runs

    config = settings(ctx)
    window = Window.resolve(since, until)
    profile = load_profile(config.profile)
    summary = crawl_step.crawl(config, profile, source, window, base_url=base_url, output=output)
    if summary.status == "skipped":
        console.print(f"[yellow]{source}: skipped[/]: {summary.message}")
        return
    table = Table(
        "source", "window", "status", "pages", "items", "rejected", "seconds", title="crawl"
    )
    table.add_row(
        source,
        str(window),
        summary.status,
        str(summary.pages),
        str(summary.items),
        str(summary.rejected),
        f"{summary.seconds:.1f}",
    )
    console.print(table)
    console.print(f"items: {summary.items_path}")
    if summary.rejected:
        console.print(f"[yellow]rejected[/]: {summary.rejected_path}")
    if summary.status == "failed":
        raise ScintelError(
            f"crawl of {source} failed (run {summary.crawl_run_id}): {summary.message}; log: {summary.log_path}"
        )


@app.command("sources")
def sources(ctx: typer.Context) -> None:
    """List the spiders with their label, kind, live endpoint and whether the profile enables them."""
    profile = load_profile(settings(ctx).profile)
    table = Table("source", "label", "kind", "live endpoint", f"in profile {profile.name}")
    table.columns[3].overflow = "fold"
    for name, cls in registered_sources().items():
        enabled = "yes" if profile.source(name).enabled else "no"
        table.add_row(name, cls.label, cls.kind, cls.endpoint, enabled)
    console.print(table)
