"""Analysts' corrections, kept as versioned data files in the profile and applied on every run.

A curation folder holds `curation.yaml` (version, date, changelog) and these CSV files:

- `organisation_aliases.csv` (alias, canonical, country, note): spellings merged into one
  organisation; either side may be an id (`pic:999977657`, `ror:02e2c7k09`), and a country
  limits the alias to mentions in (or without) that country;
- `organisation_groups.csv` (member, member_country, group, group_country, note): a member
  (subsidiary, institute) and its group; both stay organisations of their own;
- `organisation_splits.csv` (organisation, country, other, other_country, reason): two
  organisations no identity rule may join (reverses a wrong merge);
- `vetoes.csv` (what, project_id, document, name, reason): `link` vetoes drop one project ->
  document link, `organisation` vetoes keep a name out of the network and the matching;
- `manual_links.csv` (project_id, document, reason, analyst): links no rule can find.

Documents are named `source:external_id` (e.g. `europepmc:MED:39876543`). How organisation
keys are made from all this is scintel.impact.identity's business.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from scintel.config import ENV_PROFILE
from scintel.errors import ScintelError
from scintel.impact.names import org_key
from scintel.profile import Profile

ALIASES_FILE = "organisation_aliases.csv"
GROUPS_FILE = "organisation_groups.csv"
SPLITS_FILE = "organisation_splits.csv"
VETOES_FILE = "vetoes.csv"
MANUAL_LINKS_FILE = "manual_links.csv"
MANIFEST_FILE = "curation.yaml"
RowT = TypeVar("RowT", bound=BaseModel)


def _document_ref(value: str) -> str:
    source, sep, external_id = value.partition(":")
    if not sep or not source.strip() or not external_id.strip():
        raise ValueError("must be 'source:external_id'")
    return f"{source.strip()}:{external_id.strip()}"


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    updated: date
    changelog: list[str] = Field(default_factory=list)


def _country(value: str | None) -> str | None:
    from scintel.impact.identity import country_of

    if value is None:
        return None
    code = country_of(value)
    if code is None:
        raise ValueError(f"not a country: {value!r}")
    return code


def _organisation(value: str) -> str:
    """A name, or an id written `pic:<nine digits>` / `ror:<id>`."""
    from scintel.impact.identity import pic_id, ror_id

    scheme, sep, ident = value.partition(":")
    if sep and scheme in ("pic", "ror"):
        valid = pic_id(ident) if scheme == "pic" else ror_id(ident)
        if valid is None:
            raise ValueError(f"not a {scheme.upper()}: {ident!r}")
        return f"{scheme}:{valid}"
    return value


Country = Annotated[str | None, AfterValidator(_country)]
OrganisationRef = Annotated[str, Field(min_length=1), AfterValidator(_organisation)]


class AliasRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    alias: OrganisationRef
    canonical: OrganisationRef
    country: Country = None
    note: str | None = None


class GroupRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    member: OrganisationRef
    member_country: Country = None
    group: OrganisationRef
    group_country: Country = None
    note: str | None = None


class SplitRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organisation: OrganisationRef
    country: Country = None
    other: OrganisationRef
    other_country: Country = None
    reason: str = Field(min_length=1)


@dataclass(frozen=True)
class Reference:
    """An organisation as a curation file names it: an id (`pic:…`, `ror:…`) or a name."""

    text: str
    country: str | None = None


@dataclass(frozen=True)
class Alias:
    """A curated alias: `alias` is the organisation `canonical` (in `country`, if given)."""

    alias: Reference
    canonical: Reference
    country: str | None
    line: str  # file:line, the evidence of every merge it makes


@dataclass(frozen=True)
class Group:
    """A member organisation and its group (a subsidiary of a company, an institute)."""

    member: Reference
    group: Reference
    line: str


class VetoRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    what: Literal["link", "organisation"]
    project_id: str | None = None
    document: str | None = None
    name: str | None = None
    reason: str = Field(min_length=1)

    @field_validator("document")
    @classmethod
    def _ref(cls, value: str | None) -> str | None:
        return _document_ref(value) if value else None

    def model_post_init(self, _context: Any) -> None:
        if self.what == "link" and not (self.project_id and self.document):
            raise ValueError("a link veto needs project_id and document")
        if self.what == "organisation" and not self.name:
            raise ValueError("an organisation veto needs name")


class ManualLinkRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    project_id: str = Field(min_length=1)
    document: str
    reason: str = Field(min_length=1)
    analyst: str | None = None

    @field_validator("document")
    @classmethod
    def _ref(cls, value: str) -> str:
        return _document_ref(value)


@dataclass
class CurationEffect:
    """What the curation changed in one run, reported in the step summary."""

    names_merged: int = 0
    participations_vetoed: int = 0
    links_vetoed: int = 0
    manual_links: int = 0
    unresolved: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "names_merged": self.names_merged,
            "participations_vetoed": self.participations_vetoed,
            "links_vetoed": self.links_vetoed,
            "manual_links": self.manual_links,
            "unresolved": list(self.unresolved),
        }


@dataclass(frozen=True)
class Curation:
    """Validated corrections; `Curation()` is the empty set."""

    version: int = 0
    folder: str | None = None
    # org_key of an alias name -> (org_key, name) of its canonical name, chains resolved
    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)
    alias_rows: tuple[Alias, ...] = ()
    groups: tuple[Group, ...] = ()
    splits: tuple[tuple[Reference, Reference, str], ...] = ()
    vetoed_organisations: frozenset[str] = frozenset()
    vetoed_links: frozenset[tuple[str, str]] = frozenset()
    manual_links: tuple[ManualLinkRow, ...] = ()
    # (org_key of an alias name, country or None) -> its alias row
    alias_index: dict[tuple[str, str | None], Alias] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index = {
            (org_key(a.alias.text), a.country): a
            for a in self.alias_rows
            if not _is_id(a.alias.text)
        }
        object.__setattr__(self, "alias_index", index)

    def resolve(self, name: str) -> tuple[str, str, bool]:
        """(name key, display name, merged?) of an organisation name after alias merges.

        A name-level key (org_key), without country or ids; organisation keys come from
        scintel.impact.identity.Identities.key_for."""
        key = org_key(name)
        if key in self.aliases:
            canonical_key, canonical = self.aliases[key]
            return canonical_key, canonical, canonical_key != key
        return key, name.strip(), False

    def alias_for(self, name: str, country: str | None) -> Alias | None:
        """The curated alias of a name in a country (an alias without a country applies
        everywhere), followed through chains (a -> b, b -> c gives c)."""
        index = self.alias_index
        found: Alias | None = None
        key, seen = org_key(name), set()
        while key and key not in seen:
            seen.add(key)
            alias = index.get((key, country)) or index.get((key, None))
            if alias is None and country is None:  # a mention without a country: the
                alias = self._only_alias(key)  # alias of one country gives it that one
            if alias is None:
                break
            found = alias
            if _is_id(alias.canonical.text):
                break
            key = org_key(alias.canonical.text)
        return found

    def _only_alias(self, key: str) -> Alias | None:
        found = [a for (k, _), a in self.alias_index.items() if k == key]
        return found[0] if len(found) == 1 else None

    def is_vetoed_organisation(self, key: str) -> bool:
        return key in self.vetoed_organisations

    def is_vetoed_link(self, project_id: str, document: str) -> bool:
        return (project_id, document) in self.vetoed_links


def _is_id(text: str) -> bool:
    return text.startswith(("pic:", "ror:"))


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str | None]]]:
    """Rows of a CSV file with `#` comment lines, each with its line number in the file."""
    with path.open(encoding="utf-8", newline="") as handle:
        numbers: list[int] = []  # the file's line number of each line the reader is given

        def lines() -> Iterator[str]:
            for number, line in enumerate(handle, start=1):
                if not line.lstrip().startswith("#"):
                    numbers.append(number)
                    yield line

        reader = csv.DictReader(lines(), strict=True)
        for row in reader:
            line = numbers[reader.line_num - 1]
            if None in row:
                raise ScintelError(f"{path}:{line}: more fields than the header names", ENV_PROFILE)
            if any((v or "").strip() for v in row.values()):
                yield line, {k: (v if v and v.strip() else None) for k, v in row.items()}


def _parse(path: Path, model: type[RowT]) -> list[tuple[int, RowT]]:
    """The rows of one file with their line numbers; errors name file and line."""
    if not path.is_file():
        return []
    parsed: list[tuple[int, RowT]] = []
    try:
        for line, row in _rows(path):
            try:
                parsed.append((line, model.model_validate(row)))
            except ValidationError as exc:
                first = exc.errors(include_url=False)[0]
                where = ".".join(str(p) for p in first["loc"]) or "row"
                msg = first["msg"].removeprefix("Value error, ")
                raise ScintelError(f"{path}:{line}: {where}: {msg}", ENV_PROFILE) from None
    except csv.Error as exc:
        raise ScintelError(f"{path}: not valid CSV: {exc}", ENV_PROFILE) from None
    return parsed


def _name_aliases(rows: list[tuple[int, AliasRow]]) -> dict[str, tuple[str, str]]:
    """org_key of each alias name -> its canonical name's (org_key, name), chains resolved."""
    aliases: dict[str, tuple[str, str]] = {}
    for _, row in rows:
        if _is_id(row.alias) or _is_id(row.canonical):
            continue
        canonical_key = org_key(row.canonical)
        # Chains (a -> b, b -> c) resolve to the last canonical name.
        aliases[org_key(row.alias)] = (canonical_key, row.canonical)
        aliases.setdefault(canonical_key, (canonical_key, row.canonical))
    for key, (target, name) in list(aliases.items()):
        seen = {key}
        while target in aliases and aliases[target][0] != target and target not in seen:
            seen.add(target)
            target, name = aliases[target]
        aliases[key] = (target, name)
    return aliases


