"""Scrapy settings: polite by default. Tests and the demo override a few (delays, timeouts)."""
import os

from extractors import limits as _limits

BOT_NAME = "district-budgets"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

CONTACT_URL = os.environ.get("BUDGETS_CONTACT_URL", "https://github.com/district-budgets/district-budgets")
USER_AGENT = f"district-budgets/0.1 (public-finance research; +{CONTACT_URL})"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1  # a site config may raise it to 2
DOWNLOAD_DELAY = 2.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50%
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = _limits.DEFAULT.max_document_bytes  # BUDGETS_MAX_DOCUMENT_MB: one limit for crawl and ingest

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_BACKOFF_BASE = 5.0  # seconds before the first retry; doubled for each further one
RETRY_BACKOFF_MAX = 120.0

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's RemoteControl runs Python sent by whoever holds its token on a local port, and a
# killed crawl leaves the token file behind: off, like the telnet console.
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.ServerErrorRobotsMiddleware": 100,  # a 5xx robots.txt disallows all (RFC 9309)
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.NetworkFailureMiddleware": 540,  # sees what failed after its retries
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.RedirectLoopMiddleware": 600,  # a loop becomes a recorded error
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.BoundedDecompressionMiddleware": 590,  # a bomb past DOWNLOAD_MAXSIZE is a failed document
    "crawler.middlewares.BodySizeMiddleware": 580,  # so is a body with no length that streams past it
    "crawler.middlewares.EncodingMiddleware": 120,  # after decompression (590)
    "crawler.incremental.ConditionalRequestMiddleware": 840,  # before the HTTP cache (900), and
    # after the download stats (850) on the way back: a 304 counts as the few bytes it is
}
SPIDER_MIDDLEWARES = {
    "crawler.incremental.ListPageShapeMiddleware": 950,  # sees what the spider yields
}
ITEM_PIPELINES = {
    "crawler.pipelines.RawFilesPipeline": 100,
    "crawler.pipelines.IngestPipeline": 300,
    "crawler.incremental.RevisionsPipeline": 400,
}
EXTENSIONS = {
    "spidermon.contrib.scrapy.extensions.Spidermon": 450,  # before the ledger: alerts go in its row
    "crawler.extensions.CrawlLedger": 500,  # crawl_runs row, withdrawals, then settles the database
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
}

# Incremental crawls (crawler/incremental.py). Documents are asked for with If-None-Match /
# If-Modified-Since; list pages go through the HTTP cache, revalidated on every crawl
# (`budgets nightly` switches it on, with the cache beside the database).
HTTPCACHE_ENABLED = False
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_DIR = "httpcache"

# Monitors (crawler/monitors.py): when a crawl needs a person.
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ("crawler.monitors.CrawlMonitors",)
BUDGETS_ALERT_MIN_SHARE = 0.5  # fewer documents than this share of the last complete crawl
BUDGETS_ALERT_ERROR_RATE = 0.2  # fetch errors per request above this …
BUDGETS_ALERT_ERROR_JUMP = 0.1  # … and this much above the last complete crawl's rate

# Where the raw files and the database go (`budgets crawl --db PATH` sets both).
BUDGETS_DB = os.environ.get("BUDGETS_DB", "data/budgets.db")
BUDGETS_RAW_DIR = os.environ.get("BUDGETS_RAW_DIR", "")  # default: raw/ beside the database
BUDGETS_PROGRESS_INTERVAL = 0  # seconds between progress lines in a log (0: none; a terminal gets a live display)

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"  # the ingest pipeline awaits asyncio futures
