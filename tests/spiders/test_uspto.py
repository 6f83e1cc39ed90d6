"""USPTO ODP: CPC query per date field, offset paging, publications per stage, rejects, key."""

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

from scintel.replay import ReplayServer, Reply, sample_dir
from scintel.spiders.spiders.uspto import GRANT, PGPUB, build_query, parse_record
from scintel.testing import CrawlResult, run_spider

SLUG = "uspto"
DIR = FIXTURES / SLUG
PATH = "/api/v1/patent/applications/search"
SPEC = {"cpc": ["C12N", "C12P"], "page_size": 25}
KEY = "odp-key-Q7w9ZrT2x"
PGPUB_FIELD, GRANT_FIELD = (
    "applicationMetaData.earliestPublicationDate",
    "applicationMetaData.grantDate",
)
WINDOW = "2026-10-01:2026-10-31"


def pages(stage: str) -> list[Path]:
    return sorted(
        DIR.glob(f"{stage}_offset*.json"), key=lambda p: int(p.stem.rsplit("offset", 1)[1])
    )


def serve(
    replay: ReplayServer, overrides: dict[tuple[str, str], list[Reply]] | None = None
) -> None:
    for stage, field in ((PGPUB, PGPUB_FIELD), (GRANT, GRANT_FIELD)):
        for page in pages(stage):
            offset = page.stem.rsplit("offset", 1)[1]
            replies = (overrides or {}).get((stage, offset)) or [Reply.file(page)]
            replay.add(PATH, replies, {"rangeFilters": f"{field} {WINDOW}", "offset": offset})


def crawl(
    replay: ReplayServer | str,
    tmp_path: Path,
    env: dict[str, str] | None = None,
    spec: dict | None = None,
    settings: dict[str, str] | None = None,
) -> CrawlResult:
    return run_spider(
        SLUG,
        replay if isinstance(replay, str) else replay.url,
        tmp_path,
        "2026-10-01",
        "2026-10-31",
        spec or SPEC,
        settings,
        env={"SCINTEL_USPTO_KEY": KEY} if env is None else env,
    )


def payload(stage: str) -> list[dict]:
    return [
        r for page in pages(stage) for r in json.loads(page.read_text())["patentFileWrapperDataBag"]
    ]


def offsets(replay: ReplayServer, field: str) -> list[int]:
    queries = [parse_qs(urlsplit(r).query) for r in replay.requests]
    return [int(q["offset"][0]) for q in queries if q["rangeFilters"][0].startswith(field)]


def test_items_match_the_payload_and_paging_ends(replay: ReplayServer, tmp_path: Path) -> None:
    serve(replay)
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log

    pgpubs, grants = payload(PGPUB), payload(GRANT)
    assert (len(pgpubs), len(grants)) == (62, 9)
    assert offsets(replay, PGPUB_FIELD) == [0, 25, 50] and offsets(replay, GRANT_FIELD) == [0]
    assert len(result.items) == 62 - 1 + 9
    [reject] = result.rejected
    assert (
        reject["reason"].endswith("no inventionTitle")
        and reject["entry"] == pgpubs[40]["applicationNumberText"]
    )

    query = parse_qs(urlsplit(replay.requests[0]).query)
    assert query["q"] == ["applicationMetaData.cpcClassificationBag:(C12N* OR C12P*)"]
    assert query["limit"] == ["25"]

    by_application = {
        (i["application_number"], i["publication_number"][-2:]): i for i in result.items
    }
    for record in pgpubs[:40] + pgpubs[41:]:
        meta = record["applicationMetaData"]
        year, serial = meta["earliestPublicationNumber"].split()[1].split("-")
        item = by_application[(record["applicationNumberText"], "A1")]
        assert item["publication_number"] == f"US{year}{serial[1:]}A1"
        assert item["title"] == meta["inventionTitle"]
        assert item["published"] == meta["earliestPublicationDate"]
        assert item["applicants"] == [a["applicantNameText"] for a in meta["applicantBag"]]
        assert item["inventors"] == [i["inventorNameText"] for i in meta["inventorBag"]]
        assert item["cpc"] == [c.replace(" ", "") for c in meta["cpcClassificationBag"]]
        assert item["assignees"] == [
            record["assignmentBag"][0]["assigneeBag"][0]["assigneeNameText"]
        ]
        priorities = [p["filingDate"] for p in record["foreignPriorityBag"]] + [
            meta["effectiveFilingDate"]
        ]
        assert item["priority_date"] == min(priorities)
        assert (
            item["url"]
            == f"https://patentcenter.uspto.gov/applications/{record['applicationNumberText']}"
        )
    for record in grants:
        meta = record["applicationMetaData"]
        item = by_application[(record["applicationNumberText"], "B2")]
        assert item["publication_number"] == f"US{meta['patentNumber']}B2"
        assert item["published"] == meta["grantDate"]
        assert item["application_status"] == "Patented Case"
    assert all(
        i["kind"] == "patent" and i["source"] == "uspto" and "summary" not in i
        for i in result.items
    )
    assert any(" " in c for r in pgpubs for c in r["applicationMetaData"]["cpcClassificationBag"])


