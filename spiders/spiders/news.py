"""Market news: the profile's outlet feeds, then each new article's main text.

Feeds are RSS 2.0, RSS 1.0 (RDF) or Atom, read by feedparser, which also copes with
wrong declared encodings and malformed XML. A body that is no feed at all (an error
page, an empty or JSON body) or a feed whose XML breaks off is a page reject; a feed
with no entries is an empty week. Each entry dated in the window (or not
dated at all) is fetched and its main text extracted by trafilatura; a page that
cannot be fetched or extracted keeps the feed's summary. The natural key is the
canonical URL (the page's rel=canonical, tracking parameters stripped), so copies of
one article syndicated by several outlets collapse into one record. Each outlet is
its own download slot with its own delay.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import partial
from typing import Any, ClassVar, Self
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import scrapy
import trafilatura
from pydantic import BaseModel, ConfigDict, Field
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from scintel.spiders.base import ScintelSpider
from scintel.spiders.items import Rejected
from scintel.spiders.source_settings import SourceSettings
from scintel.spiders.text import html_to_text, inline_text

log = logging.getLogger(__name__)

TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|yclid|igshid"
    r"|ref|ref_src|rss|cmpid|CMP|sc_cid|ito|icid)$",
    re.I,
)
MIN_ARTICLE_CHARS = 200


def _canonical_url(url: str) -> str:
    """The URL without tracking parameters, fragment, default port or upper-case host."""
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    ]
    host = (parts.hostname or "").lower()
    if parts.port and (parts.scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))


def _parse_link(entry: Any, base: str) -> str | None:
    """The entry's article link made absolute (feeds carry relative links too)."""
    link = entry.get("link") or next(
        (ln.get("href") for ln in entry.get("links", []) if ln.get("rel") in (None, "alternate")),
        None,
    )
    if not link and entry.get("guidislink"):
        link = entry.get("id")
    if not link:
        return None
    absolute = urljoin(base, link.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _parse_title(entry: Any) -> str:
    return inline_text(entry.get("title"))


def _parse_published(entry: Any) -> date | None:
    """The entry's date; feeds give published, updated or Dublin Core dates, or none."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime(*parsed[:6], tzinfo=UTC).date()
            except (TypeError, ValueError):
                continue
    return None


def _parse_summary(entry: Any) -> str | None:
    contents = entry.get("content") or []
    html = entry.get("summary") or (contents[0].get("value") if contents else "")
    return html_to_text(html) or None


def _parse_author(entry: Any) -> str | None:
    detail = entry.get("author_detail") or {}
    name = detail.get("name") or entry.get("author")
    return inline_text(name) or None


def _parse_canonical(response: Response, fallback: str) -> str:
    """The page's rel=canonical (relative ones resolved), else the article URL: also when
    the canonical is no URL (a bad port or host), which must not cost the article."""
    href = None
    if isinstance(response, TextResponse):
        href = response.xpath(
            "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
        ).get()
    if href and href.strip():
        try:
            return _canonical_url(urljoin(fallback, href.strip()))
        except ValueError:
            log.info("news: unusable rel=canonical %r on %s", href[:200], fallback)
    return _canonical_url(fallback)


def _feed_problem(feed: feedparser.FeedParserDict, body: bytes, content_type: str) -> str | None:
    """Why a feed response is a bad page, or None. No RSS, RDF or Atom at all (an error page,
    an empty or JSON body) and XML that breaks off are bad; a wrong declared encoding or
    media type is not, nor is a feed without entries (a quiet week)."""
    fault = feed.get("bozo_exception")
    if not feed.get("version"):
        if not body.strip():
            return "not a feed: the body is empty"
        why = "; ".join(filter(None, (content_type or "no Content-Type", fault and str(fault))))
        return f"not a feed: no RSS, RDF or Atom document in the body ({why})"
    if feed.bozo and not isinstance(fault, feedparser.ThingsNobodyCaresAboutButMe):
        return (
            f"feed is not well-formed XML: {fault}; entries read: {len(feed.entries)}, "
            "any past the fault may be missing"
        )
    return None


def _parse_article(html: str, url: str, title: str) -> tuple[str | None, dict[str, Any]]:
    """Main text of the page (boilerplate removed) and its metadata, or None when too short."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if doc is None:
        return None, {}
    meta = {"date": doc.date, "author": doc.author, "title": doc.title, "language": doc.language}
    text = (doc.text or "").strip()
    lines = text.split("\n")
    if lines and title and inline_text(lines[0]).casefold() == title.casefold():
        text = "\n".join(lines[1:]).strip()
    return (text if len(text) >= MIN_ARTICLE_CHARS else None), meta


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


class Outlet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    feed: str = Field(pattern=r"^https?://")
    delay: float = Field(default=3.0, ge=0)


class NewsSettings(SourceSettings):
    outlets: list[Outlet] = Field(min_length=1)
    max_articles: int = Field(default=50, ge=1)


class NewsSpider(ScintelSpider):
    """Articles of the profile's news outlets, main text extracted."""

    name = "news"
    label = "News"
    settings_model = NewsSettings
    kind = "news"
    endpoint = "profile: sources.news.outlets (RSS/Atom feeds)"
    required_params = ("outlets",)
    custom_settings: ClassVar[dict[str, Any]] = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outlets = [
            o for o in self.param("outlets", []) if isinstance(o, dict) and o.get("feed")
        ]
        self.max_articles = int(kwargs.get("max_articles") or self.param("max_articles", 50))
        self._requested: set[str] = set()
        self._fetched: Counter[str] = Counter()  # feed URL -> articles requested from it
        self._emitted: dict[str, bool] = {}  # canonical URL -> the publisher's own copy written

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # One download slot per outlet, each with the outlet's own delay, one request at a time.
        # NEWS_DELAY_SCALE multiplies the delays: 0 for a local replay, which needs no pacing.
        scale = crawler.settings.getfloat("NEWS_DELAY_SCALE", 1.0)
        slots = {
            spider._slot(o): {
                "concurrency": 1,
                "delay": float(o["delay"]) * scale,  # NewsSettings sets a default
            }
            for o in spider.outlets
        }
        crawler.settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        return spider

    @staticmethod
    def _slot(outlet: dict[str, Any]) -> str:
        return f"news:{outlet.get('name') or urlsplit(outlet['feed']).hostname}"

    def first_requests(self) -> Iterator[scrapy.Request]:
        for outlet in self.outlets:
            yield scrapy.Request(
                outlet["feed"],
                callback=self.parse_feed,
                errback=self.on_error,
                cb_kwargs={"outlet": outlet},
                meta={"download_slot": self._slot(outlet)},
                dont_filter=True,
            )

    def parse_feed(self, response: Response, outlet: dict[str, Any]) -> Iterator[Any]:
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        feed = feedparser.parse(
            response.body,
            response_headers={"content-type": content_type, "content-location": outlet["feed"]},
            sanitize_html=True,
            resolve_relative_uris=True,
        )
        if problem := _feed_problem(feed, response.body, content_type):
            yield self._reject(response, problem)
        elif feed.bozo:
            log.info(
                "%s: %s parsed despite: %s", self.name, outlet["feed"], feed.get("bozo_exception")
            )
        elif not feed.entries:
            log.info("%s: %s has no entries", self.name, outlet["feed"])
        language = (feed.feed.get("language") or "")[:2].lower() or None
        read = partial(self._entry_request, outlet=outlet, language=language)
        for entry in feed.entries:
            if (found := self.guarded(response, entry, read)) is not None:
                yield found

    def _entry_request(
        self, response: Response, entry: Any, outlet: dict[str, Any], language: str | None
    ) -> scrapy.Request | Rejected | None:
        """The article request of one feed entry, its reject, or None (out of the window,
        already asked, or past the outlet's max_articles)."""
        link = _parse_link(entry, outlet["feed"])
        title = _parse_title(entry)
        if not link or not title:
            return self._reject(
                response,
                "feed entry without a usable link or title",
                {k: str(v)[:500] for k, v in entry.items()},
            )
        published = _parse_published(entry)
        if published is not None and published not in self.window:
            self.crawler.stats.inc_value("scintel/out_of_window")
            return None
        if link in self._requested or self._fetched[outlet["feed"]] >= self.max_articles:
            return None
        found = {
            "link": link,
            "title": title,
            "published": published.isoformat() if published else None,
            "summary": _parse_summary(entry),
            "author": _parse_author(entry),
            "language": language,
            "categories": [t.get("term") for t in entry.get("tags", []) if t.get("term")],
        }
        request = scrapy.Request(  # raises ValueError on a link that is no URL (a bad port)
            link,
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"outlet": outlet, "entry": found},
            meta={"download_slot": self._slot(outlet), "feed_entry": found, "outlet": outlet},
        )
        self._requested.add(link)
        self._fetched[outlet["feed"]] += 1
        return request

    def parse_article(
        self, response: Response, outlet: dict[str, Any], entry: dict[str, Any]
    ) -> Iterator[Any]:
        canonical = _parse_canonical(response, entry["link"])
        text, meta = (None, {})
        if isinstance(response, TextResponse):
            text, meta = _parse_article(response.text, canonical, entry["title"])
        published = entry["published"] or (_day(meta.get("date")) and meta["date"][:10])
        if published and _day(published) not in self.window:
            self.crawler.stats.inc_value("scintel/out_of_window")
            return
        if text is None:
            self.crawler.stats.inc_value("scintel/news_feed_summary_kept")
        yield from self._news_item(
            response,
            outlet,
            entry,
            canonical=canonical,
            summary=text or entry["summary"],
            published=published,
            author=entry["author"] or meta.get("author"),
            language=entry["language"] or meta.get("language"),
            extracted=text is not None,
        )

    def article_failed(self, failure: Failure) -> Iterator[Any]:
        """The article page could not be had: keep the feed's summary, and say why."""
        request = failure.request  # type: ignore[attr-defined]
        entry, outlet = request.meta["feed_entry"], request.meta["outlet"]
        self.crawler.stats.inc_value("scintel/news_article_failed")
        log.warning(
            "%s: article %s not fetched: %s", self.name, entry["link"], failure.getErrorMessage()
        )
        response = getattr(failure.value, "response", None)
        yield from self._news_item(
            response,
            outlet,
            entry,
            canonical=_canonical_url(entry["link"]),
            summary=entry["summary"],
            published=entry["published"],
            author=entry["author"],
            language=entry["language"],
            extracted=False,
        )

    def _news_item(
        self, response: Response | None, outlet: dict[str, Any], entry: dict[str, Any], **found: Any
    ) -> Iterator[Any]:
        canonical = found.pop("canonical")
        # The publisher's own copy (same host as the canonical URL) wins over reposts: it is
        # written after a repost that came first, and the loader keeps the last copy.
        original = urlsplit(entry["link"]).hostname == urlsplit(canonical).hostname
        if canonical in self._emitted:
            self.crawler.stats.inc_value("scintel/news_syndicated_copies")
            if self._emitted[canonical] or not original:
                return
        self._emitted[canonical] = original
        yield {
            "kind": self.kind,
            "source": self.name,
            "external_id": canonical,
            "url": canonical,
            "title": entry["title"],
            "outlet": outlet.get("name"),
            "feed_url": outlet["feed"],
            "article_url": entry["link"],
            "categories": entry["categories"],
            **found,
            "fetched_at": datetime.now(UTC).isoformat(),
            "raw_ref": response.meta.get("raw_ref") if response is not None else None,
        }
