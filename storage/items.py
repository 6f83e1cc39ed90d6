"""The landing-zone item format (docs/items.md), validated in one place.

Spiders write these items as JSON Lines; the loader and the enrichment step read
them. Unknown fields are allowed and kept in `documents.extra`.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from sqlalchemy import Column

from scintel.storage import models as m


def _fits(column: Column[Any], required: bool = False) -> Any:
    """A string no longer than its warehouse column: a longer value rejects the record
    (PostgreSQL would refuse or, cast to VARCHAR(n), silently cut it; SQLite would keep it)."""
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=int(required), max_length=column.type.length
        ),
    ]


NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ExternalId = _fits(m.Document.__table__.c.external_id, required=True)
Language = _fits(m.Document.__table__.c.language)
CallIdentifier = _fits(m.FundingCall.__table__.c.identifier, required=True)
CallStatus = _fits(m.FundingCall.__table__.c.status)
Funder = _fits(m.Grant.__table__.c.funder)
GrantId = _fits(m.Grant.__table__.c.grant_id, required=True)
Outlet = _fits(m.NewsItem.__table__.c.outlet)
PublicationNumber = _fits(m.Patent.__table__.c.publication_number, required=True)
Acronym = _fits(m.Project.__table__.c.acronym)
ProgrammeCode = _fits(m.Project.__table__.c.programme_code)
ProjectId = _fits(m.Project.__table__.c.project_id, required=True)
Country = _fits(m.ProjectParticipant.__table__.c.country)
Role = _fits(m.ProjectParticipant.__table__.c.role)
Pic = _fits(m.ProjectParticipant.__table__.c.pic)
Doi = _fits(m.Publication.__table__.c.doi)
Pmid = _fits(m.Publication.__table__.c.pmid)
Pmcid = _fits(m.Publication.__table__.c.pmcid)
FamilyId = _fits(m.Patent.__table__.c.family_id)
SourceName = _fits(m.Source.__table__.c.name, required=True)
Day = date  # a field named `date` would shadow the type in its class
Amount = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]

# Fields that describe the fetch, not the record: they must not change the content hash.
VOLATILE_FIELDS = {"fetched_at", "crawl_run_id", "raw_ref"}


class Grant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    funder: Funder | None = None
    id: GrantId


class PriorityClaim(BaseModel):
    """A filing a patent claims priority from (or, for a US continuation, its parent)."""

    model_config = ConfigDict(extra="forbid")

    number: NonEmpty
    date: Day | None = None
    country: str | None = None


class Participant(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: NonEmpty
    country: Country | None = None
    role: Role | None = None
    ec_contribution_eur: Amount | None = None
    pic: Pic | None = None  # CORDIS organisationID


class Affiliation(BaseModel):
    """An organisation a publication's authors give: the `affiliations` extra field of a
    publication item, written by the publication spiders and read by the impact step."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    name: NonEmpty
    country: str | None = None  # ISO 3166-1 alpha-2
    ror: str | None = None


AFFILIATIONS = "affiliations"


def affiliations(extra: dict[str, Any] | None) -> list[Affiliation]:
    """The affiliations a stored publication carries (a bare string is a name); entries
    that are not affiliations are skipped, so a bad one costs only itself."""
    value = (extra or {}).get(AFFILIATIONS)
    found: list[Affiliation] = []
    for entry in value if isinstance(value, list) else [value] if value else []:
        try:
            found.append(
                Affiliation(name=entry)
                if isinstance(entry, str)
                else Affiliation.model_validate(entry)
            )
        except ValidationError:
            continue
    return found


class BaseItem(BaseModel):
    """Fields every item carries."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    source: SourceName
    external_id: ExternalId
    title: NonEmpty
    url: str | None = None
    summary: str | None = None
    published: date | None = None
    language: Language | None = None
    fetched_at: datetime | None = None
    raw_ref: str | None = None

    def content_hash(self) -> str:
        """Hash of the record's content, stable across crawls of unchanged records."""
        dumped = self.__pydantic_serializer__.to_json(self, exclude=VOLATILE_FIELDS)
        return hashlib.sha256(dumped).hexdigest()

    def extra_fields(self) -> dict[str, Any] | None:
        return dict(self.model_extra) if self.model_extra else None


