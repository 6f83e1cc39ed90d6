"""EPO Open Patent Services 3.2: published-data search by CQL, then biblio per result.

API: https://www.epo.org/en/searching-for-patents/data/web-services/ops
- OAuth2 client credentials: POST /3.2/auth/accesstoken (Basic key:secret) gives a
  bearer token for ~20 minutes; an expired token is answered with HTTP 400/401 and
  CLIENT.InvalidAccessToken, and is renewed once.
- Search: GET /3.2/rest-services/published-data/search?q=<CQL>&Range=1-100; at most
  100 per request and 2,000 per query, so a window with more hits is split in halves
  (down to one day, then the first 2,000 are taken and the cut is logged). Zero hits
  come back as HTTP 404 SERVER.EntityNotFound.
- Biblio: GET /3.2/rest-services/published-data/publication/docdb/EP.1234567.A1/biblio.
- Pace: X-Throttling-Control (scintel.spiders.ops_throttle).
- Errors in band: a <fault> XML (or the gateway's JSON fault) is a page reject; a search
  hit or exchange-document that cannot be read is a reject of that record alone; the pages
  of one window's query stop at the page cap (ScintelSpider.past_page_cap).

Applicants and inventors are taken in the epodoc data format (normalised by the
EPO, one spelling per party) with the country suffix removed; the original format
is a fallback for documents without epodoc names.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

import scrapy
from lxml import etree
from pydantic import Field
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from scintel.spiders import settings as project_settings
from scintel.spiders.base import ScintelSpider
from scintel.spiders.credentials import ClientCredentials, client_credentials
from scintel.spiders.items import Rejected
from scintel.spiders.middlewares import redact
from scintel.spiders.paging import halves
from scintel.spiders.safexml import parse_xml
from scintel.spiders.source_settings import SourceSettings, Words
from scintel.spiders.window import Window

log = logging.getLogger(__name__)

ENV_KEY, ENV_SECRET, ENV_CONN = "SCINTEL_EPO_KEY", "SCINTEL_EPO_SECRET", "SCINTEL_EPO_CONN_ID"
OPS = "https://ops.epo.org/3.2"
AUTH_URL = f"{OPS}/auth/accesstoken"
SEARCH_URL = f"{OPS}/rest-services/published-data/search"
BIBLIO_URL = f"{OPS}/rest-services/published-data/publication/docdb/{{number}}/biblio"
ESPACENET_URL = "https://worldwide.espacenet.com/patent/search?q=pn%3D{number}"

MAX_RANGE = 100  # results per search request
MAX_RESULTS = 2000  # results OPS returns for one query, whatever the total
TOKEN_MARGIN = 60.0  # renew this many seconds before the announced expiry
AUTH_FAULTS = ("CLIENT.InvalidAccessToken", "CLIENT.MissingAccessToken")
NOT_FOUND = "SERVER.EntityNotFound"
HANDLED = [400, 401, 403, 404]

NS = {"ex": "http://www.epo.org/exchange", "ops": "http://ops.epo.org"}
_COUNTRY_SUFFIX = re.compile(r"\s*\[[A-Z]{2}\]\s*$")
_IMAGE_MARKER = re.compile(r"\s*<IMAGE>\s*", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_DOCDB = re.compile(r"([A-Z]{2})(\w+?)([A-Z]\d?)")


class BiblioError(ValueError):
    """An OPS document that cannot become an item; the message is the reason."""


# --- parsing: pure functions over parsed XML -----------------------------------------


def _text(node: etree._Element | None) -> str:
    return "" if node is None else _SPACES.sub(" ", "".join(node.itertext())).strip()


def _iso(yyyymmdd: str) -> str | None:
    """OPS dates are YYYYMMDD; an impossible date is dropped, not guessed."""
    value = yyyymmdd.strip()
    if not re.fullmatch(r"\d{8}", value):
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
    except ValueError:
        return None


def _xml_text(node: etree._Element) -> str:
    """A record as XML text, for its reject (an lxml element cannot be written as JSON)."""
    return etree.tostring(node, encoding="unicode", with_tail=False)


def parse_fault(root: etree._Element) -> tuple[str, str] | None:
    """(code, message) of an OPS <fault> answer, None for a normal answer."""
    if etree.QName(root).localname != "fault":
        return None
    code = _text(root.find("ops:code", NS)) or _text(root.find("code"))
    message = _text(root.find("ops:message", NS)) or _text(root.find("message"))
    return code, message


def parse_json_fault(body: bytes) -> tuple[str, str] | None:
    """(errorcode, faultstring) of the JSON fault the OPS gateway answers with instead of
    XML (`{"fault": {"faultstring": ..., "detail": {"errorcode": ...}}}`), else None."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    fault = data.get("fault") if isinstance(data, dict) else None
    if not isinstance(fault, dict):
        return None
    detail = fault.get("detail")
    code = detail.get("errorcode") if isinstance(detail, dict) else None
    return str(code or "unknown"), " ".join(str(fault.get("faultstring") or "").split())


