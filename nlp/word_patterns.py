"""The profile's token patterns, matched a word at a time.

spaCy's `Matcher` tests every pattern's predicates at every token: a quarter of the
enrichment's time with the profile's open-class chemical patterns. Every token of those
patterns tests the word alone (its text or lower case against a string, a regex or a list),
so whether a word passes is a property of its vocabulary entry: it is worked out once per
word and kept, and a pattern's matches are the runs of tokens whose words pass its tests in
order. A new word's tests cost one dictionary look-up for every test that asks for a word
in a list (most of them), and a call for each of the others. A pattern that reads more
than the word, or repeats a token (`+`, `*`), goes to spaCy's `Matcher`. The matches are
the same as the `Matcher`'s (a test runs both on the corpus's texts).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import numpy
from spacy.attrs import ORTH
from spacy.errors import MatchPatternError
from spacy.matcher import Matcher
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc
from spacy.vocab import Vocab

# What a test reads of a word: its text and its lower case, worked out once per word.
Spellings = tuple[str, str]
WordTest = Callable[[Spellings], bool]
# A test of one attribute against a set of values: (which spelling, the values).
Lookup = tuple[int, frozenset[str]]

_SPELLINGS = {"ORTH": 0, "TEXT": 0, "LOWER": 1}


def _value_tests(value: Any, at: int) -> list[WordTest] | None:
    """The tests of one attribute's value; None when it is not one this module reads."""
    if isinstance(value, str):
        return [lambda spellings, v=value: spellings[at] == v]
    if not isinstance(value, dict):
        return None
    tests: list[WordTest] = []
    for op, arg in value.items():
        if op == "REGEX":
            search = re.compile(arg).search
            tests.append(lambda spellings, s=search: s(spellings[at]) is not None)
        elif op == "IN":
            allowed = frozenset(arg)
            tests.append(lambda spellings, a=allowed: spellings[at] in a)
        elif op == "NOT_IN":
            banned = frozenset(arg)
            tests.append(lambda spellings, b=banned: spellings[at] not in b)
        else:
            return None
    return tests


def _lookup(spec: dict[str, Any]) -> Lookup | None:
    """A spec that only asks for one attribute to be one of some strings ("LOWER" in a
    list): answered for every such spec at once by one dictionary look-up per spelling."""
    keys = [k for k in spec if k != "OP"]
    if len(keys) != 1 or keys[0] not in _SPELLINGS:
        return None
    value = spec[keys[0]]
    if isinstance(value, str):
        return _SPELLINGS[keys[0]], frozenset([value])
    if isinstance(value, dict) and list(value) == ["IN"]:
        return _SPELLINGS[keys[0]], frozenset(value["IN"])
    return None


def word_test(spec: dict[str, Any]) -> WordTest | None:
    """Whether a word alone satisfies a token spec; None when the spec reads more."""
    tests: list[WordTest] = []
    for attr, value in spec.items():
        if attr == "OP":
            continue
        if attr == "IS_ALPHA" and isinstance(value, bool):
            tests.append(lambda spellings, v=value: spellings[0].isalpha() == v)
            continue
        found = _value_tests(value, _SPELLINGS[attr]) if attr in _SPELLINGS else None
        if found is None:
            return None
        tests.extend(found)
    if len(tests) == 1:
        return tests[0]
    return lambda spellings: all(test(spellings) for test in tests)


class WordPatternMatcher:
    """`Matcher`'s matches for patterns of word tests, computed on arrays of words."""

    def __init__(self, vocab: Vocab, validate: bool = True) -> None:
        self.vocab = vocab
        self.validate = validate
        self.fallback = Matcher(vocab, validate=validate)
        self.columns = 0
        # The look-up tests' columns by spelling and value; the other tests by column.
        self._lookups: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        self._tests: list[tuple[int, WordTest]] = []
        # (match key, test columns): one fixed-length form per choice of optional tokens
        self.forms: list[tuple[int, tuple[int, ...]]] = []
        self._rows: dict[int, numpy.ndarray] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, key: str, pattern: list[dict[str, Any]]) -> None:
        errors = validate_token_pattern(pattern) if self.validate else []
        if errors:  # as spaCy's Matcher refuses it ("IN" given a string, an unknown key)
            raise MatchPatternError(key, {0: errors})
        self._count += 1
        tests = [word_test(spec) for spec in pattern]
        ops = [spec.get("OP") for spec in pattern]
        if any(t is None for t in tests) or any(op not in (None, "?") for op in ops):
            self.fallback.add(key, [pattern])
            return
        match_id = self.vocab.strings.add(key)
        columns = []
        for spec, test in zip(pattern, tests, strict=True):
            column = self.columns
            self.columns += 1
            columns.append(column)
            lookup = _lookup(spec)
            if lookup is None:
                self._tests.append((column, test))
                continue
            at, values = lookup
            for value in values:
                self._lookups[at].setdefault(value, []).append(column)
        optional = [i for i, op in enumerate(ops) if op == "?"]
        for dropped in itertools.product((False, True), repeat=len(optional)):
            gone = {i for i, d in zip(optional, dropped, strict=True) if d}
            form = tuple(c for i, c in enumerate(columns) if i not in gone)
            if form:
                self.forms.append((match_id, form))
        self._rows.clear()

    def _row(self, orth: int) -> numpy.ndarray:
        row = self._rows.get(orth)
        if row is None:
            word = self.vocab.strings[orth]
            spellings = (word, word.lower())
            row = numpy.zeros(self.columns, bool)
            for spelling, lookups in zip(spellings, self._lookups, strict=True):
                row[lookups.get(spelling, [])] = True
            for column, test in self._tests:
                row[column] = test(spellings)
            self._rows[orth] = row
        return row

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        matches = self.fallback(doc) if len(self.fallback) else []
        if not self.forms or not len(doc):
            return matches
        unique, inverse = numpy.unique(doc.to_array(ORTH), return_inverse=True)
        passes = numpy.stack([self._row(int(o)) for o in unique])[inverse.ravel()]
        length = len(doc)
        found = set()
        for match_id, form in self.forms:
            size = len(form)
            if size > length:
                continue
            hits = passes[: length - size + 1, form[0]].copy()
            for offset, column in enumerate(form[1:], 1):
                hits &= passes[offset : length - size + 1 + offset, column]
            found.update(
                (match_id, int(start), int(start) + size) for start in numpy.flatnonzero(hits)
            )
        matches.extend(found)
        return matches
