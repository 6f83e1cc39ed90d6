"""A topic classifier learnt from the annotated corpus, beside the taxonomy's term rules.

The rules tag a text by the taxonomy's terms; one word too few and a topic is missed, one
loose word and it is added. The classifier reads every word: per topic a logistic
regression on TF-IDF word and word-pair weights, trained on the corpus's train and dev
splits. A topic's final score mixes the two (`rule_weight` x rule score + the rest x the
classifier's probability) and the text carries the topic when it reaches `threshold`.
Both numbers and `C` were chosen by five-fold cross-validation on the train and dev splits
(micro F1 0.77 -> 0.81 there in session 8; 0.83 -> 0.84 with `C` 10 -> 30 on 572 texts);
the test split is never read.

The model is plain JSON (vocabulary, IDF weights, coefficients), so it loads with any
scikit-learn release and can be read and diffed; `scintel nlp topics` rebuilds it.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from scintel.nlp.datafiles import data_error

RULE_WEIGHT = 0.3
THRESHOLD = 0.35
# Vectoriser and regression settings; `C` is the inverse regularisation strength.
VECTORISER = {"ngram_range": [1, 2], "min_df": 2, "sublinear_tf": True, "stop_words": "english"}
C = 30.0
# Coefficients this small change no probability by a rounding step; they are left out.
MIN_COEF = 1e-4
EXPLAINED = 3  # the words shown as a model-made topic's evidence


def _vectoriser(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    settings = dict(VECTORISER, ngram_range=tuple(VECTORISER["ngram_range"]))
    return TfidfVectorizer(vocabulary=vocabulary, **settings)  # type: ignore[arg-type]


def train_topic_model(
    records: Sequence[dict[str, Any]], topics: Iterable[str], c: float = C
) -> dict[str, Any]:
    """The model as a JSON-ready dict, from annotated records (`text`, `topics`); another
    `c` is for bench/topic_cv.py, which chooses it."""
    from sklearn.linear_model import LogisticRegression

    vectoriser = _vectoriser()
    matrix = vectoriser.fit_transform([r["text"] for r in records])
    vocabulary = sorted(vectoriser.vocabulary_, key=vectoriser.vocabulary_.__getitem__)
    weights: dict[str, dict[str, Any]] = {}
    for topic in topics:
        labels = np.array([topic in r["topics"] for r in records])
        if labels.sum() < 2 or labels.all():
            continue  # too few examples to learn from: the rules alone decide
        fitted = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(matrix, labels)
        coef = fitted.coef_[0]
        weights[topic] = {
            "intercept": round(float(fitted.intercept_[0]), 6),
            "coef": {str(i): round(float(w), 6) for i, w in enumerate(coef) if abs(w) >= MIN_COEF},
        }
    return {
        "rule_weight": RULE_WEIGHT,
        "threshold": THRESHOLD,
        "vectoriser": VECTORISER,
        "vocabulary": vocabulary,
        "idf": [round(float(v), 6) for v in vectoriser.idf_],
        "topics": weights,
        "trained_on": len(records),
    }


def write_topic_model(model: dict[str, Any], path: Path) -> None:
    path.write_text(
        json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )


@dataclass(frozen=True)
class TopicGuess:
    probability: float
    words: list[tuple[str, float]]  # the words that pushed it up most, with their share


class TopicModel:
    """The shipped classifier: per topic, the probability that a text is about it."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.rule_weight = float(data["rule_weight"])
        self.threshold = float(data["threshold"])
        self.vocabulary = {term: i for i, term in enumerate(data["vocabulary"])}
        self.words = data["vocabulary"]
        # The vectoriser's own analyser (lower case, tokens, stop words, word pairs); the
        # weights are worked out here, as `transform` would, without its per-call set-up.
        self.analyse = _vectoriser(self.vocabulary).build_analyzer()
        self.idf = np.array(data["idf"])
        self.topics = list(data["topics"])
        self.intercepts = np.array([float(data["topics"][t]["intercept"]) for t in self.topics])
        self.coef = np.zeros((len(self.words), len(self.topics)))
        for column, topic in enumerate(self.topics):
            for i, w in data["topics"][topic]["coef"].items():
                self.coef[int(i), column] = w

    @classmethod
    def load(cls, path: Path) -> TopicModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data)
        except OSError as exc:
            raise data_error(path, f"cannot read the topic model: {exc.strerror}") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise data_error(
                path, f"not a topic model ({exc}); rebuild it with `scintel nlp topics`"
            ) from None

    def _weights(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's TF-IDF row as the trained vectoriser makes it: the vocabulary indices
        present and their weights (sublinear term frequency times IDF, unit length)."""
        counts = Counter(
            i for term in self.analyse(text) if (i := self.vocabulary.get(term)) is not None
        )
        indices = np.array(sorted(counts), dtype=int)
        if not len(indices):
            return indices, np.zeros(0)
        weights = (1 + np.log([counts[i] for i in indices])) * self.idf[indices]
        return indices, weights / np.linalg.norm(weights)

    def guess(self, text: str) -> dict[str, TopicGuess]:
        indices, weights = self._weights(text)
        parts = weights[:, None] * self.coef[indices]  # each present word's push per topic
        logits = parts.sum(axis=0) + self.intercepts
        guesses = {}
        for column, topic in enumerate(self.topics):
            order = np.argsort(-parts[:, column])[:EXPLAINED]
            words = [
                (self.words[indices[i]], round(float(parts[i, column]), 3))
                for i in order
                if parts[i, column] > 0
            ]
            guesses[topic] = TopicGuess(1 / (1 + math.exp(-float(logits[column]))), words)
        return guesses
