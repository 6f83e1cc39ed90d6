"""eu_funding: SEDIA search API pages replayed through the real downloader."""

from __future__ import annotations

import json
from pathlib import Path

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
