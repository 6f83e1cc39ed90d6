"""bioRxiv and medRxiv details API over the window (`server=medrxiv` or the `medrxiv` spider).

API: https://api.biorxiv.org/ — /details/{server}/{since}/{until}/{cursor}/json, 100
records a page, cursor paging until `messages[0].total` is reached. The API has no
text search: the profile's `categories` narrow the requests and its `keywords` keep
relevant records. A DOI seen in several versions keeps only its latest version.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from scintel.spiders.base import NotJson, ScintelSpider
from scintel.spiders.items import Rejected
from scintel.spiders.source_settings import PreprintSettings
from scintel.spiders.text import squash, strip_markup

SERVERS = {"biorxiv": "bioRxiv", "medrxiv": "medRxiv"}
PAGE_SIZE = 100


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


def _grants(entry: dict[str, Any]) -> list[dict[str, Any]]:
    funding = entry.get("funding")
    if not isinstance(funding, list):
        return []
    return [
        {"funder": _present(f.get("name")), "id": award}
        for f in funding
        if isinstance(f, dict) and (award := _present(f.get("award")))
    ]


class BiorxivSpider(ScintelSpider):
    name = "biorxiv"
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

    def page_request(self, cursor: int, category: str | None) -> scrapy.Request:
        base = self.endpoint.rsplit("/", 1)[0]
        url = f"{base}/{self.server}/{self.window.since}/{self.window.until}/{cursor}/json"
        if category:
            url += f"?category={category.replace(' ', '_')}"
        return scrapy.Request(
            url,
            callback=self.parse,
            errback=self.on_page_error,
            meta={"cursor": cursor, "category": category},
        )

    def first_requests(self) -> Iterable[scrapy.Request]:
        categories = self.param("categories") or [None]
        self.open_chains = len(categories)
        for category in categories:
            yield self.page_request(0, category)

    def parse(self, response: Response) -> Iterator[Any]:
        cursor, category = response.meta["cursor"], response.meta["category"]
        try:
            data = self._json(response)
            message = data["messages"][0]
            collection = data.get("collection") or []
        except (NotJson, KeyError, IndexError, TypeError) as exc:
            reason = str(exc) if isinstance(exc, NotJson) else "response has no messages"
            yield self._reject(response, reason)
            # Offsets are known: skip the bad page when the total says there is more.
            total = response.meta.get("total")
            if total is not None and cursor + PAGE_SIZE < total:
                yield self.page_request(cursor + PAGE_SIZE, category)
            else:
                yield from self._chain_done()
            return
        for entry in collection:
            rejected = self.keep(response, entry)
            if rejected is not None:
                yield rejected
        total = _int(message.get("total"))
        next_cursor = cursor + len(collection)
        if collection and total is not None and next_cursor < total:
            request = self.page_request(next_cursor, category)
            request.meta["total"] = total
            yield request
        else:
            yield from self._chain_done()

    def on_page_error(self, failure: Failure) -> Iterator[Any]:
        yield self.on_error(failure)
        yield from self._chain_done()

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
        """Remember the entry if it is the newest version so far; reject it if unusable."""
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
        known = self.latest.get(doi.lower())
        if known is not None:
            self.crawler.stats.inc_value("scintel/older_versions")
            if known[0] >= version:
                return None
        self.latest[doi.lower()] = (
            version,
            self.to_item(response, entry, doi, title, version, posted),
        )
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
    endpoint = "https://api.biorxiv.org/details/medrxiv"
    server_default = "medrxiv"