def docdb_number(document_id: etree._Element) -> str:
    """EP1234567A1 from a docdb <document-id>."""
    parts = [_text(document_id.find(f"ex:{tag}", NS)) for tag in ("country", "doc-number", "kind")]
    if not all(parts):
        raise BiblioError("docdb document-id lacks country, doc-number or kind")
    return "".join(parts)


def docdb_input(number: str) -> str:
    """The dotted form OPS takes in a request path: EP1234567A1 -> EP.1234567.A1."""
    match = _DOCDB.fullmatch(number)
    if not match:
        raise BiblioError(f"not a docdb publication number: {number!r}")
    return ".".join(match.groups())


def parse_search(root: etree._Element) -> tuple[int, list[etree._Element]]:
    """(total hits, the hits: ops:publication-reference elements) of a search answer.

    The hits are read one by one later (hit_number), so one bad hit costs only itself.
    The answer's own range is not read: the next page follows from the range asked for.
    """
    search = root.find("ops:biblio-search", NS)
    if search is None:
        raise BiblioError("no ops:biblio-search in the search answer")
    try:
        total = int(search.get("total-result-count", ""))
    except ValueError:
        raise BiblioError("ops:biblio-search has no numeric total-result-count") from None
    return total, search.findall("ops:search-result/ops:publication-reference", NS)


def hit_number(reference: etree._Element) -> str:
    """The docdb number of one search hit (an ops:publication-reference)."""
    document_id = reference.find("ex:document-id[@document-id-type='docdb']", NS)
    if document_id is None:
        raise BiblioError("search hit has no docdb document-id")
    return docdb_number(document_id)


def _document_number(doc: etree._Element) -> str:
    parts = [doc.get("country"), doc.get("doc-number"), doc.get("kind")]
    if not all(parts):
        raise BiblioError("exchange-document lacks country, doc-number or kind")
    return "".join(parts)  # type: ignore[arg-type]


def _pick_lang(nodes: Iterable[etree._Element]) -> tuple[str, str | None]:
    """English text when there is one, else the first non-empty one, with its language."""
    first: tuple[str, str | None] = ("", None)
    for node in nodes:
        text = _IMAGE_MARKER.sub(" ", _text(node)).strip()
        if not text:
            continue
        lang = (node.get("lang") or "").lower() or None
        if lang == "en":
            return text, lang
        if not first[0]:
            first = (text, lang)
    return first


def _parse_title(bib: etree._Element) -> tuple[str, str | None]:
    return _pick_lang(bib.iterfind("ex:invention-title", NS))


def _parse_abstract(doc: etree._Element) -> tuple[str, str | None]:
    return _pick_lang(doc.iterfind("ex:abstract", NS))


