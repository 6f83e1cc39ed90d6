"""The trained component `scintel_terms`: shipped in the package, loaded offline, opt-in
(`nlp.trained_terms`), and never overriding what the profile's dictionaries found. Texts
are the corpus's dev split (nlp/corpus/dev.jsonl; ids cited)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from scintel.errors import ScintelError
from scintel.nlp.corpus import CORPUS_DIR
from scintel.nlp.pipeline import (
    RULER,
    TERMS,
    TERMS_MODEL,
    Resources,
    add_trained_terms,
    build_pipeline,
    load_resources,
)
from scintel.nlp.train import TRAINED_LABELS, docbin
from scintel.profile import load_profile


@pytest.fixture(scope="module")
def resources() -> Resources:
    return load_resources(load_profile("ket-biotech"))


@pytest.fixture(scope="module")
def default_nlp(resources: Resources) -> Language:
    return build_pipeline(resources)


@pytest.fixture(scope="module")
def trained_nlp(resources: Resources) -> Language:
    return add_trained_terms(build_pipeline(resources))


def _record(record_id: str) -> dict:
    for line in (CORPUS_DIR / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == record_id:
            return record
    raise AssertionError(f"{record_id} not in dev")


def _ents(nlp: Language, text: str) -> set[tuple[int, int, str]]:
    return {(e.start_char, e.end_char, e.label_) for e in nlp(text).ents}


def test_the_bundled_profile_runs_without_the_trained_component(
    resources: Resources, default_nlp: Language
) -> None:
    assert resources.spec.trained_terms is False
    assert TERMS not in default_nlp.pipe_names
    # dev publication-bacillus-lfb112-broilers: a culture collection's code read as a method
    text = _record("publication-bacillus-lfb112-broilers")["text"]
    assert "CICC" in text
    assert not any(e.text == "CICC" for e in default_nlp(text).ents)


def test_the_shipped_component_loads_from_the_package_after_the_rules(
    trained_nlp: Language,
) -> None:
    assert (TERMS_MODEL / "config.cfg").is_file()
    names = trained_nlp.pipe_names
    assert names.index(TERMS) == names.index(RULER) + 1
    assert set(trained_nlp.get_pipe(TERMS).labels) == set(TRAINED_LABELS)


@pytest.mark.parametrize(
    "record_id",
    ["project-surfs-up-biosurfactants", "patent-us20260055434-multiphase-biocatalytic-reactor"],
)
def test_opting_in_only_adds_spans_where_nothing_was_labelled(
    default_nlp: Language, trained_nlp: Language, record_id: str
) -> None:
    text = _record(record_id)["text"]
    before, after = _ents(default_nlp, text), _ents(trained_nlp, text)
    assert before <= after
    assert after - before  # it does add spans here (dev: mostly wrong ones)
    covered = {i for start, end, _ in before for i in range(start, end)}
    for start, end, label in after - before:
        assert label in TRAINED_LABELS
        assert covered.isdisjoint(range(start, end))


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ScintelError, match="scintel nlp train"):
        add_trained_terms(spacy.blank("en"), tmp_path)


def test_training_docs_carry_only_the_trained_labels_on_token_boundaries() -> None:
    record = _record("publication-sa-xylose-actinobacillus")
    nlp = spacy.blank("en")
    (doc,) = docbin([record]).get_docs(nlp.vocab)
    labels = {e.label_ for e in doc.ents}
    assert labels and labels <= set(TRAINED_LABELS)
    gold = {(e["start"], e["end"]) for e in record["entities"] if e["label"] in TRAINED_LABELS}
    found = {(e.start_char, e.end_char) for e in doc.ents}
    # Spans are expanded to whole tokens; nearly all gold spans already are.
    assert len(found & gold) >= 0.9 * len(gold)
