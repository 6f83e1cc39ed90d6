"""arXiv: Atom parsing, newest-first paging that stops before the window, retries, bad feeds."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import FIXTURES
from hostile import (
    SMALL_MAXSIZE,
    assert_accounted,
    assert_failed_with_reject,
    gzip_bomb,
    record_rejects,
    redirect,
    truncated,
)

from scintel.replay import ReplayServer, Reply
from scintel.testing import CrawlResult, run_spider

SLUG = "arxiv"
PATH = "/api/query"
SPEC = {"search_query": "cat:q-bio.BM AND abs:enzyme", "page_size": 3}
PAGE1, PAGE2, EMPTY, ERROR = (
    FIXTURES / SLUG / n for n in ("page1.atom", "page2.atom", "page3_empty.atom", "error.atom")
)
ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}


def serve(replay: ReplayServer, first=None, second=None) -> None:
    replay.add(PATH, first or [Reply.file(PAGE1, headers=ATOM)], {"start": "0"})
    replay.add(PATH, second or [Reply.file(PAGE2, headers=ATOM)], {"start": "3"})
    replay.add(PATH, Reply.file(EMPTY, headers=ATOM), {"start": "6"})


def crawl(
    replay: ReplayServer, out: Path, spec: dict | None = None, settings: dict | None = None
) -> CrawlResult:
    return run_spider(SLUG, replay.url, out, "2026-01-05", "2026-01-11", spec or SPEC, settings)


def starts(replay: ReplayServer) -> list[str]:
    return [parse_qs(urlsplit(r).query)["start"][0] for r in replay.requests]


def test_items_and_paging_to_the_empty_feed(replay: ReplayServer, tmp_path: Path) -> None:
    serve(replay)
    result = run_spider(SLUG, replay.url, tmp_path, "2026-01-05", "2026-01-08", SPEC)

    assert result.code == 0, result.log
    # 2601.05123 (9 Jan) is newer than the window; the empty third page ends the crawl.
    assert result.ids() == [
        "arXiv:2601.04870",
        "arXiv:2601.04402",
        "arXiv:2601.03991",
        "arXiv:2601.03550",
        "arXiv:2601.03102",
    ]
    assert starts(replay) == ["0", "3", "6"]
    query = parse_qs(urlsplit(replay.requests[0]).query)
    assert query["search_query"] == ["cat:q-bio.BM AND abs:enzyme"]
    assert query["sortBy"] == ["submittedDate"] and query["sortOrder"] == ["descending"]
    assert query["max_results"] == ["3"]

    paper = result.item("arXiv:2601.04870")
    assert paper["title"] == (
        "Kinetic modelling of a fed-batch precision fermentation for recombinant beta-lactoglobulin"
    )
    assert paper["summary"].startswith(
        "We model substrate inhibition and oxygen transfer in a 10 m^3"
    )
    assert "\n" not in paper["summary"]
    assert paper["authors"] == ["Laura Fernández", "Jan Kowalski"]
    assert paper["published"] == "2026-01-08"
    assert paper["doi"] == "10.1016/j.ymben.2026.01.004"
    assert paper["journal"] == "Metab. Eng. 94 (2026) 120-131"
    assert paper["version"] == "v2" and paper["updated"] == "2026-01-10"
    assert paper["primary_category"] == "q-bio.QM" and paper["categories"] == [
        "q-bio.QM",
        "q-bio.MN",
    ]
    assert paper["url"] == "https://arxiv.org/abs/2601.04870"
    assert result.stats["scintel/out_of_window"] == 1


def test_stops_at_the_first_entry_before_the_window(replay: ReplayServer, tmp_path: Path) -> None:
    serve(replay)
    result = run_spider(SLUG, replay.url, tmp_path, "2026-01-06", "2026-01-11", SPEC)

    assert result.code == 0, result.log
    assert result.ids() == [
        "arXiv:2601.05123",
        "arXiv:2601.04870",
        "arXiv:2601.04402",
        "arXiv:2601.03991",
    ]
    assert starts(replay) == ["0", "3"]  # no third page once 5 Jan entries appear


def test_429_then_200(replay: ReplayServer, tmp_path: Path) -> None:
    serve(
        replay,
        second=[
            Reply(429, b"Rate exceeded.", {"Retry-After": "1"}),
            Reply.file(PAGE2, headers=ATOM),
        ],
    )
    result = run_spider(SLUG, replay.url, tmp_path, "2026-01-05", "2026-01-11", SPEC)

    assert result.code == 0, result.log
    assert len(result.items) == 6
    assert result.stats["retry/count"] == 1 and result.stats["scintel/retry_after_max"] == 1.0
    assert starts(replay) == ["0", "3", "3", "6"]


def test_malformed_page_is_rejected_and_the_next_page_fetched(
    replay: ReplayServer, tmp_path: Path
) -> None:
    truncated = PAGE2.read_bytes()[:1500]
    serve(replay, second=[Reply(200, truncated, ATOM)])
    result = run_spider(SLUG, replay.url, tmp_path, "2026-01-05", "2026-01-11", SPEC)

    assert result.code == 0, result.log
    assert len(result.items) == 3
    [reject] = result.rejected
    assert reject["reason"].startswith("not well-formed XML")
    assert Path(reject["raw_ref"]).read_bytes() == truncated
    assert starts(replay) == ["0", "3", "6"]


def test_api_error_feed_and_hostile_xml_are_rejected(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, Reply.file(ERROR, headers=ATOM))
    result = run_spider(SLUG, replay.url, tmp_path / "a", "2026-01-05", "2026-01-11", SPEC)
    assert result.code == 1 and result.items == []  # nothing but an in-band error: failed, retried
    assert [r["reason"] for r in result.rejected] == [
        "arXiv API error: max_results must be non-negative"
    ]

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    hostile = f"""<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "{secret.as_uri()}">]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2601.00001v1</id>
<title>&x;</title><published>2026-01-06T00:00:00Z</published></entry></feed>""".encode()
    replay.routes.clear()
    replay.add(PATH, Reply(200, hostile, ATOM))
    result = run_spider(SLUG, replay.url, tmp_path / "b", "2026-01-05", "2026-01-11", SPEC)
    assert result.items == []
    assert result.rejected[0]["reason"] == "XML declares entities in a DTD; refused"
    assert "TOP-SECRET" not in (tmp_path / "b" / "items.jsonl").read_text()


# --- hostile input (tests/spiders/hostile.py) ---------------------------------------------


def test_an_entry_with_a_bad_date_is_rejected_alone(replay: ReplayServer, tmp_path: Path) -> None:
    body = PAGE1.read_bytes().replace(
        b"<published>2026-01-08T09:15:00Z</published>",
        b"<published>2026-01-08T25:61:00Z</published>",
    )
    assert body != PAGE1.read_bytes()
    serve(replay, first=[Reply(200, body, ATOM)])
    result = crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert result.ids() == [
        "arXiv:2601.05123",
        "arXiv:2601.04402",
        "arXiv:2601.03991",
        "arXiv:2601.03550",
        "arXiv:2601.03102",
    ]
    [reject] = record_rejects(result)
    assert reject["reason"] == "entry lacks id, title or published date"
    assert "2601.04870v2" in reject["entry"]
    assert_accounted(result, received=6)


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (truncated(Reply.file(PAGE1, headers=ATOM)), "not well-formed XML"),
        (gzip_bomb("application/atom+xml"), "download failed"),
    ],
    ids=["truncated", "gzip-bomb"],
)
def test_a_bad_first_page_is_a_reject_and_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path, reply: Reply, reason: str
) -> None:
    """Without the first page the total is unknown: nothing to skip to, the crawl is retried."""
    serve(replay, first=[reply])
    result = crawl(replay, tmp_path, settings=SMALL_MAXSIZE)

    assert_failed_with_reject(result, reason)
    assert result.items == [] and len(result.rejected) == 1
    assert starts(replay) == ["0"]


def test_paging_past_the_page_cap_is_a_reject_and_the_crawl_keeps_its_items(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """A totalResults that never runs out costs one query, not the crawl."""
    endless = PAGE1.read_bytes().replace(
        b">9</opensearch:totalResults>", b">900000</opensearch:totalResults>"
    )
    assert endless != PAGE1.read_bytes()
    replay.add(PATH, Reply(200, endless, ATOM))
    result = crawl(replay, tmp_path, spec=SPEC | {"max_pages": 3})

    assert result.code == 0, result.log
    assert starts(replay) == ["0", "3", "6"]
    assert [r["reason"] for r in result.rejected] == [
        "page cap reached: the search_query 'cat:q-bio.BM AND abs:enzyme' offers more than 3 "
        "pages; the rest is not fetched (narrow the query or raise max_pages)"
    ]
    assert_accounted(result, received=3 * 3)


def test_a_redirect_loop_is_a_reject_not_a_silent_end(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, redirect(f"{PATH}?hop=a"), {"start": "0"})
    replay.add(PATH, redirect(f"{PATH}?hop=b"), {"hop": "a"})
    replay.add(PATH, redirect(f"{PATH}?hop=a"), {"hop": "b"})
    result = crawl(replay, tmp_path)

    assert_failed_with_reject(result, "download failed: redirect loop back to")
    assert len(replay.requests) == 3