def _parse_published(bib: etree._Element) -> str | None:
    for kind in ("docdb", "epodoc"):
        path = f"ex:publication-reference/ex:document-id[@document-id-type='{kind}']/ex:date"
        if day := _iso(_text(bib.find(path, NS))):
            return day
    return None


def _parse_priority_date(bib: etree._Element) -> str | None:
    """The earliest priority claimed: the family's first filing."""
    path = "ex:priority-claims/ex:priority-claim/ex:document-id/ex:date"
    days = sorted(d for d in (_iso(_text(n)) for n in bib.iterfind(path, NS)) if d)
    return days[0] if days else None


def _parse_priority_claims(bib: etree._Element) -> list[dict[str, str]]:
    """The filings claimed, as {number, date, country}: the epodoc number (country, year and
    serial, the form other offices' numbers are matched on), else the docdb one."""
    claims: list[dict[str, str]] = []
    for claim in bib.iterfind("ex:priority-claims/ex:priority-claim", NS):
        epodoc = claim.find("ex:document-id[@document-id-type='epodoc']", NS)
        docdb = claim.find("ex:document-id[@document-id-type='docdb']", NS)
        if epodoc is not None and _text(epodoc.find("ex:doc-number", NS)):
            number = _text(epodoc.find("ex:doc-number", NS))
            country, day = number[:2], _iso(_text(epodoc.find("ex:date", NS)))
        elif docdb is not None and _text(docdb.find("ex:doc-number", NS)):
            country = _text(docdb.find("ex:country", NS))
            number = country + _text(docdb.find("ex:doc-number", NS))
            day = _iso(_text(docdb.find("ex:date", NS)))
        else:
            continue
        entry = {"number": number, "country": country} | ({"date": day} if day else {})
        if entry not in claims:
            claims.append(entry)
    return claims


def _parse_application(bib: etree._Element) -> tuple[str | None, str | None]:
    """The epodoc application number and filing date: a later family member may claim it."""
    node = bib.find("ex:application-reference/ex:document-id[@document-id-type='epodoc']", NS)
    if node is None:
        return None, None
    return _text(node.find("ex:doc-number", NS)) or None, _iso(_text(node.find("ex:date", NS)))


def _parse_parties(bib: etree._Element, role: str) -> list[str]:
    """Applicant or inventor names: epodoc format, country suffix removed, no repeats."""
    for data_format in ("epodoc", "original"):
        names: list[str] = []
        path = (
            f"ex:parties/ex:{role}s/ex:{role}[@data-format='{data_format}']/ex:{role}-name/ex:name"
        )
        for node in bib.iterfind(path, NS):
            name = _COUNTRY_SUFFIX.sub("", _text(node))
            if name and name not in names:
                names.append(name)
        if names:
            return names
    return []


def _parse_cpc(bib: etree._Element) -> list[str]:
    """CPC symbols such as C12N9/20, in document order, without repeats."""
    symbols: list[str] = []
    for node in bib.iterfind("ex:patent-classifications/ex:patent-classification", NS):
        scheme = node.find("ex:classification-scheme", NS)
        if scheme is None or not (scheme.get("scheme") or "").upper().startswith("CPC"):
            continue
        head = "".join(
            _text(node.find(f"ex:{tag}", NS)) for tag in ("section", "class", "subclass")
        )
        main, sub = _text(node.find("ex:main-group", NS)), _text(node.find("ex:subgroup", NS))
        if len(head) != 4 or not main:
            continue
        symbol = f"{head}{main}/{sub}" if sub else f"{head}{main}"
        if symbol not in symbols:
            symbols.append(symbol)
    return symbols


