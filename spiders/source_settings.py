"""The sources: each spider's name, label and the profile settings it accepts, declared
once here (no Scrapy import, so the profile and the digest read it without loading the
crawler). The spider of the same name gets its `settings_model` and `label` from here;
the kind, endpoint and credentials it needs are on the spider class.

Unknown keys and wrong types are errors: a misspelt key no longer turns a source off in
silence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Words = list[str]


class SourceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)

    enabled: bool = True
    # Pages one query may take (else the crawl setting SCINTEL_MAX_PAGES_PER_QUERY).
    max_pages: int | None = Field(default=None, ge=1)


class EuropePmcSettings(SourceSettings):
    query: str
    page_size: int = Field(default=1000, ge=1, le=1000)


class ArxivSettings(SourceSettings):
    search_query: str
    page_size: int = Field(default=100, ge=1, le=2000)


class PreprintSettings(SourceSettings):
    server: Literal["biorxiv", "medrxiv"] | None = None
    categories: Words = Field(default_factory=list)
    keywords: Words = Field(default_factory=list)


class OpenAlexSettings(SourceSettings):
    search: str
    per_page: int = Field(default=200, ge=1, le=200)
    filter: str | None = None


class EpoOpsSettings(SourceSettings):
    cpc: Words = Field(min_length=1)
    countries: Words = Field(default_factory=list)
    page_size: int = Field(default=100, ge=1, le=100)
    query: str | None = None
    airflow_conn_id: str | None = None


class UsptoSettings(SourceSettings):
    cpc: Words = Field(min_length=1)
    stages: list[Literal["pgpub", "grant"]] = Field(default_factory=lambda: ["pgpub", "grant"])
    page_size: int = Field(default=100, ge=1, le=100)
    query: str | None = None


class EuFundingSettings(SourceSettings):
    text: str = "***"
    types: Words = Field(default_factory=lambda: ["1", "2"])
    statuses: list[Literal["forthcoming", "open", "closed"]] = Field(
        default_factory=lambda: ["forthcoming", "open"]
    )
    page_size: int = Field(default=100, ge=1, le=100)
    max_pages: int = Field(default=50, ge=1)
    keywords: Words = Field(default_factory=list)


class GrantsGovSettings(SourceSettings):
    queries: Words = Field(min_length=1)
    statuses: list[Literal["forecasted", "posted", "closed", "archived"]] = Field(
        default_factory=lambda: ["forecasted", "posted"]
    )
    rows: int = Field(default=100, ge=1, le=1000)
    max_pages: int = Field(default=20, ge=1)
    keywords: Words = Field(default_factory=list)


class CordisSettings(SourceSettings):
    programme_codes: Words = Field(min_length=1)
    archives: Words = Field(default_factory=list)


class Outlet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    feed: str = Field(pattern=r"^https?://")
    delay: float = Field(default=3.0, ge=0)


class NewsSettings(SourceSettings):
    outlets: list[Outlet] = Field(min_length=1)
    max_articles: int = Field(default=50, ge=1)


@dataclass(frozen=True)
class Source:
    slug: str  # the spider's name, the profile's key, the warehouse's sources.name
    label: str  # as readers know the service (digest, `scintel sources`)
    settings: type[SourceSettings]


SOURCES: dict[str, Source] = {
    s.slug: s
    for s in (
        Source("europepmc", "Europe PMC", EuropePmcSettings),
        Source("arxiv", "arXiv", ArxivSettings),
        Source("biorxiv", "bioRxiv", PreprintSettings),
        Source("medrxiv", "medRxiv", PreprintSettings),
        Source("openalex", "OpenAlex", OpenAlexSettings),
        Source("epo_ops", "EPO", EpoOpsSettings),
        Source("uspto", "USPTO", UsptoSettings),
        Source("eu_funding", "EU Funding & Tenders", EuFundingSettings),
        Source("grants_gov", "Grants.gov", GrantsGovSettings),
        Source("cordis", "CORDIS", CordisSettings),
        Source("news", "News", NewsSettings),
    )
}


def source_label(slug: str) -> str:
    """The label of a source, or its name when it is no spider of this project."""
    known = SOURCES.get(slug)
    return known.label if known else slug
