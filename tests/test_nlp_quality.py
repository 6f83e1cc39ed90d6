"""Entity and topic quality on the labelled evaluation set, with the real model.

The floors sit a little under the measured figures (bench/nlp_quality.py prints them):
a change that makes extraction worse fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scintel.nlp.analysis import analyse
from scintel.nlp.evaluate import EVAL_LABELS, Report, load_examples, score
from scintel.nlp.pipeline import build_pipeline, load_resources
from scintel.profile import load_profile

EVAL_SET = Path(__file__).parent / "fixtures" / "nlp" / "eval_set.jsonl"
# label: (precision floor, recall floor)
FLOORS = {
    "ORG": (0.70, 0.85),
    "GPE": (0.75, 0.85),
    "TECHNOLOGY": (0.90, 0.90),
    "ORGANISM": (0.90, 0.80),
    "PROGRAMME": (0.70, 0.80),
    "topics": (0.75, 0.75),
}


@pytest.fixture(scope="module")
def report() -> Report:
    examples = load_examples(EVAL_SET)
    resources = load_resources(load_profile("ket-biotech"))
    nlp = build_pipeline(resources)
    predicted = [
        (
            {(m.label, m.text) for m in a.mentions},
            {t.key for t in resources.scorer.score(a.term_counts)},
        )
        for a in analyse(nlp, resources, [(e.text, e.id) for e in examples])
    ]
    return score(examples, predicted)


def test_evaluation_set_is_large_and_varied() -> None:
    examples = load_examples(EVAL_SET)
    kinds = {e.kind for e in examples}
    assert len(examples) >= 40
    assert kinds == {"publication", "patent", "news", "funding_call"}
    for label in EVAL_LABELS:
        assert sum(1 for e in examples for lab, _ in e.entities if lab == label) >= 10


@pytest.mark.parametrize("label", list(FLOORS))
def test_precision_and_recall_floors(report: Report, label: str) -> None:
    measured = report.topics if label == "topics" else report.labels[label]
    precision, recall = FLOORS[label]
    assert measured.precision >= precision, f"{label} precision {measured.precision:.2f}"
    assert measured.recall >= recall, f"{label} recall {measured.recall:.2f}"
