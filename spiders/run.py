"""Run one spider in this process: `python -m scintel.spiders.run NAME [options]`.

The crawl step starts this module in a child process, because Twisted's reactor
cannot be restarted inside a long-lived worker. Exit codes: 0 finished,
3 skipped (e.g. a missing API key), 1 failed.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from scintel.spiders.middlewares import redact

SETTINGS_MODULE = "scintel.spiders.settings"
EXIT_FINISHED, EXIT_FAILED, EXIT_SKIPPED = 0, 1, 3
SKIPPED_PREFIX = "skipped"


def install_redaction() -> None:
    """Mask credentials in every log record as it is made, whoever logs the URL.

    A record factory, not a handler filter: Scrapy replaces its root handler when a
    crawler starts, and a filter on the old handler went with it.
    """
    previous = logging.getLogRecordFactory()
    if getattr(previous, "scintel_redacts", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: logging reports it itself
            return record
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return record

    factory.scintel_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def project_settings(overrides: dict[str, str] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def _pairs(values: Sequence[str], flag: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep:
            raise SystemExit(f"{flag} expects KEY=VALUE, got {value!r}")
        pairs[key] = val
    return pairs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scintel.spiders.run", description=__doc__)
    parser.add_argument("spider")
    parser.add_argument("--since")
    parser.add_argument("--until")
    parser.add_argument("--profile")
    parser.add_argument(
        "-a", "--arg", action="append", default=[], help="spider argument KEY=VALUE"
    )
    parser.add_argument("-s", "--set", action="append", default=[], help="Scrapy setting KEY=VALUE")
    args = parser.parse_args(argv)

    install_redaction()
    process = CrawlerProcess(project_settings(_pairs(args.set, "--set")))
    kwargs = {"since": args.since, "until": args.until, "profile": args.profile}
    kwargs |= _pairs(args.arg, "--arg")
    crawler = process.create_crawler(args.spider)
    process.crawl(crawler, **{k: v for k, v in kwargs.items() if v is not None})
    process.start()
    stats = crawler.stats
    reason = str(stats.get_value("finish_reason") or "")
    if (
        reason == "finished"
        and not stats.get_value("scintel/items")
        and (stats.get_value("scintel/bad_pages") or stats.get_value("scintel/failed_requests"))
    ):
        # Nothing but bad pages or failed requests: a failure to retry (the rejects are
        # kept), not an empty week.
        logging.getLogger(__name__).error(
            "%s: every page was bad or failed; the crawl counts as failed", args.spider
        )
        return EXIT_FAILED
    if reason == "finished":
        return EXIT_FINISHED
    if reason.startswith(SKIPPED_PREFIX):
        return EXIT_SKIPPED
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
