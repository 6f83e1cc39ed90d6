"""Entity quality on texts whose own terms the harvested dictionary never saw.

    python bench/nlp_outoffold.py [--folds 4] [--seed 1] [--by-batch] [--no-context]
                                  [--errors FILE] [--predictions FILE]

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
The term-context model (`nlp.context`, `scintel nlp context`) has learnt from every train
and dev text, so each fold gets one learnt from the other folds' texts and what the
enrichment found in them out of fold; --no-context leaves it out.
Topics are left out: the topic classifier is trained on all of train.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scintel.nlp.corpus import load_learning
from scintel.nlp.evaluate import evaluate, format_report
from scintel.nlp.outoffold import annotate_out_of_fold, split_folds
from scintel.nlp.term_context import learn
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


def _in_context(
    pairs: list[tuple[dict, dict]], parts: list[list[dict]], predicted: list[dict]
) -> list[dict]:
    """The annotations after a term-context model learnt from the other folds' texts (and
    what the enrichment found in them out of fold) has judged each fold's terms."""
    fold_of = {r["id"]: k for k, part in enumerate(parts) for r in part}
    out = list(predicted)
    for k in range(len(parts)):
        model = learn((g, p) for g, p in pairs if fold_of[g["id"]] != k)
        for n, (gold, found) in enumerate(pairs):
            if fold_of[gold["id"]] != k:
                continue
            text = gold["text"]
            spans = [(e["start"], e["end"], e["label"]) for e in found["entities"]]
            drop, add = model.judge(text, spans)
            kept = [e for e in out[n]["entities"] if (e["start"], e["end"], e["label"]) not in drop]
            made = [{"start": s, "end": e, "label": lab, "text": text[s:e]} for s, e, lab in add]
            out[n] = out[n] | {"entities": sorted(kept + made, key=lambda e: e["start"])}
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
    parser.add_argument(
        "--no-context", action="store_true", help="leave out the term-context model"
    )
    args = parser.parse_args()
    texts = load_learning()
    profile = load_profile(args.profile)
    parts = split_folds(texts, args.folds, args.seed, args.by_batch)
    pairs = [
        (record, found)
        for part, annotated in annotate_out_of_fold(texts, profile, parts)
        for record, found in zip(part, annotated, strict=True)
    ]
    gold = [r | {"topics": []} for r, _ in pairs]  # topics: see the docstring
    predicted = [p | {"topics": []} for _, p in pairs]
    if profile.nlp.context and not args.no_context:
        predicted = _in_context(pairs, parts, predicted)
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
