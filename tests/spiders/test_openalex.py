"""OpenAlex: works with cursor paging, rebuilt abstracts, awards, ROR affiliations, the API key."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import FIXTURES
from hostile import (
    SMALL_MAXSIZE,
    assert_accounted,
    assert_failed_with_reject,
    assert_no_secret,
    gzip_bomb,
    page_rejects,
    record_rejects,
    redirect,
    silent_server,
    truncated,
)

from scintel.replay import ReplayServer, Reply
from scintel.testing import CrawlResult, run_spider

SLUG = "openalex"
PATH = "/works"
KEY = "oa-test-key-5f3c2a"
C2 = "IlsxNzM2MTI4MDAwMDAwLCAnaHR0cHM6Ly9vcGVuYWxleC5vcmcvVzQ0MTAwMTIzOTknXSI="
C3 = "IlsxNzM2NDcwNDAwMDAwLCAnaHR0cHM6Ly9vcGVuYWxleC5vcmcvVzQ0MTAwMTI0MjAnXSI="
SPEC = {"search": "biocatalysis OR biorefinery", "per_page": 3}
PAGE1, PAGE2, LAST = (FIXTURES / SLUG / n for n in ("page1.json", "page2.json", "page3_last.json"))


def serve(replay: ReplayServer, first=None, second=None) -> None:
    replay.add(PATH, first or [Reply.file(PAGE1)], {"cursor": "*"})
    replay.add(PATH, second or [Reply.file(PAGE2)], {"cursor": C2})
    replay.add(PATH, Reply.file(LAST), {"cursor": C3})


def crawl(
    replay: ReplayServer | str,
    out: Path,
    key: str = KEY,
    spec: dict | None = None,
    settings: dict[str, str] | None = None,
) -> CrawlResult:
    url = replay if isinstance(replay, str) else replay.url
    return run_spider(SLUG, url, out, "2026-01-05", "2026-01-09", spec or SPEC, settings,
                      env={"SCINTEL_OPENALEX_KEY": key})  # fmt: skip


def test_works_fields_paging_and_key(replay: ReplayServer, tmp_path: Path) -> None:
    serve(replay)
    result = crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert result.ids() == ["W4410012345", "W4410012377", "W4410012399", "W4410012401"]
    queries = [parse_qs(urlsplit(r).query) for r in replay.requests]
    assert [q["cursor"][0] for q in queries] == ["*", C2, C3]
    assert queries[0]["filter"] == [
        "from_publication_date:2026-01-05,to_publication_date:2026-01-09"
    ]
    assert queries[0]["search"] == ["biocatalysis OR biorefinery"] and queries[0]["per_page"] == [
        "3"
    ]
    assert all(q["api_key"] == [KEY] for q in queries)

    work = result.item("W4410012345")
    assert (
        work["title"]
        == "Machine-learning-guided engineering of PET hydrolases for depolymerisation at 50 °C"
    )
    assert work["summary"].startswith(
        "Enzymatic recycling of poly(ethylene terephthalate) needs hydrolases"
    )
    assert work["summary"].endswith("post-consumer PET in 24 h at 50 °C.")
    assert work["doi"] == "10.1038/s41929-026-01402-7" and work["pmid"] == "41200001"
    assert work["journal"] == "Nature Catalysis" and work["published"] == "2026-01-06"
    assert work["authors"] == ["Kasper Mikkelsen", "Eva Novak"]
    assert work["grants"] == [
        {"funder": "European Commission", "id": "101000696"},
        {"funder": "Novo Nordisk Fonden", "id": "NNF20CC0035580"},
    ]
    assert [(i["name"], i["ror"], i["country"]) for i in work["affiliations"]] == [
        ("Technical University of Denmark", "https://ror.org/04qtj9h94", "DK"),
        ("Novonesis (Denmark)", "https://ror.org/01b0xjd16", "DK"),
    ]
    assert work["topics"][0]["name"] == "Microplastics and Plastic Pollution"
    assert work["topics"][1]["subfield"] == "Biochemistry"
    assert work["url"] == "https://openalex.org/W4410012345"
    assert "summary" not in result.item("W4410012401")  # no abstract_inverted_index

    assert result.stats["scintel/out_of_window"] == 1  # W4410012420, 10 Jan
    [reject] = result.rejected
    assert reject["reason"] == "work lacks id or title"
    # The key never reaches stored records or logs.
    stored = (tmp_path / "raw" / "index.jsonl").read_text() + (
        tmp_path / "rejected.jsonl"
    ).read_text()
    assert KEY not in stored and "api_key=***" in stored
    assert KEY not in result.log and KEY not in (tmp_path / "items.jsonl").read_text()


def test_429_then_200(replay: ReplayServer, tmp_path: Path) -> None:
    serve(
        replay,
        second=[Reply(429, b'{"error": "rate limit"}', {"Retry-After": "1"}), Reply.file(PAGE2)],
    )
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert len(result.items) == 4
    assert result.stats["retry/count"] == 1 and result.stats["scintel/retry_after_max"] == 1.0


def test_malformed_page_is_rejected_and_the_crawl_ends_cleanly(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(
        replay, second=[Reply(200, PAGE2.read_bytes()[:4000], {"Content-Type": "application/json"})]
    )
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert result.ids() == ["W4410012345", "W4410012377", "W4410012399"]
    [reject] = result.rejected
    assert reject["reason"].startswith("not valid JSON")


def test_missing_key_skips_with_a_clear_message(replay: ReplayServer, tmp_path: Path) -> None:
    serve(replay)
    result = crawl(replay, tmp_path, key="")
    assert result.code == 3
    assert "SCINTEL_OPENALEX_KEY not set in the environment; source skipped" in result.log
    assert replay.requests == [] and result.items == []


def test_the_key_is_masked_in_scrapy_logs_and_rejects_and_never_sent_elsewhere(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """Scrapy's own retry lines name the URL; a cross-host redirect drops the key parameter."""
    serve(replay, second=[Reply(503, b"down")])
    result = crawl(replay, tmp_path / "down")
    assert "Gave up retrying" in result.log and "api_key=***" in result.log
    assert KEY not in result.log
    assert all(KEY not in json.dumps(r) for r in result.rejected) and result.rejected

    with ReplayServer() as elsewhere:
        elsewhere.add(PATH, Reply.file(LAST))
        replay.routes.clear()
        replay.add(
            PATH, Reply(301, b"", {"Location": f"{elsewhere.url}{PATH}?cursor=*&api_key={KEY}&x=1"})
        )
        moved = crawl(replay, tmp_path / "moved")
    assert elsewhere.requests and all(
        KEY not in r and "api_key" not in r for r in elsewhere.requests
    )
    assert all("x=1" in r for r in elsewhere.requests)
    assert KEY not in moved.log


