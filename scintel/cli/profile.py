"""`scintel profile`: validate the watch profile and show what it watches."""

from __future__ import annotations

import typer
from rich.table import Table

from scintel.cli.app import app, console, settings
from scintel.profile import bundled_profiles, load_profile


@app.command("profile")
def profile(ctx: typer.Context) -> None:
    """Validate the active watch profile and summarise it."""
    loaded = load_profile(settings(ctx).profile)
    console.print(f"[bold]{loaded.name}[/]: {loaded.title}  ({loaded.base_dir})")
    table = Table("source", "enabled", "settings")
    for name, spec in sorted(loaded.sources.items()):
        params = ", ".join(f"{k}={v!r}" for k, v in (spec.model_extra or {}).items())
        table.add_row(name, "yes" if spec.enabled else "no", params[:100])
    console.print(table)
    console.print(f"bundled profiles: {', '.join(sorted(bundled_profiles()))}")
