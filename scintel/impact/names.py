"""Organisation names: the display name of an organisation and a finder for known
organisations in free text, by their normalised names (scintel.nlp.normalise.org_key, the
name part of the keys scintel.impact.identity gives)."""

from __future__ import annotations

import re

from scintel.nlp.normalise import CONNECTIVES, UNIVERSITY_WORDS, org_key, tokens

__all__ = ["NameFinder", "display_name", "org_key"]

_RAW_WORD = re.compile(r"[\w.'’/&-]+")


def display_name(names: list[str]) -> str:
    """The most readable of several spellings: mixed case first, then the longest."""
    return sorted(names, key=lambda n: (n.isupper(), -len(n), n))[0]


def _words(text: str) -> list[tuple[str, int, int, bool]]:
    """Key words of a text with their spans, folded as org_key folds them."""
    words = []
    for match in _RAW_WORD.finditer(text):
        capitalised = match.group()[0].isupper()
        for word in tokens(match.group()):
            if word in CONNECTIVES:
                continue
            word = "university" if word in UNIVERSITY_WORDS else word
            words.append((word, match.start(), match.end(), capitalised))
    return words


class NameFinder:
    """Finds known organisations in free text by their keys (word n-grams, longest first).

    A one-word key only matches a capitalised word, so an organisation called
    'Biosphere' is not found in '... the biosphere ...'.
    """

    def __init__(self, keys: dict[str, str], max_words: int = 8) -> None:
        self.keys = keys  # key -> the value returned (e.g. the canonical key)
        longest = max((len(k.split()) for k in keys), default=1)
        self.max_words = max(1, min(max_words, longest))

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """(value, start, end) for each organisation named in the text, longest match first."""
        words = _words(text)
        found: list[tuple[str, int, int]] = []
        i = 0
        while i < len(words):
            for n in range(min(self.max_words, len(words) - i), 0, -1):
                window = words[i : i + n]
                value = self.keys.get(" ".join(w[0] for w in window))
                if value is None or (n == 1 and not window[0][3]):
                    continue
                found.append((value, window[0][1], window[-1][2]))
                i += n - 1
                break
            i += 1
        return found
