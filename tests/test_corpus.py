"""The annotated corpus: every split follows the format, splits share no text, test is frozen."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter

import pytest

from scintel.nlp.corpus import (
    CORPUS_DIR,
    KINDS,
    LABELS,
    SPLITS,
    CorpusError,
    load_split,
    merge,
    resolve_spans,
)

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


def test_a_batch_merges_by_kind_and_copies_and_bad_records_stay_out(tmp_path) -> None:
    dev = load_split("dev")
    batch = [r for kind in KINDS for r in [x for x in dev if x["kind"] == kind][:2]]
    held = {r["id"] for r in batch}
    for split in SPLITS:
        records = load_split(split) if split != "dev" else [r for r in dev if r["id"] not in held]
        (tmp_path / f"{split}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
        )
    train_copy = dict(load_split("train")[0], id="news-a-copy-under-another-id")
    broken = dict(
        batch[0], id="broken", entities=[{"start": 0, "end": 3, "label": "ORG", "text": "?"}]
    )
    rejected = merge([*batch, train_copy, broken], seed=3, directory=tmp_path)
    assert [line.split(":")[0] for line in rejected] == ["news-a-copy-under-another-id", "broken"]
    assert "same URL as" in rejected[0]
    merged = {s: load_split(s, tmp_path) for s in ("train", "dev")}
    added = {s: [r for r in merged[s] if r["id"] in held] for s in merged}
    assert len(added["train"]) == 7 and len(added["dev"]) == 3
    assert {r["kind"] for r in added["train"]} == set(KINDS)  # every kind learns
    again = merge(batch, seed=3, directory=tmp_path)  # a batch merged twice is refused
    assert len(again) == len(batch) and all("same id as" in line for line in again)
    script = CORPUS_DIR.parent / "corpus.py"
    run = subprocess.run(
        [sys.executable, str(script), "merge", str(tmp_path / "dev.jsonl")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2 and "needs a seed" in run.stderr


def test_a_states_ap_abbreviation_keeps_its_full_stop_and_a_sentences_does_not() -> None:
    """train news-doe-amp2-pnnl's dateline "Richland, Wash.—": the guide's state abbreviation
    with its point, which the check refused for being longer than four characters."""
    from scintel.nlp.corpus import Span, _span_problems

    text = "Richland, Wash.—U.S. Energy Secretary. The plant opens."
    assert _span_problems(text, Span(10, 15, "GPE", "Wash.")) == []
    assert _span_problems(text, Span(43, 49, "ORG", "opens.")) != []


def test_an_entry_whose_listed_occurrences_all_lie_inside_a_longer_span_is_refused() -> None:
    """A Widening call ("Teaming Phase 2\\n\\nTeaming involves in principle, two (2)
    parties"): an annotator meant the second 'Teaming' but listed occurrence 1, which the
    title's span covers; resolve labelled nothing and said nothing."""
    text = "Teaming Phase 2\n\nTeaming involves in principle, two (2) parties:"
    title = ["Teaming Phase 2", "PROGRAMME"]
    with pytest.raises(CorpusError, match="inside a longer span"):
        resolve_spans(text, [title, ["Teaming", "PROGRAMME", [1]]])
    spans = resolve_spans(text, [title, ["Teaming", "PROGRAMME", [2]]])
    assert [(s.start, s.text) for s in spans] == [(0, "Teaming Phase 2"), (17, "Teaming")]
