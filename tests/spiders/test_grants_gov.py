"""grants_gov: search2 pages replayed through the real downloader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hostile import (
    SMALL_MAXSIZE,
    assert_accounted,
    assert_failed_with_reject,
    gzip_bomb,
    redirect,
    truncated,
)

from scintel.replay import ReplayServer, Reply
from scintel.testing import CrawlResult, run_spider

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "grants_gov"
PATH = "/v1/api/search2"
KEYWORDS = [
    "biotechnolog",
    "biomanufactur",
    "bioprocess",
    "biocatal",
    "enzym",
    "synthetic biolog",
    "protein synthesis",
    "biomass",
]
SPEC = {"rows": 4, "queries": ["biotechnology"], "keywords": KEYWORDS}
PAGES = [FIXTURES / f"search2_page{n}.json" for n in (1, 2, 3)]
SYNBIO = FIXTURES / "search2_synbio_page1.json"
SERVICE_ERROR = FIXTURES / "search2_service_error.json"
BOTH = ["biotechnology", "synthetic biology"]


def _crawl(
    server: ReplayServer,
    tmp_path: Path,
    since: str = "2026-11-01",
    until: str = "2026-11-25",
    settings: dict[str, str] | None = None,
    **spec: Any,
) -> CrawlResult:
    return run_spider("grants_gov", server.url, tmp_path, since, until, SPEC | spec, settings)


def _hit(number: str) -> dict[str, Any]:
    for page in PAGES:
        for hit in json.loads(page.read_text())["data"]["oppHits"]:
            if hit["number"] == number:
                return hit
    raise KeyError(number)


def test_biotech_opportunities_follow_the_payload(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, [Reply.file(p) for p in PAGES])
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == [
        "DE-FOA-0003512",
        "NSF 26-512",
        "PAR-26-114",
        "PD-27-1491",
        "RFA-GM-27-003",
    ]
    # hitCount 9 at 4 rows: three pages, then no more
    assert len(replay.requests) == 3

    item = result.item("RFA-GM-27-003")
    hit = _hit("RFA-GM-27-003")
    assert item["kind"] == "funding_call"
    assert item["identifier"] == hit["number"]
    assert item["title"] == hit["title"]
    assert item["programme"] == hit["agency"] == "National Institutes of Health"
    assert item["agency_code"] == "HHS-NIH11"
    assert item["status"] == "open"  # posted
    assert item["opening_date"] == "2026-10-15" and item["published"] == "2026-10-15"
    assert item["deadline"] == "2027-02-05" and item["deadlines"] == ["2027-02-05"]
    assert item["url"] == f"https://www.grants.gov/search-results-detail/{hit['id']}"
    assert item["assistance_listings"] == ["93.859"]
    assert item["keywords"] == ["biomanufactur"]  # the profile keywords found in the title

    forecast = result.item("DE-FOA-0003512")
    assert forecast["status"] == "forthcoming"
    # no closing date yet: no deadline, still kept
    assert "deadline" not in result.item("NSF 26-512")

    # not about the field: filtered; closed before the window: dropped; no id/title: rejected
    assert result.stats["scintel/not_relevant"] == 2
    assert result.stats["scintel/out_of_window"] == 1
    assert [r["reason"] for r in result.rejected] == ["opportunity without id, number or title"]


def test_queries_run_in_turn_and_duplicates_collapse(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(
        PATH, [Reply.file(p) for p in PAGES] + [Reply.file(FIXTURES / "search2_synbio_page1.json")]
    )
    result = _crawl(replay, tmp_path, queries=["biotechnology", "synthetic biology"])

    assert result.code == 0, result.log
    assert len(replay.requests) == 4
    assert result.ids().count("RFA-GM-27-003") == 1
    assert result.item("NSF 27-503")["status"] == "forthcoming"


def test_window_keeps_calls_open_in_it(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, [Reply.file(p) for p in PAGES])
    result = _crawl(replay, tmp_path, since="2026-09-01", until="2026-09-30")
    assert "W911NF-26-S-0004" in result.ids()
    assert result.item("W911NF-26-S-0004")["title"] == (
        "Army Research Office Broad Agency Announcement for Synthetic Biology & Biomaterials"
    )


def test_429_then_200_is_retried(replay: ReplayServer, tmp_path: Path) -> None:
    busy = Reply(429, b"Too Many Requests", {"Retry-After": "1"})
    replay.add(PATH, [busy] + [Reply.file(p) for p in PAGES])
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert len(result.items) == 5
    assert result.stats["retry/count"] == 1


def test_malformed_page_is_rejected_and_paging_goes_on(
    replay: ReplayServer, tmp_path: Path
) -> None:
    broken = Reply(
        200, b"<html><body>Service Unavailable</body></html>", {"Content-Type": "text/html"}
    )
    replay.add(PATH, [Reply.file(PAGES[0]), broken, Reply.file(PAGES[2])])
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert any("from 4: not valid JSON" in r["reason"] for r in result.rejected)
    # page 3 (from 8) is still read
    assert "PD-27-1491" in result.ids()
    assert "PAR-26-114" not in result.ids()


def test_in_band_service_error_is_rejected(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, Reply.file(FIXTURES / "search2_service_error.json"))
    result = _crawl(replay, tmp_path)

    assert result.code == 1  # only in-band errors: the crawl failed and is retried; rejects kept
    assert result.items == []
    assert result.rejected[0]["reason"].endswith(
        "service error: Webservice Fails: Internal error while processing search"
    )


# --- hostile input (tests/spiders/hostile.py) ---------------------------------------------
# Queries run one after the other, each sent from the previous page's callback or errback:
# every bad page or failed request below must still hand on to the next query.


def test_a_wrong_typed_field_rejects_its_record_alone(replay: ReplayServer, tmp_path: Path) -> None:
    """The bad first copy of RFA-GM-27-003 is rejected and does not hide its good copy in the
    second query; the rest of its page and the second query are kept."""
    page = json.loads(PAGES[0].read_text())
    page["data"]["oppHits"][0]["agency"] = {"name": "National Institutes of Health"}
    replay.add(PATH, [Reply.json(page), *(Reply.file(p) for p in PAGES[1:]), Reply.file(SYNBIO)])
    result = _crawl(replay, tmp_path, queries=BOTH)

    assert result.code == 0, result.log
    assert len(replay.requests) == 4
    assert sorted(result.ids()) == [
        "DE-FOA-0003512",
        "NSF 26-512",
        "NSF 27-503",
        "PAR-26-114",
        "PD-27-1491",
        "RFA-GM-27-003",
    ]
    assert [(r["reason"], r["entry"]["number"]) for r in result.rejected] == [
        (
            "malformed record: TypeError: to_unicode must receive bytes or str, got dict",
            "RFA-GM-27-003",
        ),
        ("opportunity without id, number or title", "PD-26-7777"),
    ]
    # 11 records: two off-topic, one closed before the window.
    assert result.stats["scintel/not_relevant"] == 2
    assert result.stats["scintel/out_of_window"] == 1
    assert_accounted(result, received=11 - 3)


def test_an_unreadable_hit_count_keeps_the_page_and_ends_its_query_with_a_reject(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """Without a total the query's other pages are unknown: its records are kept, the stop is
    a reject, and the next query still runs (the count used to crash the callback)."""
    page = json.loads(PAGES[0].read_text())
    page["data"]["hitCount"] = "nine"
    replay.add(PATH, [Reply.json(page), Reply.file(SYNBIO)])
    result = _crawl(replay, tmp_path, queries=BOTH)

    assert result.code == 0, result.log
    assert len(replay.requests) == 2
    assert sorted(result.ids()) == ["DE-FOA-0003512", "NSF 26-512", "NSF 27-503", "RFA-GM-27-003"]
    assert [r["reason"] for r in result.rejected] == [
        "query 'biotechnology' from 0: no readable `hitCount`; paging stops"
    ]


def test_a_truncated_page_is_skipped_and_the_next_query_runs(
    replay: ReplayServer, tmp_path: Path
) -> None:
    replay.add(
        PATH,
        [
            Reply.file(PAGES[0]),
            truncated(Reply.file(PAGES[1])),
            Reply.file(PAGES[2]),
            Reply.file(SYNBIO),
        ],
    )
    result = _crawl(replay, tmp_path, queries=BOTH)

    assert result.code == 0, result.log
    assert len(replay.requests) == 4
    assert sorted(result.ids()) == [
        "DE-FOA-0003512",
        "NSF 26-512",
        "NSF 27-503",
        "PD-27-1491",
        "RFA-GM-27-003",
    ]
    [reject] = result.rejected
    assert reject["reason"].startswith("query 'biotechnology' from 4: not valid JSON")


def test_an_in_band_error_costs_its_query_only(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, [Reply.file(SERVICE_ERROR), Reply.file(SYNBIO)])
    result = _crawl(replay, tmp_path, queries=BOTH)

    assert result.code == 0, result.log
    assert len(replay.requests) == 2
    assert sorted(result.ids()) == ["NSF 27-503", "RFA-GM-27-003"]
    assert [r["reason"] for r in result.rejected] == [
        "query 'biotechnology' from 0: service error: "
        "Webservice Fails: Internal error while processing search"
    ]
    assert result.stats["scintel/bad_pages"] == 1


def test_a_gzip_bomb_is_refused_as_a_failed_crawl(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, gzip_bomb())
    result = _crawl(replay, tmp_path, settings=SMALL_MAXSIZE)
    assert_failed_with_reject(result, "download failed")
    assert result.items == []
    assert len(replay.requests) == 1


def test_a_failed_query_does_not_stop_the_next_ones(replay: ReplayServer, tmp_path: Path) -> None:
    """A request that fails for good (here a bomb refused mid-query) is a reject; its query
    goes on a page further and the next query is still sent."""
    replay.add(PATH, [Reply.file(PAGES[0]), gzip_bomb(), Reply.file(PAGES[2]), Reply.file(SYNBIO)])
    result = _crawl(replay, tmp_path, settings=SMALL_MAXSIZE, queries=BOTH)

    assert result.code == 0, result.log
    assert len(replay.requests) == 4
    assert sorted(result.ids()) == [
        "DE-FOA-0003512",
        "NSF 26-512",
        "NSF 27-503",
        "PD-27-1491",
        "RFA-GM-27-003",
    ]
    [reject] = result.rejected
    assert reject["reason"].startswith("download failed")
    assert result.stats["scintel/failed_requests"] == 1


def test_a_redirect_loop_fails_its_query_and_the_next_one_runs(
    replay: ReplayServer, tmp_path: Path
) -> None:
    replay.add(PATH, [redirect(f"{PATH}?loop=1"), Reply.file(SYNBIO)])
    replay.add(PATH, redirect(PATH), {"loop": "1"})
    result = _crawl(replay, tmp_path, queries=BOTH)

    assert result.code == 0, result.log
    assert replay.requests == [PATH, f"{PATH}?loop=1", PATH]
    assert sorted(result.ids()) == ["NSF 27-503", "RFA-GM-27-003"]
    [reject] = result.rejected
    assert reject["reason"].startswith("download failed: redirect loop back to")


def _endless(pages: int) -> list[Reply]:
    """Page 1 again and again with new ids, under a hitCount that never runs out."""
    page = json.loads(PAGES[0].read_text())
    page["data"]["hitCount"] = 1_000_000
    originals = [(hit["id"], hit["number"]) for hit in page["data"]["oppHits"]]
    replies = []
    for n in range(pages):
        for hit, (opp_id, number) in zip(page["data"]["oppHits"], originals, strict=True):
            hit["id"], hit["number"] = f"{opp_id}{n:02d}", f"{number}-{n}"
        replies.append(Reply.json(page))
    return replies


def test_endless_paging_is_capped_per_query_and_the_next_query_runs(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """A hitCount that never runs out costs `max_pages` pages and one reject naming the
    query; the pages before the cap are kept and the next query is still sent."""
    replay.add(PATH, [*_endless(3), Reply.file(SYNBIO)])
    result = _crawl(replay, tmp_path, queries=BOTH, keywords=[], max_pages=3)

    assert result.code == 0, result.log
    assert len(replay.requests) == 4
    assert [r["reason"] for r in result.rejected] == [
        "page cap reached: query 'biotechnology' offers more than 3 pages; the rest is not "
        "fetched (narrow the query or raise max_pages)"
    ]
    numbers = [hit["number"] for hit in json.loads(PAGES[0].read_text())["data"]["oppHits"]]
    assert sorted(result.ids()) == sorted(
        [f"{number}-{n}" for number in numbers for n in range(3)] + ["NSF 27-503", "RFA-GM-27-003"]
    )
    assert_accounted(result, received=3 * len(numbers) + 2)
