"""`scintel nlp train`: rebuild the trained entity component from the annotated corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scintel.cli.app import app, console

nlp_app = typer.Typer(
    help="The enrichment's trained component.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(nlp_app, name="nlp")


@nlp_app.command("train")
def train_command(
    out: Annotated[
        Path | None,
        typer.Option(help="Where to save it (default: the package's nlp/models/terms)."),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed and corpus give the same model.")
    ] = 1,
    corpus: Annotated[
        Path | None,
        typer.Option(help="Folder with train.jsonl and dev.jsonl (default: nlp/corpus)."),
    ] = None,
) -> None:
    """Train scintel_terms (CHEMICAL, TECHNOLOGY, ORGANISM, PROGRAMME) on the train split."""
    from scintel.nlp.train import MODEL_DIR, train  # spaCy loads only when this command runs

    target = out or MODEL_DIR
    scores = train(target, seed=seed, corpus=corpus)
    console.print(
        f"saved to {target}; dev scores: "
        + ", ".join(f"{k} {v:.3f}" for k, v in sorted(scores.items()))
    )
