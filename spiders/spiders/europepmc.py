"""Europe PMC REST search (core results, cursorMark paging); preprints included.

API: https://europepmc.org/RestfulWebService — `cursorMark` paging until the cursor
stops changing or a page is empty; `grantsList` links papers to funded projects, the
authors' affiliation strings give the organisations (`affiliations`: name, country, ROR).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

import scrapy
from pydantic import Field
from scrapy.http import Response

from scintel.spiders.affiliations import parse_affiliation, unique
from scintel.spiders.base import NotJson, ScintelSpider
from scintel.spiders.items import Rejected
from scintel.spiders.source_settings import SourceSettings
from scintel.spiders.text import strip_markup
from scintel.storage.items import Affiliation

MAX_PAGE_SIZE = 1000
# Europe PMC sometimes answers 200 with no resultList (bad body, {"version": ...} only).
BAD_PAGE_RETRIES = 2


def _day(value: str | None) -> date | str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return value  # the pipeline rejects it with a reason


def _authors(entry: dict[str, Any]) -> list[str]:
    listed = (entry.get("authorList") or {}).get("author") or []
    names = [
        a.get("fullName") or " ".join(filter(None, (a.get("lastName"), a.get("initials"))))
        for a in listed
        if isinstance(a, dict)
    ]
    names = [n for n in names if n]
    if names:
        return names
    text = (entry.get("authorString") or "").strip().rstrip(".")
    return [n.strip() for n in text.split(",") if n.strip()]


def _affiliations(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The organisations of the authors' affiliation strings (resultType core), with the
    ROR id Europe PMC gives as affiliationOrgId; the record's own `affiliation` (the first
    author's) when no author carries one."""
    found: list[Affiliation] = []
    for author in (entry.get("authorList") or {}).get("author") or []:
        if not isinstance(author, dict):
            continue
        details = (author.get("authorAffiliationDetailsList") or {}).get("authorAffiliation")
        details = details if isinstance(details, list) else [details] if details else []
        if author.get("affiliation"):  # the older shape: one string per author
            details.append({"affiliation": author["affiliation"]})
        for detail in details:
            if isinstance(detail, dict) and isinstance(detail.get("affiliation"), str):
                parsed = parse_affiliation(detail["affiliation"])
                org_id = detail.get("affiliationOrgId")
                if org_id and parsed:
                    parsed[0] = parsed[0].model_copy(update={"ror": str(org_id)})
                found += parsed
    if not found and isinstance(entry.get("affiliation"), str):
        found = parse_affiliation(entry["affiliation"])
    return unique(found)


def _journal(entry: dict[str, Any]) -> str | None:
    journal = ((entry.get("journalInfo") or {}).get("journal") or {}).get("title")
    # resultType=lite carries the journal as a flat journalTitle.
    report = entry.get("bookOrReportDetails") or {}
    return journal or entry.get("journalTitle") or report.get("publisher")


def _grants(entry: dict[str, Any]) -> list[dict[str, Any]]:
    grants = (entry.get("grantsList") or {}).get("grant") or []
    return [
        {"funder": g.get("agency"), "id": str(g["grantId"]).strip()}
        for g in grants
        if isinstance(g, dict) and str(g.get("grantId") or "").strip()
    ]


class EuropePmcSettings(SourceSettings):
    query: str
    page_size: int = Field(default=1000, ge=1, le=1000)


class EuropePmcSpider(ScintelSpider):
    name = "europepmc"
    label = "Europe PMC"
    settings_model = EuropePmcSettings
    kind = "publication"
    endpoint = "https://www.ebi.ac.uk/europepmc/webservices/rest/search"
    required_params = ("query",)
    # A documented REST API (robots.txt governs the website); EBI asks for moderate rates.
    custom_settings: ClassVar[dict[str, Any]] = {
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": 0.5,
    }

    def query(self) -> str:
        """The profile's query restricted to the window by first publication date."""
        w = self.window
        return f"({self.param('query')}) AND (FIRST_PDATE:[{w.since.isoformat()} TO {w.until.isoformat()}])"

    def page_request(self, cursor: str, page: int = 1) -> scrapy.Request:
        size = min(int(self.param("page_size", MAX_PAGE_SIZE)), MAX_PAGE_SIZE)
        params = {
            "query": self.query(),
            "format": "json",
            "resultType": "core",
            "pageSize": size,
            "cursorMark": cursor,
        }
        return scrapy.Request(
            f"{self.endpoint}?{urlencode(params, quote_via=quote)}",
            callback=self.parse,
            errback=self.on_error,
            meta={"cursor": cursor, "page": page},
        )

    def first_requests(self) -> Iterable[scrapy.Request]:
        yield self.page_request("*")

    def parse(self, response: Response) -> Iterator[Any]:
        cursor = response.meta["cursor"]
        try:
            data = self._json(response)
        except NotJson as exc:
            yield from self._bad_page(response, str(exc))
            return
        if not isinstance(data, dict) or not isinstance(data.get("resultList"), dict):
            yield from self._bad_page(response, "response has no resultList")
            return
        results = data["resultList"].get("result") or []
        for entry in results:
            parsed = self.guarded(response, entry, self.parse_entry)
            if parsed is not None:
                yield parsed
        next_cursor = data.get("nextCursorMark")
        if results and next_cursor and next_cursor != cursor:
            page = response.meta.get("page", 1) + 1
            yield self.past_page_cap(response, page, self.query()) or self.page_request(
                next_cursor, page
            )

    def _bad_page(self, response: Response, reason: str) -> Iterator[Any]:
        """Keep the bad body as a reject and ask again: the cursor is needed to go on."""
        tries = response.meta.get("bad_page_retries", 0)
        final = tries >= BAD_PAGE_RETRIES
        yield self._reject(
            response, reason + ("; giving up on this source" if final else "; retrying")
        )
        if not final:
            yield response.request.replace(
                dont_filter=True, meta={**response.meta, "bad_page_retries": tries + 1}
            )

    def parse_entry(self, response: Response, entry: Any) -> dict[str, Any] | Rejected | None:
        if not isinstance(entry, dict):
            return self._reject(response, "result is not an object", entry)
        ident, origin = entry.get("id"), entry.get("source")
        title = strip_markup(entry.get("title"))
        if not (ident and origin and title):
            return self._reject(response, "entry lacks id, source or title", entry)
        published = _day(entry.get("firstPublicationDate"))
        if isinstance(published, date) and published not in self.window:
            self.crawler.stats.inc_value("scintel/out_of_window")
            return None
        pub_types = (entry.get("pubTypeList") or {}).get("pubType") or []
        return self._item(
            response,
            external_id=f"{origin}:{ident}",
            title=title,
            summary=strip_markup(entry.get("abstractText")),
            url=f"https://europepmc.org/article/{origin}/{ident}",
            published=published,
            doi=entry.get("doi"),
            pmid=entry.get("pmid"),
            journal=_journal(entry),
            authors=_authors(entry),
            grants=_grants(entry),
            affiliations=_affiliations(entry),
            pmcid=entry.get("pmcid"),
            source_db=origin,
            pub_types=pub_types if isinstance(pub_types, list) else [pub_types],
            preprint=origin == "PPR",
            open_access=entry.get("isOpenAccess") == "Y",
            keywords=(entry.get("keywordList") or {}).get("keyword") or [],
        )
