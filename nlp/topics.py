"""The profile's topic taxonomy and the scoring that tags documents with topics.

Terms match in any case with an optional plural ending (acronyms in their exact case);
CPC class prefixes of patents count too. Each tag keeps the terms and classes
that produced it, so an officer can see why a document carries it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from spacy.language import Language
from spacy.tokens import Doc

from scintel.nlp.datafiles import read_yaml
from scintel.nlp.patterns import dash_variants
from scintel.nlp.terms import TermMatcher
from scintel.nlp.topic_model import TopicGuess, TopicModel

CPC_WEIGHT = 2.0


class TopicSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_]{1,63}$")
    name: str = Field(min_length=1)
    description: str | None = None
    terms: dict[str, float] = Field(min_length=1)
    cpc: list[str] = Field(default_factory=list)

    @field_validator("terms")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        for term, weight in value.items():
            if not str(term).strip():
                raise ValueError("a term must not be blank")
            if weight <= 0:
                raise ValueError(f"term {term!r}: weight must be > 0")
        return {str(t).strip(): w for t, w in value.items()}

    @field_validator("cpc")
    @classmethod
    def _cpc(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.fullmatch(r"[A-H]\d{2}[A-Z]?(\d{1,4}(/\d{1,6})?)?", code.replace(" ", "")):
                raise ValueError(f"{code!r} is not a CPC class prefix (e.g. C12N9, C12Q1/68)")
        return [c.replace(" ", "") for c in value]


class Taxonomy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_score: float = Field(default=2.0, gt=0)
    saturation: float = Field(default=6.0, gt=0)
    # A term weighing less than this is ambiguous ("food", "plant"): it adds to a topic's
    # score but never carries a topic alone; a second term, a specific one or a CPC class
    # must be there.
    specific_weight: float = Field(default=2.0, gt=0)
    # A topic also needs this share of the document's best topic score: a text is filed
    # under what it is about, not under every field it mentions.
    relative: float = Field(default=0.0, ge=0, lt=1)
    topics: list[TopicSpec] = Field(min_length=1)

    @field_validator("topics")
    @classmethod
    def _unique(cls, value: list[TopicSpec]) -> list[TopicSpec]:
        keys = Counter(t.key for t in value)
        repeated = [k for k, n in keys.items() if n > 1]
        if repeated:
            raise ValueError(f"topic keys repeat: {', '.join(repeated)}")
        return value


def load_taxonomy(path: Path) -> Taxonomy:
    return read_yaml(path, Taxonomy)


@dataclass(frozen=True)
class TopicScore:
    key: str
    score: float
    evidence: list[dict[str, Any]]


class TopicScorer:
    """Scores a document against the taxonomy: sum of weight x (1 + ln count), capped;
    with the corpus-trained classifier (nlp/topic_model.py), mixed with its probability."""

    def __init__(self, taxonomy: Taxonomy, model: TopicModel | None = None) -> None:
        self.taxonomy = taxonomy
        self.model = model

    @property
    def terms(self) -> list[str]:
        return sorted({t for spec in self.taxonomy.topics for t in spec.terms})

    def score(
        self, term_counts: dict[str, int], cpc: list[str] | None = None, text: str | None = None
    ) -> list[TopicScore]:
        """The document's topics, best first; `text` lets the classifier read it too."""
        found = self._by_rules(term_counts, cpc)
        if self.model is None or not text:
            return found
        return self._with_model(found, self.model, text)

    def _with_model(
        self, found: list[TopicScore], model: TopicModel, text: str
    ) -> list[TopicScore]:
        return mix(self.taxonomy, found, model.guess(text), model.rule_weight, model.threshold)

    def _by_rules(self, term_counts: dict[str, int], cpc: list[str] | None) -> list[TopicScore]:
        codes = [c.replace(" ", "") for c in cpc or []]
        scores: list[TopicScore] = []
        for spec in self.taxonomy.topics:
            evidence: list[dict[str, Any]] = []
            raw = 0.0
            for term, weight in spec.terms.items():
                n = term_counts.get(term, 0)
                if n:
                    part = weight * (1 + math.log(n))
                    raw += part
                    evidence.append({"term": term, "count": n, "weight": round(part, 3)})
            for prefix in spec.cpc:
                hits = sorted(c for c in codes if c.startswith(prefix))
                if hits:
                    raw += CPC_WEIGHT
                    evidence.append({"cpc": prefix, "classes": hits[:5], "weight": CPC_WEIGHT})
            specific = len(evidence) >= 2 or any(
                "cpc" in e or spec.terms[e["term"]] >= self.taxonomy.specific_weight
                for e in evidence
            )
            if raw >= self.taxonomy.min_score and specific:
                evidence.sort(key=lambda e: -e["weight"])
                scores.append(TopicScore(spec.key, raw, evidence))
        best = max((s.score for s in scores), default=0.0)
        return sorted(
            (
                TopicScore(
                    s.key, round(min(1.0, s.score / self.taxonomy.saturation), 4), s.evidence
                )
                for s in scores
                if s.score >= self.taxonomy.relative * best
            ),
            key=lambda s: -s.score,
        )


@Language.factory("scintel_topic_terms", default_config={"terms": []})
def make_topic_terms(nlp: Language, name: str, terms: list[str]) -> TopicTerms:
    """Counts taxonomy terms inside the pipeline, so n_process workers share the work."""
    return TopicTerms(nlp, terms)


class TopicTerms:
    def __init__(self, nlp: Language, terms: list[str]) -> None:
        if not Doc.has_extension("topic_terms"):
            Doc.set_extension("topic_terms", default=None)
        # "gas-fermentation" counts as the taxonomy's "gas fermentation".
        self.spelled = {v: t for t in terms for v in dash_variants(t.strip())}
        self.matcher = TermMatcher(nlp, self.spelled)

    def __call__(self, doc: Doc) -> Doc:
        found = (self.spelled[term] for term, _, _ in self.matcher.find(doc))
        doc._.topic_terms = dict(Counter(found))
        return doc


def mix(
    taxonomy: Taxonomy,
    found: list[TopicScore],
    guesses: dict[str, TopicGuess],
    rule_weight: float,
    threshold: float,
) -> list[TopicScore]:
    """The rules' topics mixed with the classifier's guesses: a topic stays when
    `rule_weight` x its rule score + the rest x the classifier's probability reaches
    `threshold`. One function, so bench/topic_cv.py chooses the two numbers on exactly
    what the pipeline runs."""
    by_rules = {s.key: s for s in found}
    mixed = []
    for spec in taxonomy.topics:
        rule = by_rules.get(spec.key)
        guess = guesses.get(spec.key)
        if guess is None:  # a topic the corpus has too few examples of: rules alone
            if rule is not None:
                mixed.append(rule)
            continue
        score = rule_weight * (rule.score if rule else 0.0) + (1 - rule_weight) * guess.probability
        if score < threshold:
            continue
        evidence = list(rule.evidence) if rule else []
        evidence += [
            {"term": word, "weight": push, "model": round(guess.probability, 3)}
            for word, push in guess.words
        ]
        mixed.append(TopicScore(spec.key, round(min(1.0, score), 4), evidence))
    if not mixed and found:  # the classifier never leaves a text the rules filed untagged
        return found[:1]
    return sorted(mixed, key=lambda s: -s.score)
