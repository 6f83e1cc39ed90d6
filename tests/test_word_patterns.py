"""The profile's token patterns give the same matches word by word as spaCy's Matcher."""

from __future__ import annotations

import pytest
import spacy
from spacy.errors import MatchPatternError
from spacy.matcher import Matcher

from scintel.nlp.corpus import load_split
from scintel.nlp.pipeline import build_pipeline, load_resources, ruler_patterns
from scintel.nlp.word_patterns import WordPatternMatcher
from scintel.profile import load_profile


def test_profile_token_patterns_match_as_spacy_matcher_on_train_texts() -> None:
    resources = load_resources(load_profile("ket-biotech"))
    nlp = build_pipeline(resources)
    ours, theirs = WordPatternMatcher(nlp.vocab), Matcher(nlp.vocab)
    for pattern in ruler_patterns(resources.entities):
        if not isinstance(pattern["pattern"], str):
            key = f"{pattern['label']}\t{pattern['id']}"
            ours.add(key, pattern["pattern"])
            theirs.add(key, [pattern["pattern"]])
    assert not len(ours.fallback)  # every profile pattern is read word by word
    found = 0
    for record in load_split("train"):
        doc = nlp.make_doc(record["text"])
        expected = sorted(theirs(doc))
        assert sorted(ours(doc)) == expected, record["id"]
        found += len(expected)
    assert found > 1000


def test_optional_tokens_give_every_form_and_other_attributes_go_to_spacy() -> None:
    nlp = spacy.blank("en")
    ours = WordPatternMatcher(nlp.vocab)
    ours.add(
        "ENZYME", [{"TEXT": {"REGEX": "^[A-Z]{2,5}$"}, "OP": "?"}, {"LOWER": {"REGEX": "ases?$"}}]
    )
    ours.add(
        "PLATFORM",
        [{"LOWER": "cell"}, {"ORTH": "-"}, {"LOWER": "free"}, {"IS_ALPHA": True, "OP": "?"}],
    )
    ours.add("SHAPED", [{"SHAPE": "dddd"}])
    doc = nlp("PET hydrolases and a cell-free protein system since 2021.")
    spans = sorted((nlp.vocab.strings[m], doc[s:e].text) for m, s, e in ours(doc))
    assert spans == [
        ("ENZYME", "PET hydrolases"),
        ("ENZYME", "hydrolases"),
        ("PLATFORM", "cell-free"),
        ("PLATFORM", "cell-free protein"),
        ("SHAPED", "2021"),
    ]
    assert len(ours.fallback) == 1


def test_a_malformed_pattern_is_refused_as_spacys_matcher_refuses_it() -> None:
    ours = WordPatternMatcher(spacy.blank("en").vocab)
    with pytest.raises(MatchPatternError, match="BAD"):
        ours.add("BAD", [{"LOWER": {"IN": "acid"}}])  # a string, not a list
    with pytest.raises(MatchPatternError):
        ours.add("BAD", [{"LOWR": "acid"}])
    assert not len(ours)
