"""bioRxiv and medRxiv details API over the window (`server=medrxiv` or the `medrxiv` spider).

API: https://api.biorxiv.org/ — /details/{server}/{since}/{until}/{cursor}/json, 100
records a page, cursor paging until `messages[0].total` is reached (at most the page
cap per category). The API has no text search: the profile's `categories` narrow the
requests and its `keywords` keep relevant records. A DOI seen in several versions keeps
only its latest version, so items are emitted when the last category's paging ends; a
bad record is a reject alone and a bad or failed page is skipped, so neither costs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, ClassVar, Literal

import scrapy
from pydantic import Field
from scrapy.http import Response
from twisted.python.failure import Failure

from scintel.spiders.base import NotJson, ScintelSpider
from scintel.spiders.items import Rejected
from scintel.spiders.source_settings import SourceSettings, Words
from scintel.spiders.text import squash, strip_markup

SERVERS = {"biorxiv": "bioRxiv", "medrxiv": "medRxiv"}
PAGE_SIZE = 100
# The status of an answer with no records in it; any other status but "ok" is an error
# given in-band (HTTP 200), e.g. "Server not recognized".
NO_POSTS = "no posts found"


class BadPage(ValueError):
    """A page with no records to read: an error given in-band, or an unexpected shape."""


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _present(value: Any) -> str | None:
    text = squash(str(value)) if value is not None else None
    return None if text in (None, "NA", "") else text


def _page(data: Any) -> tuple[dict[str, Any], list[Any]]:
    """The page's message and records, or BadPage saying why it has none to read."""
    messages = data.get("messages") if isinstance(data, dict) else None
    message = messages[0] if isinstance(messages, list) and messages else None
    if not isinstance(message, dict):
        raise BadPage("response has no messages")
    status = str(message.get("status") or "").strip()
    if status.lower() == NO_POSTS:
        return message, []
    if status.lower() != "ok":
        raise BadPage(f"service error: {status or 'no status'}")
    collection = data.get("collection")
    if not isinstance(collection, list):
        raise BadPage("response has no collection list")
    return message, collection


def _grants(entry: dict[str, Any]) -> list[dict[str, Any]]:
    funding = entry.get("funding")
    if not isinstance(funding, list):
        return []
    return [
        {"funder": _present(f.get("name")), "id": award}
        for f in funding
        if isinstance(f, dict) and (award := _present(f.get("award")))
    ]


class PreprintSettings(SourceSettings):
    server: Literal["biorxiv", "medrxiv"] | None = None
    categories: Words = Field(default_factory=list)
    keywords: Words = Field(default_factory=list)


