"""bioRxiv/medRxiv: details API paging to the total, latest version wins, relevance, bad pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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

SLUG = "biorxiv"
ROOT = "/details/biorxiv/2026-01-05/2026-01-11"
SPEC = {
    "categories": ["synthetic biology"],
    "keywords": ["enzyme", "synthetic biology", "biorefiner", "fermentation", "directed evolution"],
}
PAGE1, PAGE2, LAST, EMPTY = (
    FIXTURES / SLUG / n for n in ("page1.json", "page2.json", "page3_last.json", "empty.json")
)
CARB = "10.1101/2026.01.03.697110"
TOOLBOX = "10.1101/2026.01.04.697201"
CATEGORY = {"category": "synthetic_biology"}


def serve(
    replay: ReplayServer, second: list[Reply] | None = None, first: Reply | None = None
) -> None:
    replay.add(f"{ROOT}/0/json", first or Reply.file(PAGE1), CATEGORY)
    replay.add(f"{ROOT}/3/json", second or [Reply.file(PAGE2)], CATEGORY)
    replay.add(f"{ROOT}/6/json", Reply.file(LAST), CATEGORY)


def crawl(replay: ReplayServer, out: Path, **kw: Any) -> CrawlResult:
    return run_spider(SLUG, replay.url, out, "2026-01-05", "2026-01-11", kw.pop("spec", SPEC), **kw)


def test_pages_to_total_latest_version_and_fields(replay: ReplayServer, tmp_path: Path) -> None:
    serve(replay)
    result = crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == sorted(
        [
            CARB,
            "10.1101/2026.01.04.697201",
            "10.1101/2026.01.07.697400",
            "10.1101/2026.01.09.697520",
        ]
    )
    assert [r.split("?")[0].rsplit("/", 2)[1] for r in replay.requests] == ["0", "3", "6"]
    assert all(r.endswith("?category=synthetic_biology") for r in replay.requests)

    paper = result.item(CARB)  # version 2 from page 2 replaced version 1 from page 1
    assert paper["version"] == 2
    assert paper["title"] == (
        "Directed evolution of a carboxylic acid reductase for bio-based 1,4-butanediol production"
    )
    assert paper["published"] == "2026-01-08"
    assert paper["authors"] == ["Kowalczyk, A.", "Nowak, M.", "Berg, S. v. d.", "Lis, P."]
    assert paper["url"] == f"https://www.biorxiv.org/content/{CARB}v2"
    assert paper["journal"] == "bioRxiv" and paper["source"] == "biorxiv"
    assert (
        paper["category"] == "synthetic biology"
        and paper["published_doi"] == "10.1016/j.ymben.2026.02.011"
    )
    assert paper["grants"] == [{"funder": "European Commission", "id": "101000607"}]
    assert paper["summary"].endswith("1,4-butanediol in fed-batch fermentation.")

    toolbox = result.item("10.1101/2026.01.04.697201")
    assert toolbox["grants"] == [
        {"funder": "European Commission", "id": "814650"}
    ]  # award "NA" dropped
    assert "published_doi" not in toolbox

    assert result.stats["scintel/not_relevant"] == 1  # the hippocampus preprint
    assert result.stats["scintel/older_versions"] == 1
    [reject] = result.rejected
    assert reject["reason"] == "record lacks doi, title, version or date"
    assert reject["entry"]["doi"] == "10.1101/2026.01.07.697411"


def test_429_then_200(replay: ReplayServer, tmp_path: Path) -> None:
    serve(replay, second=[Reply(429, b"", {"Retry-After": "1"}), Reply.file(PAGE2)])
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert len(result.items) == 4
    assert result.stats["retry/count"] == 1 and result.stats["scintel/retry_after_max"] == 1.0


def test_malformed_page_is_rejected_and_paging_goes_on(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(replay, second=[Reply(200, b'{"messages": [{"status": "ok", "cursor": 3', {})])
    result = crawl(replay, tmp_path)
    # The bad page is skipped by a full page size (100) which is past the total: paging ends,
    # and what was collected is still written.
    assert result.code == 0, result.log
    assert sorted(result.ids()) == [CARB, "10.1101/2026.01.04.697201"]
    assert result.item(CARB)["version"] == 1
    [reject] = result.rejected
    assert reject["reason"].startswith("not valid JSON")
    assert Path(reject["raw_ref"]).read_bytes().startswith(b'{"messages"')


def test_window_asked_in_the_path_and_checked_per_record(
    replay: ReplayServer, tmp_path: Path
) -> None:
    root = "/details/biorxiv/2026-01-05/2026-01-07"
    for cursor, page in (("0", PAGE1), ("3", PAGE2), ("6", LAST)):
        replay.add(f"{root}/{cursor}/json", Reply.file(page))
    result = run_spider(SLUG, replay.url, tmp_path, "2026-01-05", "2026-01-07", {})

    assert result.code == 0, result.log
    # Records posted after 7 Jan are dropped even if the server sends them; no keywords: all kept.
    assert sorted(result.ids()) == [CARB, "10.1101/2026.01.04.697201", "10.1101/2026.01.04.697250"]
    assert result.item(CARB)["version"] == 1
    assert result.stats["scintel/out_of_window"] == 3
    assert all(r.startswith(root) and "?" not in r for r in replay.requests)


def test_medrxiv_through_the_same_spider_and_empty_window(
    replay: ReplayServer, tmp_path: Path
) -> None:
    replay.add("/details/medrxiv/2026-01-05/2026-01-11/0/json", Reply.file(EMPTY))
    result = run_spider(
        SLUG, replay.url, tmp_path, "2026-01-05", "2026-01-11", {}, args={"server": "medrxiv"}
    )
    assert result.code == 0, result.log
    assert result.items == [] and result.rejected == []
    assert replay.requests == ["/details/medrxiv/2026-01-05/2026-01-11/0/json"]


# --- hostile input (tests/spiders/hostile.py) ---------------------------------------------


def test_a_wrong_typed_field_rejects_its_record_alone(replay: ReplayServer, tmp_path: Path) -> None:
    """Items wait for the last page (latest version wins): one bad record used to cost all."""
    page = json.loads(PAGE1.read_text("utf-8"))
    page["collection"][1]["authors"] = ["Rousseau, C.", "Martin, E."]
    serve(replay, first=Reply.json(page))
    result = crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == [
        CARB,
        "10.1101/2026.01.07.697400",
        "10.1101/2026.01.09.697520",
    ]
    assert result.item(CARB)["version"] == 2
    assert [(r["reason"], r["entry"]["doi"]) for r in result.rejected] == [
        ("malformed record: AttributeError: 'list' object has no attribute 'split'", TOOLBOX),
        ("record lacks doi, title, version or date", "10.1101/2026.01.07.697411"),
    ]
    # 7 records: the hippocampus one is off-topic and one CARB is an older version.
    assert result.stats["scintel/not_relevant"] == 1
    assert result.stats["scintel/older_versions"] == 1
    assert_accounted(result, received=7 - 2)


def test_a_truncated_first_page_is_a_reject_and_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(replay, first=truncated(Reply.file(PAGE1)))
    result = crawl(replay, tmp_path)
    assert_failed_with_reject(result, "not valid JSON")
    assert result.items == []
    assert len(replay.requests) == 1  # no total known: nothing to skip to


def test_an_in_band_error_is_a_page_reject_and_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """The API answers HTTP 200 with the error in `messages[0].status` and no records."""
    page = json.loads(EMPTY.read_text("utf-8"))
    page["messages"][0]["status"] = "Server not recognized"
    serve(replay, first=Reply.json(page))
    result = crawl(replay, tmp_path)
    assert_failed_with_reject(result, "service error: Server not recognized")
    assert result.items == [] and record_rejects(result) == []
    assert result.stats["scintel/bad_pages"] == 1


def test_a_gzip_bomb_is_a_reject_and_the_pages_before_it_are_kept(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(replay, second=[gzip_bomb()])
    result = crawl(replay, tmp_path, settings=SMALL_MAXSIZE)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == [CARB, TOOLBOX]
    [reject] = result.rejected
    assert reject["reason"].startswith("download failed")
    # The bomb's page is skipped a full page (100) on, past the total of 7: paging ends.
    assert len(replay.requests) == 2


def test_endless_paging_is_stopped_by_the_page_cap(replay: ReplayServer, tmp_path: Path) -> None:
    """A total that never ends costs `max_pages` pages and one reject, and the records of
    those pages are still emitted when the capped chain ends."""
    page = json.loads(PAGE1.read_text("utf-8"))
    page["messages"][0]["total"] = "1000000"
    dois = [entry["doi"] for entry in page["collection"]]
    replies = []
    for n in range(10):  # new DOIs on every page, so none is taken for an older version
        for entry, doi in zip(page["collection"], dois, strict=True):
            entry["doi"] = f"{doi}-{n}"
        replies.append(Reply.json(page))
    replay.add(f"{ROOT}/*/json", replies, CATEGORY)
    result = crawl(replay, tmp_path, spec={"categories": ["synthetic biology"], "max_pages": 3})

    assert result.code == 0, result.log
    assert [r.split("?")[0].rsplit("/", 2)[1] for r in replay.requests] == ["0", "3", "6"]
    assert [r["reason"] for r in result.rejected] == [
        "page cap reached: bioRxiv 2026-01-05..2026-01-11 in category 'synthetic biology' "
        "offers more than 3 pages; the rest is not fetched (narrow the query or raise max_pages)"
    ]
    assert sorted(result.ids()) == sorted(f"{doi}-{n}" for doi in dois for n in range(3))
    assert_accounted(result, received=3 * len(dois))


def test_a_redirect_loop_is_a_reject_not_a_silent_end(replay: ReplayServer, tmp_path: Path) -> None:
    first = f"{ROOT}/0/json?category=synthetic_biology"
    replay.add(f"{ROOT}/0/json", redirect(f"{first}&loop=1"), CATEGORY)
    replay.add(f"{ROOT}/0/json", redirect(first), CATEGORY | {"loop": "1"})
    result = crawl(replay, tmp_path)
    assert_failed_with_reject(result, "download failed: redirect loop back to")
    assert result.items == []
    assert len(replay.requests) == 2