def load_curation(folder: Path) -> Curation:
    """Read and validate a curation folder; errors name the file and line."""
    manifest_path = folder / MANIFEST_FILE
    if not manifest_path.is_file():
        raise ScintelError(f"{folder}: no {MANIFEST_FILE} (version and date)", ENV_PROFILE)
    try:
        manifest = Manifest.model_validate(yaml.safe_load(manifest_path.read_text("utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise ScintelError(f"{manifest_path}: {str(exc).splitlines()[0]}", ENV_PROFILE) from None
    alias_rows = _parse(folder / ALIASES_FILE, AliasRow)
    vetoes = [v for _, v in _parse(folder / VETOES_FILE, VetoRow)]
    return Curation(
        version=manifest.version,
        folder=str(folder),
        aliases=_name_aliases(alias_rows),
        alias_rows=tuple(
            Alias(Reference(r.alias), Reference(r.canonical), r.country, f"{ALIASES_FILE}:{n}")
            for n, r in alias_rows
        ),
        groups=tuple(
            Group(
                Reference(r.member, r.member_country),
                Reference(r.group, r.group_country),
                f"{GROUPS_FILE}:{n}",
            )
            for n, r in _parse(folder / GROUPS_FILE, GroupRow)
        ),
        splits=tuple(
            (Reference(r.organisation, r.country), Reference(r.other, r.other_country), r.reason)
            for _, r in _parse(folder / SPLITS_FILE, SplitRow)
        ),
        vetoed_organisations=frozenset(
            org_key(v.name) for v in vetoes if v.what == "organisation" and v.name
        ),
        vetoed_links=frozenset(
            (v.project_id, v.document)
            for v in vetoes
            if v.what == "link" and v.project_id and v.document
        ),
        manual_links=tuple(r for _, r in _parse(folder / MANUAL_LINKS_FILE, ManualLinkRow)),
    )


def profile_curation(profile: Profile) -> Curation:
    """The profile's curation, or none when the profile names no folder."""
    if not profile.impact.curation:
        return Curation()
    folder = profile.path(profile.impact.curation)
    if not folder.is_dir():
        raise ScintelError(f"impact.curation: no folder {folder}", ENV_PROFILE)
    return load_curation(folder)
