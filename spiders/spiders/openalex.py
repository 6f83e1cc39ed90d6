"""OpenAlex works: publication-date filter plus the profile's search, `cursor=*` paging.

API: https://developers.openalex.org/ — an API key is required since February 2026
(`api_key` from SCINTEL_OPENALEX_KEY; without it the source is skipped). Abstracts
come as an inverted index and are rebuilt; awards, topics and the authors' institutions (as
`affiliations`: name, ROR, country) kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

import scrapy
from pydantic import Field
from scrapy.http import Response

from scintel.spiders.affiliations import unique
from scintel.spiders.base import NotJson, ScintelSpider
from scintel.spiders.items import Rejected
from scintel.spiders.source_settings import SourceSettings
from scintel.spiders.text import squash, strip_markup
from scintel.storage.items import Affiliation

KEY_ENV = "SCINTEL_OPENALEX_KEY"
MAX_PER_PAGE = 200


def _tail(url: Any, prefix: str) -> str | None:
    if not url:
        return None
    text = str(url)
    return text[len(prefix) :] if text.startswith(prefix) else text


def abstract(index: Any) -> str | None:
    """The abstract text from OpenAlex's {word: [positions]} inverted index."""
    if not isinstance(index, dict) or not index:
        return None
    words = {pos: word for word, positions in index.items() for pos in positions or []}
    return squash(" ".join(words[p] for p in sorted(words)))


def _grants(work: dict[str, Any]) -> list[dict[str, Any]]:
    found: dict[tuple[str | None, str], dict[str, Any]] = {}
    for award in work.get("awards") or []:
        if not isinstance(award, dict):
            continue
        funder = award.get("funder_display_name") or (award.get("funder") or {}).get("display_name")
        ident = squash(str(award.get("funder_award_id") or "")) or None
        if ident:
            found[(funder, ident)] = {"funder": funder, "id": ident}
    for grant in work.get("grants") or []:  # the pre-2025 shape
        if isinstance(grant, dict) and (ident := squash(str(grant.get("award_id") or ""))):
            funder = grant.get("funder_display_name")
            found[(funder, ident)] = {"funder": funder, "id": ident}
    return list(found.values())


def _affiliations(work: dict[str, Any]) -> list[dict[str, Any]]:
    """The authors' institutions, once each: name, ROR, country, OpenAlex id and type."""
    found: list[Affiliation] = []
    for authorship in work.get("authorships") or []:
        for inst in (authorship or {}).get("institutions") or []:
            if isinstance(inst, dict) and (name := squash(inst.get("display_name"))):
                found.append(
                    Affiliation(
                        name=name,
                        ror=inst.get("ror"),
                        country=inst.get("country_code"),
                        openalex_id=_tail(inst.get("id"), "https://openalex.org/"),
                        type=inst.get("type"),
                    )
                )
    return unique(found)


def _topics(work: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": _tail(t.get("id"), "https://openalex.org/"),
            "name": t.get("display_name"),
            "score": t.get("score"),
            "subfield": (t.get("subfield") or {}).get("display_name"),
            "field": (t.get("field") or {}).get("display_name"),
            "domain": (t.get("domain") or {}).get("display_name"),
        }
        for t in work.get("topics") or []
        if isinstance(t, dict)
    ]


class OpenAlexSettings(SourceSettings):
    search: str
    per_page: int = Field(default=200, ge=1, le=200)
    filter: str | None = None


class OpenAlexSpider(ScintelSpider):
    name = "openalex"
    label = "OpenAlex"
    settings_model = OpenAlexSettings
    kind = "publication"
    endpoint = "https://api.openalex.org/works"
    required_env = (KEY_ENV,)
    required_params = ("search",)
    # A documented API; the key's budget, not robots.txt, limits use. Polite pool pace.
    custom_settings: ClassVar[dict[str, Any]] = {
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": 0.2,
    }

    def filters(self) -> str:
        w = self.window
        filters = [f"from_publication_date:{w.since}", f"to_publication_date:{w.until}"]
        if extra := self.param("filter"):
            filters.append(str(extra))
        return ",".join(filters)

    def query(self) -> str:
        """The query as a page-cap reject names it."""
        return f"the search {squash(self.param('search'))!r} with filter {self.filters()}"

    def page_request(self, cursor: str, page: int = 1) -> scrapy.Request:
        params = {
            "filter": self.filters(),
            "search": squash(self.param("search")),
            "per_page": min(int(self.param("per_page", MAX_PER_PAGE)), MAX_PER_PAGE),
            "cursor": cursor,
            "api_key": os.environ.get(KEY_ENV, ""),
        }
        return scrapy.Request(
            f"{self.endpoint}?{urlencode(params, quote_via=quote, safe=':,*')}",
            callback=self.parse,
            errback=self.on_error,
            meta={"cursor": cursor, "page": page},
        )

    def first_requests(self) -> Iterable[scrapy.Request]:
        yield self.page_request("*")

    def parse(self, response: Response) -> Iterator[Any]:
        try:
            data = self._json(response)
        except NotJson as exc:
            yield self._reject(response, str(exc))
            return
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            yield self._reject(response, "response has no results list")
            return
        for work in results:
            parsed = self.guarded(response, work, self.parse_work)
            if parsed is not None:
                yield parsed
        meta = data.get("meta")
        next_cursor = meta.get("next_cursor") if isinstance(meta, dict) else None
        if meta is not None and not isinstance(meta, dict):
            yield self._reject(response, "response meta is not an object; paging stops")
        if results and isinstance(next_cursor, str) and next_cursor != response.meta["cursor"]:
            page = response.meta.get("page", 1) + 1
            yield self.past_page_cap(response, page, self.query()) or self.page_request(
                next_cursor, page
            )

    def parse_work(self, response: Response, work: Any) -> dict[str, Any] | Rejected | None:
        if not isinstance(work, dict):
            return self._reject(response, "work is not an object", work)
        ident = _tail(work.get("id"), "https://openalex.org/")
        title = strip_markup(work.get("display_name") or work.get("title"))
        if not (ident and title):
            return self._reject(response, "work lacks id or title", work)
        raw_day = work.get("publication_date")
        try:
            published: date | str | None = date.fromisoformat(raw_day) if raw_day else None
        except ValueError:
            published = raw_day  # the pipeline rejects it with the reason
        if isinstance(published, date) and published not in self.window:
            self.crawler.stats.inc_value("scintel/out_of_window")
            return None
        ids = work.get("ids") or {}
        source = (work.get("primary_location") or {}).get("source") or {}
        return self._item(
            response,
            external_id=ident,
            title=title,
            summary=abstract(work.get("abstract_inverted_index")),
            url=work.get("id"),
            published=published,
            language=work.get("language"),
            doi=_tail(work.get("doi"), "https://doi.org/"),
            pmid=_tail(ids.get("pmid"), "https://pubmed.ncbi.nlm.nih.gov/"),
            journal=source.get("display_name"),
            authors=[
                a["author"]["display_name"]
                for a in work.get("authorships") or []
                if (a.get("author") or {}).get("display_name")
            ],
            grants=_grants(work),
            affiliations=_affiliations(work),
            topics=_topics(work),
            work_type=work.get("type"),
            cited_by_count=work.get("cited_by_count"),
            open_access=(work.get("open_access") or {}).get("is_oa"),
        )
