"""eu_funding: SEDIA search API pages replayed through the real downloader."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hostile import (
    SMALL_MAXSIZE,
    assert_accounted,
    assert_failed_with_reject,
    gzip_bomb,
    page_rejects,
    record_rejects,
    redirect,
    truncated,
)

from scintel.replay import ReplayServer, Reply
from scintel.testing import CrawlResult, run_spider

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "eu_funding"
PATH = "/search-api/prod/rest/search"
SPEC = {"page_size": 3}


def _serve(server: ReplayServer, page2: list[Reply] | None = None) -> None:
    server.add(PATH, Reply.file(FIXTURES / "search_page1.json"), {"pageNumber": "1"})
    server.add(PATH, page2 or Reply.file(FIXTURES / "search_page2.json"), {"pageNumber": "2"})
    server.add(PATH, Reply.file(FIXTURES / "search_page3.json"), {"pageNumber": "3"})


def _crawl(
    server: ReplayServer,
    tmp_path: Path,
    since: str = "2026-11-01",
    until: str = "2026-11-25",
    **spec,
) -> CrawlResult:
    return run_spider("eu_funding", server.url, tmp_path, since, until, SPEC | spec)


def _payload(identifier: str) -> dict:
    for page in ("search_page1.json", "search_page2.json", "search_page3.json"):
        for result in json.loads((FIXTURES / page).read_text())["results"]:
            if result["metadata"]["identifier"] == [identifier] and result["language"] == "en":
                return result
    raise KeyError(identifier)


def test_items_follow_the_payload(replay: ReplayServer, tmp_path: Path) -> None:
    _serve(replay)
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == [
        "HORIZON-CL4-2027-RESILIENCE-01-21",
        "HORIZON-CL6-2027-01-CIRCBIO-04",
        "HORIZON-EIC-2027-PATHFINDERCHALLENGES-01-03",
        "HORIZON-JU-CBE-2027-IA-02",
        "LIFE-2027-SAP-ENV-BIOECON",
    ]
    # three pages for totalResults 8 at pageSize 3, then no more
    assert sorted(p.split("pageNumber=")[1] for p in replay.requests) == ["1", "2", "3"]

    circbio = result.item("HORIZON-CL6-2027-01-CIRCBIO-04")
    payload = _payload("HORIZON-CL6-2027-01-CIRCBIO-04")["metadata"]
    assert circbio["kind"] == "funding_call"
    assert circbio["title"] == payload["title"][0]
    assert circbio["identifier"] == payload["identifier"][0]
    assert circbio["status"] == "open"  # 31094502
    assert circbio["programme"] == "Horizon Europe"
    assert circbio["opening_date"] == payload["startDate"][0][:10] == "2026-09-16"
    # two-stage: both deadlines kept, the next one exposed
    assert (
        circbio["deadlines"]
        == [d[:10] for d in payload["deadlineDate"]]
        == ["2027-02-17", "2027-09-08"]
    )
    assert circbio["deadline"] == "2027-02-17"
    assert circbio["deadline_model"] == "two-stage"
    assert circbio["budget_eur"] == "15000000.00"
    assert circbio["call_identifier"] == "HORIZON-CL6-2027-01"
    assert circbio["url"].endswith("/topic-details/HORIZON-CL6-2027-01-CIRCBIO-04")
    assert "Corynebacterium glutamicum" in circbio["summary"]
    assert ">30% lower greenhouse gas" in circbio["summary"]
    assert "<" not in circbio["summary"]
    assert circbio["raw_ref"]

    cbe = result.item("HORIZON-JU-CBE-2027-IA-02")
    assert cbe["status"] == "forthcoming"  # 31094501
    assert cbe["programme"] == "Circular Bio-based Europe Joint Undertaking"
    # the call's overview also budgets IA-01: only this topic's years are summed
    assert cbe["budget_eur"] == "20000000.00"
    assert "budget_eur" not in result.item("HORIZON-CL4-2027-RESILIENCE-01-21")
    assert result.item("LIFE-2027-SAP-ENV-BIOECON")["programme"] == "LIFE Programme"

    # the German copy of CIRCBIO-04 collapses into the English one;
    # the entry without an identifier is rejected
    assert result.ids().count("HORIZON-CL6-2027-01-CIRCBIO-04") == 1
    assert [r["reason"] for r in result.rejected] == ["result without identifier or title"]
    assert result.stats["scintel/rejected"] == 1


def test_window_drops_calls_closed_before_it_and_moves_the_next_deadline(
    replay: ReplayServer, tmp_path: Path
) -> None:
    _serve(replay)
    early = _crawl(replay, tmp_path / "early", since="2026-10-01", until="2026-10-31")
    late = _crawl(replay, tmp_path / "late", since="2027-03-01", until="2027-03-07")

    # FARM2FORK-07 closed on 2026-10-15: inside the first window, before the second
    assert "HORIZON-CL6-2026-02-FARM2FORK-07" in early.ids()
    assert "HORIZON-CL6-2026-02-FARM2FORK-07" not in late.ids()
    assert late.stats["scintel/out_of_window"] >= 2
    # after the first stage closed, the second stage is the next deadline
    assert late.item("HORIZON-CL6-2027-01-CIRCBIO-04")["deadline"] == "2027-09-08"
    assert early.item("HORIZON-CL6-2027-01-CIRCBIO-04")["deadline"] == "2027-02-17"


def test_keywords_keep_only_the_field(replay: ReplayServer, tmp_path: Path) -> None:
    _serve(replay)
    result = _crawl(replay, tmp_path, keywords=["enzym", "biocatal"])
    assert sorted(result.ids()) == [
        "HORIZON-CL4-2027-RESILIENCE-01-21",
        "HORIZON-JU-CBE-2027-IA-02",
    ]
    assert result.stats["scintel/not_relevant"] == 3


def test_429_then_200_is_retried(replay: ReplayServer, tmp_path: Path) -> None:
    busy = Reply(
        429,
        b'{"message":"Too Many Requests"}',
        {"Retry-After": "1", "Content-Type": "application/json"},
    )
    _serve(replay, page2=[busy, Reply.file(FIXTURES / "search_page2.json")])
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert "HORIZON-EIC-2027-PATHFINDERCHALLENGES-01-03" in result.ids()
    assert result.stats["retry/count"] == 1
    assert result.stats["scintel/retry_after_max"] == 1
    assert [p.split("pageNumber=")[1] for p in replay.requests].count("2") == 2


def test_malformed_page_is_rejected_and_the_crawl_goes_on(
    replay: ReplayServer, tmp_path: Path
) -> None:
    _serve(replay, page2=[Reply.file(FIXTURES / "search_gateway_error.html")])
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    reasons = [r["reason"] for r in result.rejected]
    assert any(r.startswith("page 2: not valid JSON") for r in reasons)
    bad = next(r for r in result.rejected if r["reason"].startswith("page 2"))
    assert (
        Path(bad["raw_ref"]).read_bytes() == (FIXTURES / "search_gateway_error.html").read_bytes()
    )
    # pages 1 and 3 still yield their calls
    assert "LIFE-2027-SAP-ENV-BIOECON" in result.ids()
    assert "HORIZON-CL6-2027-01-CIRCBIO-04" in result.ids()


def test_empty_answer_ends_after_one_page(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, Reply.file(FIXTURES / "search_empty.json"))
    result = _crawl(replay, tmp_path)
    assert result.code == 0
    assert result.items == [] and result.rejected == []
    assert len(replay.requests) == 1


# --- hostile input (tests/spiders/hostile.py) ---------------------------------------------

PAGE1 = FIXTURES / "search_page1.json"
PAGE1_IDS = [
    "HORIZON-CL6-2027-01-CIRCBIO-04",
    "HORIZON-JU-CBE-2027-IA-02",
    "HORIZON-CL4-2027-RESILIENCE-01-21",
]


def _page1(mutate: Callable[[dict[str, Any]], None]) -> Reply:
    """Page 1 of the real answer, changed by `mutate`."""
    page = json.loads(PAGE1.read_text("utf-8"))
    mutate(page)
    return Reply.json(page)


def _second_result(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    """A page mutation: one page of three results (no paging), the second one changed."""

    def mutate(page: dict[str, Any]) -> None:
        page["totalResults"] = 3
        change(page["results"][1]["metadata"])

    return mutate


def _budget_map_as_list(metadata: dict[str, Any]) -> None:
    overview = json.loads(metadata["budgetOverview"][0])
    overview["budgetTopicActionMap"] = list(overview["budgetTopicActionMap"].values())
    metadata["budgetOverview"] = [json.dumps(overview)]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda m: m.update(deadlineDate=20270918),
            "malformed record: TypeError: 'int' object is not iterable",
        ),
        (
            _budget_map_as_list,
            "malformed record: AttributeError: 'list' object has no attribute 'values'",
        ),
    ],
    ids=["deadline-not-a-list", "budget-map-a-list"],
)
def test_a_wrong_typed_field_is_a_reject_and_the_rest_of_the_page_is_kept(
    replay: ReplayServer,
    tmp_path: Path,
    change: Callable[[dict[str, Any]], None],
    reason: str,
) -> None:
    replay.add(PATH, _page1(_second_result(change)), {"pageNumber": "1"})
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert result.ids() == [PAGE1_IDS[0], PAGE1_IDS[2]]
    assert [r["reason"] for r in result.rejected] == [reason]
    assert record_rejects(result)[0]["entry"]["metadata"]["identifier"] == [PAGE1_IDS[1]]
    assert_accounted(result, received=3)


def test_a_malformed_copy_does_not_hide_a_good_copy_of_the_same_topic(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """The English copy of CIRCBIO-04 (page 1) is malformed: its German copy (page 2) is
    read, where a topic counted as seen before its fields were read was dropped."""

    def break_first(page: dict[str, Any]) -> None:
        page["results"][0]["metadata"]["deadlineDate"] = 20270217

    _serve(replay)
    replay.add(PATH, _page1(break_first), {"pageNumber": "1"})
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert "HORIZON-CL6-2027-01-CIRCBIO-04" in result.ids() and len(result.ids()) == 5
    malformed = [r for r in result.rejected if r["reason"].startswith("malformed record")]
    assert [r["entry"]["reference"] for r in malformed] == ["96682743HORIZONCL6202701CIRCBIO041en"]


def test_a_wrong_typed_total_is_a_page_reject_and_the_page_is_kept(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """Without a number of results there is no paging, but page 1's topics are still read."""
    replay.add(PATH, _page1(lambda page: page.update(totalResults="8 results")))
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert result.ids() == PAGE1_IDS and len(replay.requests) == 1
    assert [r["reason"] for r in page_rejects(result)] == [
        "page 1: totalResults is not a number: '8 results'"
    ]


