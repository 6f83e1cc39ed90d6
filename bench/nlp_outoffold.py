"""Entity quality on texts whose own terms the harvested dictionary never saw.

    python bench/nlp_outoffold.py [--folds 4] [--seed 1] [--by-batch] [--errors FILE]
                                  [--predictions FILE]

The harvested dictionary (`scintel nlp harvest`) learns every term the train and dev
splits' annotators mark, so those texts, and any text sharing their vocabulary, flatter
the enrichment. Here the train and dev texts are split into folds; each fold is annotated
with a dictionary harvested from the texts outside it, as a fresh text would be. Strict
and lenient F1 per label, as bench/nlp_quality.py prints them; --errors writes each
text's missed and wrong spans to FILE for error analysis, --predictions each text's
annotation (JSON Lines, as `scintel annotate` writes it). It never reads the test split.
--by-batch keeps each annotation batch (one theme, its first pass in `passes`) in one fold,
so no fold's dictionary has seen the theme's vocabulary: closer to what a text from a new
theme meets, and to the scores batches get on arrival.
Topics are left out: the topic classifier is trained on all of train.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import tempfile
from pathlib import Path

from scintel.nlp.annotate import annotate
from scintel.nlp.corpus import load_learning
from scintel.nlp.evaluate import evaluate, format_report
from scintel.nlp.harvest import harvest_inputs, harvest_into
from scintel.nlp.pipeline import build_pipeline, load_resources
from scintel.profile import load_profile


def _errors(gold: list[dict], predicted: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for g, p in zip(gold, predicted, strict=True):
            want = {(e["start"], e["end"], e["label"]) for e in g["entities"]}
            got = {(e["start"], e["end"], e["label"]) for e in p["entities"]}
            text = g["text"]
            out.write(f"--- {g['id']} ({g['kind']})\n")
            for s, e, label in sorted(want - got):
                out.write(f"    missed {label:<10} {text[s:e]!r}\n")
            for s, e, label in sorted(got - want):
                out.write(f"    wrong  {label:<10} {text[s:e]!r}\n")


def _batch(record: dict) -> str:
    """The annotation batch a record came in: the tag of its first pass, else its id."""
    passes = record.get("passes") or []
    match = re.search(r"\(([a-z]+\d+[a-z]*)\)", passes[0]) if passes else None
    return match.group(1) if match else record["id"]


def _folds(texts: list[dict], folds: int, seed: int, by_batch: bool) -> list[list[dict]]:
    if not by_batch:
        random.Random(seed).shuffle(texts)
        return [texts[k::folds] for k in range(folds)]
    groups: dict[str, list[dict]] = {}
    for record in texts:
        groups.setdefault(_batch(record), []).append(record)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    out: list[list[dict]] = [[] for _ in range(folds)]
    for key in sorted(keys, key=lambda k: -len(groups[k])):
        min(out, key=len).extend(groups[key])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="ket-biotech")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--errors", type=Path, help="write each text's errors here")
    parser.add_argument("--predictions", type=Path, help="write each text's annotation here")
    parser.add_argument("--by-kind", action="store_true", help="a report per document kind too")
    parser.add_argument(
        "--by-batch", action="store_true", help="keep each annotation batch in one fold"
    )
    args = parser.parse_args()
    texts = load_learning()
    source = load_profile(args.profile)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "profile"
        shutil.copytree(source.base_dir, copy)
        profile_file = copy / "profile.yaml"
        profile = load_profile(str(profile_file))
        target, known, lexicon = harvest_inputs(profile)
        gold, predicted = [], []
        for fold in _folds(texts, args.folds, args.seed, args.by_batch):
            held_out = {r["id"] for r in fold}
            learning = [r for r in texts if r["id"] not in held_out]
            modifiers = profile.path(profile.nlp.modifiers) if profile.nlp.modifiers else None
            harvest_into(learning, known, target, modifiers, lexicon)
            resources = load_resources(load_profile(str(profile_file)))
            nlp = build_pipeline(resources)
            gold += [r | {"topics": []} for r in fold]  # topics: see the docstring
            predicted += [p | {"topics": []} for p in annotate(nlp, resources, fold)]
    print(f"{len(gold)} train and dev texts in {args.folds} folds, each with the others' harvest")
    reports = evaluate(gold, predicted)
    print("\n".join(format_report("enrichment, out of fold", reports["all"])))
    if args.by_kind:
        for kind in sorted(k for k in reports if k != "all"):
            print("\n".join(format_report(f"out of fold, {kind}", reports[kind])))
    if args.errors:
        _errors(gold, predicted, args.errors)
    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in predicted)


if __name__ == "__main__":
    main()
