"""Organisation name keys, so that 'NOVOZYMES AS' and 'Novozymes A/S' are one node.

scintel.nlp had no organisation normaliser when this was written; this is the
small one the impact step needs (case, accents, punctuation, legal forms, 'Univ.').
"""

from __future__ import annotations

import re
import unicodedata

# Legal forms, compared after punctuation is removed ("S.A." -> "s a" -> joined "sa").
LEGAL_FORMS = frozenset(
    {
        "ab", "ag", "aps", "as", "asa", "bv", "cv", "co", "corp", "corporation", "cvba",
        "doo", "ev", "eg", "gmbh", "ggmbh", "gemeinnutzige", "gemeinnuetzige", "inc",
        "incorporated", "kft", "kg", "llc", "llp", "ltd", "limited", "mbh", "nv", "oy",
        "oyj", "pc", "plc", "sa", "sarl", "sas", "sau", "scarl", "se", "sl", "slu", "spa",
        "sprl", "srl", "sro", "spzoo", "zoo", "ik", "ike", "bvba", "vzw", "aisbl", "asbl",
    }
)
ABBREVIATIONS = {"univ": "university", "inst": "institute", "intl": "international"}
_SPACED_FORMS = re.compile(
    r"\b(s\s?p\s?z\s?o\s?o|s\s?a\s?u|s\s?r\s?l|s\s?p\s?a|s\s?a\s?s|s\s?a|s\s?l|b\s?v|n\s?v|"
    r"a\s?s|a\s?g|e\s?v|a\s?p\s?s|s\s?r\s?o|g\s?m\s?b\s?h)\s*$"
)
_NON_WORD = re.compile(r"[^\w]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def org_key(name: str) -> str:
    """A comparison key: lower case, no accents or punctuation, no trailing legal forms."""
    text = strip_accents(name).casefold().replace("&", " and ").replace("ß", "ss")
    text = re.sub(r"(?<=\w)[./](?=\w)", "", text)  # "a/s" -> "as", "s.a." -> "sa."
    words = [w for w in _NON_WORD.sub(" ", text).split() if w]
    joined = " ".join(words)
    joined = _SPACED_FORMS.sub("", joined).strip() or joined
    words = [ABBREVIATIONS.get(w, w) for w in joined.split()]
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def display_name(names: list[str]) -> str:
    """The most readable of several spellings: mixed case first, then the longest."""
    return sorted(names, key=lambda n: (n.isupper(), -len(n), n))[0]


_TOKEN = re.compile(r"\w+")


class NameFinder:
    """Finds known organisations in free text by their keys (word n-grams, longest first).

    A one-word key only matches a capitalised word, so an organisation called
    'Biosphere' is not found in '... the biosphere ...'.
    """

    def __init__(self, keys: dict[str, str], max_words: int = 8) -> None:
        self.keys = keys  # key -> the value returned (e.g. the canonical key)
        self.max_words = max(1, min(max_words, max((len(k.split()) for k in keys), default=1)))

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """(value, start, end) for each organisation named in the text, first match wins."""
        tokens = [
            (strip_accents(m.group()).casefold(), m.start(), m.end(), m.group()[0].isupper())
            for m in _TOKEN.finditer(text)
        ]
        found: list[tuple[str, int, int]] = []
        i = 0
        while i < len(tokens):
            for n in range(min(self.max_words, len(tokens) - i), 0, -1):
                window = tokens[i : i + n]
                value = self.keys.get(" ".join(t[0] for t in window))
                if value is None or (n == 1 and not window[0][3]):
                    continue
                found.append((value, window[0][1], window[-1][2]))
                i += n - 1
                break
            i += 1
        return found
