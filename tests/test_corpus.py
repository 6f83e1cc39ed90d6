"""The annotated corpus: every split follows the format, splits share no text, test is frozen."""

from __future__ import annotations

import hashlib
from collections import Counter

from scintel.nlp.corpus import CORPUS_DIR, KINDS, LABELS, SPLITS, load_split

TEST_SHA256 = "6781bd9b1c044c3f2d1dc06690e2e11f5add03a2773f61e15e3c68125f3d5d5e"


def test_splits_are_valid_disjoint_and_large_enough() -> None:
    splits = {name: load_split(name) for name in SPLITS}
    ids = [r["id"] for records in splits.values() for r in records]
    texts = [r["text"] for records in splits.values() for r in records]
    assert len(ids) == len(set(ids)) and len(texts) == len(set(texts))
    assert len(ids) >= 150 and len(splits["test"]) >= 50
    kinds = Counter(r["kind"] for records in splits.values() for r in records)
    assert set(kinds) == set(KINDS) and min(kinds.values()) >= 25
    labels = Counter(e["label"] for r in splits["test"] for e in r["entities"])
    assert set(labels) == set(LABELS)
    for records in splits.values():
        for record in records:
            assert (
                record["url"].startswith("http")
                and record["licence"]
                and record["licence_evidence"]
            )


def test_the_test_split_is_frozen() -> None:
    digest = hashlib.sha256((CORPUS_DIR / "test.jsonl").read_bytes()).hexdigest()
    assert digest == TEST_SHA256, "the frozen test split changed"
