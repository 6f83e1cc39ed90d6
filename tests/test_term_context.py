"""The term-context model (nlp/term_context.py) on real corpus text: which occurrences it
reads, how it adds and drops them, what it learns, and `scintel nlp context`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import spacy
import yaml
from typer.testing import CliRunner

from scintel.errors import ScintelError
from scintel.nlp.annotate import annotate
from scintel.nlp.corpus import CORPUS_DIR
from scintel.nlp.pipeline import add_enrichment, load_resources
from scintel.nlp.term_context import TermContext, learn, occurrences
from scintel.profile import load_profile

# train publication-ars-butanol-extraction-equations (USDA ARS abstract, public domain)
RECORD_ID = "publication-ars-butanol-extraction-equations"


def _record(record_id: str, split: str = "train") -> dict:
    for line in (CORPUS_DIR / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == record_id:
            return record
    raise AssertionError(f"{record_id} not in {split}")


def _at(text: str, word: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


TERMS = {"extraction": {"TECHNOLOGY": [5, 10]}, "butanol": {"CHEMICAL": [9, 10]}}
# Reads "extraction" as a technology only before "of", and "butanol" never after "of".
WEIGHTS = {"label=TECHNOLOGY": -3.0, "n1=of|TECHNOLOGY": 6.0, "label=CHEMICAL": 3.0,
           "p1=of|CHEMICAL": -8.0}  # fmt: skip


def test_occurrences_are_whole_words_no_other_mention_covers() -> None:
    text = _record(RECORD_ID)["text"]
    staged = text.index("Staged extraction")
    covering = [(staged, staged + len("Staged extraction"), "TECHNOLOGY")]
    found = occurrences(text, covering, TERMS)
    places = {(o.start, o.end) for o in found if o.surface == "extraction"}
    assert (staged + 7, staged + 17) not in places  # inside "Staged extraction"
    assert places == set(_at(text.lower(), "extraction")) - {(staged + 7, staged + 17)}
    assert {o.surface for o in found} == {"extraction", "butanol"}  # "Butanol" too
    assert all(not o.found for o in found)


def test_judge_adds_and_drops_by_the_words_around() -> None:
    text = _record(RECORD_ID)["text"]
    model = TermContext(TERMS, WEIGHTS, bias=0.0)
    butanols = [(s, e, "CHEMICAL") for s, e in _at(text.lower(), "butanol")]
    drop, add = model.judge(text, butanols)
    of_butanol = {(s, e, "CHEMICAL") for s, e in _at(text, "butanol") if text[s - 3 : s] == "of "}
    assert of_butanol and drop == of_butanol
    extraction_of = [m.start() for m in re.finditer(r"extraction of", text)]
    assert add == [(s, s + len("extraction"), "TECHNOLOGY") for s in extraction_of]


def test_the_pipeline_applies_the_profiles_model(tmp_path: Path) -> None:
    """Mentions the model adds carry the label's key and the origin "context"; those it
    drops are gone."""
    record = _record(RECORD_ID)
    resources = replace(
        load_resources(load_profile("ket-biotech")), context=TermContext(TERMS, WEIGHTS, 0.0)
    )
    nlp = add_enrichment(spacy.blank("en"), resources)
    [out] = annotate(nlp, resources, [{"id": "x", "kind": "publication", "text": record["text"]}])
    text = record["text"]
    tech = [(e["start"], e["origin"]) for e in out["entities"] if e["text"] == "extraction"]
    assert (text.index("extraction of"), "context") in tech
    after_of = [
        e
        for e in out["entities"]
        if e["text"] == "butanol" and text[e["start"] - 3 : e["start"]] == "of "
    ]
    assert not after_of
    assert all(e["key"] for e in out["entities"])


def test_learn_counts_each_term_where_the_enrichment_leaves_it_free() -> None:
    """Learnt from real records whose "found" spans miss every "extraction": the term's
    counts are the times it is marked and written (train
    publication-functional-metagenomics-food-pharma writes "the extraction of information"
    unmarked). One class only is a clear error."""
    records = [_record(RECORD_ID), _record("publication-functional-metagenomics-food-pharma")]
    pairs = []
    for gold in records:
        found = [e for e in gold["entities"] if gold["text"][e["start"] : e["end"]] != "extraction"]
        pairs.append((gold, gold | {"entities": found}))
    model = learn(pairs)
    text = records[0]["text"]
    marked = sum(
        1 for e in records[0]["entities"] if text[e["start"] : e["end"]].lower() == "extraction"
    )
    assert model.terms["extraction"]["TECHNOLOGY"] == [marked, marked + 1]
    assert model.weights and 0 < model.probability({"label=TECHNOLOGY": 1.0}) < 1
    with pytest.raises(ScintelError, match="both mark and leave unmarked"):
        learn(pairs[:1])


def test_a_saved_model_loads_and_a_broken_one_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "context.json"
    TermContext(TERMS, WEIGHTS, 0.5).save(path)
    loaded = TermContext.load(path)
    assert (loaded.terms, loaded.weights, loaded.bias) == (TERMS, WEIGHTS, 0.5)
    path.write_text('{"terms": {}}', encoding="utf-8")
    with pytest.raises(ScintelError, match=r"not a term-context model.*scintel nlp context"):
        TermContext.load(path)


def test_scintel_nlp_context_learns_from_a_corpus_read_out_of_fold(tmp_path: Path) -> None:
    from scintel.cli.app import app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = (CORPUS_DIR / "train.jsonl").read_text(encoding="utf-8").splitlines()[:12]
    (corpus / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (corpus / "dev.jsonl").write_text("", encoding="utf-8")
    out = tmp_path / "context.json"
    result = CliRunner().invoke(
        app, ["nlp", "context", "--corpus", str(corpus), "--out", str(out), "--folds", "2"]
    )
    assert result.exit_code == 0, result.output
    model = TermContext.load(out)
    assert model.terms and model.weights
    assert "learnt from 12 texts" in " ".join(result.output.split())


def test_scintel_nlp_context_without_a_target_is_one_error_line(tmp_path: Path) -> None:
    """A profile without `nlp.context` and no --out: one error line, exit 2, nothing read."""
    copy = tmp_path / "profile"
    shutil.copytree(load_profile("ket-biotech").base_dir, copy)
    spec = yaml.safe_load((copy / "profile.yaml").read_text(encoding="utf-8"))
    del spec["nlp"]["context"]
    (copy / "profile.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "scintel", "nlp", "context", "--profile", str(copy / "profile.yaml")],
        check=False, capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert "nlp.context is not set; pass --out" in lines[0]
