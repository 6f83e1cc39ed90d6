"""`scintel annotate`: what the enrichment reads in texts, as JSON Lines, without a warehouse."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from scintel.cli.app import app, settings
from scintel.errors import ScintelError
from scintel.profile import load_profile


def _records(stream: IO[str], name: str) -> Iterator[Any]:
    from scintel.nlp.annotate import Rejected

    for number, line in enumerate(stream, 1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                yield Rejected(None, f"{name}:{number}: not JSON: {exc.msg}")


@app.command("annotate")
def annotate_command(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            help="JSON Lines of {id, kind, text, title?, cpc?, published?}; - reads stdin."
        ),
    ] = "-",
    n_process: Annotated[int, typer.Option(min=1, help="spaCy worker processes.")] = 1,
) -> None:
    """Print entities, topics and the primary signal of each text as JSON Lines.

    A record that cannot be read gets an `{"id", "error"}` line in its place (and one line
    on stderr); the others are annotated all the same."""
    from scintel.nlp.annotate import annotate  # spaCy loads only when this command runs
    from scintel.nlp.pipeline import build_pipeline, load_resources

    resources = load_resources(load_profile(settings(ctx).profile))
    nlp = build_pipeline(resources)
    if source == "-":
        stream, name = sys.stdin, "<stdin>"
    else:
        path = Path(source)
        if not path.is_file():
            raise ScintelError(f"no such file: {source}")
        stream, name = path.open(encoding="utf-8"), source
    done = rejected = 0
    try:
        for result in annotate(nlp, resources, _records(stream, name), n_process=n_process):
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            done += 1
            if "error" in result:
                rejected += 1
                typer.echo(f"scintel: rejected {result['error']}", err=True)
    finally:
        if stream is not sys.stdin:
            stream.close()
    if rejected:
        typer.echo(f"scintel: annotated {done - rejected} records, rejected {rejected}", err=True)
