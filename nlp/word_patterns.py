"""The profile's token patterns, matched a word at a time.

spaCy's `Matcher` tests every pattern's predicates at every token: a quarter of the
enrichment's time with the profile's open-class chemical patterns. Every token of those
patterns tests the word alone (its text or lower case against a string, a regex or a list),
so whether a word passes is a property of its vocabulary entry: it is worked out once per
word and kept, and a pattern's matches are the runs of tokens whose words pass its tests in
order. A pattern that reads more than the word, or repeats a token (`+`, `*`), goes to
spaCy's `Matcher`. The matches are the same as the `Matcher`'s (a test runs both on the
corpus's texts).
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

WordTest = Callable[[str], bool]

_READERS: dict[str, Callable[[str], str]] = {
    "ORTH": lambda word: word,
    "TEXT": lambda word: word,
    "LOWER": str.lower,
}


def _value_test(value: Any, read: Callable[[str], str]) -> WordTest | None:
    """A test of one attribute's value; None when it is not one this module reads."""
    if isinstance(value, str):
        return lambda word: read(word) == value
    if not isinstance(value, dict):
        return None
    tests: list[WordTest] = []
    for op, arg in value.items():
        if op == "REGEX":
            search = re.compile(arg).search
            tests.append(lambda word, s=search: s(read(word)) is not None)
        elif op == "IN":
            allowed = frozenset(arg)
            tests.append(lambda word, a=allowed: read(word) in a)
        elif op == "NOT_IN":
            banned = frozenset(arg)
            tests.append(lambda word, b=banned: read(word) not in b)
        else:
            return None
    return lambda word: all(test(word) for test in tests)


def word_test(spec: dict[str, Any]) -> WordTest | None:
    """Whether a word alone satisfies a token spec; None when the spec reads more."""
    tests: list[WordTest] = []
    for attr, value in spec.items():
        if attr == "OP":
            continue
        if attr == "IS_ALPHA" and isinstance(value, bool):
            tests.append(lambda word, v=value: word.isalpha() == v)
            continue
        read = _READERS.get(attr)
        test = _value_test(value, read) if read else None
        if test is None:
            return None
        tests.append(test)
    return lambda word: all(test(word) for test in tests)


class WordPatternMatcher:
    """`Matcher`'s matches for patterns of word tests, computed on arrays of words."""

    def __init__(self, vocab: Vocab, validate: bool = True) -> None:
        self.vocab = vocab
        self.validate = validate
        self.fallback = Matcher(vocab, validate=validate)
        self.tests: list[WordTest] = []
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
        for test in tests:
            columns.append(len(self.tests))
            self.tests.append(test)
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
            row = numpy.fromiter((test(word) for test in self.tests), bool, len(self.tests))
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
