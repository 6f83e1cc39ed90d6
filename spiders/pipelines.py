"""The landing pipeline: validate items, write JSON Lines, keep rejects with their reason."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import IO, Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from scintel.spiders.items import Rejected, validate
from scintel.storage.items import ItemError, dump_item

log = logging.getLogger(__name__)


class LandingPipeline:
    """Valid items go to the items file; invalid ones and spider rejects to the rejected file."""

    def __init__(self, crawler: Crawler, crawl_run_id: int | None) -> None:
        assert crawler.stats is not None
        self.crawler = crawler  # its spider, once open (Scrapy no longer passes it)
        self.stats: StatsCollector = crawler.stats
        self.crawl_run_id = crawl_run_id
        self._items: IO[str] | None = None
        self._rejected: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        run_id = crawler.settings.get("SCINTEL_CRAWL_RUN_ID")
        return cls(crawler, int(run_id) if run_id else None)

    def _landing(self) -> Any:
        return self.crawler.spider.landing  # type: ignore[union-attr]

    def open_spider(self) -> None:
        path = self._landing().items
        path.parent.mkdir(parents=True, exist_ok=True)
        self._items = path.open("w", encoding="utf-8")
        self.stats.set_value("scintel/items", 0)
        self.stats.set_value("scintel/rejected", 0)

    def close_spider(self) -> None:
        for handle in (self._items, self._rejected):
            if handle:
                handle.close()
        self._items = self._rejected = None

    def _write_rejected(self, record: dict[str, Any]) -> None:
        if self._rejected is None:
            path = self._landing().rejected
            path.parent.mkdir(parents=True, exist_ok=True)
            self._rejected = path.open("a", encoding="utf-8")
        record["rejected_at"] = datetime.now(UTC).isoformat()
        self._rejected.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._rejected.flush()
        self.stats.inc_value("scintel/rejected")

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Rejected):
            self._write_rejected(item.as_record())
            raise DropItem(f"rejected: {item.reason}", log_level="DEBUG")
        if self.crawl_run_id is not None:
            item["crawl_run_id"] = self.crawl_run_id
        try:
            valid = validate(item)
        except ItemError as exc:
            self._write_rejected(
                {
                    "source": item.get("source"),
                    "reason": f"invalid item: {exc}",
                    "url": item.get("url"),
                    "raw_ref": item.get("raw_ref"),
                    "entry": item,
                }
            )
            raise DropItem(f"invalid item: {exc}", log_level="DEBUG") from None
        assert self._items is not None
        self._items.write(dump_item(valid) + "\n")
        self.stats.inc_value("scintel/items")
        return item
