"""Publication affiliations in the one form items carry them (`affiliations`, a list of
scintel.storage.items.Affiliation: name, country, ror): from OpenAlex institutions as given,
from Europe PMC's free-text affiliation strings by reading the organisation and the country
out of "Department of X, Delft University of Technology, Delft, The Netherlands."."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from scintel.nlp.normalise import LEGAL_SUFFIXES, UNIVERSITY_WORDS, country_code, tokens
from scintel.spiders.text import squash
from scintel.storage.items import Affiliation

# Words that make a segment an organisation ("Dana-Farber Cancer Institute").
ORGANISATION_WORDS = frozenset(
    [
        "academy",
        "agency",
        "center",
        "centre",
        "centro",
        "cnrs",
        "college",
        "consortium",
        "corporation",
        "council",
        "foundation",
        "fundacion",
        "fondazione",
        "gesellschaft",
        "hospital",
        "hopital",
        "institut",
        "institute",
        "institution",
        "instituto",
        "istituto",
        "inserm",
        "laboratories",
        "ministry",
        "museum",
        "organisation",
        "organization",
        "ospedale",
        "polytechnic",
        "politecnico",
        "trust",
        "klinikum",
        "hochschule",
        "ecole",
        "school",
    ]
)
# A segment opening with one of these is a part of an organisation, not the organisation.
SUBUNIT_WORDS = frozenset(
    [
        "department",
        "dept",
        "division",
        "faculty",
        "school",
        "section",
        "unit",
        "laboratory",
        "lab",
        "group",
        "program",
        "programme",
        "service",
        "office",
        "chair",
        "team",
        "clinic",
        "core",
        "graduate",
        "key",
        "state",
    ]
)
_EMAIL = re.compile(r"(?:electronic address:\s*)?\S+@\S+", re.I)
_LABEL = re.compile(r"^(?:[a-z]|\d{1,2})\s+(?=[A-Z])")  # "d Malawi-Liverpool-..." footnote marks
_POSTCODE = re.compile(r"[\d-]{4,}|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
MAX_NAME_CHARS = 200


def _country(segment: str) -> str | None:
    """The country a trailing segment names ('The Netherlands', 'USA', 'Republic of Korea');
    a two-letter segment counts only as 'UK' (US states would read as countries: MD, CA)."""
    text = _POSTCODE.sub(" ", segment).strip(" .")
    if len(text) <= 2 and text.upper() != "UK":
        return None
    return country_code(text)


def _kind(segment: str) -> int:
    """0: a university, 1: another organisation, 2: neither or a part of one."""
    words = tokens(segment)
    if not words or words[0] in SUBUNIT_WORDS:
        return 2
    if any(w in UNIVERSITY_WORDS for w in words):
        return 0
    if any(w in ORGANISATION_WORDS or w in LEGAL_SUFFIXES for w in words):
        return 1
    return 2


def parse_affiliation(text: str) -> list[Affiliation]:
    """The organisations of one affiliation string (several when it joins them with ';'):
    the first university among its comma-separated parts, else the first other organisation,
    with the country its last part names. A string naming no organisation gives none."""
    found: list[Affiliation] = []
    for part in _EMAIL.sub(" ", text).split(";"):
        segments = [s.strip(" .") for s in part.split(",")]
        segments = [_LABEL.sub("", s) for s in segments if s]
        if not segments:
            continue
        country = _country(segments[-1]) if len(segments) > 1 else None
        ranked = sorted((k, i) for i, s in enumerate(segments) if (k := _kind(s)) < 2)
        if not ranked:
            continue
        name = squash(segments[ranked[0][1]])
        if name:
            found.append(Affiliation(name=name[:MAX_NAME_CHARS], country=country))
    return found


def unique(affiliations: Iterable[Affiliation]) -> list[dict[str, Any]]:
    """The distinct affiliations of a publication (by ROR id, else name and country), as
    item fields."""
    seen: dict[tuple[str, ...], Affiliation] = {}
    for affiliation in affiliations:
        ident = (
            (affiliation.ror,) if affiliation.ror else (affiliation.name, affiliation.country or "")
        )
        seen.setdefault(ident, affiliation)
    return [a.model_dump(exclude_none=True) for a in seen.values()]
