"""Scrapy settings shared by every scintel spider.

Live-service politeness is the default; tests and the benchmark turn delays off
with `-s`/`--set` overrides, never by editing this file.
"""

from __future__ import annotations

BOT_NAME = "scintel"
SPIDER_MODULES = ["scintel.spiders.spiders"]
NEWSPIDER_MODULE = "scintel.spiders.spiders"
# A crawl imports its own spider only (spiders/loader.py).
SPIDER_LOADER_CLASS = "scintel.spiders.loader.NamedModuleLoader"

USER_AGENT = "scintel/0.1 (+https://github.com/scintel/scintel; science-intelligence crawler)"
# APIs say so per spider (custom_settings); web pages (news) obey robots.txt.
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 5
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Exponential backoff: base * 2**attempt seconds, capped; Retry-After wins when sent.
SCINTEL_BACKOFF_BASE = 2.0
SCINTEL_BACKOFF_MAX = 300.0

# Bounds on what one crawl may do, whatever a server offers: pages (an endless "next page"
# ends the crawl as failed, so it is seen and retried, not a silent loop), redirect hops.
CLOSESPIDER_PAGECOUNT = 5000
REDIRECT_MAX_TIMES = 5
# Pages one query (one search over one window) may take; more is a reject naming the query,
# and the crawl goes on with the next query. A profile's `max_pages` wins for its source.
SCINTEL_MAX_PAGES_PER_QUERY = 500
# Bytes the members a spider reads from one downloaded zip may inflate to, counted as they
# are read (a zip bomb's headers lie); past it the member is a reject naming it and the cap.
# CORDIS's largest export (H2020) inflates to a few hundred MB: 1 GiB leaves room for
# Horizon Europe to grow past it, and stops a bomb after seconds of inflating, not minutes.
SCINTEL_MAX_INFLATED_BYTES = 1024**3

COOKIES_ENABLED = False
# No remote access into a crawl: the telnet console and the remote-control HTTP server
# (Scrapy 2.19+) would listen on a local port in every crawl.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt and everything else, so a mirror is asked, never the live host.
    "scintel.spiders.middlewares.BaseUrlMiddleware": 40,
    # Sees every redirected request before anything sends it.
    "scintel.spiders.middlewares.CredentialGuardMiddleware": 45,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scintel.spiders.middlewares.BackoffRetryMiddleware": 550,
    # Scrapy's redirects, plus: a loop is a failed request (a reject), never a silent drop.
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scintel.spiders.middlewares.LoopSafeRedirectMiddleware": 600,
    # Close to the downloader: sees every body as received, retried ones included.
    "scintel.spiders.middlewares.RawBodyMiddleware": 950,
}
ITEM_PIPELINES = {
    "scintel.spiders.pipelines.LandingPipeline": 500,
}
EXTENSIONS = {
    "scintel.spiders.extensions.StatsDump": 500,
}

# Where output goes; the crawl step sets these, `scrapy crawl` falls back to the
# landing zone under SCINTEL_DATA_DIR (default ./var).
SCINTEL_ITEMS_PATH = None
SCINTEL_REJECTED_PATH = None
SCINTEL_RAW_DIR = None
SCINTEL_STATS_PATH = None
SCINTEL_BASE_URL = None
SCINTEL_KEEP_RAW = True
SCINTEL_CRAWL_RUN_ID = None