# --- hostile input (tests/spiders/hostile.py); each also checks the key stays home ---------


def test_a_wrong_typed_field_rejects_that_work_alone(replay: ReplayServer, tmp_path: Path) -> None:
    page = json.loads(PAGE1.read_text("utf-8"))
    page["results"][0]["authorships"] = "Kasper Mikkelsen, Eva Novak"
    serve(replay, first=[Reply.json(page)])
    result = crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert result.ids() == ["W4410012377", "W4410012399", "W4410012401"]
    assert [r["reason"] for r in record_rejects(result)] == [
        "malformed record: AttributeError: 'str' object has no attribute 'get'",
        "work lacks id or title",
    ]
    assert_accounted(result, received=6 - 1)  # W4410012420 is outside the window
    assert_no_secret(result, [KEY])


def test_a_meta_that_is_no_object_keeps_the_page_and_stops_paging(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """It used to crash the callback and lose the page's works."""
    page = json.loads(PAGE1.read_text("utf-8"))
    page["meta"] = "next_cursor=abc"
    serve(replay, first=[Reply.json(page)])
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert result.ids() == ["W4410012345", "W4410012377", "W4410012399"]
    assert [r["reason"] for r in page_rejects(result)] == [
        "response meta is not an object; paging stops"
    ]
    assert len(replay.requests) == 1


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (truncated(Reply.file(PAGE1)), "not valid JSON"),
        (  # OpenAlex's error body, answered with HTTP 200
            Reply.json({"error": "Invalid query parameters error.", "message": "bad cursor"}),
            "response has no results list",
        ),
        (gzip_bomb(), "download failed"),
    ],
    ids=["truncated", "in-band-error", "gzip-bomb"],
)
def test_a_bad_first_page_is_a_reject_and_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path, reply: Reply, reason: str
) -> None:
    serve(replay, first=[reply])
    result = crawl(replay, tmp_path, settings=SMALL_MAXSIZE)

    assert_failed_with_reject(result, reason)
    assert result.items == [] and len(result.rejected) == 1
    assert_no_secret(result, [KEY])