def test_a_truncated_page_is_a_reject_and_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path
) -> None:
    replay.add(PATH, truncated(Reply.file(PAGE1)), {"pageNumber": "1"})
    result = _crawl(replay, tmp_path)

    assert_failed_with_reject(result, "page 1: not valid JSON")
    assert result.items == [] and len(replay.requests) == 1


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (
            Reply.json({"message": "Internal server error"}),
            "page 1: API error instead of results: Internal server error",
        ),
        (_page1(lambda page: page.pop("results")), "page 1: no `results` list in the answer"),
    ],
    ids=["gateway-error", "page-without-results"],
)
def test_an_in_band_error_is_a_page_reject_and_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path, reply: Reply, reason: str
) -> None:
    """HTTP 200 with an error object instead of results: no page, and no paging from it."""
    replay.add(PATH, reply, {"pageNumber": "1"})
    result = _crawl(replay, tmp_path)

    assert_failed_with_reject(result, reason)
    assert page_rejects(result) == result.rejected and len(result.rejected) == 1
    assert len(replay.requests) == 1


def test_a_gzip_bomb_is_refused_as_a_failed_crawl(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, gzip_bomb(), {"pageNumber": "1"})
    result = run_spider("eu_funding", replay.url, tmp_path, "2026-11-01", "2026-11-25", SPEC,
                        settings=SMALL_MAXSIZE)  # fmt: skip

    assert_failed_with_reject(result, "download failed")
    assert result.items == []