class BiorxivSpider(ScintelSpider):
    name = "biorxiv"
    label = "bioRxiv"
    settings_model = PreprintSettings
    kind = "publication"
    endpoint = "https://api.biorxiv.org/details/biorxiv"
    server_default: ClassVar[str] = "biorxiv"
    # A documented API (no robots.txt for it); one connection, a short pause between pages.
    custom_settings: ClassVar[dict[str, Any]] = {
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": 1.0,
    }

    def __init__(self, *args: Any, server: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.server = (server or self.param("server") or self.server_default).lower()
        if self.server not in SERVERS:
            raise ValueError(f"server must be one of {', '.join(SERVERS)}, got {self.server!r}")
        self.keywords = [k.lower() for k in self.param("keywords") or []]
        self.latest: dict[str, tuple[int, dict[str, Any]]] = {}
        self.open_chains = 0

    def page_request(
        self, cursor: int, category: str | None, page: int = 1, total: int | None = None
    ) -> scrapy.Request:
        base = self.endpoint.rsplit("/", 1)[0]
        url = f"{base}/{self.server}/{self.window.since}/{self.window.until}/{cursor}/json"
        if category:
            url += f"?category={category.replace(' ', '_')}"
        return scrapy.Request(
            url,
            callback=self.parse,
            errback=self.on_page_error,
            meta={"cursor": cursor, "category": category, "page": page, "total": total},
        )

    def first_requests(self) -> Iterable[scrapy.Request]:
        categories = self.param("categories") or [None]
        self.open_chains = len(categories)
        for category in categories:
            yield self.page_request(0, category)

    def parse(self, response: Response) -> Iterator[Any]:
        try:
            message, collection = _page(self._json(response))
        except (NotJson, BadPage) as exc:
            yield self._reject(response, str(exc))
            yield from self._skip_page(response)
            return
        for entry in collection:
            rejected = self.guarded(response, entry, self.keep)
            if rejected is not None:
                yield rejected
        total = _int(message.get("total"))
        next_cursor = response.meta["cursor"] + len(collection)
        if collection and total is not None and next_cursor < total:
            yield from self._next_page(response, next_cursor, total)
        else:
            yield from self._chain_done()

    def on_page_error(self, failure: Failure) -> Iterator[Any]:
        yield self.on_error(failure)
        request = failure.request  # type: ignore[attr-defined]
        # No page came back: the request stands in for it (its URL and meta are all we use).
        yield from self._skip_page(
            getattr(failure.value, "response", None) or Response(request.url, request=request)
        )

    def _skip_page(self, response: Response) -> Iterator[Any]:
        """Offsets are known: after a bad or failed page, go on a full page further while
        the total says there is more, so one page costs only its own records."""
        total = response.meta["total"]
        cursor = response.meta["cursor"] + PAGE_SIZE
        if total is not None and cursor < total:
            yield from self._next_page(response, cursor, total)
        else:
            yield from self._chain_done()

    def _next_page(self, response: Response, cursor: int, total: int) -> Iterator[Any]:
        """The next page of this category, or a reject and the chain's end past the page cap."""
        category, page = response.meta["category"], response.meta["page"] + 1
        query = f"{SERVERS[self.server]} {self.window.since}..{self.window.until}" + (
            f" in category {category!r}" if category else ""
        )
        capped = self.past_page_cap(response, page, query)
        if capped is not None:
            yield capped
            yield from self._chain_done()
        else:
            yield self.page_request(cursor, category, page, total)

    def _chain_done(self) -> Iterator[dict[str, Any]]:
        """When the last category's paging ends, emit the latest version of each DOI."""
        self.open_chains -= 1
        if self.open_chains > 0:
            return
        for _, item in self.latest.values():
            yield item
        self.latest.clear()

    def relevant(self, entry: dict[str, Any]) -> bool:
        if not self.keywords:
            return True
        text = f"{entry.get('title', '')} {entry.get('abstract', '')}".lower()
        return any(k in text for k in self.keywords)

    def keep(self, response: Response, entry: Any) -> Rejected | None:
        """Remember the entry if it is the newest version so far; reject it if unusable.
        Run through `guarded`: the item is built before anything is remembered, so a record
        with a wrong-typed field is rejected alone and leaves no trace in `latest`."""
        if not isinstance(entry, dict):
            return self._reject(response, "record is not an object", entry)
        doi, title = _present(entry.get("doi")), strip_markup(entry.get("title"))
        version, posted = _int(entry.get("version")), _day(entry.get("date"))
        if not (doi and title and version and posted):
            return self._reject(response, "record lacks doi, title, version or date", entry)
        if posted not in self.window:
            self.crawler.stats.inc_value("scintel/out_of_window")
            return None
        if not self.relevant(entry):
            self.crawler.stats.inc_value("scintel/not_relevant")
            return None
        item = self.to_item(response, entry, doi, title, version, posted)
        known = self.latest.get(doi.lower())
        if known is not None:
            self.crawler.stats.inc_value("scintel/older_versions")
            if known[0] >= version:
                return None
        self.latest[doi.lower()] = (version, item)
        return None

    def to_item(
        self,
        response: Response,
        entry: dict[str, Any],
        doi: str,
        title: str,
        version: int,
        posted: date,
    ) -> dict[str, Any]:
        authors = [a.strip() for a in (entry.get("authors") or "").split(";") if a.strip()]
        return self._item(
            response,
            source=self.server,
            external_id=doi,
            title=title,
            summary=strip_markup(entry.get("abstract")),
            url=f"https://www.{self.server}.org/content/{doi}v{version}",
            published=posted,
            doi=doi,
            journal=SERVERS[self.server],
            authors=authors,
            grants=_grants(entry),
            version=version,
            category=_present(entry.get("category")),
            license=_present(entry.get("license")),
            preprint_type=_present(entry.get("type")),
            corresponding_author=_present(entry.get("author_corresponding")),
            corresponding_institution=_present(entry.get("author_corresponding_institution")),
            published_doi=_present(entry.get("published")),
        )


class MedrxivSpider(BiorxivSpider):
    """medRxiv through the same code: `scintel crawl medrxiv`."""

    name = "medrxiv"
    label = "medRxiv"
    endpoint = "https://api.biorxiv.org/details/medrxiv"
    server_default = "medrxiv"