def test_window_filter(replay: ReplayServer, tmp_path: Path) -> None:
    late = json.loads(pages(GRANT)[0].read_text())
    late["patentFileWrapperDataBag"][0]["applicationMetaData"]["grantDate"] = "2026-11-03"
    serve(replay, {(GRANT, "0"): [Reply.json(late)]})
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert result.stats["scintel/out_of_window"] == 1
    assert len(result.items) == 61 + 8


def test_429_then_200(replay: ReplayServer, tmp_path: Path) -> None:
    throttled = Reply(
        429,
        b'{"code":429,"message":"Too Many Requests"}',
        {"Retry-After": "1", "Content-Type": "application/json"},
    )
    serve(replay, {(PGPUB, "25"): [throttled, Reply.file(pages(PGPUB)[1])]})
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert offsets(replay, PGPUB_FIELD) == [0, 25, 25, 50]
    assert len(result.items) == 70
    assert result.stats["scintel/retry_after_max"] == 1


def test_malformed_page_is_rejected_and_the_crawl_goes_on(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(
        replay,
        {
            (PGPUB, "25"): [
                Reply(
                    200,
                    b'{"count": 62, "patentFileWrapperDataBag": [{"applicationNum',
                    {"Content-Type": "application/json"},
                )
            ]
        },
    )
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert offsets(replay, PGPUB_FIELD) == [0, 25, 50]
    page_rejects = [
        r
        for r in result.rejected
        if r["reason"].startswith("unreadable search page: not valid JSON")
    ]
    assert len(page_rejects) == 1 and Path(page_rejects[0]["raw_ref"]).is_file()
    assert len(result.items) == 70 - 25 + 1  # page 2 lost (its record without title with it)


def test_no_hits_is_a_normal_end(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, Reply.file(DIR / "not_found.json", 404))
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert result.items == [] and result.rejected == []
    assert len(replay.requests) == 2  # one query per date field


def test_missing_key_skips_and_key_never_written(replay: ReplayServer, tmp_path: Path) -> None:
    skipped = crawl(replay, tmp_path / "skip", env={"SCINTEL_USPTO_KEY": ""})
    assert (
        skipped.code == 3
        and "SCINTEL_USPTO_KEY not set in the environment; source skipped" in skipped.log
    )
    assert replay.requests == []

    serve(replay)
    result = crawl(replay, tmp_path / "run")
    assert result.code == 0
    assert KEY not in result.log
    for path in (tmp_path / "run").rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path.name


def test_parse_record_shapes_and_numbers() -> None:
    record = payload(GRANT)[0]
    flat = {
        "applicationNumberText": record["applicationNumberText"],
        **record["applicationMetaData"],
    }
    nested_item, flat_item = parse_record(record, GRANT), parse_record(flat, GRANT)
    assert nested_item["publication_number"] == flat_item["publication_number"]
    assert nested_item["title"] == flat_item["title"]
    unpublished = dict(record["applicationMetaData"], earliestPublicationNumber=None)
    assert parse_record({**record, "applicationMetaData": unpublished}, GRANT)[
        "publication_number"
    ].endswith("B1")
    design = dict(record["applicationMetaData"], applicationTypeCode="DES", patentNumber="D1012345")
    assert (
        parse_record({**record, "applicationMetaData": design}, GRANT)["publication_number"]
        == "USD1012345S"
    )
    with pytest.raises(ValueError, match="no pgpub publication"):
        parse_record(
            {
                **record,
                "applicationMetaData": dict(
                    record["applicationMetaData"], earliestPublicationNumber=""
                ),
            },
            PGPUB,
        )
    assert build_query(["C12N", " C12P "], "applicationMetaData.applicationTypeCode:UTL") == (
        "applicationMetaData.cpcClassificationBag:(C12N* OR C12P*) AND (applicationMetaData.applicationTypeCode:UTL)"
    )


@pytest.mark.e2e  # the bundled sample of the offline run
def test_offline_sample_replays(tmp_path: Path) -> None:
    with ReplayServer() as server:
        server.add_directory(sample_dir(SLUG))
        result = run_spider(
            SLUG,
            server.url,
            tmp_path,
            "2026-11-16",
            "2026-11-22",
            {"cpc": ["C12N", "C12P"]},
            env={"SCINTEL_USPTO_KEY": "dummy"},
        )
    assert result.code == 0, result.log
    assert len(result.items) == 30 + 8 and result.rejected == []
    assert sum(i["publication_number"].endswith("B2") for i in result.items) == 8


def test_a_redirect_to_another_host_gets_no_key(replay: ReplayServer, tmp_path: Path) -> None:
    """Scrapy strips only Authorization and Cookie on a cross-host redirect; X-API-KEY must go too."""
    with ReplayServer() as elsewhere:
        elsewhere.add(PATH, Reply.file(DIR / "not_found.json", 404))
        replay.add(PATH, Reply(302, b"", {"Location": f"{elsewhere.url}{PATH}?offset=0"}))
        result = crawl(replay, tmp_path)
    sent = [{k.lower(): v for k, v in h.items()} for h in replay.headers]
    assert sent and all(h["x-api-key"] == KEY for h in sent)
    assert elsewhere.headers, "the redirect was followed"
    assert all(
        "x-api-key" not in {k.lower() for k in h} and KEY not in json.dumps(h)
        for h in elsewhere.headers
    )
    assert result.stats["scintel/credentials_stripped"] == len(elsewhere.headers)
    assert KEY not in result.log


def test_no_remote_access_endpoint_listens_during_a_crawl(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(replay)
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert "Telnet console listening" not in result.log
    assert "Remote control" not in result.log and "remote_control" not in result.log


# --- hostile input (tests/spiders/hostile.py); each also checks the key stays home ---------


def test_a_wrong_typed_field_rejects_that_record_alone(
    replay: ReplayServer, tmp_path: Path
) -> None:
    first = json.loads(pages(PGPUB)[0].read_text())
    bad = first["patentFileWrapperDataBag"][3]
    bad["applicationMetaData"]["cpcClassificationBag"] = 12
    serve(replay, {(PGPUB, "0"): [Reply.json(first)]})
    result = crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert offsets(replay, PGPUB_FIELD) == [0, 25, 50]
    assert bad["applicationNumberText"] not in {i["application_number"] for i in result.items}
    assert [r["reason"] for r in record_rejects(result)] == [
        "malformed record: TypeError: 'int' object is not iterable",
        f"application {payload(PGPUB)[40]['applicationNumberText']}: no inventionTitle",
    ]
    assert_accounted(result, received=62 + 9)
    assert_no_secret(result, [KEY])


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (
            truncated(Reply.file(DIR / "pgpub_offset0.json")),
            "unreadable search page: not valid JSON",
        ),
        (  # the "no hits" answer with HTTP 200: no count, no records
            Reply.file(DIR / "not_found.json"),
            "unreadable search page: answer has no numeric count",
        ),
        (gzip_bomb(), "download failed"),
    ],
    ids=["truncated", "in-band-error", "gzip-bomb"],
)
def test_bad_first_pages_are_rejects_and_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path, reply: Reply, reason: str
) -> None:
    """The first page of each stage bad: its total is unknown, nothing to skip to."""
    serve(replay, {(PGPUB, "0"): [reply], (GRANT, "0"): [reply]})
    result = crawl(replay, tmp_path, settings=SMALL_MAXSIZE)

    assert_failed_with_reject(result, reason)
    assert result.items == [] and len(page_rejects(result)) == len(result.rejected) == 2
    assert_no_secret(result, [KEY])


