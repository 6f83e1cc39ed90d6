"""Places the text names in ways the statistical model misses: country and U.S. state names
in headings and compounds ("FACT SHEET: The United States Announces", "an EU-India
collaboration"), a release's dateline ("BOSTON —", "Silver Spring, MD —") and country
codes listed in brackets ("partners from 5 EU countries (ES, NL, FR, IT, DK)").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import pycountry

# Country names that are also common words or given names in English text.
_AMBIGUOUS = frozenset(["Chad", "Jordan", "Turkey", "Guinea", "Niger", "Georgia", "Jersey"])
US_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
    "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
    "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
    "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
    "Utah", "Vermont", "Virginia", "West Virginia", "Wisconsin", "Wyoming",
)  # fmt: skip
_STATE_CODES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
    "VA", "WA", "WV", "WI", "WY", "DC",
)  # fmt: skip
# The Associated Press's state abbreviations; the annotators keep their full stop in the
# place ("Peoria, Ill.", "GAITHERSBURG, Md. —", "(New York, N.Y.)": 9 of 9 on train and dev).
AP_STATES = (
    "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan",
    "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "N.H",
    "N.J", "N.M", "N.Y", "N.C", "N.D", "Okla", "Ore", "Pa", "R.I", "S.C", "S.D", "Tenn",
    "Vt", "Va", "Wash", "W.Va", "Wis", "Wyo",
)  # fmt: skip
_AP_STATE = "(?:" + "|".join(re.escape(a) + r"\." for a in AP_STATES) + ")"
_STATE = "(?:" + "|".join([*_STATE_CODES, _AP_STATE, *US_STATES]) + ")"
_CITY_WORD = r"(?:[A-Z][a-z]+|[A-Z]{3,})"
_CITY = rf"{_CITY_WORD}(?:[ -]{_CITY_WORD})*"
# A release's dateline: a city in capitals, or a city and a state, then a dash or a date.
_DATELINE = re.compile(
    rf"(?m)^[ \t]*(?:([A-Z]{{3,}}(?: [A-Z]{{3,}}){{0,2}})|({_CITY}), ({_STATE}))"
    r"(?=\.?(?: ?[—–]| - | \())"
)
# An address: a city and its state or country in brackets after a name ("(Ames, IA)",
# "(Delft, NL)"), or a city and the AP abbreviation of its state anywhere ("in Peoria, Ill.").
_ADDRESS = re.compile(
    rf"\(({_CITY}), ({_STATE}|[A-Z]{{2}})\)|(?<![\w-])({_CITY}), ({_AP_STATE})(?!\w)"
)
# Two or more ISO country codes in brackets, comma-separated.
_CODE_LIST = re.compile(r"\(((?:[A-Z]{2}, ){1,30}[A-Z]{2})\)")


@lru_cache(maxsize=1)
def _names() -> re.Pattern[str]:
    names = {"United States", "United Kingdom", *US_STATES}
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value and "(" not in value and value not in _AMBIGUOUS:
                names.add(value)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w])")


def named_places(text: str) -> Iterator[tuple[int, int]]:
    """Spans of country and U.S. state names, exactly as capitalised."""
    for match in _names().finditer(text):
        yield match.span()


# A dateline opens a release's body, just after its title.
DATELINE_WITHIN = 400
# Capitalised heading words that are no city.
_NOT_CITY = frozenset(
    ["PRESS", "RELEASE", "NEWS", "UPDATE", "FACT", "SHEET", "SUMMARY", "ABSTRACT"]
)


def datelines(text: str) -> Iterator[tuple[int, int]]:
    """The places of each dateline near the start ("BOSTON"; "Silver Spring", "MD")."""
    for match in _DATELINE.finditer(text, 0, DATELINE_WITHIN):
        if match.group(1) and not set(match.group(1).split()) & _NOT_CITY:
            yield match.span(1)
        elif match.group(2):  # "Silver Spring, MD": the city and its state, two places
            yield match.span(2)
            yield match.span(3)


def addresses(text: str) -> Iterator[tuple[int, int]]:
    """The city and the state or country of an address: in brackets after a name ("Iowa
    State University (Ames, IA)"; the code a state's or a country's) or written with the
    AP abbreviation of a U.S. state ("Park Falls, Wis."): two places each."""
    for match in _ADDRESS.finditer(text):
        city, state = (1, 2) if match.group(1) else (3, 4)
        code = match.group(state)
        if code in _STATE_CODES or len(code) > 2 or pycountry.countries.get(alpha_2=code):
            yield match.span(city)
            yield match.span(state)


def listed_codes(text: str) -> Iterator[tuple[int, int]]:
    """Each country code of a bracketed list, when every code in it is a country's."""
    for match in _CODE_LIST.finditer(text):
        codes = match.group(1).split(", ")
        if all(pycountry.countries.get(alpha_2=c) or c in ("UK", "EL") for c in codes):
            start = match.start(1)
            for code in codes:
                at = text.index(code, start)
                yield at, at + len(code)
                start = at + len(code)
