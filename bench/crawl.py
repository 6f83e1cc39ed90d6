"""Benchmark: the Europe PMC spider against the local replay server.

    .venv/bin/python bench/crawl.py [--records 6000] [--page-size 100]

Builds >= 5,000 records in Europe PMC's core JSON format (from the test fixture's
records), serves them as cursor pages on 127.0.0.1 and prints:
- the full crawl (child process, real downloader, pipeline, raw bodies kept) in
  records/s and pages/s, politeness delays off (bench-only settings);
- the spider's parse-only rate against a plain `json.loads` + dict baseline
  measured in the same run, and their ratio (target <= 2x);
- validation + JSON Lines serialisation (the pipeline's work) for reference.
"""

from __future__ import annotations

import argparse
import copy
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler

from scintel.replay import ReplayServer, Reply
from scintel.spiders.items import validate
from scintel.spiders.spiders.europepmc import EuropePmcSpider
from scintel.storage.items import dump_item
from scintel.testing import run_spider

TEMPLATE = (
    Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "europepmc" / "page1.json"
)
PATH = "/europepmc/webservices/rest/search"
SINCE, UNTIL = "2026-01-01", "2026-01-31"


def build_pages(records: int, page_size: int) -> list[tuple[str, bytes]]:
    """(cursor, body) pages; the last one is empty and repeats its cursor."""
    template = json.loads(TEMPLATE.read_text())
    seeds = template["resultList"]["result"]
    results = []
    for n in range(records):
        entry = copy.deepcopy(seeds[n % len(seeds)])
        entry["id"] = entry["pmid"] = str(42000000 + n) if entry["source"] == "MED" else entry["id"]
        if entry["source"] == "PPR":
            entry["id"] = f"PPR{3000000 + n}"
        entry["title"] = f"{entry['title']} ({n})"
        entry["firstPublicationDate"] = f"2026-01-{1 + n % 28:02d}"
        results.append(entry)
    cursors = ["*"] + [f"AoJw{n:08d}" for n in range(1, records // page_size + 2)]
    pages = []
    for i, start in enumerate(range(0, records, page_size)):
        body = template | {
            "nextCursorMark": cursors[i + 1],
            "resultList": {"result": results[start : start + page_size]},
        }
        pages.append((cursors[i], json.dumps(body).encode()))
    last = cursors[len(pages)]
    pages.append(
        (
            last,
            json.dumps(template | {"nextCursorMark": last, "resultList": {"result": []}}).encode(),
        )
    )
    return pages


def baseline(pages: list[tuple[str, bytes]]) -> int:
    """json.loads and a plain dict of the same fields per record."""
    count = 0
    for _, body in pages:
        data = json.loads(body)
        out = [
            {
                "external_id": f"{r['source']}:{r['id']}",
                "title": r.get("title"),
                "summary": r.get("abstractText"),
                "doi": r.get("doi"),
                "pmid": r.get("pmid"),
                "published": r.get("firstPublicationDate"),
                "journal": ((r.get("journalInfo") or {}).get("journal") or {}).get("title"),
                "authors": [
                    a.get("fullName") for a in (r.get("authorList") or {}).get("author", [])
                ],
                "grants": [
                    {"funder": g.get("agency"), "id": g.get("grantId")}
                    for g in (r.get("grantsList") or {}).get("grant", [])
                ],
            }
            for r in data["resultList"]["result"]
        ]
        count += len(out)
    return count


def spider_parse(pages: list[tuple[str, bytes]], page_size: int) -> list[dict[str, Any]]:
    crawler = get_crawler(EuropePmcSpider, {"LOG_ENABLED": False})
    spider = EuropePmcSpider.from_crawler(
        crawler,
        since=SINCE,
        until=UNTIL,
        source_spec=json.dumps({"query": "bench", "page_size": page_size}),
    )
    crawler.spider = spider
    crawler.stats.open_spider()
    items = []
    for cursor, body in pages:
        request = Request(
            f"http://127.0.0.1{PATH}?cursorMark={cursor}", meta={"cursor": cursor, "raw_ref": "raw"}
        )
        response = TextResponse(request.url, body=body, request=request, encoding="utf-8")
        items.extend(x for x in spider.parse(response) if isinstance(x, dict))
    return items


def timed(fn, *args):  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(3):
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=6000)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    pages = build_pages(args.records, args.page_size)
    print(
        f"{args.records} records in {len(pages)} pages of {args.page_size} ({sum(len(b) for _, b in pages) / 1e6:.1f} MB)"
    )

    base_s, base_n = timed(baseline, pages)
    parse_s, items = timed(spider_parse, pages, args.page_size)
    valid_s, _ = timed(lambda: [dump_item(validate(i)) for i in items])
    assert base_n == len(items) == args.records, (base_n, len(items))
    print(f"baseline json.loads + dict : {base_n / base_s:10,.0f} records/s")
    print(
        f"spider parse only          : {len(items) / parse_s:10,.0f} records/s  ratio {parse_s / base_s:.2f}x baseline (target <= 2x)"
    )
    print(
        f"validate + serialise items : {len(items) / valid_s:10,.0f} records/s  (pipeline work, for reference)"
    )

    with ReplayServer() as server, tempfile.TemporaryDirectory() as tmp:
        for cursor, body in pages:
            server.add(
                PATH, Reply(200, body, {"Content-Type": "application/json"}), {"cursorMark": cursor}
            )
        started = time.perf_counter()
        result = run_spider(
            "europepmc",
            server.url,
            Path(tmp),
            SINCE,
            UNTIL,
            {"query": "bench", "page_size": args.page_size},
            settings={"LOG_LEVEL": "WARNING", "CONCURRENT_REQUESTS_PER_DOMAIN": "8"},
        )
        wall = time.perf_counter() - started
        assert result.code == 0, result.log
        crawled = float(result.stats["elapsed_time_seconds"])
        n, p = len(result.items), int(result.stats["downloader/response_status_count/200"])
        assert n == args.records, n
    print(
        f"full crawl (in spider)     : {n / crawled:10,.0f} records/s  {p / crawled:8,.1f} pages/s  ({crawled:.2f} s, target >= 1,000 records/s)"
    )
    print(
        f"full crawl (with start-up) : {n / wall:10,.0f} records/s  {p / wall:8,.1f} pages/s  ({wall:.2f} s incl. process start)"
    )


if __name__ == "__main__":
    main()
