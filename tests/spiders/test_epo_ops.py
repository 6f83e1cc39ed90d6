"""EPO OPS: token flow, CQL search with Range paging, biblio per result, throttling, rejects."""

from __future__ import annotations

import base64
import json
import logging
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
    redirect,
    truncated,
)
from lxml import etree

from scintel.replay import ReplayServer, Reply, sample_dir
from scintel.spiders.credentials import client_credentials
from scintel.spiders.ops_throttle import parse_throttling, service_delay
from scintel.spiders.paging import halves
from scintel.spiders.spiders.epo_ops import EpoOpsSpider, build_cql, docdb_input, parse_document
from scintel.spiders.window import Window
from scintel.testing import run_spider

SLUG = "epo_ops"
DIR = FIXTURES / SLUG
AUTH = "/3.2/auth/accesstoken"
SEARCH = "/3.2/rest-services/published-data/search"
BIBLIO = "/3.2/rest-services/published-data/publication/docdb/{}/biblio"
SPEC = {"cpc": ["C12N", "C12P"], "countries": ["EP", "WO"], "page_size": 25}
CQL = '(cpc=C12N or cpc=C12P) and (pn=EP or pn=WO) and pd within "20261001 20261031"'
KEY, SECRET = "test-consumer-key", "s3cr3t-Consumer-Secret-9x"
ENV = {"SCINTEL_EPO_KEY": KEY, "SCINTEL_EPO_SECRET": SECRET}
BASIC = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
TOKEN = "tok-first-0f5e2c"  # the access_token of token.json
GREEN = "idle (images=green:200, inpadoc=green:60, other=green:1000, retrieval=green:200, search=green:30)"
# Throttle delays scaled down a thousandfold so the pacing is exercised without the wait.
FAST_OPS = {"EPO_OPS_DELAY_SCALE": "0.001"}
NS = {"ex": "http://www.epo.org/exchange"}
PAGES = ["1-25", "26-50", "51-62"]


def ops_reply(path: Path, status: int = 200, throttle: str = GREEN, **headers: str) -> Reply:
    return Reply.file(path, status, {"X-Throttling-Control": throttle, **headers})


def fault(code: str, message: str, status: int) -> Reply:
    body = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<fault xmlns="http://ops.epo.org">\n    <code>{code}</code>\n    <message>{message}</message>\n</fault>\n'
    return Reply(
        status, body.encode(), {"Content-Type": "application/xml", "X-Throttling-Control": GREEN}
    )


def serve(
    replay: ReplayServer,
    pages: dict[str, list[Reply]] | None = None,
    token: list[Reply] | None = None,
) -> None:
    replay.add(AUTH, token or [Reply.file(DIR / "token.json")])
    for rng in PAGES:
        replay.add(
            SEARCH, (pages or {}).get(rng) or [ops_reply(DIR / f"search_{rng}.xml")], {"Range": rng}
        )
    for path in sorted((DIR / "biblio").glob("*.xml")):
        replay.add(BIBLIO.format(docdb_input(path.stem)), ops_reply(path))


def crawl(replay: ReplayServer, tmp_path: Path, spec: dict | None = None, **kw):
    settings = FAST_OPS | kw.pop("settings", {})
    return run_spider(
        SLUG,
        replay.url,
        tmp_path,
        "2026-10-01",
        "2026-10-31",
        spec or SPEC,
        settings=settings,
        env=kw.pop("env", ENV),
    )


def payload_numbers() -> list[str]:
    numbers = []
    for rng in PAGES:
        root = etree.parse(str(DIR / f"search_{rng}.xml")).getroot()
        for ref in root.iterfind(".//ex:document-id", NS):
            numbers.append(
                "".join(
                    ref.findtext(f"ex:{t}", namespaces=NS)
                    for t in ("country", "doc-number", "kind")
                )
            )
    return numbers


def search_ranges(replay: ReplayServer) -> list[str]:
    return [
        parse_qs(urlsplit(r).query)["Range"][0] for r in replay.requests if r.startswith(SEARCH)
    ]


