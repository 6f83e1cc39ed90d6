"""The profile's entity ruler: phrase patterns (any case), acronyms (exact case) and token
patterns, written onto `doc.ents` so that profile entities win where they overlap the
statistical model's.

spaCy's span_ruler runs its token Matcher for every exact-case acronym; here acronyms go
through a second PhraseMatcher on ORTH instead, and token patterns are matched a word at a
time (`word_patterns`), which keeps the ruler cheap next to NER.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline.span_ruler import prioritize_new_ents_filter
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .org_evidence import INSTITUTION_WORDS
from .word_patterns import WordPatternMatcher

# An instrument named in the plural ("five Research and Innovation Actions") is still the
# instrument: a programme's name ending in one of these words also matches with an "s".
_PLURAL_HEADS = frozenset(["action", "grant", "network", "partnership", "mission", "fellowship"])


# The profile's matches that gave way to a longer model span holding them: the extraction
# takes them back where the refined mentions no longer cover them ("DOE" once the model's
# "DOE’s Bioenergy Technologies Office" is cut to the office, "EPA" in a dropped "EPA Grant").
CEDED = "scintel_ceded"


@Language.factory("scintel_entity_ruler", default_config={"validate": True})
def make_entity_ruler(nlp: Language, name: str, validate: bool) -> ProfileEntityRuler:
    return ProfileEntityRuler(nlp, validate)


class ProfileEntityRuler:
    def __init__(self, nlp: Language, validate: bool = True) -> None:
        self.nlp = nlp
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.tokens = WordPatternMatcher(nlp.vocab, validate=validate)
        self.labels: dict[int, tuple[str, str]] = {}

    def add_patterns(self, patterns: Iterable[dict[str, Any]]) -> None:
        """Patterns as span_ruler takes them: label, pattern (text or tokens), id; a text
        pattern with `"case": "exact"` matches its exact spelling only."""
        for pattern in patterns:
            key = f"{pattern['label']}\t{pattern.get('id', '')}"
            match_id = self.nlp.vocab.strings.add(key)
            self.labels[match_id] = (pattern["label"], pattern.get("id", ""))
            value = pattern["pattern"]
            if isinstance(value, str):
                matcher = self.exact if pattern.get("case") == "exact" else self.folded
                matcher.add(key, [self.nlp.make_doc(v) for v in _forms(pattern["label"], value)])
            else:
                self.tokens.add(key, value)

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = [_before_unclosed_bracket(e) for e in doc.ents]
        matches = [*self.folded(doc), *self.exact(doc)]
        if len(self.tokens):
            matches.extend(self.tokens(doc))
        if not matches:
            return doc
        spans, ceded = [], []
        for match_id, start, end in matches:
            label, span_id = self.labels[match_id]
            span = Span(doc, start, end, label=label, span_id=span_id)
            inside = any(
                (e.label_ == label or _named_after(span, e))
                and e.start <= start
                and end <= e.end
                and e.end - e.start > end - start
                for e in doc.ents
            )
            if inside:  # "Department of Agriculture" inside the model's longer agency name
                ceded.append(span)
            else:
                spans.append(span)
        if ceded:  # nor a match inside the ceded one ("Bio-based Industries" in "... Consortium")
            spans = [
                span
                for span in spans
                if not any(c.start <= span.start and span.end <= c.end for c in ceded)
            ]
        doc.ents = prioritize_new_ents_filter(doc.ents, spans)
        doc.spans[CEDED] = ceded
        if ceded:  # a name ceded to a model span that another match then displaced is back
            free = [c for c in filter_spans(ceded) if not any(_overlap(c, e) for e in doc.ents)]
            doc.ents = [*doc.ents, *free]
        return doc


def _named_after(term: Span, entity: Span) -> bool:
    """A term in title case inside an institution's name ("Biological Control Research
    Unit", "Synthetic Biology Center") is part of that name, not a method or a chemical."""
    return (
        term.label_ in ("TECHNOLOGY", "CHEMICAL")
        and entity.label_ == "ORG"
        and entity[-1].lower_ in INSTITUTION_WORDS
        and all(t.is_title or not t.is_alpha for t in term)
    )


def _before_unclosed_bracket(entity: Span) -> Span:
    """A model's organisation that runs into a bracket it does not close ends before it
    ("The Standing Committee on Plants, Animals, Food and Feed (Novel Food and ..."), so
    that a term inside the bracket does not displace the whole name."""
    if entity.label_ != "ORG":
        return entity
    opened = next((t.i for t in entity if t.text == "("), None)
    if opened is None or opened == entity.start or any(t.text == ")" for t in entity):
        return entity
    return Span(entity.doc, entity.start, opened, label=entity.label, span_id=entity.id)


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _forms(label: str, value: str) -> list[str]:
    """A pattern's spellings: a programme's instrument also in the plural."""
    words = value.split()
    if label == "PROGRAMME" and len(words) > 1 and words[-1].lower() in _PLURAL_HEADS:
        return [value, value + "s"]
    return [value]
