"""EU Funding & Tenders Portal: open and forthcoming calls for proposals (topics).

The portal's SEDIA search API takes a POST with the paging in the query string and
a multipart body whose parts (`query`, `languages`, `sort`) are JSON. Every metadata
value is a list of strings; `actions` and `budgetOverview` are JSON inside those
strings; a topic can come back once per language, so topics are deduplicated by
identifier. The API serves the present state of the portal: the window drops calls
whose last deadline falls before its first day, and the next deadline is the first
one on or after its last day.

Hostile answers: a result with a field of an unexpected type is a reject of that result
alone; a 200 answer without `results` (the API's in-band error object) is a page reject;
pages stop at the page cap (the profile's `max_pages`, default 50) with a reject.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Literal
from urllib.parse import urlencode

import scrapy
from pydantic import Field
from scrapy.http import Response

from scintel.spiders.base import NotJson, ScintelSpider
from scintel.spiders.items import Rejected
from scintel.spiders.relevance import KeywordFilter
from scintel.spiders.source_settings import SourceSettings, Words
from scintel.spiders.text import html_to_text, inline_text

STATUS_NAMES = {"31094501": "forthcoming", "31094502": "open", "31094503": "closed"}
STATUS_CODES = {name: code for code, name in STATUS_NAMES.items()}
# Identifier prefix -> programme. The numeric `frameworkProgramme` codes are not
# resolved by the API; the identifier prefix is stable and says the same. Longest first.
PROGRAMMES = (
    ("HORIZON-JU-CBE", "Circular Bio-based Europe Joint Undertaking"),
    ("HORIZON-EIC", "European Innovation Council"),
    ("HORIZON-ERC", "European Research Council"),
    ("HORIZON-MSCA", "Marie Skłodowska-Curie Actions"),
    ("HORIZON", "Horizon Europe"),
    ("LIFE", "LIFE Programme"),
    ("EU4H", "EU4Health"),
    ("DIGITAL", "Digital Europe Programme"),
    ("SMP", "Single Market Programme"),
    ("I3", "Interregional Innovation Investments"),
    ("EUAF", "Union Anti-Fraud Programme"),
)
TOPIC_PAGE = (
    "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/"
    "topic-details/{identifier}"
)
DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")
BOUNDARY_PREFIX = "----scintel"


def _first(metadata: dict[str, Any], key: str) -> str | None:
    """The first value of a metadata list (the API wraps every value in a list)."""
    value = metadata.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _embedded_json(metadata: dict[str, Any], key: str) -> Any:
    """A metadata value that is JSON encoded inside a string; None if absent or broken."""
    raw = _first(metadata, key)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _parse_date(value: str | None) -> date | None:
    """`2027-02-17T17:00:00.000+0100` (the date as published, no shift) or `17 February 2027`."""
    if not value:
        return None
    text = value.strip()
    if DATE_PREFIX.match(text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None
    for fmt in ("%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parse_identifier(metadata: dict[str, Any]) -> str | None:
    return _first(metadata, "identifier")


def _parse_title(result: dict[str, Any], metadata: dict[str, Any]) -> str:
    return inline_text(_first(metadata, "title") or result.get("title") or result.get("summary"))


def _parse_programme(identifier: str) -> str:
    for prefix, name in PROGRAMMES:
        if identifier.startswith(prefix + "-"):
            return name
    return identifier.split("-", 1)[0]


def _parse_status(metadata: dict[str, Any]) -> str | None:
    code = _first(metadata, "status")
    return STATUS_NAMES.get(code or "", code)


def _parse_deadlines(metadata: dict[str, Any]) -> list[date]:
    """All deadlines of the topic (every stage), from `deadlineDate` and the actions."""
    found = {_parse_date(v) for v in metadata.get("deadlineDate") or []}
    for action in _embedded_json(metadata, "actions") or []:
        if isinstance(action, dict):
            found.update(_parse_date(v) for v in action.get("deadlineDates") or [])
    return sorted(d for d in found if d is not None)


def _parse_next_deadline(deadlines: list[date], today: date) -> date | None:
    """The first deadline on or after `today`; the last one when all have passed."""
    upcoming = [d for d in deadlines if d >= today]
    return upcoming[0] if upcoming else (deadlines[-1] if deadlines else None)


def _parse_opening_date(metadata: dict[str, Any]) -> date | None:
    opening = _parse_date(_first(metadata, "startDate"))
    if opening:
        return opening
    for action in _embedded_json(metadata, "actions") or []:
        if isinstance(action, dict) and (planned := _parse_date(action.get("plannedOpeningDate"))):
            return planned
    return None


def _parse_budget(metadata: dict[str, Any], identifier: str) -> Decimal | None:
    """The topic's budget summed over years: the actions of `budgetOverview` that name it.

    The overview lists every topic of the call; an action is the topic's when its
    label starts with the identifier. A lone action is taken as the topic's.
    """
    overview = _embedded_json(metadata, "budgetOverview")
    if not isinstance(overview, dict):
        return None
    actions = [
        action
        for entries in (overview.get("budgetTopicActionMap") or {}).values()
        if isinstance(entries, list)
        for action in entries
        if isinstance(action, dict)
    ]
    mine = [a for a in actions if str(a.get("action", "")).split(" ", 1)[0] == identifier]
    if not mine and len(actions) == 1:
        mine = actions
    total = Decimal(0)
    seen = False
    for action in mine:
        for amount in (action.get("budgetYearMap") or {}).values():
            try:
                total += Decimal(str(amount))
                seen = True
            except InvalidOperation:
                continue
    return total.quantize(Decimal("0.01")) if seen and total > 0 else None


def _parse_description(metadata: dict[str, Any]) -> str | None:
    return html_to_text(_first(metadata, "descriptionByte")) or None


def _api_error(data: Any) -> str:
    """Why an answer without a `results` list is no page, in the API's words if it gave any."""
    if isinstance(data, dict):
        said = next((data[k] for k in ("message", "error", "errorMessage") if data.get(k)), None)
        if said is not None:
            return f"API error instead of results: {' '.join(str(said).split())[:200]}"
    return "no `results` list in the answer"


