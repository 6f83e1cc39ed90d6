"""The profile settings each source accepts, one model per spider (no Scrapy import here,
so a profile is validated without loading the crawler).

A spider names its model in `settings_model`; `SOURCE_SETTINGS` maps every spider name
to it. Unknown keys and wrong types are errors: a misspelt key no longer turns a source
off in silence.
"""

from __future__ import annotations

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


SOURCE_SETTINGS: dict[str, type[SourceSettings]] = {
    "europepmc": EuropePmcSettings,
    "arxiv": ArxivSettings,
    "biorxiv": PreprintSettings,
    "medrxiv": PreprintSettings,
    "openalex": OpenAlexSettings,
    "epo_ops": EpoOpsSettings,
    "uspto": UsptoSettings,
    "eu_funding": EuFundingSettings,
    "grants_gov": GrantsGovSettings,
    "cordis": CordisSettings,
    "news": NewsSettings,
}
