"""`scintel run`: the main job in-process: crawl every source, enrich, load, impact, digest."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from scintel import pipeline
from scintel.cli.app import app, console, settings
from scintel.errors import ScintelError
from scintel.profile import load_profile
from scintel.spiders.window import Window

KIND_NAMES = {item: name for name, item in pipeline.KINDS.items()}
STATUS_STYLE = {"finished": "green", "failed": "red", "skipped": "yellow"}


class RunProgress:
    """Rich progress bars fed by the pipeline's events: one bar for the crawls, one per step."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.crawls: TaskID | None = None
        self.running: set[str] = set()
        self.steps: dict[str, TaskID] = {}

    def __call__(self, event: pipeline.Event) -> None:
        if event.stage == "crawl":
            self._crawl(event)
        elif event.state == "started":
            self.steps[event.stage] = self.progress.add_task(event.stage, total=1)
        else:
            task = self.steps[event.stage]
            self.progress.update(
                task, completed=1, description=f"{event.stage}: {event.detail}".rstrip(": ")
            )

    def _crawl(self, event: pipeline.Event) -> None:
        if event.state == "planned":
            self.crawls = self.progress.add_task("crawl", total=event.total)
            return
        assert self.crawls is not None
        if event.state == "started":
            self.running.add(event.name)
        else:
            self.running.discard(event.name)
            self.progress.advance(self.crawls)
            if event.state != "finished":
                style = STATUS_STYLE.get(event.state, "")
                self.progress.console.print(
                    f"[{style}]{event.name}: {event.state}[/]: {event.detail}"
                )
        now = ", ".join(sorted(self.running))
        self.progress.update(self.crawls, description=f"crawl {now}" if now else "crawl")


def summary_table(summary: pipeline.RunSummary) -> Table:
    table = Table(title=f"scintel run {summary.window}", box=box.SIMPLE_HEAD, collapse_padding=True)
    for name in ("source", "kind", "status"):
        table.add_column(name, no_wrap=True)
    for name in ("records", "new", "updated", "rejected", "time"):
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    for run in summary.sources:
        if run.status == "skipped":
            continue
        style = STATUS_STYLE.get(run.status, "")
        table.add_row(
            run.source,
            KIND_NAMES.get(run.kind, run.kind),
            f"[{style}]{run.status}[/]",
            str(run.records),
            str(run.new),
            str(run.updated),
            str(run.rejected),
            f"{run.seconds:.1f}s",
        )
    return table


@app.command("run")
def run(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="First day YYYY-MM-DD (default: 7 days ago).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Last day YYYY-MM-DD (default: today).")] = None,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Replay the bundled samples from a local server (default: the days they cover).",
        ),
    ] = False,
) -> None:
    """Crawl every enabled source of the profile, enrich and load, link impact, write the digest."""
    config = settings(ctx)
    profile = load_profile(config.profile)
    window = Window.resolve(since, until) if since or until or not offline else None
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        summary = pipeline.run_all(
            config,
            profile,
            window,
            offline=offline,
            progress=RunProgress(progress),
        )
    console.print(summary_table(summary))
    for run in summary.sources:
        if run.status == "skipped":
            console.print(f"[yellow]skipped[/] {run.source}: {run.message}")
    if summary.enrich is not None:
        e = summary.enrich
        console.print(
            f"enriched {e.enriched} documents: {e.mentions} mentions, {e.topics} topic tags, "
            f"{e.signals} signals, {e.duplicates} duplicates linked"
        )
    if summary.digest is not None:
        d = summary.digest
        note = " (nothing new that week)" if d.empty else f": {', '.join(d.sections)}"
        console.print(f"digest {d.week}{note}\nhtml: {d.html_path}\ntext: {d.text_path}")
    console.print(f"done in {summary.seconds:.1f}s; warehouse: {config.safe_database_url()}")
    if summary.failed:
        names = ", ".join(r.source for r in summary.failed)
        raise ScintelError(
            f"{len(summary.failed)} source(s) failed: {names}; the others were loaded"
        )
