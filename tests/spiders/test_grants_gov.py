"""grants_gov: search2 pages replayed through the real downloader."""

from __future__ import annotations

import json
from pathlib import Path

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


def _crawl(
    server: ReplayServer,
    tmp_path: Path,
    since: str = "2026-11-01",
    until: str = "2026-11-25",
    **spec,
) -> CrawlResult:
    return run_spider("grants_gov", server.url, tmp_path, since, until, SPEC | spec)


def _hit(number: str) -> dict:
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