def test_paging_past_the_page_cap_is_a_reject_per_stage_query(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """A pgpub total that never runs out stops at the cap; the grant query is its own."""
    endless = json.loads(pages(PGPUB)[0].read_text())
    endless["count"] = 10_000
    replay.add(PATH, Reply.json(endless), {"rangeFilters": f"{PGPUB_FIELD} {WINDOW}"})
    replay.add(PATH, Reply.file(pages(GRANT)[0]), {"rangeFilters": f"{GRANT_FIELD} {WINDOW}"})
    result = crawl(replay, tmp_path, spec=SPEC | {"max_pages": 3})

    assert result.code == 0, result.log
    assert offsets(replay, PGPUB_FIELD) == [0, 25, 50] and offsets(replay, GRANT_FIELD) == [0]
    assert [r["reason"] for r in result.rejected] == [
        "page cap reached: the pgpub query for 2026-10-01 to 2026-10-31 offers more than 3 "
        "pages; the rest is not fetched (narrow the query or raise max_pages)"
    ]
    assert_accounted(result, received=3 * 25 + 9)
    assert_no_secret(result, [KEY])


def test_a_redirect_loop_is_a_reject_not_a_silent_end(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(PATH, redirect(f"{PATH}?hop=a"))
    replay.add(PATH, redirect(f"{PATH}?hop=b"), {"hop": "a"})
    replay.add(PATH, redirect(f"{PATH}?hop=a"), {"hop": "b"})
    result = crawl(replay, tmp_path)

    assert_failed_with_reject(result, "download failed: redirect loop back to")
    assert len(result.rejected) == 2 and len(replay.requests) == 2 * 3
    assert_no_secret(result, [KEY])


def test_a_timeout_is_a_reject_without_the_key(tmp_path: Path) -> None:
    with silent_server() as url:
        result = crawl(url, tmp_path, settings={"DOWNLOAD_TIMEOUT": "1", "RETRY_TIMES": "0"})

    assert_failed_with_reject(result, "took longer than 1.0 seconds")
    assert len(result.rejected) == 2
    assert_no_secret(result, [KEY])
