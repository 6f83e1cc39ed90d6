"""arXiv API (Atom): newest submissions first, `start`/`max_results` paging.

API: https://info.arxiv.org/help/api/user-manual.html — sorted by submittedDate
descending, the crawl stops once entries fall before the window or a page is
empty. The live service asks for one request every 3 seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlencode

import scrapy
from lxml import etree
from pydantic import Field
from scrapy.http import Response
from scrapy.settings import default_settings

from scintel.spiders.base import ScintelSpider
from scintel.spiders.items import Rejected
from scintel.spiders.safexml import parse_xml
from scintel.spiders.source_settings import SourceSettings
from scintel.spiders.text import squash

NS = {
    "a": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "os": "http://a9.com/-/spec/opensearch/1.1/",
}
ABS_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?P<version>v\d+)?$")
ERROR_ID = "arxiv.org/api/errors"
MAX_PAGE_SIZE = 2000


def _text(node: etree._Element, path: str) -> str | None:
    return squash(node.findtext(path, namespaces=NS))


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


class ArxivSettings(SourceSettings):
    search_query: str
    page_size: int = Field(default=100, ge=1, le=2000)


class ArxivSpider(ScintelSpider):
    name = "arxiv"
    label = "arXiv"
    settings_model = ArxivSettings
    kind = "publication"
    endpoint = "https://export.arxiv.org/api/query"
    required_params = ("search_query",)
    # The API terms: no more than one request every three seconds, one connection.
    # No jitter: it would shorten some delays. Scrapy 2.19 renamed the setting.
    custom_settings = {
        "ROBOTSTXT_OBEY": False,
        "DOWNLOAD_DELAY": 3.0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    } | (
        {"DOWNLOAD_DELAY_JITTER": 0}
        if hasattr(default_settings, "DOWNLOAD_DELAY_JITTER")
        else {"RANDOMIZE_DOWNLOAD_DELAY": False}
    )

    total: int | None = None

    def page_request(self, start: int, page: int = 1) -> scrapy.Request:
        size = min(int(self.param("page_size", 100)), MAX_PAGE_SIZE)
        params = {
            "search_query": squash(self.param("search_query")),
            "sortBy": "submittedDate",
            "sortOrder": "descending",
            "start": start,
            "max_results": size,
        }
        return scrapy.Request(
            f"{self.endpoint}?{urlencode(params, quote_via=quote)}",
            callback=self.parse,
            errback=self.on_error,
            meta={"start": start, "size": size, "page": page},
        )

    def first_requests(self) -> Iterable[scrapy.Request]:
        yield self.page_request(0)

    def _next(self, response: Response) -> Iterator[scrapy.Request | Rejected]:
        """The next page while totalResults says there is one, up to the page cap."""
        start, size = response.meta["start"], response.meta["size"]
        if self.total is not None and start + size < self.total:
            page = response.meta.get("page", 1) + 1
            query = f"the search_query {squash(self.param('search_query'))!r}"
            yield self.past_page_cap(response, page, query) or self.page_request(start + size, page)

    def parse(self, response: Response) -> Iterator[Any]:
        try:
            feed = parse_xml(response.body)
        except ValueError as exc:
            yield self._reject(response, str(exc))
            yield from self._next(response)  # offsets are known: skip the bad page
            return
        if feed.tag != f"{{{NS['a']}}}feed":
            yield self._reject(response, f"not an Atom feed: <{etree.QName(feed).localname}>")
            yield from self._next(response)
            return
        entries = feed.findall("a:entry", NS)
        if entries and ERROR_ID in (entries[0].findtext("a:id", namespaces=NS) or ""):
            yield self._reject(response, f"arXiv API error: {_text(entries[0], 'a:summary')}")
            return
        total = feed.findtext("os:totalResults", namespaces=NS)
        if total and total.strip().isdigit():
            self.total = int(total)
        before_window = False
        for entry in entries:
            parsed = self.guarded(response, entry, self.parse_entry)
            if parsed == "before":
                before_window = True
            elif parsed is not None:
                yield parsed
        if entries and not before_window:
            yield from self._next(response)

    def parse_entry(self, response: Response, entry: etree._Element) -> Any:
        ident = entry.findtext("a:id", namespaces=NS) or ""
        match = ABS_ID.search(ident.strip())
        title = _text(entry, "a:title")
        published = _day(entry.findtext("a:published", namespaces=NS))
        if not (match and title and published):
            raw = etree.tostring(entry, encoding="unicode")
            return self._reject(response, "entry lacks id, title or published date", raw)
        if published > self.window.until:
            self.crawler.stats.inc_value("scintel/out_of_window")
            return None
        if published < self.window.since:
            self.crawler.stats.inc_value("scintel/out_of_window")
            return "before"
        arxiv_id = match["id"]
        primary = entry.find("arxiv:primary_category", NS)
        return self._item(
            response,
            external_id=f"arXiv:{arxiv_id}",
            title=title,
            summary=_text(entry, "a:summary"),
            url=f"https://arxiv.org/abs/{arxiv_id}",
            published=published,
            doi=_text(entry, "arxiv:doi"),
            journal=_text(entry, "arxiv:journal_ref"),
            authors=[n for a in entry.findall("a:author", NS) if (n := _text(a, "a:name"))],
            arxiv_id=arxiv_id,
            version=match["version"],
            updated=_day(entry.findtext("a:updated", namespaces=NS)),
            primary_category=primary.get("term") if primary is not None else None,
            categories=[c.get("term") for c in entry.findall("a:category", NS) if c.get("term")],
            comment=_text(entry, "arxiv:comment"),
        )
