"""Entity, topic and signal quality on the annotated corpus, beside the bare model.

    python bench/nlp_quality.py [--split test|dev|train] [--kinds] [--errors N]

Runs every text of the split through `scintel annotate`'s code path (the enrichment
pipeline, the profile's rules, topics and the primary signal) and scores it against
the gold annotations: strict spans (exact start, end, label) and lenient (overlap) per
label, topic F1 and primary-signal accuracy, per document kind with --kinds. Beside it,
the bare `en_core_web_sm` NER on the same texts (it has ORG, GPE, PERSON and MONEY).
The test split is for reporting only: error analysis (--errors) is refused there.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scintel.nlp.annotate import annotate
from scintel.nlp.corpus import CORPUS_DIR, load_split
from scintel.nlp.evaluate import evaluate, format_report
from scintel.nlp.model import load_ner, resolve_model
from scintel.nlp.pipeline import build_pipeline, load_resources
from scintel.profile import load_profile

BARE_LABELS = {"ORG": "ORG", "GPE": "GPE", "LOC": "GPE", "PERSON": "PERSON", "MONEY": "MONEY"}


def _errors(gold: list[dict], predicted: list[dict], limit: int) -> None:
    for g, p in zip(gold, predicted, strict=True):
        want = {(e["start"], e["end"], e["label"]) for e in g["entities"]}
        got = {(e["start"], e["end"], e["label"]) for e in p["entities"]}
        text = g["text"]
        missed = sorted(want - got)[:limit]
        wrong = sorted(got - want)[:limit]
        if not (missed or wrong) and g["signal"]["type"] == p["signal"]["type"]:
            continue
        print(
            f"--- {g['id']} ({g['kind']}) signal gold={g['signal']['type']} got={p['signal']['type']}"
        )
        print(f"    topics gold={sorted(g['topics'])} got={sorted(p['topics'])}")
        for s, e, label in missed:
            print(f"    missed {label:<10} {text[s:e]!r}")
        for s, e, label in wrong:
            print(f"    wrong  {label:<10} {text[s:e]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "dev", "train"))
    parser.add_argument("--profile", default="ket-biotech")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help="folder of the split files")
    parser.add_argument("--kinds", action="store_true", help="also report per document kind")
    parser.add_argument(
        "--errors", type=int, default=0, help="list up to N errors per text (not on test)"
    )
    args = parser.parse_args()
    if args.errors and args.split == "test":
        sys.exit("error analysis is for dev and train; the test split only reports")
    gold = load_split(args.split, args.corpus)
    resources = load_resources(load_profile(args.profile))
    nlp = build_pipeline(resources)
    predicted = []
    for result in annotate(nlp, resources, gold):
        result["topics"] = [t["key"] for t in result["topics"]]
        predicted.append(result)
    model = resolve_model(resources.spec.model)
    bare_nlp = load_ner(model)
    bare = [
        {
            "id": g["id"],
            "entities": [
                {"start": e.start_char, "end": e.end_char, "label": BARE_LABELS[e.label_]}
                for e in doc.ents
                if e.label_ in BARE_LABELS
            ],
        }
        for g, doc in zip(gold, bare_nlp.pipe(g["text"] for g in gold), strict=True)
    ]
    ours, theirs = evaluate(gold, predicted), evaluate(gold, bare)
    print(f"split {args.split}: {len(gold)} texts, model {model} {bare_nlp.meta.get('version')}")
    print("\n".join(format_report("enrichment", ours["all"])))
    print(
        "\n".join(
            format_report(f"bare {model} NER", theirs["all"], dict.fromkeys(BARE_LABELS.values()))
        )
    )
    if args.kinds:
        for kind in sorted(k for k in ours if k != "all"):
            print("\n".join(format_report(f"enrichment, {kind}", ours[kind])))
    if args.errors:
        _errors(gold, predicted, args.errors)


if __name__ == "__main__":
    main()
