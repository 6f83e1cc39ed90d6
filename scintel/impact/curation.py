"""Analysts' corrections, kept as versioned data files in the profile and applied on every run.

A curation folder holds `curation.yaml` (version, date, changelog) and three CSV files:

- `organisation_aliases.csv` (alias, canonical, note): spellings merged into one organisation;
- `vetoes.csv` (what, project_id, document, name, reason): `link` vetoes drop one project ->
  document link, `organisation` vetoes keep a name out of the network and the matching;
- `manual_links.csv` (project_id, document, reason, analyst): links no rule can find.

Documents are named `source:external_id` (e.g. `europepmc:MED:39876543`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scintel.config import ENV_PROFILE
from scintel.errors import ScintelError
from scintel.impact.names import org_key
from scintel.profile import Profile

ALIASES_FILE = "organisation_aliases.csv"
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


class AliasRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    alias: str = Field(min_length=1)
    canonical: str = Field(min_length=1)
    note: str | None = None


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
    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)
    vetoed_organisations: frozenset[str] = frozenset()
    vetoed_links: frozenset[tuple[str, str]] = frozenset()
    manual_links: tuple[ManualLinkRow, ...] = ()

    def resolve(self, name: str) -> tuple[str, str, bool]:
        """(key, display name, merged?) of an organisation name after alias merges."""
        key = org_key(name)
        if key in self.aliases:
            canonical_key, canonical = self.aliases[key]
            return canonical_key, canonical, canonical_key != key
        return key, name.strip(), False

    def is_vetoed_organisation(self, key: str) -> bool:
        return key in self.vetoed_organisations

    def is_vetoed_link(self, project_id: str, document: str) -> bool:
        return (project_id, document) in self.vetoed_links


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str | None]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(
            (line for line in handle if not line.lstrip().startswith("#")), strict=True
        )
        for row in reader:
            if None in row:
                raise ScintelError(
                    f"{path}:{reader.line_num}: more fields than the header names", ENV_PROFILE
                )
            if any((v or "").strip() for v in row.values()):
                yield reader.line_num, {k: (v if v and v.strip() else None) for k, v in row.items()}


def _parse(path: Path, model: type[RowT]) -> list[RowT]:
    if not path.is_file():
        return []
    parsed: list[RowT] = []
    try:
        for line, row in _rows(path):
            try:
                parsed.append(model.model_validate(row))
            except ValidationError as exc:
                first = exc.errors(include_url=False)[0]
                where = ".".join(str(p) for p in first["loc"]) or "row"
                msg = first["msg"].removeprefix("Value error, ")
                raise ScintelError(f"{path}:{line}: {where}: {msg}", ENV_PROFILE) from None
    except csv.Error as exc:
        raise ScintelError(f"{path}: not valid CSV: {exc}", ENV_PROFILE) from None
    return parsed


def load_curation(folder: Path) -> Curation:
    """Read and validate a curation folder; errors name the file and line."""
    manifest_path = folder / MANIFEST_FILE
    if not manifest_path.is_file():
        raise ScintelError(f"{folder}: no {MANIFEST_FILE} (version and date)", ENV_PROFILE)
    try:
        manifest = Manifest.model_validate(yaml.safe_load(manifest_path.read_text("utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise ScintelError(f"{manifest_path}: {str(exc).splitlines()[0]}", ENV_PROFILE) from None
    aliases: dict[str, tuple[str, str]] = {}
    for row in _parse(folder / ALIASES_FILE, AliasRow):
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
    vetoes = _parse(folder / VETOES_FILE, VetoRow)
    return Curation(
        version=manifest.version,
        folder=str(folder),
        aliases=aliases,
        vetoed_organisations=frozenset(
            org_key(v.name) for v in vetoes if v.what == "organisation" and v.name
        ),
        vetoed_links=frozenset(
            (v.project_id, v.document)
            for v in vetoes
            if v.what == "link" and v.project_id and v.document
        ),
        manual_links=tuple(_parse(folder / MANUAL_LINKS_FILE, ManualLinkRow)),
    )


def profile_curation(profile: Profile) -> Curation:
    """The profile's curation, or none when the profile names no folder."""
    if not profile.impact.curation:
        return Curation()
    folder = profile.path(profile.impact.curation)
    if not folder.is_dir():
        raise ScintelError(f"impact.curation: no folder {folder}", ENV_PROFILE)
    return load_curation(folder)