class PublicationItem(BaseItem):
    kind: Literal["publication"]
    doi: Doi | None = None
    pmid: Pmid | None = None
    pmcid: Pmcid | None = None
    journal: str | None = None
    authors: list[str] = Field(default_factory=list)
    grants: list[Grant] = Field(default_factory=list)


class PatentItem(BaseItem):
    kind: Literal["patent"]
    publication_number: PublicationNumber
    applicants: list[str] = Field(default_factory=list)
    inventors: list[str] = Field(default_factory=list)
    cpc: list[str] = Field(default_factory=list)
    priority_date: date | None = None
    family_id: FamilyId | None = None
    priority_claims: list[PriorityClaim] = Field(default_factory=list)


class FundingCallItem(BaseItem):
    kind: Literal["funding_call"]
    identifier: CallIdentifier
    programme: str | None = None
    status: CallStatus | None = None
    opening_date: date | None = None
    deadline: date | None = None
    deadlines: list[date] = Field(default_factory=list)
    budget_eur: Amount | None = None


class ProjectItem(BaseItem):
    kind: Literal["project"]
    project_id: ProjectId
    acronym: Acronym | None = None
    programme_code: ProgrammeCode | None = None
    start_date: date | None = None
    end_date: date | None = None
    ec_contribution_eur: Amount | None = None
    coordinator: str | None = None
    participants: list[Participant] = Field(default_factory=list)


class NewsItem(BaseItem):
    kind: Literal["news"]
    outlet: Outlet | None = None
    author: str | None = None


Item = Annotated[
    PublicationItem | PatentItem | FundingCallItem | ProjectItem | NewsItem,
    Field(discriminator="kind"),
]
ITEM_ADAPTER: TypeAdapter[Item] = TypeAdapter(Item)


class ItemError(ValueError):
    """A line that is not a valid item; the message is the reason stored with it."""


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False)[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "item"
        parts.append(f"{where}: {err['msg']}")
    more = exc.error_count() - len(parts)
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")


def _nul_field(value: Any, where: str = "") -> str | None:
    """The first field whose text (or key) holds U+0000, which PostgreSQL cannot store."""
    if isinstance(value, str):
        return (where or "item") if "\x00" in value else None
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in children:
        path = f"{where}.{key}" if where else str(key)
        if "\x00" in str(key):
            return path
        found = _nul_field(child, path)
        if found:
            return found
    return None


def _check_utf8(line: str) -> None:
    """Reject a line read with `surrogateescape` whose bytes were not UTF-8."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as exc:
        byte = ord(line[exc.start]) - 0xDC00  # surrogateescape keeps byte b as U+DC00 + b
        raise ItemError(
            f"not valid UTF-8: byte 0x{byte:02x} at character {exc.start + 1}"
        ) from None


def parse_item(line: str | bytes) -> Item:
    """Parse one JSON line into an item or raise ItemError with a readable reason."""
    if isinstance(line, str) and not line.isascii():
        _check_utf8(line)
    try:
        item = ITEM_ADAPTER.validate_json(line)
        escaped = b"\\u0000" if isinstance(line, bytes) else "\\u0000"
        if escaped in line:  # cheap test first: almost no line has an escaped NUL
            where = _nul_field(item.model_dump(mode="json"))
            if where:
                raise ItemError(
                    f"{where}: contains a NUL character (U+0000), which the warehouse cannot store"
                )
        return item
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        if errors and errors[0]["type"] == "json_invalid":
            raise ItemError(f"invalid JSON: {errors[0]['msg']}") from None
        if errors and errors[0]["type"] == "union_tag_invalid":
            raise ItemError(f"unknown kind: {errors[0]['input'].get('kind')!r}") from None
        if errors and errors[0]["type"] == "union_tag_not_found":
            raise ItemError("missing field 'kind'") from None
        if errors and errors[0]["type"] in ("dict_type", "model_attributes_type"):
            raise ItemError("not a JSON object") from None
        raise ItemError(_describe(exc)) from None


def dump_item(item: BaseItem) -> str:
    """Serialise an item as one JSON line (no trailing newline)."""
    return item.model_dump_json(exclude_none=True)
