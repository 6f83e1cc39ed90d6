"""EPO OPS politeness: pace each OPS service by its X-Throttling-Control light.

Every OPS answer carries `X-Throttling-Control: busy (images=green:100,
inpadoc=yellow:45, other=green:1000, retrieval=green:100, search=red:15)`:
the system state (idle, busy, overloaded) and, per service, a traffic light and
the requests per minute currently allowed. Each service gets its own download
slot whose delay follows the light: 60/limit seconds on green, more on yellow
and red, doubled when the system is overloaded. Black (limit exhausted) comes
with a Retry-After in *milliseconds*; the request is retried after that wait.

The token answer is also rewritten here, before the raw-body keeper sees it,
so the access token never lands in the landing zone.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Self

from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

log = logging.getLogger(__name__)

HEADER = b"X-Throttling-Control"
SLOT_PREFIX = "epo_ops:"
COLOUR_FACTOR = {"green": 1.0, "yellow": 1.5, "red": 3.0}
OVERLOADED_FACTOR = 2.0
# Used when OPS turns a request away without saying how long to wait.
DEFAULT_BLACK_WAIT = 60.0
REJECTED_STATUSES = {403, 429, 503}

_SYSTEM = re.compile(r"^\s*(\w+)")
_SERVICE = re.compile(r"(\w+)=(\w+):(\d+)")


@dataclass(frozen=True)
class Throttle:
    """A parsed X-Throttling-Control header."""

    system: str
    services: dict[str, tuple[str, int]]


def parse_throttling(header: str | bytes | None) -> Throttle | None:
    """`busy (search=yellow:15, ...)` -> Throttle('busy', {'search': ('yellow', 15), ...})."""
    if not header:
        return None
    text = header.decode("latin-1") if isinstance(header, bytes) else header
    system = _SYSTEM.match(text)
    services = {n.lower(): (c.lower(), int(limit)) for n, c, limit in _SERVICE.findall(text)}
    if not system and not services:
        return None
    return Throttle(system.group(1).lower() if system else "", services)


def ops_service(path: str) -> str:
    """The OPS throttling service a request path counts against."""
    if "/published-data/search" in path:
        return "search"
    if "/published-data/images" in path or "/classification/cpc/media" in path:
        return "images"
    if "/published-data/" in path:
        return "retrieval"
    if "/family/" in path or "/legal/" in path:
        return "inpadoc"
    return "other"


def service_delay(throttle: Throttle, service: str) -> float | None:
    """Seconds between requests to `service` that the light asks for; None if black or unknown."""
    light = throttle.services.get(service)
    if light is None:
        return None
    colour, limit = light
    if colour == "black" or limit <= 0:
        return None
    delay = 60.0 / limit * COLOUR_FACTOR.get(colour, 1.0)
    return delay * OVERLOADED_FACTOR if throttle.system == "overloaded" else delay


def retry_after_ms(value: bytes | None) -> float | None:
    """OPS sends Retry-After in milliseconds."""
    text = value.decode("latin-1").strip() if value else ""
    return int(text) / 1000.0 if text.isdigit() else None


class OpsThrottleMiddleware:
    """Per-service slots paced by X-Throttling-Control; black and fair-use refusals retried after Retry-After."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.scale = crawler.settings.getfloat("EPO_OPS_DELAY_SCALE", 1.0)
        self.max_delay = crawler.settings.getfloat("EPO_OPS_MAX_DELAY", 300.0)
        self.max_waits = crawler.settings.getint("EPO_OPS_THROTTLE_RETRIES", 3)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        request.meta["download_slot"] = SLOT_PREFIX + ops_service(request.url)

    def _set_delay(self, slot_key: str, seconds: float) -> None:
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        slot = downloader.slots.get(slot_key) if downloader else None
        if slot is not None:
            slot.delay = min(seconds * self.scale, self.max_delay)
            slot.jitter = 0.0  # the limit is a hard rate: no random speed-ups

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        service = ops_service(request.url)
        stats = self.crawler.stats
        throttle = parse_throttling(response.headers.get(HEADER))
        colour = None
        if throttle is not None:
            colour = throttle.services.get(service, ("unknown", 0))[0]
            stats.inc_value(f"epo_ops/throttle/{throttle.system}/{service}/{colour}")
            # The header reports every service: pace them all, not just the one asked.
            for name in throttle.services:
                delay = service_delay(throttle, name)
                if delay is not None:
                    stats.set_value(f"epo_ops/throttle/{name}/delay", delay)
                    stats.max_value(f"epo_ops/throttle/{name}/delay_max", delay)
                    self._set_delay(SLOT_PREFIX + name, delay)
        wait = retry_after_ms(response.headers.get(b"Retry-After"))
        if colour == "black" and wait is not None:
            # Even an answered request says: pause this service for that long.
            self._set_delay(SLOT_PREFIX + service, wait)
        refused = response.status in REJECTED_STATUSES and (colour == "black" or wait is not None)
        if not refused:
            return response
        waits = request.meta.get("epo_ops_waits", 0)
        if waits >= self.max_waits:
            log.error(
                "epo_ops: %s still refused after %d waits (HTTP %d)",
                service,
                waits,
                response.status,
            )
            return response
        seconds = wait if wait is not None else DEFAULT_BLACK_WAIT
        log.warning(
            "epo_ops: OPS %s service refused the request (HTTP %d, %s); waiting %.1f s",
            service,
            response.status,
            throttle.system if throttle else "no throttle header",
            seconds,
        )
        stats.inc_value("epo_ops/throttle/waits")
        stats.max_value("epo_ops/throttle/wait_max", seconds)
        pause = min(seconds * self.scale, self.max_delay)
        if pause > 0:
            await maybe_deferred_to_future(deferLater(reactor, pause, lambda: None))
        return request.replace(dont_filter=True, meta={**request.meta, "epo_ops_waits": waits + 1})


class TokenBodyMiddleware:
    """Move the access token out of the token answer before the body is kept raw."""

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get("epo_ops_token_request") or response.status != 200:
            return response
        try:
            data = json.loads(response.body)
        except ValueError:
            return response  # the spider reports an unreadable token answer
        if not isinstance(data, dict):
            return response
        request.meta["epo_ops_token"] = data.get("access_token")
        request.meta["epo_ops_expires_in"] = data.get("expires_in")
        masked = {k: ("***" if k in ("access_token", "client_id") else v) for k, v in data.items()}
        return response.replace(body=json.dumps(masked).encode())
