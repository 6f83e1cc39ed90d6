"""A loaded document is traceable in SQL to the raw response it was parsed from."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Engine, text

from scintel.replay import ReplayServer, Reply
from scintel.storage.loader import load_file
from scintel.testing import run_spider

FIXTURES = Path(__file__).parent / "fixtures" / "europepmc"
PATH = "/europepmc/webservices/rest/search"


def test_documents_point_at_their_raw_response(warehouse: Engine, tmp_path: Path) -> None:
    with ReplayServer() as replay:
        replay.add(PATH, Reply.file(FIXTURES / "page3_last.json"))
        replay.add(PATH, Reply.file(FIXTURES / "page1.json"), {"cursorMark": "*"})
        result = run_spider("europepmc", replay.url, tmp_path / "crawl", "2026-01-05",
                            "2026-01-11", {"query": "transaminase"})  # fmt: skip
        base = replay.url
    assert result.code == 0 and result.items, result.log
    body = tmp_path / "crawl" / "raw" / "000001.json"  # the first page's body

    report = load_file(warehouse, tmp_path / "crawl" / "items.jsonl")
    again = load_file(warehouse, tmp_path / "crawl" / "items.jsonl")  # one row per body
    assert report.inserted == len(result.items) and again.unchanged == len(result.items)
    with warehouse.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT d.external_id, r.url, r.landing_path, r.content_hash, r.content_type "
                "FROM documents d JOIN raw_records r ON r.id = d.raw_record_id"
            )
        ).all()
        assert conn.execute(text("SELECT COUNT(*) FROM raw_records")).scalar() == 1
    assert sorted(r.external_id for r in rows) == sorted(result.ids())
    _, url, landing_path, content_hash, content_type = min(rows)
    assert url.startswith(base + PATH) and "cursorMark=" in url
    assert landing_path == str(body)
    assert content_hash == hashlib.sha256(body.read_bytes()).hexdigest()
    assert content_type == "application/json"