def test_items_match_the_biblio_payloads_and_paging_ends(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(replay)
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log

    numbers = payload_numbers()
    assert len(numbers) == 62
    # Every search result fetched once, in order; the one OPS has no biblio for is rejected.
    assert sorted(result.ids()) == sorted(n for n in numbers if n != numbers[7])
    assert search_ranges(replay) == PAGES
    assert [r["reason"] for r in result.rejected] == [
        f"{numbers[7]}: OPS has no bibliographic data for this publication"
    ]
    query = parse_qs(urlsplit(next(r for r in replay.requests if r.startswith(SEARCH))).query)
    assert query["q"] == [CQL]

    # One item against its payload, field by field (read independently of the spider).
    first = "EP4712037B1"
    doc = (
        etree.parse(str(DIR / "biblio" / f"{first}.xml"))
        .getroot()
        .find(".//ex:exchange-document", NS)
    )
    item = result.item(first)
    assert item["publication_number"] == first
    assert item["kind"] == "patent" and item["source"] == "epo_ops"
    assert item["title"] == doc.findtext(".//ex:invention-title[@lang='en']", namespaces=NS)
    assert item["title"] == "Polypeptides having lipase activity and polynucleotides encoding same"
    assert item["summary"].startswith(
        "The present invention relates to polypeptides having lipase activity"
    )
    assert item["summary"].endswith("low wash temperatures.") and "IMAGE" not in item["summary"]
    assert item["language"] == "en"
    assert item["published"] == "2026-10-01"
    assert item["priority_date"] == "2025-03-26"
    assert item["applicants"] == ["BASF SE"]
    assert item["inventors"] == [
        "JENSEN KIM",
        "VIRTANEN MIKKO",
        "GARCIA LOPEZ ELENA",
        "SCHMIDT JONAS",
    ]
    assert item["cpc"] == ["C12N9/20", "C12N15/52", "C11D3/38627", "C12Y301/01003"]
    assert item["family_id"] == doc.get("family-id")
    assert item["url"] == "https://worldwide.espacenet.com/patent/search?q=pn%3DEP4712037B1"
    assert Path(item["raw_ref"]).is_file()

    # Every item: dates and parties as in its own payload.
    for item in result.items:
        root = etree.parse(str(DIR / "biblio" / f"{item['external_id']}.xml")).getroot()
        pub = root.findtext(
            ".//ex:publication-reference/ex:document-id[@document-id-type='docdb']/ex:date",
            namespaces=NS,
        )
        assert item["published"] == f"{pub[:4]}-{pub[4:6]}-{pub[6:]}"
        epodoc = root.findall(".//ex:applicant[@data-format='epodoc']//ex:name", NS)
        assert item["applicants"] == [n.text.rsplit(" [", 1)[0] for n in epodoc]
        assert all(c.startswith(("C12", "C11", "C08", "A23", "Y02")) for c in item["cpc"])

    # A German-only title is kept, in German; a document without abstract has no summary.
    for item in result.items:
        root = etree.parse(str(DIR / "biblio" / f"{item['external_id']}.xml")).getroot()
        titles = {t.get("lang"): t.text for t in root.iterfind(".//ex:invention-title", NS)}
        assert item["title"] == titles.get("en", titles.get("de"))
        assert item["language"] == ("en" if "en" in titles else "de")
        assert ("summary" in item) == (root.find(".//ex:abstract", NS) is not None)
    assert sum(i["language"] == "de" for i in result.items) == 1
    assert sum("summary" not in i for i in result.items) == 2
    assert result.stats["epo_ops/tokens"] == 1


def test_token_request_is_client_credentials_with_basic_auth(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCINTEL_EPO_KEY", KEY)
    monkeypatch.setenv("SCINTEL_EPO_SECRET", SECRET)
    spider = EpoOpsSpider(since="2026-10-01", until="2026-10-31", source_spec=json.dumps(SPEC))
    assert spider.skip_reason() is None
    request = spider._token_request()
    assert (request.method, request.url) == ("POST", "https://ops.epo.org/3.2/auth/accesstoken")
    assert request.body == b"grant_type=client_credentials"
    assert request.headers["Authorization"] == f"Basic {BASIC}".encode()
    assert request.headers["Content-Type"] == b"application/x-www-form-urlencoded"
    assert SECRET not in repr(request)


def test_expired_token_is_renewed_once(replay: ReplayServer, tmp_path: Path) -> None:
    expired = fault("CLIENT.InvalidAccessToken", "Access token has expired", 400)
    serve(
        replay,
        pages={"26-50": [expired, ops_reply(DIR / "search_26-50.xml")]},
        token=[Reply.file(DIR / "token.json"), Reply.file(DIR / "token_renewed.json")],
    )
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert sum(r == AUTH for r in replay.requests) == 2
    assert result.stats["epo_ops/token_renewals"] == 1
    assert len(result.items) == 61
    assert search_ranges(replay) == ["1-25", "26-50", "26-50", "51-62"]


def test_a_fresh_token_refused_again_fails_the_crawl(replay: ReplayServer, tmp_path: Path) -> None:
    refused = fault("CLIENT.InvalidAccessToken", "invalid client id", 401)
    serve(replay, pages={"1-25": [refused]})
    result = crawl(replay, tmp_path)
    assert result.code == 1
    assert "OPS refused a freshly issued access token" in result.log
    assert sum(r == AUTH for r in replay.requests) == 2  # renewed once, not in a loop


def test_secret_and_tokens_never_in_logs_or_output(replay: ReplayServer, tmp_path: Path) -> None:
    serve(replay)
    result = crawl(replay, tmp_path, settings={"LOG_LEVEL": "DEBUG"})
    assert result.code == 0, result.log
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "items.jsonl" for p in written) and len(written) > 60
    assert_no_secret(result, (SECRET, BASIC, TOKEN))
    # The token answer itself is kept, with the token masked.
    token_raw = next(e for e in result.raw_index() if e["url"].endswith(AUTH))
    assert b'"access_token": "***"' in (result.raw_dir / token_raw["file"]).read_bytes()


def test_credentials_repr_and_lookup_never_show_the_secret(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SCINTEL_EPO_KEY", KEY)
    monkeypatch.setenv("SCINTEL_EPO_SECRET", SECRET)
    creds = client_credentials("SCINTEL_EPO_KEY", "SCINTEL_EPO_SECRET")
    assert creds is not None and creds.secret == SECRET
    logging.getLogger("test").info("using %r / %s", creds, creds)
    assert SECRET not in caplog.text and SECRET not in repr(creds) and SECRET not in str(creds)

    monkeypatch.delenv("SCINTEL_EPO_SECRET")
    monkeypatch.setenv(
        "AIRFLOW_CONN_SCINTEL_EPO_TEST",
        f'{{"conn_type": "http", "login": "{KEY}", "password": "{SECRET}"}}',
    )
    from_airflow = client_credentials("SCINTEL_EPO_KEY", "SCINTEL_EPO_SECRET", "scintel_epo_test")
    assert from_airflow is not None and (from_airflow.key, from_airflow.secret) == (KEY, SECRET)
    assert "Airflow connection" in from_airflow.origin
    assert client_credentials("SCINTEL_EPO_KEY", "SCINTEL_EPO_SECRET", "no_such_conn") is None
    assert SECRET not in caplog.text


def test_missing_credentials_skip_the_source(replay: ReplayServer, tmp_path: Path) -> None:
    result = crawl(replay, tmp_path, env={"SCINTEL_EPO_KEY": "", "SCINTEL_EPO_SECRET": ""})
    assert result.code == 3
    assert (
        "SCINTEL_EPO_KEY/SCINTEL_EPO_SECRET not set in the environment; source skipped"
        in result.log
    )
    assert replay.requests == []


def test_429_then_200_and_throttling_lights(replay: ReplayServer, tmp_path: Path) -> None:
    busy = "busy (images=green:100, inpadoc=green:45, other=green:1000, retrieval=yellow:100, search=red:15)"
    overloaded = "overloaded (images=green:50, inpadoc=green:30, other=green:1000, retrieval=green:50, search=yellow:5)"
    black = "overloaded (images=green:50, inpadoc=green:30, other=green:1000, retrieval=green:50, search=black:0)"
    serve(
        replay,
        pages={
            "1-25": [
                Reply(429, b"", {"Retry-After": "1500"}),
                ops_reply(DIR / "search_1-25.xml", throttle=busy),
            ],
            "26-50": [
                Reply(
                    403,
                    b"<error>throttled</error>",
                    {"X-Throttling-Control": black, "Retry-After": "4000"},
                ),
                ops_reply(DIR / "search_26-50.xml", throttle=overloaded),
            ],
        },
    )
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert len(result.items) == 61
    assert search_ranges(replay) == ["1-25", "1-25", "26-50", "26-50", "51-62"]
    stats = result.stats
    assert stats["epo_ops/throttle/busy/search/red"] == 1
    assert stats["epo_ops/throttle/overloaded/search/black"] == 1
    # OPS gives Retry-After in milliseconds: 1.5 s after the 429, 4 s after the black light.
    assert stats["epo_ops/throttle/waits"] == 2 and stats["epo_ops/throttle/wait_max"] == 4.0
    # red at 15/min is three times 4 s; yellow at 5/min when overloaded is 1.5 * 12 s * 2.
    assert stats["epo_ops/throttle/search/delay_max"] == pytest.approx(36.0)
    assert stats["epo_ops/throttle/search/delay"] == pytest.approx(60 / 30)  # back to green
    # Every service in the header is paced: retrieval green at 50/min, overloaded.
    assert stats["epo_ops/throttle/retrieval/delay_max"] == pytest.approx(60 / 50 * 2)


def test_malformed_pages_are_rejected_and_the_crawl_goes_on(
    replay: ReplayServer, tmp_path: Path
) -> None:
    broken = Reply(
        200,
        b'<?xml version="1.0"?><ops:world-patent-data xmlns:ops="http://ops.epo.org"><ops:biblio-sea',
        {"Content-Type": "application/xml"},
    )
    serve(replay, pages={"26-50": [broken]})
    numbers = payload_numbers()
    replay.add(
        BIBLIO.format(docdb_input(numbers[3])),
        Reply(200, b"<not xml", {"Content-Type": "application/xml"}),
    )
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    reasons = [r["reason"] for r in result.rejected]
    assert any(r.startswith("unreadable search page: not well-formed XML") for r in reasons)
    assert any(r.startswith(f"{numbers[3]}: no biblio (not well-formed XML") for r in reasons)
    # Page 2's 25 results are lost (and recorded); pages 1 and 3 are crawled.
    assert search_ranges(replay) == PAGES
    expected = [n for i, n in enumerate(numbers) if i not in (3, 7) and not 25 <= i < 50]
    assert sorted(result.ids()) == sorted(expected)
    assert all(Path(r["raw_ref"]).is_file() for r in result.rejected)


def test_no_hits_is_a_normal_end(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(AUTH, Reply.file(DIR / "token.json"))
    replay.add(SEARCH, fault("SERVER.EntityNotFound", "No results found", 404))
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert result.items == [] and result.rejected == []


def test_window_over_2000_hits_is_split(replay: ReplayServer, tmp_path: Path) -> None:
    many = (
        (DIR / "search_1-25.xml")
        .read_text()
        .replace('total-result-count="62"', 'total-result-count="3410"')
    )
    first_half = Window.resolve("2026-10-01", "2026-10-16")
    second_half = Window.resolve("2026-10-17", "2026-10-31")
    replay.add(AUTH, Reply.file(DIR / "token.json"))
    month = build_cql(["C12N", "C12P"], Window.resolve("2026-10-01", "2026-10-31"), ["EP", "WO"])
    replay.add(SEARCH, Reply(200, many.encode(), {"Content-Type": "application/xml"}), {"q": month})
    for half, page in ((first_half, "search_1-25.xml"), (second_half, "search_51-62.xml")):
        body = (DIR / page).read_text()
        body = body.replace(
            'total-result-count="62"',
            f'total-result-count="{body.count("<ops:publication-reference")}"',
        )
        body = body.replace('begin="51" end="62"', 'begin="1" end="12"')
        cql = build_cql(["C12N", "C12P"], half, ["EP", "WO"])
        replay.add(
            SEARCH, Reply(200, body.encode(), {"Content-Type": "application/xml"}), {"q": cql}
        )
    for path in sorted((DIR / "biblio").glob("*.xml")):
        replay.add(BIBLIO.format(docdb_input(path.stem)), ops_reply(path))
    result = crawl(replay, tmp_path)
    assert result.code == 0, result.log
    assert result.stats["epo_ops/window_splits"] == 1
    queries = [parse_qs(urlsplit(r).query)["q"][0] for r in replay.requests if r.startswith(SEARCH)]
    assert queries[0] == month and set(queries[1:]) == {
        build_cql(["C12N", "C12P"], first_half, ["EP", "WO"]),
        build_cql(["C12N", "C12P"], second_half, ["EP", "WO"]),
    }
    assert len(result.items) == 25 + 12 - 1  # numbers[7] has no biblio


def test_pure_helpers() -> None:
    window = Window.resolve("2026-10-01", "2026-10-31")
    assert build_cql(["C12N"], window) == '(cpc=C12N) and pd within "20261001 20261031"'
    assert halves(window) == (
        Window.resolve("2026-10-01", "2026-10-16"),
        Window.resolve("2026-10-17", "2026-10-31"),
    )
    assert (
        docdb_input("WO2026015013A2") == "WO.2026015013.A2"
        and docdb_input("EP4712037B1") == "EP.4712037.B1"
    )
    throttle = parse_throttling(
        b"busy (images=green:100, inpadoc=green:45, other=green:1000, retrieval=green:100, search=red:15)"
    )
    assert throttle is not None and throttle.system == "busy"
    assert throttle.services["search"] == ("red", 15)
    assert service_delay(throttle, "search") == pytest.approx(12.0)
    assert service_delay(throttle, "retrieval") == pytest.approx(0.6)
    assert parse_throttling("") is None


def test_parse_document_rejects_what_cannot_be_an_item() -> None:
    xml = (
        (DIR / "biblio" / "EP4712037B1.xml")
        .read_bytes()
        .replace(b"<invention-title", b"<x-title")
        .replace(b"</invention-title>", b"</x-title>")
    )
    doc = etree.fromstring(xml).find(".//ex:exchange-document", NS)
    with pytest.raises(ValueError, match="EP4712037B1: no invention-title"):
        parse_document(doc)


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
            {"cpc": ["C12N", "C12P"], "countries": ["EP", "WO"]},
            settings=FAST_OPS,
            env={"SCINTEL_EPO_KEY": "dummy", "SCINTEL_EPO_SECRET": "dummy"},
        )
    assert result.code == 0, result.log
    assert len(result.items) == 36 and result.rejected == []
    assert {i["published"] for i in result.items} <= {f"2026-11-{d}" for d in range(16, 23)}


# --- hostile input (tests/spiders/hostile.py) ---------------------------------------------

APIGEE_QUOTA = {  # the JSON fault of the OPS gateway, in place of the XML answer
    "fault": {
        "faultstring": "Rate limit quota violation. Quota limit  exceeded. Identifier : _default",
        "detail": {"errorcode": "policies.ratelimit.QuotaViolation"},
    }
}


def mutated(path: Path, old: str, new: str) -> Reply:
    """A real OPS answer with one change (which must apply exactly once)."""
    body = path.read_text("utf-8")
    assert body.count(old) == 1, old
    return Reply(
        200,
        body.replace(old, new).encode(),
        {"Content-Type": "application/xml", "X-Throttling-Control": GREEN},
    )


def test_a_malformed_search_hit_or_exchange_document_is_a_reject_alone(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """A hit without its kind used to cost its whole search page (25 hits)."""
    numbers = payload_numbers()
    assert numbers[2] == "EP4712074A1" and numbers[5] == "EP4712185A1"
    no_kind = mutated(
        DIR / "search_1-25.xml",
        "<doc-number>4712074</doc-number>\n                    <kind>A1</kind>",
        "<doc-number>4712074</doc-number>",
    )
    serve(replay, pages={"1-25": [no_kind]})
    replay.add(
        BIBLIO.format("EP.4712185.A1"),
        mutated(DIR / "biblio" / "EP4712185A1.xml", 'doc-number="4712185" ', ""),
    )
    result = crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == sorted(n for i, n in enumerate(numbers) if i not in (2, 5, 7))
    rejects = {r["reason"]: r["entry"] for r in result.rejected}
    assert sorted(rejects) == sorted(
        [
            "docdb document-id lacks country, doc-number or kind",
            "exchange-document lacks country, doc-number or kind",
            f"{numbers[7]}: OPS has no bibliographic data for this publication",
        ]
    )
    # The bad hit is kept as its XML; a bad biblio document by its number.
    hit = rejects["docdb document-id lacks country, doc-number or kind"]
    assert hit.startswith("<ops:publication-reference") and "<doc-number>4712074<" in hit
    assert rejects["exchange-document lacks country, doc-number or kind"] == numbers[5]
    assert_accounted(result, received=62)


def test_a_truncated_first_search_page_is_a_reject_and_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(replay, pages={"1-25": [truncated(ops_reply(DIR / "search_1-25.xml"))]})
    result = crawl(replay, tmp_path)

    assert_failed_with_reject(result, "unreadable search page: not well-formed XML")
    assert result.items == [] and len(result.rejected) == 1
    assert search_ranges(replay) == ["1-25"]


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (
            fault("CLIENT.InvalidQuery", "Invalid query: unknown index cpcx", 400),
            "OPS fault on the search page: CLIENT.InvalidQuery: Invalid query: unknown index cpcx",
        ),
        (
            fault("SERVER.LimitedServerResources", "Please request again later", 200),
            "OPS fault on the search page: SERVER.LimitedServerResources: Please request again "
            "later",
        ),
        (
            Reply.json(APIGEE_QUOTA),
            "OPS fault on the search page: policies.ratelimit.QuotaViolation: Rate limit quota "
            "violation. Quota limit exceeded. Identifier : _default",
        ),
    ],
    ids=["fault-400", "fault-200", "gateway-json-200"],
)
def test_an_in_band_error_is_a_page_reject_and_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path, reply: Reply, reason: str
) -> None:
    """A fault in place of the search answer (a 400 used to end the crawl with no reject)."""
    serve(replay, pages={"1-25": [reply]})
    result = crawl(replay, tmp_path)

    assert_failed_with_reject(result, reason)
    assert [r["reason"] for r in result.rejected] == [reason] and page_rejects(result)
    assert result.items == [] and search_ranges(replay) == ["1-25"]


