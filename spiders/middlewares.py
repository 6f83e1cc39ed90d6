"""Downloader middlewares: mirror base URL, polite retries with backoff, raw-body keeping."""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Self
from urllib.parse import urlsplit, urlunsplit

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.task import deferLater

log = logging.getLogger(__name__)

SECRET_PARAMS = re.compile(r"((?:api_key|apikey|access_token|client_secret|token)=)[^&\s#]+", re.I)


def redact(url: str) -> str:
    """The URL with credential query parameters masked, for logs and stored records."""
    return SECRET_PARAMS.sub(r"\1***", url)


SECRET_QUERY = re.compile(
    r"(?<=[?&])(?:api_key|apikey|access_token|client_secret|token)=[^&#]*", re.I
)
# Headers that carry credentials: never sent to a host the request was redirected to.
CREDENTIAL_HEADERS = re.compile(
    r"^(authorization|proxy-authorization|cookie|x-api-key|.*(api[-_]?key|token|secret).*)$", re.I
)


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


class CredentialGuardMiddleware:
    """Credentials go only to the origin they were meant for.

    A redirect to another scheme, host or port keeps its URL but loses every credential
    header and secret query parameter (Scrapy itself strips only Authorization and Cookie).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> Request | None:
        chain = request.meta.get("redirect_urls")
        if not chain or origin(chain[0]) == origin(request.url):
            return None
        secret_headers = [
            name for name in request.headers if CREDENTIAL_HEADERS.match(name.decode("latin-1"))
        ]
        url = SECRET_QUERY.sub("", request.url)
        url = re.sub(r"([?&])&+", r"\1", url).rstrip("?&")
        if not secret_headers and url == request.url:
            return None
        for name in secret_headers:
            del request.headers[name]
        self.crawler.stats.inc_value("scintel/credentials_stripped")
        log.warning("credentials stripped from a redirect to another host: %s", redact(request.url))
        if url == request.url:
            return None
        # Already past the duplicate filter under this fingerprint: do not let it drop the copy.
        return request.replace(url=url, dont_filter=True)


class LoopSafeRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, where a loop fails its request (the spider's errback turns it
    into a reject) instead of being dropped in silence by the duplicate filter."""

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        if not isinstance(result, Request):
            return result
        if result.url in result.meta.get("redirect_urls", ()):
            self.crawler.stats.inc_value("scintel/redirect_loops")
            raise IgnoreRequest(f"redirect loop back to {redact(result.url)}")
        # A redirect target the crawl has seen is still this request's answer: hop limits
        # (REDIRECT_MAX_TIMES) bound it, the duplicate filter must not swallow it.
        result.dont_filter = True
        return result


def rebase(url: str, base: str) -> str:
    """Replace scheme and host of `url` with those of `base`, keep path and query.

    A path in `base` is a prefix: base http://mirror/epmc + /rest/search -> /epmc/rest/search.
    """
    target, mirror = urlsplit(url), urlsplit(base)
    path = mirror.path.rstrip("/") + target.path
    return urlunsplit((mirror.scheme, mirror.netloc, path, target.query, target.fragment))


def base_url_env(spider_name: str) -> str:
    """The per-spider environment variable that sets a mirror, e.g. SCINTEL_EUROPEPMC_BASE_URL."""
    return f"SCINTEL_{spider_name.upper()}_BASE_URL"


class BaseUrlMiddleware:
    """Send every request to a mirror or local replay server instead of the live service.

    Order: spider argument `base_url`, setting SCINTEL_BASE_URL, env SCINTEL_<NAME>_BASE_URL.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._base: str | None = None
        self._resolved = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def base(self) -> str | None:
        if not self._resolved:
            spider = self.crawler.spider
            name = getattr(spider, "name", "")
            self._base = (
                getattr(spider, "base_url", None)
                or self.crawler.settings.get("SCINTEL_BASE_URL")
                or os.environ.get(base_url_env(name))
                or None
            )
            self._resolved = True
            if self._base:
                log.info("%s: requests go to %s instead of the live service", name, self._base)
        return self._base

    def process_request(self, request: Request) -> Request | None:
        base = self.base()
        if not base or request.meta.get("scintel_rebased"):
            return None
        target = rebase(request.url, base)
        return request.replace(url=target, meta={**request.meta, "scintel_rebased": True})


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Retry 429/5xx and network errors after Retry-After, else exponential backoff."""

    def __init__(self, settings) -> None:  # type: ignore[no-untyped-def]
        super().__init__(settings)
        self.backoff_base = settings.getfloat("SCINTEL_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("SCINTEL_BACKOFF_MAX")

    def retry(self, request: Request, reason: str | Exception | type[Exception]) -> Request | None:
        """The retry copy of a request, or None when its retries are used up (Scrapy's public
        get_retry_request, with the per-request meta overrides RetryMiddleware honours)."""
        return get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
        )

    def delay(self, request: Request, response: Response | None) -> float:
        attempt = request.meta.get("retry_times", 0)
        header = response.headers.get(b"Retry-After") if response is not None else None
        wait = retry_after_seconds(header)
        if wait is None:
            wait = self.backoff_base * 2**attempt
        else:
            self.crawler.stats.max_value("scintel/retry_after_max", wait)
        return min(wait, self.backoff_max)

    async def _wait(self, seconds: float) -> None:
        if seconds > 0:
            from twisted.internet import reactor  # here: importing it early installs the wrong one

            self.crawler.stats.inc_value("scintel/backoff_seconds", seconds)
            await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retry = self.retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await self._wait(self.delay(request, response))
        return retry

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self.retry(request, exception)
        if retry is not None:
            await self._wait(self.delay(request, None))
        return retry


EXTENSIONS = {"json": "json", "xml": "xml", "atom": "xml", "html": "html", "rss": "xml"}


class RawBodyMiddleware:
    """Keep every response body as received, before any parsing, with an index line each."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._seq = itertools.count(1)
        self._index: IO[str] | None = None
        self._dir: Path | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        from scrapy import signals

        mw = cls(crawler)
        crawler.signals.connect(mw.close, signal=signals.spider_closed)
        return mw

    def _open(self) -> Path | None:
        if self._dir is None:
            landing = getattr(self.crawler.spider, "landing", None)
            self._dir = getattr(landing, "raw_dir", None)
            if self._dir is not None:
                self._dir.mkdir(parents=True, exist_ok=True)
                self._index = (self._dir / "index.jsonl").open("a", encoding="utf-8")
        return self._dir

    def close(self) -> None:
        if self._index:
            self._index.close()
            self._index = None

    def process_response(self, request: Request, response: Response) -> Response:
        folder = self._open()
        if folder is None or self._index is None:
            return response
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        ext = next((v for k, v in EXTENSIONS.items() if k in content_type), "bin")
        name = f"{next(self._seq):06d}.{ext}"
        (folder / name).write_bytes(response.body)
        self._index.write(
            json.dumps(
                {
                    "file": name,
                    "url": redact(response.url),
                    "status": response.status,
                    "content_type": content_type or None,
                    "bytes": len(response.body),
                    "sha256": hashlib.sha256(response.body).hexdigest(),
                    "fetched_at": datetime.now(UTC).isoformat(),
                }
            )
            + "\n"
        )
        self._index.flush()
        request.meta["raw_ref"] = str(folder / name)
        self.crawler.stats.inc_value("scintel/raw_bodies")
        return response
