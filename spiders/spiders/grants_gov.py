"""Grants.gov: forecasted and posted US federal funding opportunities, biotech only.

Grants.gov rather than the NIH Guide feed: its search2 API covers NIH and every
other US funder of industrial biotechnology (NSF, DOE, USDA, DoD), answers keyword
queries with paging, and gives status, opening and closing dates in one record.
The profile's queries go to the API one after the other, each at most `max_pages`
pages; its keywords then keep only opportunities whose title is about the field (the
API matches full texts and returns much more). A bad record is a reject alone; a bad
page or a failed request is skipped and never stops the queries after it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, ClassVar, Literal

import scrapy
from pydantic import Field
from scrapy.http import Response
from twisted.python.failure import Failure

from scintel.spiders.base import NotJson, ScintelSpider
from scintel.spiders.items import Rejected
from scintel.spiders.relevance import KeywordFilter
from scintel.spiders.source_settings import SourceSettings, Words
from scintel.spiders.text import inline_text

# Grants.gov status -> the status words funding calls share across sources.
STATUSES = {
    "posted": "open",
    "forecasted": "forthcoming",
    "closed": "closed",
    "archived": "archived",
}
DETAIL_PAGE = "https://www.grants.gov/search-results-detail/{id}"
MAX_ROWS = 1000


class BadPage(ValueError):
    """A page with no records to read: an error given in-band, or an unexpected shape."""


def _hits(data: Any) -> tuple[list[Any], int | None]:
    """The page's opportunities and the query's `hitCount` (None when unreadable), or
    BadPage saying why the page has none to read."""
    if not isinstance(data, dict) or data.get("errorcode") not in (0, "0", None):
        message = data.get("msg") if isinstance(data, dict) else None
        raise BadPage(f"service error: {message or 'no data'}")
    body = data.get("data")
    hits = body.get("oppHits") if isinstance(body, dict) else None
    if not isinstance(hits, list):
        raise BadPage("no `oppHits` list")
    try:
        return hits, int(str(body.get("hitCount")).strip())
    except ValueError:
        return hits, None


def _parse_date(value: Any) -> date | None:
    """Grants.gov dates are `MM/DD/YYYY`; empty when unknown."""
    text = str(value or "").strip()
    if not text:
        return None
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    return None


def _parse_status(hit: dict[str, Any]) -> str | None:
    raw = str(hit.get("oppStatus") or "").strip().lower()
    return STATUSES.get(raw, raw or None)


def _parse_agency(hit: dict[str, Any]) -> str | None:
    return inline_text(hit.get("agency") or hit.get("agencyName")) or None


def _parse_listings(hit: dict[str, Any]) -> list[str]:
    """Assistance Listing (formerly CFDA) numbers, under either of their field names."""
    values = hit.get("alnist") or hit.get("cfdaList") or []
    return [str(v).strip() for v in values if str(v).strip()] if isinstance(values, list) else []


class GrantsGovSettings(SourceSettings):
    queries: Words = Field(min_length=1)
    statuses: list[Literal["forecasted", "posted", "closed", "archived"]] = Field(
        default_factory=lambda: ["forecasted", "posted"]
    )
    rows: int = Field(default=100, ge=1, le=1000)
    max_pages: int = Field(default=20, ge=1)
    keywords: Words = Field(default_factory=list)


class GrantsGovSpider(ScintelSpider):
    """Biotech funding opportunities from the Grants.gov search2 API."""

    name = "grants_gov"
    label = "Grants.gov"
    settings_model = GrantsGovSettings
    kind = "funding_call"
    endpoint = "https://api.grants.gov/v1/api/search2"
    required_params = ("queries",)
    custom_settings: ClassVar[dict[str, Any]] = {"ROBOTSTXT_OBEY": False}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = min(int(kwargs.get("rows") or self.param("rows", 100)), MAX_ROWS)
        self.queries = [str(q) for q in self.param("queries", ["biotechnology"])]
        self.statuses = "|".join(self.param("statuses", ["forecasted", "posted"]))
        self.relevant = KeywordFilter(self.param("keywords", []))
        self._seen: set[str] = set()

    def _request(
        self, index: int, start: int, page: int, total: int | None = None
    ) -> scrapy.Request:
        query = self.queries[index]
        body = {
            "keyword": query,
            "oppStatuses": self.statuses,
            "rows": self.rows,
            "startRecordNum": start,
            "sortBy": "openDate|desc",
        }
        return scrapy.Request(
            self.endpoint,
            method="POST",
            body=json.dumps(body),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            callback=self.parse,
            errback=self.page_failed,
            cb_kwargs={"index": index, "start": start, "page": page, "total": total},
            dont_filter=True,
        )

    def first_requests(self) -> Iterator[scrapy.Request]:
        # Queries run one after the other (the paging sits in the POST body): polite, and
        # a replayed sample answers in the order it was recorded. So every page, bad or
        # failed, must hand on to the next one, or the queries after it are never sent.
        yield self._request(0, 0, 1)

    def _following(
        self, response: Response, index: int, start: int, page: int, total: int | None
    ) -> Iterator[Any]:
        """The next page of this query while there is one and the page cap allows it
        (else a reject naming the query), then the next query."""
        if total is not None and start < total:
            capped = self.past_page_cap(response, page + 1, f"query {self.queries[index]!r}")
            if capped is None:
                yield self._request(index, start, page + 1, total)
                return
            yield capped
        if index + 1 < len(self.queries):
            yield self._request(index + 1, 0, 1)

    def page_failed(self, failure: Failure) -> Iterator[Any]:
        yield self.on_error(failure)
        request = failure.request  # type: ignore[attr-defined]
        kwargs = request.cb_kwargs
        # No page came back: the request stands in for it (its URL and meta are all we use).
        response = getattr(failure.value, "response", None) or Response(
            request.url, request=request
        )
        yield from self._following(
            response, kwargs["index"], kwargs["start"] + self.rows, kwargs["page"], kwargs["total"]
        )

    def parse(
        self, response: Response, index: int, start: int, page: int, total: int | None
    ) -> Iterator[Any]:
        where = f"query {self.queries[index]!r} from {start}"
        try:
            hits, hit_count = _hits(self._json(response))
        except (NotJson, BadPage) as exc:
            yield self._reject(response, f"{where}: {exc}")
            # A bad page is skipped: the next one starts a full page further on.
            yield from self._following(response, index, start + self.rows, page, total)
            return
        for hit in hits:
            parsed = self.guarded(response, hit, self._parse_hit)
            if parsed is not None:
                yield parsed
        if hits and hit_count is None:
            # Without a total the pages behind this one are unknown: say so, go on to the next query.
            yield self._reject(response, f"{where}: no readable `hitCount`; paging stops")
        # An empty page ends the query.
        yield from self._following(
            response, index, start + len(hits), page, hit_count if hits else start
        )

    def _parse_hit(self, response: Response, hit: Any) -> dict[str, Any] | Rejected | None:
        """One opportunity as an item, a reject, or None when dropped. Run through `guarded`:
        every field is read before the id is remembered, so a wrong-typed field rejects
        this record alone and never hides a later good copy of it."""
        if not isinstance(hit, dict):
            return self._reject(response, "opportunity is not an object", hit)
        opp_id = str(hit.get("id") or "").strip()
        number = str(hit.get("number") or "").strip()
        title = inline_text(hit.get("title"))
        if not opp_id or not number or not title:
            return self._reject(response, "opportunity without id, number or title", hit)
        close, opening = _parse_date(hit.get("closeDate")), _parse_date(hit.get("openDate"))
        programme, listings = _parse_agency(hit), _parse_listings(hit)
        if opp_id in self._seen:
            return None
        self._seen.add(opp_id)
        if not self.relevant.matches(title):
            self.crawler.stats.inc_value("scintel/not_relevant")
            return None
        if close and close < self.window.since:
            self.crawler.stats.inc_value("scintel/out_of_window")
            return None
        return self._item(
            response,
            external_id=number,
            identifier=number,
            title=title,
            url=DETAIL_PAGE.format(id=opp_id),
            published=opening.isoformat() if opening else None,
            language="en",
            programme=programme,
            status=_parse_status(hit),
            opening_date=opening.isoformat() if opening else None,
            deadline=close.isoformat() if close else None,
            deadlines=[close.isoformat()] if close else [],
            opportunity_id=opp_id,
            agency_code=hit.get("agencyCode"),
            doc_type=hit.get("docType"),
            assistance_listings=listings,
            keywords=self.relevant.matched(title),
        )
