"""Choose the topic classifier's settings by cross-validation on the train and dev splits.

    python bench/topic_cv.py [--folds 5] [--seed 1] [--c 3 10 30 100]

The shipped topic model (nlp/topic_model.py) has three numbers: the regression's `C`, the
rules' weight in the mix and the threshold the mixed score must reach. They are chosen
here and nowhere else: the train and dev texts are split into folds; for each `C` each
fold is guessed by a classifier trained on the other folds, and every (rule weight,
threshold) pair is scored on those out-of-fold guesses with the pipeline's own mixing
(`scintel.nlp.topics.mix`) and its own term counts and CPC codes. It prints topic micro
F1 for each setting, the best, and the shipped setting beside it. It never reads the test
split, so a setting chosen here does not flatter the test split's score.
"""

from __future__ import annotations

import argparse
import random
from itertools import product
from typing import Any

from scintel.nlp.analysis import analyse
from scintel.nlp.annotate import cpc_codes
from scintel.nlp.corpus import load_learning
from scintel.nlp.pipeline import build_pipeline, load_resources
from scintel.nlp.topic_model import RULE_WEIGHT, THRESHOLD, C, TopicModel, train_topic_model
from scintel.nlp.topics import Taxonomy, TopicScore, TopicScorer, mix
from scintel.profile import load_profile

RULE_WEIGHTS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(11)]  # 0.20 ... 0.70


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _line(counts: tuple[int, int, int]) -> str:
    p, r, f = _f1(*counts)
    return (
        f"P {p:.3f} R {r:.3f} F1 {f:.3f} ({counts[0]} right, {counts[1]} wrong, {counts[2]} missed)"
    )


def _score(
    taxonomy: Taxonomy,
    texts: list[dict[str, Any]],
    rules: dict[str, list[TopicScore]],
    guesses: dict[str, dict],
    rule_weight: float,
    threshold: float,
) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for record in texts:
        got = {
            t.key
            for t in mix(
                taxonomy, rules[record["id"]], guesses.get(record["id"], {}), rule_weight, threshold
            )
        }
        want = set(record["topics"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    return tp, fp, fn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="ket-biotech")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--c", type=float, nargs="+", default=[3.0, 10.0, 30.0, 100.0])
    args = parser.parse_args()
    texts = load_learning()
    resources = load_resources(load_profile(args.profile))
    taxonomy = resources.taxonomy
    keys = [t.key for t in taxonomy.topics]
    rules_only = TopicScorer(taxonomy)
    nlp = build_pipeline(resources)
    rules: dict[str, list[TopicScore]] = {}
    read: dict[str, str] = {}  # each text as the pipeline reads it (Unicode spaces plain)
    for analysis in analyse(nlp, resources, ((r["text"], r) for r in texts)):
        record = analysis.context
        read[record["id"]] = analysis.text
        rules[record["id"]] = rules_only.score(analysis.term_counts, cpc_codes(record.get("cpc")))
    print(f"{len(texts)} train and dev texts, {args.folds} folds, seed {args.seed}")
    print("rules alone:", _line(_score(taxonomy, texts, rules, {}, 1, 0)))
    order = list(texts)
    random.Random(args.seed).shuffle(order)
    folds = [order[k :: args.folds] for k in range(args.folds)]
    results: dict[tuple[float, float, float], tuple[int, int, int]] = {}
    for c in args.c:
        guesses: dict[str, dict] = {}
        for fold in folds:
            held_out = {r["id"] for r in fold}
            model = TopicModel(
                train_topic_model([r for r in texts if r["id"] not in held_out], keys, c)
            )
            guesses |= {r["id"]: model.guess(read[r["id"]]) for r in fold}
        for weight, threshold in product(RULE_WEIGHTS, THRESHOLDS):
            results[c, weight, threshold] = _score(
                taxonomy, texts, rules, guesses, weight, threshold
            )
        best = max((k for k in results if k[0] == c), key=lambda k: _f1(*results[k])[2])
        print(
            f"C {c:g}, best: rule weight {best[1]:.1f}, threshold {best[2]:.2f}:",
            _line(results[best]),
        )
    print("\nF1 by rule weight (rows) and threshold (columns), per C:")
    for c in args.c:
        print(f"C {c:g}" + "".join(f" {t:5.2f}" for t in THRESHOLDS))
        for weight in RULE_WEIGHTS:
            row = [_f1(*results[c, weight, t])[2] for t in THRESHOLDS]
            print(f"  {weight:.1f} " + "".join(f" {f:.3f}" for f in row))
    best = max(results, key=lambda k: _f1(*results[k])[2])
    shipped = (C, RULE_WEIGHT, THRESHOLD)
    for name, key in (("best", best), ("shipped", shipped)):
        if key in results:
            print(
                f"{name}: C {key[0]:g}, rule weight {key[1]:.1f}, threshold {key[2]:.2f}:",
                _line(results[key]),
            )


if __name__ == "__main__":
    main()
