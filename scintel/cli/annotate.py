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
    for number, line in enumerate(stream, 1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise ScintelError(f"{name}:{number}: not JSON: {exc.msg}") from None


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
    """Print entities, topics and the primary signal of each text as JSON Lines."""
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
    try:
        for result in annotate(nlp, resources, _records(stream, name), n_process=n_process):
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    finally:
        if stream is not sys.stdin:
            stream.close()