def test_paging_past_the_page_cap_is_a_reject_and_the_crawl_keeps_its_items(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """A server that always offers another cursor costs one query, not the crawl."""
    page = json.loads(PAGE1.read_text("utf-8"))
    replies = []
    for n in range(10):
        page["meta"]["next_cursor"] = f"cursor-{n}"
        replies.append(Reply.json(page))
    replay.add(PATH, replies)
    result = crawl(replay, tmp_path, spec=SPEC | {"max_pages": 3})

    assert result.code == 0, result.log
    assert len(replay.requests) == 3
    assert [r["reason"] for r in result.rejected] == [
        "page cap reached: the search 'biocatalysis OR biorefinery' with filter "
        "from_publication_date:2026-01-05,to_publication_date:2026-01-09 offers more than "
        "3 pages; the rest is not fetched (narrow the query or raise max_pages)"
    ]
    assert_accounted(result, received=3 * 3)
    assert_no_secret(result, [KEY])


def test_a_redirect_loop_is_a_reject_and_the_key_is_not_in_it(
    replay: ReplayServer, tmp_path: Path
) -> None:
    replay.add(PATH, redirect(f"{PATH}?hop=a&api_key={KEY}"), {"cursor": "*"})
    replay.add(PATH, redirect(f"{PATH}?hop=b&api_key={KEY}"), {"hop": "a"})
    replay.add(PATH, redirect(f"{PATH}?hop=a&api_key={KEY}"), {"hop": "b"})
    result = crawl(replay, tmp_path)

    assert_failed_with_reject(result, "download failed: redirect loop back to")
    assert len(replay.requests) == 3
    assert_no_secret(result, [KEY])


def test_a_timeout_is_a_reject_without_the_key(tmp_path: Path) -> None:
    """Scrapy's timeout message names the whole URL, key included."""
    with silent_server() as url:
        result = crawl(url, tmp_path, settings={"DOWNLOAD_TIMEOUT": "1", "RETRY_TIMES": "0"})

    assert_failed_with_reject(result, "took longer than 1.0 seconds")
    assert "api_key=***" in result.rejected[0]["reason"]
    assert_no_secret(result, [KEY])


def test_a_real_works_institutions_are_its_affiliations_once_each() -> None:
    """W2741809807 as the API gives it (fixtures/openalex/README.md): nine authors, fifteen
    institution entries, eight institutions; each keeps its ROR and country (the Public
    Knowledge Project has none) for the impact step's organisation identity."""
    from scintel.spiders.spiders.openalex import _affiliations

    work = json.loads((FIXTURES / SLUG / "work_W2741809807.json").read_text("utf-8"))
    assert sum(len(a["institutions"]) for a in work["authorships"]) == 15
    found = _affiliations(work)
    assert [(a["name"], a["ror"], a.get("country")) for a in found] == [
        ("Impact Technology Development (United States)", "https://ror.org/05ppvf150", "US"),
        ("Université de Montréal", "https://ror.org/0161xgx34", "CA"),
        ("Université du Québec à Montréal", "https://ror.org/002rjbv21", "CA"),
        ("Simon Fraser University", "https://ror.org/0213rcc28", "CA"),
        ("Public Knowledge Project", "https://ror.org/05ek4tb53", None),
        ("University of Washington", "https://ror.org/00cvxb145", "US"),
        ("Seattle University", "https://ror.org/02jqc0m91", "US"),
        ("University of Ottawa", "https://ror.org/03c4mmv16", "CA"),
    ]
    assert found[1]["openalex_id"] == "I70931966"