def _multipart(parts: dict[str, Any]) -> tuple[bytes, str]:
    """A multipart/form-data body whose parts are JSON, as the search API wants."""
    boundary = f"{BOUNDARY_PREFIX}{uuid.uuid4().hex}"
    chunks = []
    for name, value in parts.items():
        chunks.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="blob"\r\n'
            "Content-Type: application/json\r\n\r\n"
            f"{json.dumps(value)}\r\n"
        )
    chunks.append(f"--{boundary}--\r\n")
    return "".join(chunks).encode(), f"multipart/form-data; boundary={boundary}"


class EuFundingSettings(SourceSettings):
    text: str = "***"
    types: Words = Field(default_factory=lambda: ["1", "2"])
    statuses: list[Literal["forthcoming", "open", "closed"]] = Field(
        default_factory=lambda: ["forthcoming", "open"]
    )
    page_size: int = Field(default=100, ge=1, le=100)
    max_pages: int = Field(default=50, ge=1)
    keywords: Words = Field(default_factory=list)


class EuFundingSpider(ScintelSpider):
    """Open and forthcoming calls (topics) of the EU Funding & Tenders Portal."""

    name = "eu_funding"
    label = "EU Funding & Tenders"
    settings_model = EuFundingSettings
    kind = "funding_call"
    endpoint = "https://api.tech.ec.europa.eu/search-api/prod/rest/search"
    custom_settings: ClassVar[dict[str, Any]] = {"ROBOTSTXT_OBEY": False}

    MAX_PAGE_SIZE = 100

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page_size = min(
            int(kwargs.get("page_size") or self.param("page_size", 100)), self.MAX_PAGE_SIZE
        )
        self.text = str(self.param("text", "***"))
        self.types = [str(t) for t in self.param("types", ["1", "2"])]
        self.statuses = [
            STATUS_CODES.get(s, s) for s in self.param("statuses", ["forthcoming", "open"])
        ]
        self.relevant = KeywordFilter(self.param("keywords", []))
        self._seen: set[str] = set()

    def _page_request(self, number: int) -> scrapy.Request:
        query = {
            "bool": {
                "must": [
                    {"terms": {"type": self.types}},
                    {"terms": {"status": self.statuses}},
                    {"terms": {"language": ["en"]}},
                ]
            }
        }
        body, content_type = _multipart(
            {"query": query, "languages": ["en"], "sort": {"field": "sortStatus", "order": "ASC"}}
        )
        params = {
            "apiKey": "SEDIA",
            "text": self.text,
            "pageSize": self.page_size,
            "pageNumber": number,
        }
        return scrapy.Request(
            f"{self.endpoint}?{urlencode(params)}",
            method="POST",
            body=body,
            headers={"Content-Type": content_type, "Accept": "application/json"},
            callback=self.parse,
            errback=self.on_error,
            cb_kwargs={"number": number},
            dont_filter=True,
        )

    def first_requests(self) -> Iterator[scrapy.Request]:
        yield self._page_request(1)

    def parse(self, response: Response, number: int) -> Iterator[Any]:
        try:
            data = self._json(response)
        except NotJson as exc:
            yield self._reject(response, f"page {number}: {exc}")
            return
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            yield self._reject(response, f"page {number}: {_api_error(data)}")
            return
        if number == 1:
            yield from self._later_pages(response, data.get("totalResults"))
        for result in data["results"]:
            parsed = self.guarded(response, result, self._parse_result)
            if parsed is not None:
                yield parsed

    def _later_pages(self, response: Response, total: Any) -> Iterator[Any]:
        """Pages 2.. of the search, all at once, up to the page cap (then a reject)."""
        try:
            pages = math.ceil(int(total or 0) / self.page_size)
        except (TypeError, ValueError, OverflowError):
            yield self._reject(response, f"page 1: totalResults is not a number: {total!r:.80}")
            return
        for later in range(2, pages + 1):
            if capped := self.past_page_cap(response, later, f"the search {self.text!r}"):
                yield capped
                return
            yield self._page_request(later)

    def _parse_result(self, response: Response, result: Any) -> dict[str, Any] | Rejected | None:
        """One topic as an item, its reject, or None (a copy, outside the window, off topic).

        Every field is read before the topic counts as seen: a copy of a topic whose
        first copy was malformed is still read.
        """
        metadata = result.get("metadata") if isinstance(result, dict) else None
        if not isinstance(metadata, dict):
            return self._reject(response, "result without metadata", result)
        identifier = _parse_identifier(metadata)
        title = _parse_title(result, metadata)
        if not identifier or not title:
            return self._reject(
                response, "result without identifier or title", result.get("reference")
            )
        if identifier in self._seen:
            return None
        deadlines = _parse_deadlines(metadata)
        summary = _parse_description(metadata)
        keywords = [inline_text(k) for k in metadata.get("keywords") or [] if k]
        opening = _parse_opening_date(metadata)
        next_deadline = _parse_next_deadline(deadlines, self.window.until)
        budget = _parse_budget(metadata, identifier)
        self._seen.add(identifier)
        if deadlines and deadlines[-1] < self.window.since:
            self.crawler.stats.inc_value("scintel/out_of_window")
            return None
        if not self.relevant.matches(title, summary, *keywords):
            self.crawler.stats.inc_value("scintel/not_relevant")
            return None
        return self._item(
            response,
            external_id=identifier,
            identifier=identifier,
            title=title,
            url=TOPIC_PAGE.format(identifier=identifier),
            summary=summary,
            published=opening.isoformat() if opening else None,
            language="en",
            programme=_parse_programme(identifier),
            status=_parse_status(metadata),
            opening_date=opening.isoformat() if opening else None,
            deadline=next_deadline.isoformat() if next_deadline else None,
            deadlines=[d.isoformat() for d in deadlines],
            budget_eur=str(budget) if budget is not None else None,
            call_identifier=_first(metadata, "callIdentifier"),
            call_title=inline_text(_first(metadata, "callTitle")) or None,
            deadline_model=_first(metadata, "deadlineModel"),
            types_of_action=metadata.get("typesOfAction") or [],
            keywords=[k for k in keywords if k and k != identifier],
            api_url=result.get("url"),
        )
