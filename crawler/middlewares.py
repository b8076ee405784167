"""Downloader middlewares: read pages in the encoding they are really in, retry with back-off,
and turn what Scrapy would drop without a word (a redirect off the site, a body that inflates
or streams past DOWNLOAD_MAXSIZE) into errors the spider records as failed documents with the reason."""
from __future__ import annotations

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy import signals
from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                              IgnoreRequest)
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import error as tx

from crawler.encoding import html_encoding, normalise_encoding
from crawler.links import host_allowed


class EncodingMiddleware:
    """GBK pages labelled UTF-8 (and UTF-8 pages with a BOM labelled GBK) are re-read in the
    encoding their bytes are in, so link texts and titles come out right."""

    def process_response(self, request, response):
        if not isinstance(response, TextResponse):
            return response
        header = response.headers.get("Content-Type", b"").decode("latin-1")
        charset = header.partition("charset=")[2].split(";")[0].strip() or None
        encoding = html_encoding(response.body, charset)
        if normalise_encoding(encoding) != normalise_encoding(response.encoding):
            return response.replace(encoding=encoding)
        return response


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries (5xx, 429, timeouts, dropped connections), each retry waiting longer:
    RETRY_BACKOFF_BASE × 2^(n-1) seconds, at most RETRY_BACKOFF_MAX."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def process_exception(self, request, exception, spider=None):
        # a name that did not resolve rarely resolves seconds later: one retry, not RETRY_TIMES
        if isinstance(exception, (CannotResolveHostError, tx.DNSLookupError)):
            request.meta.setdefault("max_retry_times", min(1, self.max_retry_times))
        return super().process_exception(request, exception)

    async def process_request(self, request):
        retries = request.meta.get("retry_times", 0)
        if retries and self.backoff_base > 0:
            delay = min(self.backoff_max, self.backoff_base * 2 ** (retries - 1))
            from twisted.internet import reactor, task  # the reactor Scrapy installed

            await maybe_deferred_to_future(task.deferLater(reactor, delay, lambda: None))
        return None


class RedirectedOffSite(Exception):
    """A redirect to a host the site config does not allow. Not an IgnoreRequest: the spider
    records it (a documents row with this message for a document), where Scrapy's offsite
    filter would drop the redirected request when it is scheduled, leaving no trace."""


class DownloadTooLarge(Exception):
    """A body that grew past DOWNLOAD_MAXSIZE while being decompressed (a gzip or deflate bomb).
    Scrapy raises IgnoreRequest, which reads as a robots.txt refusal; this is a failed fetch."""


class RedirectLoopMiddleware(RedirectMiddleware):
    """A redirect back to a URL of its own chain (a login or error page bouncing back) would be
    dropped silently by the duplicate filter; letting it through makes REDIRECT_MAX_TIMES turn
    the loop into an error the spider records. A redirect off the site's allowed hosts (an IP
    literal, `host@evil`, `host.evil`, `//evil`) is refused here as `RedirectedOffSite`."""

    def _redirect(self, redirected, request, *args):
        allowed = list(getattr(self.crawler.spider, "allowed_domains", None) or [])
        if allowed and not redirected.meta.get("allow_offsite") and not host_allowed(redirected.url, allowed):
            first = (request.meta.get("redirect_urls") or [request.url])[0]
            raise RedirectedOffSite(f"redirected off the site to {redirected.url} (from {first}), a host "
                                    f"its config does not allow ({', '.join(allowed)}); not followed")
        redirected = super()._redirect(redirected, request, *args)
        if redirected.url in redirected.meta.get("redirect_urls", ()):
            redirected.dont_filter = True
        return redirected


class BoundedDecompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, its DOWNLOAD_MAXSIZE stop reported as a failed download."""

    def process_response(self, request, response, spider=None):
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            if "DOWNLOAD_MAXSIZE" not in str(exc):
                raise
            limit = request.meta.get("download_maxsize", self._max_size)
            raise DownloadTooLarge(
                f"{len(response.body)} bytes compressed ({response.headers.get('Content-Encoding', b'').decode('latin-1')}) "
                f"inflate past the download max size ({limit} bytes): a decompression bomb or a "
                f"file larger than the limit") from None



# request.meta: [the body bytes this attempt has received], a list so that the copies a download
# handler makes (request.replace, e.g. crawler/replica.py) count into the same one
RECEIVED = "budgets_bytes_received"


class BodySizeMiddleware:
    """A body with no Content-Length (chunked, or read until the connection closes) that grows
    past DOWNLOAD_MAXSIZE is cancelled by Scrapy with an empty message ("DownloadCancelledError …:").
    Counting what each attempt receives (the bytes_received signal) tells that stop from any other
    cancel, and it is reported as DownloadTooLarge with the limit."""

    def __init__(self, crawler):
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        crawler.signals.connect(self.received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def received(self, data, request, spider=None):
        if (counted := request.meta.get(RECEIVED)) is not None:
            counted[0] += len(data)

    def process_request(self, request, spider=None):
        request.meta[RECEIVED] = [0]  # new for each attempt: a retry is a copy of the request, meta and all

    def process_exception(self, request, exception, spider=None):
        limit = request.meta.get("download_maxsize", self.max_size)
        if isinstance(exception, DownloadCancelledError) and limit and (request.meta.get(RECEIVED) or [0])[0] > limit:
            raise DownloadTooLarge(f"more than the download max size ({limit} bytes) received with no "
                                   "Content-Length (a chunked or endless body); stopped there") from None
        return None


# --- the network, not the site ---------------------------------------------------------------------

def network_problem(exception) -> str:
    """What a network-level failure means, in words; '' for anything else (an HTTP status, a
    cut body, a timeout after the connection was made: the site answered, so it is the site)."""
    if isinstance(exception, (CannotResolveHostError, tx.DNSLookupError)):
        return "DNS lookup failed / network unreachable — check your connection"
    if isinstance(exception, (DownloadConnectionRefusedError, tx.ConnectionRefusedError)):
        return "connection refused — the site is down or the network unreachable; check your connection"
    if isinstance(exception, (tx.NoRouteError, tx.TCPTimedOutError, tx.ConnectError, tx.ConnectingCancelledError)):
        return "network unreachable (could not connect) — check your connection"
    return ""


class HostUnreachable(Exception):
    """A request not sent: its host never answered this crawl and its last attempt failed at the
    network level (DNS, refused, unreachable). Saves retrying every URL of a site that cannot be
    reached; the next crawl tries again."""


class UnreachableRobots(IgnoreRequest):
    """robots.txt could not be fetched for a network reason (already counted and worded)."""


class NetworkFailureMiddleware:
    """Tells a network failure from a site that changed: per host, whether it ever answered and
    why it could not be reached. Stats: `budgets/network_failures` (requests that failed at the
    network level after their retries), `budgets/network_error` (the one-line reason, with the
    host), which the monitors (crawler/monitors.py) read. Once a host has failed so and never
    answered, its further requests fail at once (`HostUnreachable`), not after their retries."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.replica = crawler.settings.get("REPLICA_ADDRESS")
        self.answered: set[str] = set()
        self.unreachable: dict[str, str] = {}  # target → reason

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def target(self, request) -> str:
        """Where the request really goes (a replica's address when crawling one)."""
        return self.replica or urlparse_cached(request).netloc

    def describe(self, request, problem: str) -> str:
        host = urlparse_cached(request).hostname or request.url
        via = f" (at {self.replica})" if self.replica else ""
        return f"cannot reach {host}{via}: {problem}"

    def process_request(self, request, spider=None):
        target = self.target(request)
        if target in self.unreachable and target not in self.answered:
            raise HostUnreachable(self.unreachable[target])
        return None

    def process_response(self, request, response, spider=None):
        self.answered.add(self.target(request))
        return response

    def process_exception(self, request, exception, spider=None):
        robots = bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt")
        if isinstance(exception, HostUnreachable):
            if robots:
                raise UnreachableRobots(str(exception)) from None
            return None
        problem = network_problem(exception)
        if not problem:
            return None
        message = self.describe(request, problem)
        self.stats.inc_value("budgets/network_failures")
        if not self.stats.get_value("budgets/network_error"):
            self.stats.set_value("budgets/network_error", message)
        target = self.target(request)
        if target not in self.answered and target not in self.unreachable:
            self.unreachable[target] = message
        if robots:  # Scrapy would log it with a traceback; the reason is counted and worded here
            raise UnreachableRobots(message) from None
        return None
