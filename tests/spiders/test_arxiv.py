"""arXiv: Atom parsing, newest-first paging that stops before the window, retries, bad feeds."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from conftest import FIXTURES

from scintel.replay import ReplayServer, Reply
from scintel.testing import run_spider

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