def test_a_token_endpoint_error_is_a_reject_and_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(replay, token=[Reply.json({"error": "invalid_client"})])
    result = crawl(replay, tmp_path)

    assert_failed_with_reject(
        result,
        "authentication failed: the OPS token endpoint answered HTTP 200 without an "
        "access_token; check SCINTEL_EPO_KEY/SCINTEL_EPO_SECRET",
    )
    assert replay.requests == [AUTH]


def test_a_gzip_bomb_search_page_is_refused_as_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path
) -> None:
    serve(replay, pages={"1-25": [gzip_bomb("application/xml")]})
    result = crawl(replay, tmp_path, settings=SMALL_MAXSIZE)

    assert_failed_with_reject(result, "download failed")
    assert result.items == []


def test_a_gzip_bomb_biblio_is_a_reject_of_its_record_alone(
    replay: ReplayServer, tmp_path: Path
) -> None:
    numbers = payload_numbers()
    serve(replay)
    replay.add(BIBLIO.format(docdb_input(numbers[3])), gzip_bomb("application/xml"))
    result = crawl(replay, tmp_path, settings=SMALL_MAXSIZE)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == sorted(n for i, n in enumerate(numbers) if i not in (3, 7))
    bomb = next(r for r in result.rejected if r["entry"] == numbers[3])
    assert bomb["reason"].startswith(f"{numbers[3]}: no biblio (download failed")
    assert_accounted(result, received=62)


