"""Finding listed terms in a Doc: any case (acronyms in their exact case), with an
optional plural ending, longest match first. Used for topic terms and signal cues."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from scintel.nlp.patterns import is_acronym


class TermMatcher:
    def __init__(self, nlp: Language, terms: Iterable[str]) -> None:
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.terms: dict[int, str] = {}
        for term in dict.fromkeys(t.strip() for t in terms if t.strip()):
            variants = [term] + ([term + "s", term + "es"] if term[-1].isalpha() else [])
            matcher = self.exact if is_acronym(term) else self.folded
            matcher.add(term, [nlp.make_doc(v) for v in variants])
            self.terms[nlp.vocab.strings[term]] = term

    def find(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(term, start_char, end_char) of non-overlapping matches, in text order."""
        matches = [*self.folded(doc), *self.exact(doc)]
        if not matches:
            return []
        spans = filter_spans([Span(doc, s, e, label=match_id) for match_id, s, e in matches])
        return [(self.terms[span.label], span.start_char, span.end_char) for span in spans]