def parse_document(doc: etree._Element) -> dict[str, Any]:
    """The patent item fields (docs/items.md) of one exchange-document."""
    number = _document_number(doc)
    if (doc.get("status") or "").lower() == "not found":
        raise BiblioError(f"{number}: OPS has no bibliographic data for this publication")
    bib = doc.find("ex:bibliographic-data", NS)
    if bib is None:
        raise BiblioError(f"{number}: no bibliographic-data")
    title, title_lang = _parse_title(bib)
    if not title:
        raise BiblioError(f"{number}: no invention-title")
    abstract, abstract_lang = _parse_abstract(doc)
    application, filed = _parse_application(bib)
    fields: dict[str, Any] = {
        "external_id": number,
        "publication_number": number,
        "title": title,
        "summary": abstract or None,
        "language": title_lang if not abstract else abstract_lang,
        "url": ESPACENET_URL.format(number=number),
        "published": _parse_published(bib),
        "priority_date": _parse_priority_date(bib),
        "applicants": _parse_parties(bib, "applicant"),
        "inventors": _parse_parties(bib, "inventor"),
        "cpc": _parse_cpc(bib),
        "family_id": doc.get("family-id"),
        "priority_claims": _parse_priority_claims(bib),
        "application_number": application,
        "application_date": filed,
    }
    return {k: v for k, v in fields.items() if v is not None}


def build_cql(
    cpc: Iterable[str], window: Window, countries: Iterable[str] = (), extra: str | None = None
) -> str:
    """CQL for publications in the window carrying one of the CPC classes."""
    clauses = []
    if classes := [c.strip() for c in cpc if c.strip()]:
        clauses.append("(" + " or ".join(f"cpc={c}" for c in classes) + ")")
    if offices := [c.strip().upper() for c in countries if c.strip()]:
        clauses.append("(" + " or ".join(f"pn={c}" for c in offices) + ")")
    if extra:
        clauses.append(f"({extra})")
    clauses.append(f'pd within "{window.since:%Y%m%d} {window.until:%Y%m%d}"')
    return " and ".join(clauses)


# --- the spider -----------------------------------------------------------------------


class EpoOpsSettings(SourceSettings):
    cpc: Words = Field(min_length=1)
    countries: Words = Field(default_factory=list)
    page_size: int = Field(default=100, ge=1, le=100)
    query: str | None = None
    airflow_conn_id: str | None = None