def test_endless_paging_stops_at_the_page_cap_with_a_reject(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """OPS claims 2,000 hits (its most per query): the window's query is asked for
    `max_pages` pages, and the rest is one reject naming the query."""
    total = ('total-result-count="62"', 'total-result-count="2000"')
    serve(
        replay,
        pages={rng: [mutated(DIR / f"search_{rng}.xml", *total)] for rng in PAGES},
    )
    replay.add(SEARCH, mutated(DIR / "search_51-62.xml", *total), {"Range": "51-75"})
    result = crawl(replay, tmp_path, SPEC | {"max_pages": 3})

    assert result.code == 0, result.log
    assert search_ranges(replay) == ["1-25", "26-50", "51-75"]
    assert [r["reason"] for r in page_rejects(result)] == [
        f"page cap reached: the OPS search {CQL!r} offers more than 3 pages; the rest is not "
        "fetched (narrow the query or raise max_pages)"
    ]
    assert len(result.items) == 61
    assert_accounted(result, received=62)


def test_a_redirect_loop_is_a_reject_not_a_silent_end(replay: ReplayServer, tmp_path: Path) -> None:
    serve(replay, pages={"1-25": [redirect(f"{SEARCH}?loop=1")]})
    replay.add(SEARCH, redirect(f"{SEARCH}?loop=2"), {"loop": "1"})
    replay.add(SEARCH, redirect(f"{SEARCH}?loop=1"), {"loop": "2"})
    result = crawl(replay, tmp_path)

    assert_failed_with_reject(result, "redirect loop")
    assert result.items == [] and sum(r.startswith(SEARCH) for r in replay.requests) == 3


def test_credentials_never_follow_a_redirect_to_another_host(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """Token request and search page both redirected elsewhere: elsewhere answers them,
    but sees neither the Basic credentials nor the bearer token; nothing is written
    with a secret in it."""
    with ReplayServer() as elsewhere:
        serve(
            replay,
            pages={"1-25": [redirect(f"{elsewhere.url}{SEARCH}?Range=1-25")]},
            token=[redirect(f"{elsewhere.url}{AUTH}", 307)],
        )
        elsewhere.add(AUTH, Reply.file(DIR / "token.json"))
        elsewhere.add(SEARCH, ops_reply(DIR / "search_1-25.xml"), {"Range": "1-25"})
        result = crawl(replay, tmp_path, settings={"LOG_LEVEL": "DEBUG"})

    assert result.code == 0, result.log
    assert len(result.items) == 61
    assert elsewhere.requests == [AUTH, f"{SEARCH}?Range=1-25"]
    for headers in elsewhere.headers:
        assert "authorization" not in {name.lower() for name in headers}
        sent = " ".join(headers.values())
        assert SECRET not in sent and BASIC not in sent and TOKEN not in sent
    # At home the credentials were sent: it is the redirect that dropped them.
    assert replay.headers[0]["Authorization"] == f"Basic {BASIC}"
    assert any(h.get("Authorization") == f"Bearer {TOKEN}" for h in replay.headers[1:])
    assert_no_secret(result, (SECRET, BASIC, TOKEN))
