"""USPTO Open Data Portal: patent application search by CPC class and date window.

API: https://data.uspto.gov/apis/patent-file-wrapper/search (PatentsView's search API
was retired into it in March 2026). GET /api/v1/patent/applications/search with the
key in the X-API-KEY header; `q` (OpenSearch syntax), `rangeFilters` ("field
from:to"), `sort`, `offset`/`limit` paging (100 at most per page, 10,000 per query,
so a window with more hits is split in halves). No hits come back as HTTP 404.
Rate limits: about 60 requests a minute and one request at a time per key; 429
answers are retried after Retry-After.

One application record can stand for two publications: its pre-grant publication
(US2026012345A1) and its grant (US12345678B2). The spider queries each date field
separately and the record becomes the publication whose date put it in the window.
The search answer carries no abstract, so patent items from this source have no
summary. Both the current answer shape (`patentFileWrapperDataBag` with nested
`applicationMetaData`) and the beta one (`patentBag`, flat) are read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, ClassVar, Literal
from urllib.parse import quote, urlencode

import scrapy
from pydantic import Field
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from scintel.nlp.normalise import country_code
from scintel.spiders.base import NotJson, ScintelSpider
from scintel.spiders.items import Rejected
from scintel.spiders.paging import halves
from scintel.spiders.source_settings import SourceSettings, Words
from scintel.spiders.window import Window

ENV_KEY = "SCINTEL_USPTO_KEY"
SEARCH_URL = "https://api.uspto.gov/api/v1/patent/applications/search"
MAX_LIMIT = 100
MAX_RESULTS = 10_000
DATE_FIELDS = {
    "pgpub": "applicationMetaData.earliestPublicationDate",
    "grant": "applicationMetaData.grantDate",
}
HANDLED = [400, 403, 404]

PATENT_CENTER_URL = "https://patentcenter.uspto.gov/applications/{number}"
PGPUB = "pgpub"
GRANT = "grant"

# ipOfficeName values that are not country names.
_OFFICES = {"EUROPEAN PATENT": "EP", "WORLD INTELLECTUAL": "WO", "WIPO": "WO", "PCT": "WO"}
_PGPUB_NUMBER = re.compile(r"^US\s*(\d{4})[-\s]?(\d{6,7})\s*([A-Z]\d?)$")
_SPACES = re.compile(r"\s+")


class RecordError(ValueError):
    """A record that cannot become an item; the message is the reason."""


def records(payload: Any) -> Iterator[dict]:
    """The application records of a search answer, in order."""
    if not isinstance(payload, dict):
        raise RecordError("answer is not a JSON object")
    bag = payload.get("patentFileWrapperDataBag", payload.get("patentBag"))
    if bag is None:
        raise RecordError("answer has neither patentFileWrapperDataBag nor patentBag")
    if not isinstance(bag, list):
        raise RecordError("patentFileWrapperDataBag is not a list")
    yield from bag


def total_count(payload: dict) -> int:
    count = payload.get("count")
    if not isinstance(count, int) or count < 0:
        raise RecordError("answer has no numeric count")
    return count


def _meta(record: dict) -> dict:
    meta = record.get("applicationMetaData")
    return meta if isinstance(meta, dict) else record


def _iso(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _clean(value: Any) -> str:
    return _SPACES.sub(" ", value).strip() if isinstance(value, str) else ""


def _parse_pgpub_number(meta: dict) -> str | None:
    """'US 2019-0095759 A1' -> 'US2019095759A1' (docdb drops the serial's leading zero)."""
    match = _PGPUB_NUMBER.match(_clean(meta.get("earliestPublicationNumber")))
    if not match:
        return None
    year, serial, kind = match.groups()
    return f"US{year}{serial[-6:]}{kind}"


def _grant_kind(meta: dict) -> str:
    published_before = bool(_parse_pgpub_number(meta))
    kind_by_type = {"DES": "S", "REI": "E", "PLT": "P3" if published_before else "P2"}
    return kind_by_type.get(
        _clean(meta.get("applicationTypeCode")).upper(), "B2" if published_before else "B1"
    )


def _parse_grant_number(meta: dict) -> str | None:
    number = _clean(meta.get("patentNumber")).replace(",", "").replace(" ", "")
    return f"US{number}{_grant_kind(meta)}" if number else None


def _parse_publication(meta: dict, stage: str) -> tuple[str, str]:
    """(publication number, date) of the stage that put the record in the window."""
    if stage == GRANT:
        number, published = _parse_grant_number(meta), _iso(meta.get("grantDate"))
    else:
        number, published = _parse_pgpub_number(meta), _iso(meta.get("earliestPublicationDate"))
    if not number or not published:
        raise RecordError(f"no {stage} publication number and date")
    return number, published


def _parse_names(bag: Any, *keys: str) -> list[str]:
    names: list[str] = []
    for entry in bag if isinstance(bag, list) else []:
        if not isinstance(entry, dict):
            continue
        name = next((_clean(entry.get(k)) for k in keys if _clean(entry.get(k))), "")
        if not name:
            name = _clean(f"{entry.get('firstName') or ''} {entry.get('lastName') or ''}")
        if name and name not in names:
            names.append(name)
    return names


def _parse_applicants(meta: dict) -> list[str]:
    names = _parse_names(meta.get("applicantBag"), "applicantNameText")
    first = _clean(meta.get("firstApplicantName"))
    return names or ([first] if first else [])


def _parse_assignees(record: dict) -> list[str]:
    bags = [a.get("assigneeBag") for a in record.get("assignmentBag") or [] if isinstance(a, dict)]
    names: list[str] = []
    for bag in bags:
        for name in _parse_names(bag, "assigneeNameText"):
            if name not in names:
                names.append(name)
    return names


def _parse_inventors(meta: dict) -> list[str]:
    names = _parse_names(meta.get("inventorBag"), "inventorNameText")
    first = _clean(meta.get("firstInventorName"))
    return names or ([first] if first else [])


def _parse_cpc(meta: dict) -> list[str]:
    """CPC symbols without the padding some records carry ('C12N   9/2431' -> 'C12N9/2431')."""
    symbols: list[str] = []
    for raw in meta.get("cpcClassificationBag") or []:
        symbol = _SPACES.sub("", raw) if isinstance(raw, str) else ""
        if symbol and symbol not in symbols:
            symbols.append(symbol)
    return symbols


def _parse_priority_date(record: dict, meta: dict) -> str | None:
    """Earliest of the foreign priorities, the effective and the actual filing date."""
    candidates = [
        _iso(p.get("filingDate"))
        for p in record.get("foreignPriorityBag") or []
        if isinstance(p, dict)
    ]
    candidates += [_iso(meta.get("effectiveFilingDate")), _iso(meta.get("filingDate"))]
    known = sorted(d for d in candidates if d)
    return known[0] if known else None


def _office(name: Any) -> str | None:
    """The office code of an ipOfficeName ('JAPAN' -> JP, 'EUROPEAN PATENT OFFICE (EPO)' -> EP)."""
    text = _clean(name).upper()
    for prefix, code in _OFFICES.items():
        if text.startswith(prefix):
            return code
    return country_code(text) if text else None


def _parse_priority_claims(record: dict) -> list[dict[str, str]]:
    """The foreign priorities and the parent applications (continuations, divisions,
    provisionals) the application claims, as {number, date, country}."""
    claims: list[dict[str, str]] = []
    for entry in record.get("foreignPriorityBag") or []:
        if isinstance(entry, dict) and _clean(entry.get("applicationNumberText")):
            claim = {"number": _clean(entry.get("applicationNumberText"))}
            claim |= {"date": d} if (d := _iso(entry.get("filingDate"))) else {}
            claim |= {"country": c} if (c := _office(entry.get("ipOfficeName"))) else {}
            claims.append(claim)
    continuity = record.get("continuityBag")
    parents = record.get("parentContinuityBag") or (
        continuity.get("parentContinuityBag") if isinstance(continuity, dict) else None
    )
    for entry in parents or []:
        if isinstance(entry, dict) and _clean(entry.get("parentApplicationNumberText")):
            number = _clean(entry.get("parentApplicationNumberText"))
            claim = {"number": number, "country": "WO" if number.startswith("PCT") else "US"}
            claim |= {"date": d} if (d := _iso(entry.get("parentApplicationFilingDate"))) else {}
            claims.append(claim)
    return [c for i, c in enumerate(claims) if c not in claims[:i]]


def parse_record(record: Any, stage: str) -> dict[str, Any]:
    """The patent item fields (docs/items.md) of one application record."""
    if not isinstance(record, dict):
        raise RecordError("record is not a JSON object")
    meta = _meta(record)
    application = _clean(record.get("applicationNumberText") or meta.get("applicationNumberText"))
    if not application:
        raise RecordError("record has no applicationNumberText")
    title = _clean(meta.get("inventionTitle"))
    if not title:
        raise RecordError(f"application {application}: no inventionTitle")
    try:
        number, published = _parse_publication(meta, stage)
    except RecordError as exc:
        raise RecordError(f"application {application}: {exc}") from None
    applicants = _parse_applicants(meta)
    assignees = _parse_assignees(record)
    item: dict = {
        "external_id": number,
        "publication_number": number,
        "title": title,
        "language": "en",
        "url": PATENT_CENTER_URL.format(number=application),
        "published": published,
        "priority_date": _parse_priority_date(record, meta),
        "applicants": applicants or assignees,
        "inventors": _parse_inventors(meta),
        "cpc": _parse_cpc(meta),
        "priority_claims": _parse_priority_claims(record),
        "application_number": application,
        "assignees": assignees,
        "filing_date": _iso(meta.get("filingDate")),
        "application_status": _clean(meta.get("applicationStatusDescriptionText")) or None,
    }
    return {key: value for key, value in item.items() if value is not None}


def build_query(cpc: Iterable[str], extra: str | None = None) -> str:
    """OpenSearch query for applications carrying one of the CPC classes (prefix match)."""
    classes = [c.strip().replace(" ", "") for c in cpc if c.strip()]
    query = (
        "applicationMetaData.cpcClassificationBag:(" + " OR ".join(f"{c}*" for c in classes) + ")"
    )
    return f"{query} AND ({extra})" if extra else query


class UsptoSettings(SourceSettings):
    cpc: Words = Field(min_length=1)
    stages: list[Literal["pgpub", "grant"]] = Field(default_factory=lambda: ["pgpub", "grant"])
    page_size: int = Field(default=100, ge=1, le=100)
    query: str | None = None


class UsptoSpider(ScintelSpider):
    name = "uspto"
    label = "USPTO"
    settings_model = UsptoSettings
    kind = "patent"
    endpoint = SEARCH_URL
    required_env = (ENV_KEY,)
    required_params = ("cpc",)
    # A documented API: one request at a time per key, about one a second.
    custom_settings: ClassVar[dict[str, Any]] = {
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": 1.0,
    }

    def page_size(self) -> int:
        return max(1, min(int(self.param("page_size", MAX_LIMIT)), MAX_LIMIT))

    def stages(self) -> list[str]:
        stages = self.param("stages") or list(DATE_FIELDS)
        unknown = [s for s in stages if s not in DATE_FIELDS]
        if unknown:
            raise CloseSpider(f"profile: unknown uspto stages {unknown}; use {list(DATE_FIELDS)}")
        return stages

    def first_requests(self) -> Iterable[scrapy.Request]:
        for stage in self.stages():
            yield self.page_request(stage, self.window, 0)

    def page_request(
        self, stage: str, window: Window, offset: int, count: int | None = None, page: int = 1
    ) -> scrapy.Request:
        field = DATE_FIELDS[stage]
        params = {
            "q": build_query(self.param("cpc") or [], self.param("query")),
            "rangeFilters": f"{field} {window.since.isoformat()}:{window.until.isoformat()}",
            "sort": f"{field} asc",
            "offset": offset,
            "limit": self.page_size(),
        }
        return scrapy.Request(
            f"{SEARCH_URL}?{urlencode(params, quote_via=quote)}",
            headers={"X-API-KEY": os.environ.get(ENV_KEY, ""), "Accept": "application/json"},
            callback=self.parse,
            errback=self.on_error,
            meta={
                "stage": stage,
                "window": window,
                "offset": offset,
                "count": count,
                "page": page,
                "handle_httpstatus_list": HANDLED,
            },
        )

    def parse(self, response: Response) -> Iterator[Any]:
        stage, window, offset = (
            response.meta["stage"],
            response.meta["window"],
            response.meta["offset"],
        )
        known = response.meta["count"]
        if response.status == 404:
            return  # "No matching records found": the window has no (more) publications
        if response.status in (400, 403):
            detail = response.text[:200] if response.body else ""
            raise CloseSpider(f"USPTO refused the search (HTTP {response.status}): {detail}")
        try:
            data = self._json(response)
            count = total_count(data)
            batch = list(records(data))
        except (NotJson, RecordError) as exc:
            yield self._reject(response, f"unreadable search page: {exc}")
            if known is not None:  # the total is known: skip this page, go on
                yield from self._next_page(response, offset + self.page_size(), known)
            return
        if offset == 0 and count > MAX_RESULTS:
            if window.since < window.until:
                self.crawler.stats.inc_value("uspto/window_splits")
                for part in halves(window):
                    yield self.page_request(stage, part, 0)
                return
            self.logger.warning(
                "uspto: %d %s records on %s; the API serves the first %d of one query only",
                count,
                stage,
                window.since,
                MAX_RESULTS,
            )
        for record in batch:
            try:
                fields = parse_record(record, stage)
            except RecordError as exc:
                number = record.get("applicationNumberText") if isinstance(record, dict) else None
                yield self._reject(response, str(exc), number)
                continue
            except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
                self.crawler.stats.inc_value("scintel/malformed_records")
                yield self._reject(
                    response, f"malformed record: {type(exc).__name__}: {exc}", record
                )
                continue
            if date.fromisoformat(fields["published"]) not in self.window:
                self.crawler.stats.inc_value("scintel/out_of_window")
                continue
            yield self._item(response, **fields)
        if batch:
            yield from self._next_page(response, offset + len(batch), count)

    def _next_page(
        self, response: Response, offset: int, count: int
    ) -> Iterator[scrapy.Request | Rejected]:
        """The page at `offset` of the response's (stage, window) query, up to the page cap."""
        stage, window = response.meta["stage"], response.meta["window"]
        if offset < min(count, MAX_RESULTS):
            page = response.meta.get("page", 1) + 1
            query = f"the {stage} query for {window.since} to {window.until}"
            yield self.past_page_cap(response, page, query) or self.page_request(
                stage, window, offset, count, page
            )
