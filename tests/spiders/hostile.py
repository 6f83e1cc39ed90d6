"""Hostile input shared by every spider's suite: bombs, truncation, loops, off-host redirects,
and the two checks each case ends with (every record accounted for, no secret anywhere).

Each spider's test module builds its own cases from its real fixtures with these pieces;
the promises are the same for all: a bad record or page is a reject with its reason, the
rest goes on, a crawl with nothing but bad pages fails, and credentials stay home.
"""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from scintel.replay import Reply
from scintel.testing import CrawlResult

# A small download cap for bomb tests, so a bomb is cheap to build and quick to refuse.
SMALL_MAXSIZE = {"DOWNLOAD_MAXSIZE": str(1 << 20), "DOWNLOAD_WARNSIZE": str(1 << 19)}


def gzip_bomb(content_type: str = "application/json", inflated: int = 16 << 20) -> Reply:
    """A small gzip body that inflates far past SMALL_MAXSIZE."""
    return Reply(
        200,
        gzip.compress(b"\0" * inflated, compresslevel=9),
        {"Content-Type": content_type, "Content-Encoding": "gzip"},
    )


def truncated(reply: Reply, keep: float = 0.5) -> Reply:
    """The reply cut off part-way, as a dropped connection or a full disk leaves it."""
    return Reply(reply.status, reply.body[: int(len(reply.body) * keep)], reply.headers)


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", {"Location": location})


def record_rejects(result: CrawlResult) -> list[dict[str, Any]]:
    """Rejects of one record (they carry the record), not of a page or request."""
    return [r for r in result.rejected if r.get("entry") is not None]


def page_rejects(result: CrawlResult) -> list[dict[str, Any]]:
    return [r for r in result.rejected if r.get("entry") is None]


def assert_accounted(result: CrawlResult, received: int) -> None:
    """Every record the server sent is an item or a reject of that record: none lost."""
    items, rejects = len(result.items), len(record_rejects(result))
    assert items + rejects == received, (
        f"received {received} records, {items} items + {rejects} rejects; rejects: "
        f"{[r['reason'] for r in result.rejected]}"
    )


def _written(result: CrawlResult) -> Iterable[tuple[str, bytes]]:
    yield "log", result.log.encode()
    root = result.raw_dir.parent
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield str(path.relative_to(root)), path.read_bytes()


def assert_no_secret(result: CrawlResult, secrets: Iterable[str]) -> None:
    """No secret in the log, the items, the rejects, the raw bodies or the stats."""
    for secret in secrets:
        for where, data in _written(result):
            assert secret.encode() not in data, f"{secret[:3]}... leaked into {where}"


def assert_failed_with_reject(result: CrawlResult, fragment: str) -> None:
    """The crawl failed (so Airflow retries it) and kept a reject saying why."""
    assert result.code != 0, result.log[-2000:]
    reasons = [r["reason"] for r in result.rejected]
    assert any(fragment in reason for reason in reasons), reasons


@contextmanager
def silent_server() -> Iterator[str]:
    """A port that takes connections and never answers: every request to it times out."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