class EpoOpsSpider(ScintelSpider):
    name = "epo_ops"
    label = "EPO"
    settings_model = EpoOpsSettings
    kind = "patent"
    endpoint = SEARCH_URL
    required_params = ("cpc",)
    # Key and secret, or an Airflow connection (SCINTEL_EPO_CONN_ID): checked in start().
    optional_env = (ENV_KEY, ENV_SECRET)
    custom_settings: ClassVar[dict[str, Any]] = {
        "ROBOTSTXT_OBEY": False,  # a documented API; its pace is set by X-Throttling-Control
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 2.0,  # search allows 30/min when idle; headers adjust from there
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        # A spider's component dict replaces the project's: extend the project's.
        "DOWNLOADER_MIDDLEWARES": project_settings.DOWNLOADER_MIDDLEWARES
        | {
            "scintel.spiders.ops_throttle.OpsThrottleMiddleware": 600,
            # Before RawBodyMiddleware (950) sees the body: the token never lands raw.
            "scintel.spiders.ops_throttle.TokenBodyMiddleware": 960,
        },
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._credentials: ClientCredentials | None = None
        self._token: str | None = None
        self._expires_at = 0.0
        self._generation = 0  # bumped on every new token
        self._refreshing = False
        self._parked: list[scrapy.Request] = []

    # credentials and skipping

    def conn_id(self) -> str | None:
        return os.environ.get(ENV_CONN) or self.param("airflow_conn_id")

    def skip_reason(self) -> str | None:
        self._credentials = client_credentials(ENV_KEY, ENV_SECRET, self.conn_id())
        if self._credentials is None:
            return (
                f"{ENV_KEY}/{ENV_SECRET} not set in the environment"
                + (
                    f" and Airflow connection {self.conn_id()!r} not found"
                    if self.conn_id()
                    else ""
                )
                + "; source skipped"
            )
        return super().skip_reason()

    # token flow

    def _token_request(self) -> scrapy.Request:
        assert self._credentials is not None
        basic = base64.b64encode(
            f"{self._credentials.key}:{self._credentials.secret}".encode()
        ).decode()
        self._refreshing = True
        return scrapy.Request(
            AUTH_URL,
            method="POST",
            body="grant_type=client_credentials",
            headers={
                "Authorization": f"Basic {basic}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            callback=self.on_token,
            errback=self.on_token_error,
            dont_filter=True,
            meta={"epo_ops_token_request": True, "handle_httpstatus_list": [400, 401, 403]},
        )

    def on_token(self, response: Response) -> Iterator[scrapy.Request | Rejected]:
        self._refreshing = False
        token = response.meta.get("epo_ops_token")
        if response.status != 200 or not token or not isinstance(token, str):
            reason = (
                f"authentication failed: the OPS token endpoint answered HTTP {response.status}"
                f"{'' if response.status != 200 else ' without an access_token'}; check {ENV_KEY}/{ENV_SECRET}"
            )
            # Kept as a reject too: without a token no page can be asked for.
            yield self._reject(response, reason)
            raise CloseSpider(reason)
        try:
            lifetime = float(response.meta.get("epo_ops_expires_in") or 1199)
        except (TypeError, ValueError):
            lifetime = 1199.0
        self._token = token
        self._expires_at = time.monotonic() + max(lifetime - TOKEN_MARGIN, 1.0)
        self._generation += 1
        self.crawler.stats.inc_value("epo_ops/tokens")
        parked, self._parked = self._parked, []
        for request in parked:
            yield self._signed(request)

    def on_token_error(self, failure: Failure) -> Iterator[Rejected]:
        self._refreshing = False
        yield self.on_error(failure)
        raise CloseSpider(
            f"authentication failed: token request failed ({redact(failure.getErrorMessage())})"
        )

    def _signed(self, request: scrapy.Request) -> scrapy.Request:
        headers = {**request.headers.to_unicode_dict(), "Authorization": f"Bearer {self._token}"}
        meta = {**request.meta, "epo_ops_generation": self._generation}
        return request.replace(headers=headers, meta=meta)

    def _send(self, request: scrapy.Request) -> Iterator[scrapy.Request]:
        """The request with the current token, or parked until a token arrives."""
        if self._token is not None and not self._refreshing and time.monotonic() < self._expires_at:
            yield self._signed(request)
            return
        self._parked.append(request)
        if not self._refreshing:
            self._token = None
            yield self._token_request()

    def _auth_failed(self, response: Response, fault: tuple[str, str] | None) -> bool:
        if response.status == 401:
            return True
        return (
            response.status == 400
            and fault is not None
            and (fault[0] in AUTH_FAULTS or "expired" in fault[1].lower())
        )

    def _renew(self, response: Response) -> Iterator[scrapy.Request]:
        """Renew an expired or refused token once, then ask again."""
        request = response.request
        assert request is not None
        if request.meta.get("epo_ops_generation", 0) < self._generation:
            yield from self._send(request.replace(dont_filter=True))  # a newer token exists already
            return
        if request.meta.get("epo_ops_renewed"):
            raise CloseSpider("authentication failed: OPS refused a freshly issued access token")
        log.info("epo_ops: access token expired or refused; requesting a new one")
        self.crawler.stats.inc_value("epo_ops/token_renewals")
        self._expires_at = 0.0
        yield from self._send(
            request.replace(dont_filter=True, meta={**request.meta, "epo_ops_renewed": True})
        )

    # requests

    def first_requests(self) -> Iterable[scrapy.Request]:
        yield self._token_request()
        self._parked.append(self._search_request(self.window, 1))

    def page_size(self) -> int:
        return max(1, min(int(self.param("page_size", MAX_RANGE)), MAX_RANGE))

    def cql(self, window: Window) -> str:
        return build_cql(
            self.param("cpc") or [], window, self.param("countries") or [], self.param("query")
        )

    def _search_request(
        self, window: Window, begin: int, total: int | None = None, page: int = 1
    ) -> scrapy.Request:
        end = begin + self.page_size() - 1
        if total is not None:
            end = min(end, total, MAX_RESULTS)
        params = urlencode({"q": self.cql(window), "Range": f"{begin}-{end}"}, quote_via=quote)
        return scrapy.Request(
            f"{SEARCH_URL}?{params}",
            callback=self.parse_search,
            errback=self.on_error,
            headers={"Accept": "application/xml"},
            meta={
                "window": window,
                "begin": begin,
                "total": total,
                "page": page,
                "handle_httpstatus_list": HANDLED,
            },
        )

    def _biblio_request(self, number: str) -> scrapy.Request:
        return scrapy.Request(
            BIBLIO_URL.format(number=docdb_input(number)),
            callback=self.parse_biblio,
            errback=self.on_biblio_error,
            headers={"Accept": "application/xml"},
            meta={"number": number, "handle_httpstatus_list": HANDLED},
        )

    # answers

    def _xml(self, response: Response) -> tuple[etree._Element | None, str | None]:
        try:
            return parse_xml(response.body), None
        except ValueError as exc:
            return None, str(exc)

    @staticmethod
    def _fault(response: Response, root: etree._Element | None) -> tuple[str, str] | None:
        """The fault OPS answered with, as XML or (from its gateway) as JSON."""
        return parse_fault(root) if root is not None else parse_json_fault(response.body)

    def _refused(self, response: Response) -> str:
        reason = response.headers.get(b"X-Rejection-Reason", b"").decode("latin-1")
        return f"HTTP {response.status}" + (f" ({reason})" if reason else "")

    def _record(
        self,
        response: Response,
        node: etree._Element,
        parse: Callable[[Response, etree._Element], Any],
    ) -> Any:
        """`guarded` for one XML record; its reject keeps the record as XML text."""
        parsed = self.guarded(response, node, parse)
        if isinstance(parsed, Rejected) and isinstance(parsed.entry, etree._Element):
            parsed.entry = _xml_text(parsed.entry)
        return parsed

    def parse_search(self, response: Response) -> Iterator[Any]:
        window, begin, known_total = (
            response.meta["window"],
            response.meta["begin"],
            response.meta["total"],
        )
        root, error = self._xml(response)
        fault = self._fault(response, root)
        if self._auth_failed(response, fault):
            yield from self._renew(response)
            return
        if response.status == 404 and fault and fault[0] == NOT_FOUND:
            log.info("epo_ops: no publications in %s", window)
            return
        if response.status == 403:
            reason = f"OPS refused the search: {self._refused(response)}"
            yield self._reject(response, reason)
            raise CloseSpider(reason)  # a refused search (quota, blocked key) refuses them all
        try:
            total, hits = self._search_page(response, root, error, fault)
        except BiblioError as exc:
            yield self._reject(response, str(exc))
            if known_total is not None:  # the next page is still known: go on past this one
                yield from self._next_page(response, begin + self.page_size(), known_total)
            return
        if begin == 1 and total > MAX_RESULTS:
            if window.since < window.until:
                log.info(
                    "epo_ops: %d hits in %s exceed the OPS limit of %d; splitting",
                    total,
                    window,
                    MAX_RESULTS,
                )
                self.crawler.stats.inc_value("epo_ops/window_splits")
                for part in halves(window):
                    yield from self._send(self._search_request(part, 1))
                return
            log.warning(
                "epo_ops: %d hits on %s; OPS returns only the first %d of one query, the rest are "
                "not crawled (narrow the profile's query)",
                total,
                window.since,
                MAX_RESULTS,
            )
            self.crawler.stats.inc_value("epo_ops/truncated", total - MAX_RESULTS)
        self.crawler.stats.inc_value("epo_ops/search_results", len(hits))
        for hit in hits:
            parsed = self._record(response, hit, self._search_hit)
            if isinstance(parsed, scrapy.Request):
                yield from self._send(parsed)
            else:
                yield parsed
        yield from self._next_page(response, begin + self.page_size(), total)

    @staticmethod
    def _search_page(
        response: Response,
        root: etree._Element | None,
        error: str | None,
        fault: tuple[str, str] | None,
    ) -> tuple[int, list[etree._Element]]:
        """(total, hits) of a search answer, or BiblioError saying why it is no page."""
        if fault:
            raise BiblioError(f"OPS fault on the search page: {fault[0]}: {fault[1]}")
        if root is None or response.status != 200:
            raise BiblioError(f"unreadable search page: {error or f'HTTP {response.status}'}")
        try:
            return parse_search(root)
        except BiblioError as exc:
            raise BiblioError(f"unreadable search page: {exc}") from None

    def _search_hit(self, response: Response, hit: etree._Element) -> scrapy.Request | Rejected:
        """The biblio request for one search hit, or the hit's reject."""
        try:
            return self._biblio_request(hit_number(hit))
        except BiblioError as exc:
            return self._reject(response, str(exc), _xml_text(hit))

    def _next_page(self, response: Response, begin: int, total: int) -> Iterator[Any]:
        """The window's page from `begin` while OPS has one, within the page cap: pages
        follow the range asked for, so an answer cannot make the paging go round."""
        if begin > min(total, MAX_RESULTS):
            return
        window, page = response.meta["window"], response.meta["page"] + 1
        if capped := self.past_page_cap(response, page, f"the OPS search {self.cql(window)!r}"):
            yield capped
            return
        yield from self._send(self._search_request(window, begin, total, page))

    def parse_biblio(self, response: Response) -> Iterator[Any]:
        number = response.meta["number"]
        root, error = self._xml(response)
        fault = self._fault(response, root)
        if self._auth_failed(response, fault):
            yield from self._renew(response)
            return
        if root is None or response.status != 200 or fault:
            if fault:
                detail = f"{fault[0]}: {fault[1]}"
            else:
                detail = self._refused(response) if response.status != 200 else error or "no XML"
            if not (fault and fault[0] == NOT_FOUND):
                # An in-band error or unreadable answer is a bad page as well as a lost
                # record: a crawl that gets nothing else fails.
                self.crawler.stats.inc_value("scintel/bad_pages")
            yield self._reject(response, f"{number}: no biblio ({detail})", number)
            return
        documents = list(root.iterfind(".//ex:exchange-documents/ex:exchange-document", NS))
        if not documents:
            yield self._reject(
                response, f"{number}: biblio answer has no exchange-document", number
            )
        for doc in documents:
            parsed = self._record(response, doc, self._document)
            if parsed is not None:
                yield parsed

    def _document(
        self, response: Response, doc: etree._Element
    ) -> dict[str, Any] | Rejected | None:
        """One exchange-document as an item, its reject, or None outside the window."""
        try:
            fields = parse_document(doc)
        except BiblioError as exc:
            return self._reject(response, str(exc), response.meta["number"])
        published = fields.get("published")
        if published and date.fromisoformat(published) not in self.window:
            self.crawler.stats.inc_value("scintel/out_of_window")
            return None
        return self._item(response, **fields)

    def on_biblio_error(self, failure: Failure) -> Rejected:
        """A biblio that never came is a reject of its record: every search hit is
        accounted for."""
        rejected = self.on_error(failure)
        number = failure.request.meta["number"]  # type: ignore[attr-defined]
        rejected.reason = f"{number}: no biblio ({rejected.reason})"
        rejected.entry = number
        return rejected
