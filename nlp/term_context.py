"""Chemicals and technologies judged where they are written, learnt from the corpus.

The harvest lists a term when the annotators mark it seven times in ten that they write
it, so a term they mark half the times ("extraction", "milk", "cosmetics") is never found,
and a listed one is found also where it is not meant. Which occurrence is meant shows in
the words around it. This model reads every occurrence of a term the train and dev texts
mark as a chemical or technology at least twice, where no other mention covers it, and
keeps it where it is more likely meant than not: a logistic regression on the term, how
often the corpus marks it, the two words on each side, the characters touching it, its
capitals, whether it stands in the title and whether the rules found it.
`scintel nlp context` learns it from what the enrichment finds out of fold in the train
and dev texts (a harvest that has read a text flatters it) against what their annotators
marked; the test split is never read. The model is plain JSON, so it loads with any
scikit-learn release and can be read and diffed.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scintel.errors import ScintelError
from scintel.nlp.datafiles import data_error

LABELS = ("CHEMICAL", "TECHNOLOGY")
MIN_MARKED = 2  # a term marked once is one annotator's reading of one text
MAX_WORDS = 5
THRESHOLD = 0.45
C = 0.3  # the regression's inverse regularisation strength
MIN_COEF = 1e-4  # weights this small change no probability by a rounding step
_WORD = re.compile(r"\w+")
Span = tuple[int, int, str]


@dataclass(frozen=True)
class Occurrence:
    """One place a term is written, with what the model reads there."""

    start: int
    end: int
    label: str
    surface: str
    found: bool
    features: dict[str, float]


@dataclass(frozen=True)
class _Read:
    """A text as the model reads it: lower-cased, its words' offsets, its title's end."""

    text: str
    lower: str
    tokens: list[tuple[int, int]]
    title_end: int

    @classmethod
    def of(cls, text: str) -> _Read:
        tokens = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        return cls(text, text.lower(), tokens, text.find("\n\n"))

    def word(self, j: int) -> str:
        if 0 <= j < len(self.tokens):
            return self.lower[self.tokens[j][0] : self.tokens[j][1]]
        return "<s>"


# One place a term is written: its first word's index, its number of words, its label and
# whether a span of the text is exactly it.
_Place = tuple[int, int, str, bool]


def _places(
    read: _Read, spans: Iterable[Span], terms: dict[str, dict[str, list[int]]]
) -> list[_Place]:
    """Every whole-word occurrence of a term that no other span covers."""
    found = set(spans)
    tokens, lower = read.tokens, read.lower
    out = []
    for k in range(len(tokens)):
        for n in range(1, min(MAX_WORDS, len(tokens) - k) + 1):
            start, end = tokens[k][0], tokens[k + n - 1][1]
            for label in terms.get(lower[start:end], ()):
                here = (start, end, label)
                if any(s < end and start < e and (s, e, lab) != here for s, e, lab in found):
                    continue
                out.append((k, n, label, here in found))
    return out


def _features(
    read: _Read, k: int, n: int, label: str, found: bool, prior: tuple[int, int] | None
) -> dict[str, float]:
    text, word = read.text, read.word
    start, end = read.tokens[k][0], read.tokens[k + n - 1][1]
    surface = read.lower[start:end]
    shape = "A" if text[start:end].isupper() else "C" if text[start].isupper() else "l"
    features = {
        f"term={surface}|{label}": 1.0,
        f"label={label}": 1.0,
        f"p1={word(k - 1)}|{label}": 1.0,
        f"p2={word(k - 2)}|{label}": 1.0,
        f"n1={word(k + n)}|{label}": 1.0,
        f"n2={word(k + n + 1)}|{label}": 1.0,
        f"cb={text[start - 1] if start else '^'}|{label}": 1.0,
        f"ca={text[end] if end < len(text) else '$'}|{label}": 1.0,
        f"title={0 <= start < read.title_end}|{label}": 1.0,
        f"shape={shape}|{label}": 1.0,
        f"words={n}|{label}": 1.0,
        f"found={found}|{label}": 1.0,
    }
    if prior is None or prior[1] == 0:
        features[f"prior=none|{label}"] = 1.0
    else:
        share = prior[0] / prior[1]
        features[f"prior={min(int(share * 10), 9)}|{label}"] = 1.0
        features["share"] = share
        features["seen"] = math.log1p(prior[1])
    return features


def occurrences(
    text: str,
    spans: Iterable[Span],
    terms: dict[str, dict[str, list[int]]],
    prior: dict[tuple[str, str], tuple[int, int]] | None = None,
) -> list[Occurrence]:
    """Every whole-word occurrence of a term that no other span covers; `prior` overrides
    the terms' counts (training leaves a text's own out)."""
    read = _Read.of(text)
    out = []
    for k, n, label, found in _places(read, spans, terms):
        start, end = read.tokens[k][0], read.tokens[k + n - 1][1]
        surface = read.lower[start:end]
        seen = prior.get((surface, label)) if prior is not None else terms[surface][label]
        out.append(
            Occurrence(start, end, label, surface, found, _features(read, k, n, label, found, seen))
        )
    return out


@dataclass
class TermContext:
    """The terms (lower case -> label -> [times marked, times written where no other
    mention covers them]) and the regression's weights."""

    terms: dict[str, dict[str, list[int]]]
    weights: dict[str, float]
    bias: float
    threshold: float = THRESHOLD

    def probability(self, features: dict[str, float]) -> float:
        score = self.bias + sum(self.weights.get(f, 0.0) * v for f, v in features.items())
        return 1.0 / (1.0 + math.exp(-score))

    def judge(self, text: str, spans: Iterable[Span]) -> tuple[set[Span], list[Span]]:
        """Of a text's spans, those its terms' contexts say are not meant, and the spans
        to add where they say a term is; longer terms first where two overlap."""
        drop: set[Span] = set()
        add: list[Span] = []
        taken: list[tuple[int, int]] = []
        scored = [(o, self.probability(o.features)) for o in occurrences(text, spans, self.terms)]
        for o, p in sorted(scored, key=lambda x: (x[0].start - x[0].end, -x[1], x[0].start)):
            here = (o.start, o.end, o.label)
            if p < self.threshold:
                if o.found:
                    drop.add(here)
                continue
            if any(s < o.end and o.start < e for s, e in taken):
                if o.found:
                    drop.add(here)
                continue
            taken.append((o.start, o.end))
            if not o.found:
                add.append(here)
        return drop, add

    def save(self, path: Path) -> None:
        data = {
            "threshold": self.threshold,
            "bias": self.bias,
            "terms": self.terms,
            "weights": dict(sorted(self.weights.items())),
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> TermContext:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                terms={
                    s: {lab: list(c) for lab, c in by.items()} for s, by in data["terms"].items()
                },
                weights={str(f): float(w) for f, w in data["weights"].items()},
                bias=float(data["bias"]),
                threshold=float(data["threshold"]),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            reason = f"not a term-context model written by `scintel nlp context` ({exc})"
            raise data_error(path, reason) from None


def _spans(record: dict) -> set[Span]:
    return {(e["start"], e["end"], e["label"]) for e in record["entities"]}


def learn(pairs: Iterable[tuple[dict, dict]]) -> TermContext:
    """The model from (annotated record, the enrichment's annotation of it out of fold)
    pairs; each text's occurrences are judged with the counts of the other texts."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    pairs = list(pairs)
    marked: Counter[tuple[str, str]] = Counter()
    for gold, _ in pairs:
        for s, e, label in _spans(gold):
            if label in LABELS:
                marked[(gold["text"][s:e].lower(), label)] += 1
    terms: dict[str, dict[str, list[int]]] = {}
    for (surface, label), n in marked.items():
        if n >= MIN_MARKED:
            terms.setdefault(surface, {})[label] = [0, 0]
    texts = []
    for gold, predicted in pairs:
        read = _Read.of(gold["text"])
        want = _spans(gold)
        places = []
        for k, n, label, found in _places(read, _spans(predicted), terms):
            start, end = read.tokens[k][0], read.tokens[k + n - 1][1]
            places.append((k, n, label, found, read.lower[start:end], (start, end, label) in want))
        for _k, _n, label, _found, surface, meant in places:
            terms[surface][label][0] += meant
            terms[surface][label][1] += 1
        texts.append((read, places))
    rows, labels = [], []
    for read, places in texts:
        own: Counter[tuple[str, str]] = Counter()
        own_marked: Counter[tuple[str, str]] = Counter()
        for _k, _n, label, _found, surface, meant in places:
            own[(surface, label)] += 1
            own_marked[(surface, label)] += meant
        for k, n, label, found, surface, meant in places:
            marked_here, written = terms[surface][label]
            others = (marked_here - own_marked[(surface, label)], written - own[(surface, label)])
            rows.append(_features(read, k, n, label, found, others))
            labels.append(meant)
    if len(set(labels)) < 2:
        raise ScintelError(
            "the term-context model needs texts that both mark and leave unmarked the terms "
            f"they write; these {len(pairs)} texts do one only",
            "corpus",
        )
    vectoriser = DictVectorizer()
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit(vectoriser.fit_transform(rows), labels)
    weights = {
        name: round(float(w), 5)
        for name, w in zip(vectoriser.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= MIN_COEF
    }
    terms = {s: by for s, by in terms.items() if any(c[1] for c in by.values())}
    return TermContext(terms, weights, round(float(model.intercept_[0]), 5), THRESHOLD)
