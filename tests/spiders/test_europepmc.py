"""Europe PMC: core results, cursorMark paging, grants, window, retries, bad pages."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from conftest import FIXTURES
from hostile import (
    SMALL_MAXSIZE,
    assert_accounted,
    assert_failed_with_reject,
    gzip_bomb,
    redirect,
    truncated,
)

from scintel.replay import ReplayServer, Reply
from scintel.testing import run_spider

SLUG = "europepmc"
PATH = "/europepmc/webservices/rest/search"
CURSOR2, CURSOR3 = "AoJwgOn4pZcDPwBNRUQ6NDEyMzQ1MDc=", "AoJwgOHw8ZcDPwBNRUQ6NDEyMzQ1MzM="
SPEC = {"query": "transaminase OR biocatalysis", "page_size": 3}
PAGE1, PAGE2, LAST = (FIXTURES / SLUG / n for n in ("page1.json", "page2.json", "page3_last.json"))
CORE = FIXTURES / SLUG / "core_real_trimmed.json"  # real records, see the folder's README


def serve(
    replay: ReplayServer, first: list[Reply] | None = None, second: list[Reply] | None = None
) -> None:
    replay.add(PATH, first or [Reply.file(PAGE1)], {"cursorMark": "*"})
    replay.add(PATH, second or [Reply.file(PAGE2)], {"cursorMark": CURSOR2})
    replay.add(PATH, Reply.file(LAST), {"cursorMark": CURSOR3})


def crawl(replay: ReplayServer, tmp_path: Path):
    return run_spider(SLUG, replay.url, tmp_path, "2026-01-05", "2026-01-11", SPEC)


def test_items_fields_and_paging_to_the_unchanged_cursor(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(replay)
    result = crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert result.ids() == ["MED:41234501", "PPR:PPR1001234", "MED:41234507", "MED:41234533"]
    paper = result.item("MED:41234501")
    assert paper["title"] == (
        "Engineering an (R)-selective amine transaminase for 40-fold higher activity on bulky ketones"
    )
    assert paper["summary"].startswith("Background Chiral amines are building blocks")
    assert "a 40-fold higher kcat on 1-indanone" in paper["summary"] and "<" not in paper["summary"]
    assert paper["doi"] == "10.1038/s41467-026-40112-3"
    assert paper["pmid"] == "41234501"
    assert paper["pmcid"] == "PMC11900011"
    assert paper["journal"] == "Nature communications"
    assert paper["authors"] == ["Rossi M", "Jensen K", "van der Berg P"]
    assert paper["published"] == "2026-01-07"
    assert paper["grants"] == [
        {"funder": "European Commission", "id": "101000794"},
        {"funder": "Biotechnology and Biological Sciences Research Council", "id": "BB/T010495/1"},
    ]
    assert paper["url"] == "https://europepmc.org/article/MED/41234501"
    assert paper["kind"] == "publication" and paper["source"] == "europepmc"
    assert Path(paper["raw_ref"]).is_file()

    preprint = result.item("PPR:PPR1001234")
    assert preprint["journal"] == "bioRxiv" and preprint["preprint"] is True
    assert (
        preprint["title"]
        == "A modular CRISPRi toolkit for Corynebacterium glutamicum cell factories"
    )
    assert preprint["grants"] == [{"funder": "European Commission", "id": "862087"}]
    assert "summary" not in result.item("MED:41234507")

    # Three pages: the last one is empty and repeats the cursor, which ends the crawl.
    cursors = [parse_qs(urlsplit(r).query)["cursorMark"][0] for r in replay.requests]
    assert cursors == ["*", CURSOR2, CURSOR3]
    query = parse_qs(urlsplit(replay.requests[0]).query)
    assert query["query"] == [
        "(transaminase OR biocatalysis) AND (FIRST_PDATE:[2026-01-05 TO 2026-01-11])"
    ]
    assert (
        query["resultType"] == ["core"]
        and query["format"] == ["json"]
        and query["pageSize"] == ["3"]
    )
    assert len(result.raw_index()) == 3


def test_window_filter_and_entry_without_title_rejected(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(replay)
    result = crawl(replay, tmp_path)

    assert "MED:41230010" not in result.ids()  # published 2025-12-20, before the window
    assert result.stats["scintel/out_of_window"] == 1
    [reject] = result.rejected
    assert reject["reason"] == "entry lacks id, source or title"
    assert reject["entry"]["id"] == "41234520"
    assert Path(reject["raw_ref"]).read_bytes() == PAGE2.read_bytes()
    assert result.stats["scintel/items"] == 4 and result.stats["scintel/rejected"] == 1


def test_429_then_200_waits_retry_after(replay: ReplayServer, tmp_path: Path) -> None:
    serve(replay, first=[Reply(429, b"Too Many Requests", {"Retry-After": "1"}), Reply.file(PAGE1)])
    result = crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert len(result.items) == 4
    assert result.stats["retry/count"] == 1
    assert result.stats["scintel/retry_after_max"] == 1.0
    assert [r["status"] for r in result.raw_index()][:2] == [429, 200]


def test_malformed_page_is_kept_and_asked_again(replay: ReplayServer, tmp_path: Path) -> None:
    html = b"<html><body><h1>502 Proxy Error</h1></body></html>"
    serve(replay, second=[Reply(200, html, {"Content-Type": "text/html"}), Reply.file(PAGE2)])
    result = crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert len(result.items) == 4
    bad = [r for r in result.rejected if r["reason"].startswith("not valid JSON")]
    assert len(bad) == 1 and bad[0]["reason"].endswith("retrying")
    assert Path(bad[0]["raw_ref"]).read_bytes() == html
    assert "cursorMark=" in bad[0]["url"]


def test_page_without_result_list_gives_up_after_retries(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(replay, second=[Reply.json({"version": "6.9"})])
    result = crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert result.ids() == ["MED:41234501", "PPR:PPR1001234", "MED:41234507"]
    reasons = [r["reason"] for r in result.rejected]
    assert reasons == ["response has no resultList; retrying"] * 2 + [
        "response has no resultList; giving up on this source"
    ]


def test_lite_results_keep_the_flat_journal_title(replay: ReplayServer, tmp_path: Path) -> None:
    lite = {  # resultType=lite: journalTitle and pubYear instead of journalInfo
        "version": "6.9",
        "hitCount": 1,
        "nextCursorMark": "AoIIP4AAACgzOTcwOTIwOQ==",
        "request": {"queryString": "transaminase", "resultType": "lite", "cursorMark": "*"},
        "resultList": {
            "result": [
                {
                    "id": "41230001",
                    "source": "MED",
                    "pmid": "41230001",
                    "doi": "10.1002/bit.70001",
                    "title": "Transaminase cascades in flow.",
                    "authorString": "Rossi M, Jensen K.",
                    "journalTitle": "Biotechnol Bioeng",
                    "pubYear": "2026",
                    "pubType": "journal article",
                    "isOpenAccess": "N",
                    "firstPublicationDate": "2026-01-07",
                }
            ]
        },
    }
    replay.add(PATH, Reply.json(lite), {"cursorMark": "*"})
    replay.add(
        PATH,
        Reply.json(lite | {"resultList": {"result": []}}),
        {"cursorMark": lite["nextCursorMark"]},
    )
    result = crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert result.item("MED:41230001")["journal"] == "Biotechnol Bioeng"


def test_a_wrong_typed_field_rejects_that_record_alone(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """A record whose field has an unexpected type is a reject with its reason; the next
    record of the page, and the next pages, still arrive (it used to cost the rest)."""
    page = json.loads(PAGE1.read_text("utf-8"))
    records = page["resultList"]["result"]
    assert len(records) >= 2
    records[0]["keywordList"] = "not an object"
    serve(
        replay, first=[Reply(200, json.dumps(page).encode(), {"Content-Type": "application/json"})]
    )
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert result.ids() == ["PPR:PPR1001234", "MED:41234507", "MED:41234533"]
    malformed = [
        r for r in result.rejected if r["reason"].startswith("malformed record: AttributeError")
    ]
    assert len(malformed) == 1 and malformed[0]["entry"]["id"] == records[0]["id"]
    assert result.stats["scintel/malformed_records"] == 1


def test_a_server_that_always_offers_another_page_is_stopped(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """Nothing is unbounded: after CLOSESPIDER_PAGECOUNT pages the crawl ends as failed."""
    page = json.loads(PAGE1.read_text("utf-8"))
    replies = []
    for n in range(60):
        page["nextCursorMark"] = f"cursor-{n}"
        replies.append(Reply(200, json.dumps(page).encode(), {"Content-Type": "application/json"}))
    replay.add(PATH, replies)
    result = run_spider(SLUG, replay.url, tmp_path, "2026-01-05", "2026-01-11", SPEC,
                        settings={"CLOSESPIDER_PAGECOUNT": "12"})  # fmt: skip
    assert result.code == 1, result.log
    assert result.stats["finish_reason"] == "closespider_pagecount"
    assert 12 <= len(replay.requests) <= 14


# --- hostile input (tests/spiders/hostile.py) ---------------------------------------------


def test_a_gzip_bomb_is_refused_as_a_failed_crawl(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, gzip_bomb(), {"cursorMark": "*"})
    result = run_spider(SLUG, replay.url, tmp_path, "2026-01-05", "2026-01-11", SPEC,
                        settings=SMALL_MAXSIZE)  # fmt: skip
    assert_failed_with_reject(result, "download failed")
    assert result.items == []


def test_a_truncated_page_is_a_reject_and_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(replay, first=[truncated(Reply.file(PAGE1))])
    result = crawl(replay, tmp_path)
    assert_failed_with_reject(result, "not valid JSON")


def test_a_redirect_loop_is_a_reject_not_a_silent_end(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, redirect(f"{PATH}?loop=1"), {"cursorMark": "*"})
    replay.add(PATH, redirect(f"{PATH}?cursorMark=*&query=x"), {"loop": "1"})
    result = crawl(replay, tmp_path)
    assert_failed_with_reject(result, "redirect loop")
    assert len(replay.requests) <= 6


def test_paging_past_the_page_cap_is_a_reject_and_the_crawl_keeps_its_items(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """The cap is per query: pages before it are kept, the rest is one reject naming it."""
    page = json.loads(PAGE1.read_text("utf-8"))
    replies = []
    for n in range(10):
        page["nextCursorMark"] = f"cursor-{n}"
        replies.append(Reply(200, json.dumps(page).encode(), {"Content-Type": "application/json"}))
    replay.add(PATH, replies)
    result = run_spider(SLUG, replay.url, tmp_path, "2026-01-05", "2026-01-11",
                        SPEC | {"max_pages": 3})  # fmt: skip
    assert result.code == 0, result.log
    assert len(replay.requests) == 3
    assert [r["reason"] for r in result.rejected if "page cap" in r["reason"]]
    assert_accounted(result, received=3 * len(page["resultList"]["result"]))


def test_a_real_core_page_keeps_the_authors_affiliations(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """resultType=core on real records (fixtures/europepmc/README.md): each author's
    affiliation string gives its organisation and country, once per publication; an
    e-mail, a ';'-joined second affiliation and a 'Republic of Korea' are read right."""
    page = json.loads(CORE.read_text("utf-8"))
    replay.add(PATH, Reply.file(CORE), {"cursorMark": "*"})
    replay.add(
        PATH,
        Reply.json(page | {"resultList": {"result": []}}),
        {"cursorMark": page["nextCursorMark"]},
    )
    result = run_spider(SLUG, replay.url, tmp_path, "2025-06-01", "2025-12-31", {"query": "cancer"})

    assert result.code == 0, result.log
    assert sorted(result.ids()) == ["MED:39709208", "MED:39709209", "MED:40377773", "MED:40506198"]
    found = {
        i: result.item(f"MED:{i}")["affiliations"] for i in ("39709209", "40506198", "40377773")
    }
    assert found["39709209"] == [  # "... Boston, MA, USA. Electronic address: ...@partners.org."
        {"name": "Brigham and Women's Hospital", "country": "US"},
        {"name": "Dana-Farber Cancer Institute", "country": "US"},
    ]
    assert [(a["name"], a["country"]) for a in found["40506198"]] == [
        ("King Hussein Cancer Center", "JO"),
        ("University of Jordan", "JO"),  # after '; School of Medicine, '
        ("Jordan University Hospital", "JO"),
        ("Queen Rania Abdulla Children's Hospital", "JO"),
    ]
    singapore = {(a["name"], a["country"]) for a in found["40377773"]}
    assert ("National University of Singapore", "SG") in singapore
    assert ("Yonsei University College of Medicine", "KR") in singapore
    assert ("University of Leeds", "GB") in singapore and len(found["40377773"]) == 18
    assert result.item("MED:39709208")["affiliations"] == []  # an erratum without authors