@pytest.mark.parametrize(
    ("max_pages", "cap"), [(None, 50), (2, 2)], ids=["settings-default", "profile"]
)
def test_endless_paging_stops_at_the_page_cap_with_a_reject(
    replay: ReplayServer, tmp_path: Path, max_pages: int | None, cap: int
) -> None:
    """A server that claims a million results is asked for `cap` pages: the profile's
    max_pages, else EuFundingSettings' default; the rest is one reject naming the search."""
    replay.add(PATH, _page1(lambda page: page.update(totalResults=1_000_000)))
    spec = {"max_pages": max_pages} if max_pages else {}
    result = _crawl(replay, tmp_path, **spec)

    assert result.code == 0, result.log
    assert sorted(int(p.split("pageNumber=")[1]) for p in replay.requests) == list(
        range(1, cap + 1)
    )
    assert [r["reason"] for r in result.rejected] == [
        f"page cap reached: the search '***' offers more than {cap} pages; the rest is not "
        "fetched (narrow the query or raise max_pages)"
    ]
    assert sorted(result.ids()) == sorted(PAGE1_IDS)  # every page repeats page 1's topics


def test_a_redirect_loop_is_a_reject_not_a_silent_end(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, redirect(f"{PATH}?loop=1"), {"pageNumber": "1"})
    replay.add(PATH, redirect(f"{PATH}?loop=2"), {"loop": "1"})
    replay.add(PATH, redirect(f"{PATH}?loop=1"), {"loop": "2"})
    result = _crawl(replay, tmp_path)

    assert_failed_with_reject(result, "redirect loop")
    assert result.items == [] and len(replay.requests) == 3
