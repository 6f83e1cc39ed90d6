"""The base class of every scintel spider: window, profile, output paths, rejects.

A spider subclass sets `name`, `kind` and `endpoint` (the live URL), builds its
requests against `endpoint` (the BaseUrlMiddleware points them at a mirror when
asked) and yields item dicts through `_item` and failures through `_reject`.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Self

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from scintel.config import load_settings
from scintel.spiders.items import Rejected
from scintel.spiders.landing import Partition, run_stamp
from scintel.spiders.middlewares import redact
from scintel.spiders.source_settings import SourceSettings
from scintel.spiders.window import Window

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LandingPaths:
    """Where one crawl writes its items, rejects and raw bodies."""

    items: Path
    rejected: Path
    raw_dir: Path | None


def landing_paths(settings: Any, source: str, window: Window) -> LandingPaths:
    """Explicit paths from the settings, else this run's landing-zone partition."""
    part = Partition(
        root=load_settings().landing_dir,
        source=source,
        day=window.until,
        run=settings.get("SCINTEL_RUN") or run_stamp(),
    )
    raw = settings.get("SCINTEL_RAW_DIR")
    return LandingPaths(
        items=Path(settings.get("SCINTEL_ITEMS_PATH") or part.items),
        rejected=Path(settings.get("SCINTEL_REJECTED_PATH") or part.rejected),
        raw_dir=(Path(raw) if raw else part.raw_dir)
        if settings.getbool("SCINTEL_KEEP_RAW")
        else None,
    )


class NotJson(ValueError):
    """A body that should have been JSON and is not."""


class ScintelSpider(scrapy.Spider):
    """Window (`since`/`until`), profile source settings and the reject path for all spiders."""

    kind: ClassVar[str] = "publication"
    endpoint: ClassVar[str] = ""
    # Environment variables the live service needs; a missing one skips the source.
    required_env: ClassVar[tuple[str, ...]] = ()
    # Profile parameters without which the source cannot be queried.
    required_params: ClassVar[tuple[str, ...]] = ()
    # Environment variables that may carry credentials but are not required (the spider
    # checks them itself): offline runs give them placeholders.
    optional_env: ClassVar[tuple[str, ...]] = ()
    # The profile keys this source accepts, checked when a profile is loaded.
    settings_model: ClassVar[type[SourceSettings]] = SourceSettings
    label: ClassVar[str] = ""  # as readers know the service (digest, `scintel sources`)
    landing: LandingPaths

    def __init__(
        self,
        since: str | None = None,
        until: str | None = None,
        profile: str | None = None,
        source_spec: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.window = Window.resolve(since, until)
        if source_spec is None:
            raise ValueError(
                f"{self.name}: no source_spec: crawl through `scintel crawl`, which hands the "
                "spider its profile settings"
            )
        self.profile_name = profile or "inline"
        # The crawl step hands over the profile's settings as JSON, validated by this
        # source's own model (the profile was checked against the same model on load).
        self.spec: SourceSettings = self.settings_model.model_validate(json.loads(source_spec))
        self._params = self.spec.model_dump(mode="json")  # read by param(), often per record

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.landing = landing_paths(crawler.settings, spider.name, spider.window)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        """Check credentials and profile, then the subclass's first requests."""
        if reason := self.skip_reason():
            log.warning("%s: %s", self.name, reason)
            raise CloseSpider(f"skipped: {reason}")
        for request in self.first_requests():
            yield request

    def first_requests(self) -> Iterable[scrapy.Request]:
        raise NotImplementedError

    def skip_reason(self) -> str | None:
        """Why this source cannot be crawled now (missing key or query), or None."""
        if missing := self.missing_env():
            return f"{', '.join(missing)} not set in the environment; source skipped"
        absent = [p for p in self.required_params if not self.param(p)]
        if absent:
            return (
                f"profile {self.profile_name!r} sets no {', '.join(absent)} for source "
                f"{self.name!r}; source skipped"
            )
        return None

    def param(self, name: str, default: Any = None) -> Any:
        """A setting of this source in the watch profile (`default` when unset)."""
        value = self._params.get(name)
        return default if value is None or value == [] else value

    def missing_env(self) -> list[str]:
        return [name for name in self.required_env if not os.environ.get(name)]

    @staticmethod
    def raw_ref(response: Response) -> str | None:
        return response.meta.get("raw_ref")

    def _item(self, response: Response, **fields: Any) -> dict[str, Any]:
        """An item dict with the fields every item carries filled in."""
        return {
            "kind": self.kind,
            "source": self.name,
            **fields,
            "fetched_at": datetime.now(UTC).isoformat(),
            "raw_ref": self.raw_ref(response),
        }

    def _reject(self, response: Response, reason: str, entry: Any = None) -> Rejected:
        """A rejected page or entry; the pipeline writes and counts it, the crawl goes on."""
        log.warning("%s: rejected %s: %s", self.name, redact(response.url), reason)
        if entry is None:  # the whole page, not one record of it
            self.crawler.stats.inc_value("scintel/bad_pages")
        return Rejected(
            source=self.name,
            reason=reason,
            url=redact(response.url),
            raw_ref=self.raw_ref(response),
            entry=entry,
        )

    def guarded(self, response: Response, entry: Any, parse: Callable[[Response, Any], Any]) -> Any:
        """One record parsed, or rejected with its reason when a field has a type the parser
        did not expect: a bad record never costs the rest of its page."""
        try:
            return parse(response, entry)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
            self.crawler.stats.inc_value("scintel/malformed_records")
            detail = " ".join(str(exc).split())[:200]
            return self._reject(
                response, f"malformed record: {type(exc).__name__}: {detail}", entry
            )

    def page_cap(self) -> int:
        """Pages one query may take: the profile's `max_pages`, else the crawl setting."""
        return int(
            self.param("max_pages") or self.crawler.settings.getint("SCINTEL_MAX_PAGES_PER_QUERY")
        )

    def past_page_cap(self, response: Response, page: int, query: str) -> Rejected | None:
        """A reject when page `page` (1-based) of `query` would pass the page cap, else None:
        a server that always offers another page costs one query, not the crawl."""
        cap = self.page_cap()
        if page <= cap:
            return None
        self.crawler.stats.inc_value("scintel/page_cap_reached")
        reason = (
            f"page cap reached: {query} offers more than {cap} pages; the rest is not fetched "
            "(narrow the query or raise max_pages)"
        )
        log.warning("%s: %s", self.name, reason)
        return Rejected(
            source=self.name,
            reason=reason,
            url=redact(response.url),
            raw_ref=self.raw_ref(response),
        )

    def _json(self, response: Response) -> Any:
        """The body as JSON, or NotJson with a short reason."""
        try:
            return json.loads(response.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise NotJson(f"not valid JSON: {exc}") from None

    def on_error(self, failure: Failure) -> Rejected:
        """A request that failed for good (retries exhausted, too big, timeout)."""
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        reason = (
            f"HTTP {response.status} after retries"
            if response is not None
            else f"download failed: {redact(failure.getErrorMessage())}"
        )
        self.crawler.stats.inc_value("scintel/failed_requests")
        log.error("%s: %s: %s", self.name, redact(request.url), reason)
        return Rejected(
            source=self.name,
            reason=reason,
            url=redact(request.url),
            raw_ref=response.meta.get("raw_ref") if response is not None else None,
        )
