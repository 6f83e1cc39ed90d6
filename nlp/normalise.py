"""Canonical keys for entity names, so spelling variants of one thing share one row.

An organisation's key ignores case, accents, punctuation, a leading "the", legal-form
suffixes (GmbH, Ltd, Inc., S.A., A/S, B.V., SpA...) and the many spellings of
"university"; place names resolve to ISO 3166-1 alpha-2 codes where they are countries.
Keys keep every script: a name in Chinese, Greek or Cyrillic keys to its own letters
(NFKC, case-folded), never to an empty string.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

# A word made an adjective by who funds, backs or leads a thing ("EU-funded", "VC-backed"):
# it says who stands behind a name, and is never the name itself.
MADE_ADJECTIVE = re.compile(r"-(?:funded|supported|financed|backed|led|based|wide)$")

# Legal forms, written as they look after dots and slashes are dropped ("S.p.A." -> "spa").
LEGAL_SUFFIXES = frozenset(
    [
        "ab",
        "ag",
        "aps",
        "as",
        "asa",
        "bv",
        "bvba",
        "co",
        "corp",
        "corporation",
        "cv",
        "ev",
        "gbr",
        "gmbh",
        "gie",
        "inc",
        "incorporated",
        "kft",
        "kg",
        "kgaa",
        "limited",
        "llc",
        "llp",
        "lp",
        "ltd",
        "mbh",
        "nv",
        "oy",
        "oyj",
        "plc",
        "pte",
        "pty",
        "sa",
        "sarl",
        "sas",
        "sasu",
        "se",
        "sl",
        "slu",
        "spa",
        "sprl",
        "srl",
        "srls",
        "sro",
        "sp",
        "zoo",
        "ug",
        "ltda",
        "eg",
        "ohg",
        "ks",
        "vof",
    ]
)
# Multi-word legal forms, matched before single suffixes.
LEGAL_PHRASES = (
    ("gmbh", "co", "kg"),
    ("gmbh", "and", "co", "kg"),
    ("ag", "and", "co", "kg"),
    ("sp", "z", "oo"),
    ("co", "ltd"),
    ("co", "kg"),
    ("pty", "ltd"),
    ("pvt", "ltd"),
    ("private", "limited"),
    ("public", "limited", "company"),
)
UNIVERSITY_WORDS = frozenset(
    [
        "univ",
        "universitat",
        "universitaet",
        "universite",
        "universita",
        "universidad",
        "universidade",
        "universiteit",
        "universitet",
        "universitetet",
        "universiti",
        "uniwersytet",
        "univerzita",
        "univerzitet",
        "egyetem",
        "yliopisto",
        "university",
    ]
)
# English and EU-usage names that ISO 3166 does not list (EU documents write EL and UK).
COUNTRY_ALIASES = {
    "uk": "GB",
    "u k": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "el": "GR",
    "usa": "US",
    "us": "US",
    "u s": "US",
    "u s a": "US",
    "america": "US",
    "united states of america": "US",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "pr china": "CN",
    "p r china": "CN",
    "peoples republic of china": "CN",
    "russia": "RU",
    "czech republic": "CZ",
    "holland": "NL",
    "the netherlands": "NL",
    "turkey": "TR",
    "taiwan": "TW",
    "vietnam": "VN",
    "iran": "IR",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "syria": "SY",
    "laos": "LA",
    "ivory coast": "CI",
}
# Connectives that name variants add or drop ("University of Graz", "Universität Graz").
CONNECTIVES = frozenset(
    ["of", "the", "and", "und", "et", "de", "der", "des", "di", "du", "la", "le", "y"]
)
_DROP = re.compile(r"[.'’/]")
_SPACE = re.compile(r"[^0-9a-z]+")
# Diacritics of Latin, Greek and Cyrillic letters, dropped so "Universität" keys as
# "universitat"; other scripts' marks (Devanagari vowel signs...) are part of their words.
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Latin letters that no decomposition splits into a base letter and an accent.
_LATIN_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d",
                                "þ": "th", "ı": "i"})  # fmt: skip


def fold(text: str) -> str:
    """Lower-case, accent-free text with '&' spelled out."""
    text = text.replace("&", " and ")
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return _COMBINING.sub("", decomposed).casefold()


def _is_word_character(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"  # letters, marks, numbers of any script


def tokens(text: str) -> list[str]:
    """Words of a folded name; dots, apostrophes and slashes join (S.A. -> sa, A/S -> as)."""
    folded = _DROP.sub("", fold(text))
    if folded.isascii():
        return _SPACE.sub(" ", folded).split()
    # Other scripts stay: recomposed (NFKC: Hangul syllables, not their jamo), their letters kept.
    folded = unicodedata.normalize("NFKC", folded).translate(_LATIN_LETTERS)
    return "".join(c if _is_word_character(c) else " " for c in folded).split()


def generic_key(text: str) -> str:
    """A key for names of any label: folded words joined by single spaces."""
    return " ".join(tokens(text))[:255]


def _strip_legal(words: list[str]) -> list[str]:
    changed = True
    while changed and len(words) > 1:
        changed = False
        for phrase in LEGAL_PHRASES:
            n = len(phrase)
            if len(words) > n and tuple(words[-n:]) == phrase:
                words = words[:-n]
                changed = True
                break
        else:
            if words[-1] in LEGAL_SUFFIXES:
                words = words[:-1]
                changed = True
    return words


def org_key(name: str) -> str:
    """The key of an organisation name: 'Novozymes A/S' and 'NOVOZYMES AS' agree."""
    words = _strip_legal(["university" if w in UNIVERSITY_WORDS else w for w in tokens(name)])
    kept = [w for w in words if w not in CONNECTIVES]
    return " ".join(kept or words)[:255]


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name or code, or None if it is not a country."""
    words = tokens(name)
    key = " ".join(words)
    if not key:
        return None
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    if words[0] == "the":
        key = " ".join(words[1:])
    if len(key) == 2 and key.isalpha():
        found = pycountry.countries.get(alpha_2=key.upper())
        return found.alpha_2 if found else None
    for candidate in (name.strip(), key):
        try:
            return str(pycountry.countries.lookup(candidate).alpha_2)
        except LookupError:
            continue
    return None


def country_name(code: str) -> str:
    """The common (or short ISO) English name for an alpha-2 code."""
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or found.name)


def is_currency_code(text: str) -> bool:
    """True for an ISO 4217 code such as EUR or USD, which the statistical NER often tags ORG."""
    code = text.strip()
    return len(code) == 3 and code.isupper() and pycountry.currencies.get(alpha_3=code) is not None


def entity_key(label: str, text: str) -> str:
    """The key under which a mention of `label` is stored."""
    if label == "ORG":
        return org_key(text)
    if label in ("GPE", "LOC", "NORP"):
        code = country_code(text) if label != "NORP" else None
        if code:
            return code.lower()
    return generic_key(text)
