"""Profile entity files: one JSON object per line naming an entity, its label and aliases.

    {"label": "ORG", "name": "Novonesis", "aliases": ["Novozymes A/S"], "country": "DK"}
    {"label": "TECHNOLOGY", "name": "CRISPR-Cas9", "patterns": [[{"LOWER": "crispr"}, ...]]}

Each name and alias becomes a ruler pattern whose `id` is the entity's key, so
every variant is stored as a mention of the one canonical entity. Short acronyms
("EMA", "PHA") match case-sensitively; other phrases ignore case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from scintel.nlp.datafiles import data_error, describe, read_jsonl
from scintel.nlp.normalise import country_code, entity_key

LABEL_PATTERN = r"^[A-Z][A-Z_]{1,31}$"


MAX_REGEX = 300
# A group that repeats and is repeated again ("(a+)+", "(\\w*)*") can take exponential time.
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")


def _regexes(token: Any) -> list[str]:
    """Every REGEX value in a token pattern (at any depth: {"LOWER": {"REGEX": ...}})."""
    if isinstance(token, dict):
        found = [v for k, v in token.items() if k == "REGEX" and isinstance(v, str)]
        return found + [r for v in token.values() for r in _regexes(v)]
    return []


def check_regex(regex: str) -> None:
    """A profile regex must compile, stay short and have no nested repetition (ReDoS)."""
    if len(regex) > MAX_REGEX:
        raise ValueError(f"REGEX longer than {MAX_REGEX} characters")
    if _NESTED.search(regex) or re.search(r"\\[1-9]", regex):
        raise ValueError(
            f"REGEX {regex!r} repeats a repeated group or uses a backreference (catastrophic backtracking)"
        )
    try:
        re.compile(regex)
    except re.error as exc:
        raise ValueError(f"REGEX {regex!r} does not compile: {exc}") from None


class EntitySpec(BaseModel):
    """One line of an entity file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    label: str = Field(pattern=LABEL_PATTERN)
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    patterns: list[list[dict[str, Any]]] = Field(default_factory=list)
    country: str | None = None
    # Token patterns that name a class of names ("-ase" enzymes): each match is an entity
    # of its own, keyed by its text, not a variant of this entry.
    open_class: bool = False
    # Names that match only in the number written: "hydrocarbons" is marked every time the
    # corpus writes it, "hydrocarbon" 3 times in 9 (a modifier: "hydrocarbon fuels").
    one_number: bool = False
    _origin: tuple[Path, int] = PrivateAttr(default=(Path("?"), 0))

    @field_validator("aliases")
    @classmethod
    def _no_blank_alias(cls, value: list[str]) -> list[str]:
        if any(not a.strip() for a in value):
            raise ValueError("aliases must not be blank")
        return [a.strip() for a in value]

    @field_validator("patterns")
    @classmethod
    def _safe_regexes(cls, value: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        for token in (t for pattern in value for t in pattern):
            for regex in _regexes(token):
                check_regex(regex)
        return value

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = country_code(value)
        if code is None:
            raise ValueError(f"{value!r} is not an ISO 3166 country")
        return code

    @property
    def origin(self) -> tuple[Path, int]:
        """The file and line the entity was read from, for error messages."""
        return self._origin

    @property
    def key(self) -> str:
        return entity_key(self.label, self.name)

    def surfaces(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass(frozen=True)
class KnownEntity:
    """A profile entity as the enrichment needs it: canonical name, aliases, country."""

    label: str
    key: str
    name: str
    aliases: tuple[str, ...]
    country: str | None


def load_entity_specs(paths: Iterable[Path]) -> list[EntitySpec]:
    """Read and validate entity files; the first error names its file and line."""
    specs: list[EntitySpec] = []
    seen: dict[tuple[str, str], tuple[Path, int]] = {}
    for path in paths:
        for number, data in read_jsonl(path):
            try:
                spec = EntitySpec.model_validate(data)
            except ValidationError as exc:
                raise data_error(path, describe(exc), number) from None
            spec._origin = (path, number)
            if not spec.key:
                raise data_error(path, f"name {spec.name!r} has no letters or digits", number)
            where = seen.get((spec.label, spec.key))
            if where:
                raise data_error(
                    path, f"{spec.label} {spec.name!r} repeats {where[0].name}:{where[1]}", number
                )
            seen[(spec.label, spec.key)] = (path, number)
            specs.append(spec)
    return specs


def is_acronym(text: str) -> bool:
    """Short words with two capitals ('EMA', 'CBE JU', 'mAbs') must match their case."""
    compact = text.replace(" ", "").replace("-", "")
    return len(compact) <= 8 and sum(c.isupper() for c in compact) >= 2


# Between two word characters a hyphen, an en dash, a slash or a space join the parts of one
# term as writers please: "gas-fermentation", "CRISPR–Cas9", "life-cycle assessment".
_JOINT = re.compile(r"(?<=\w)(?:\s*[-–/]\s*|\s+)(?=\w)")
_JOINTS = ("-", " ", "–")
# Joints beyond this are written one way throughout ("Life-Cycle-Assessment"), not mixed.
_MIXED_JOINTS = 2


def dash_variants(surface: str) -> list[str]:
    """The surface and its spellings with hyphens, en dashes or spaces between its parts
    (a slash stays as written and is added as a variant of a single dash)."""
    parts = _JOINT.split(surface)
    if len(parts) == 1:
        return [surface]
    joints = len(parts) - 1
    if joints <= _MIXED_JOINTS:
        choices = list(product(_JOINTS, repeat=joints))
    else:
        choices = [(j,) * joints for j in _JOINTS]
    if joints == 1 and "/" in surface:
        choices.append(("/",))
    variants = [surface]
    for choice in choices:
        spelled = parts[0] + "".join(j + part for j, part in zip(choice, parts[1:], strict=True))
        variants.append(spelled)
    return list(dict.fromkeys(variants))


def quote_variants(surface: str) -> list[str]:
    """The surface and its spelling with the other apostrophe: a dictionary's "brewer's
    spent grain" is the text's "brewer’s spent grain" (the phrase matcher compares the
    characters)."""
    if "'" not in surface and "’" not in surface:
        return [surface]
    return list(dict.fromkeys([surface, surface.replace("’", "'"), surface.replace("'", "’")]))


# Labels whose names are common nouns, written in the singular or the plural.
COUNTED_LABELS = frozenset({"CHEMICAL", "TECHNOLOGY"})
_LAST_WORD = re.compile(r"(?<![\w-])([a-z]{4,})$")
# A programme's short form in capitals names a kind of action too, and its plural the
# actions of that kind ("ITNs", "ERA-NETs": marked 10 times of 10 on train and dev).
_PLURAL_SHORT_FORM = re.compile(r"^[A-Z][A-Z0-9-]*[A-Z]$")


def number_variants(surface: str) -> list[str]:
    """The surface and its other grammatical number ("casein" / "caseins",
    "hydrocarbons" / "hydrocarbon", "biorefinery" / "biorefineries"); field names in
    -ics and -sis ("genomics", "hydrolysis") and nouns made of adjectives ("biologicals")
    have none."""
    match = _LAST_WORD.search(surface)
    if match is None:
        return [surface]
    word, stem = match.group(1), surface[: match.start(1)]
    if word.endswith(("ics", "sis", "ss", "us", "is", "ous", "als", "ives")):
        return [surface]  # "biologicals", "additives": their singular is an adjective
    if word.endswith("ies"):
        other = word[:-3] + "y"
    elif word.endswith(("ches", "shes", "xes")):
        other = word[:-2]
    elif word.endswith("s"):
        other = word[:-1]
    elif word.endswith("y") and word[-2] not in "aeiou":
        other = word[:-1] + "ies"
    elif word.endswith(("ch", "sh", "x")):
        other = word + "es"
    else:
        other = word + "s"
    return [surface, stem + other]


def ruler_patterns(specs: Iterable[EntitySpec]) -> list[dict[str, Any]]:
    """Ruler patterns for every name, alias (their dash and apostrophe variants and, for
    common nouns, their other number) and token pattern."""
    patterns: list[dict[str, Any]] = []
    for spec in specs:
        names = spec.surfaces()
        if spec.label in COUNTED_LABELS and not spec.one_number:
            names = [n for name in names for n in number_variants(name)]
        if spec.label == "PROGRAMME":
            names = names + [n + "s" for n in names if _PLURAL_SHORT_FORM.match(n)]
        surfaces = (v for s in names for q in quote_variants(s) for v in dash_variants(q))
        for surface in dict.fromkeys(surfaces):
            pattern = {"label": spec.label, "pattern": surface, "id": spec.key}
            patterns.append(pattern | {"case": "exact"} if is_acronym(surface) else pattern)
        for token_pattern in spec.patterns:
            key = "" if spec.open_class else spec.key
            patterns.append({"label": spec.label, "pattern": token_pattern, "id": key})
    return patterns


def known_entities(specs: Iterable[EntitySpec]) -> dict[tuple[str, str], KnownEntity]:
    """(label, key) -> the profile's canonical entity."""
    return {
        (s.label, s.key): KnownEntity(s.label, s.key, s.name, tuple(s.aliases), s.country)
        for s in specs
    }
