"""Downloader middlewares: read pages in the encoding they are really in, and retry with
back-off."""
from __future__ import annotations

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import TextResponse
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.encoding import html_encoding, normalise_encoding


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

    async def process_request(self, request):
        retries = request.meta.get("retry_times", 0)
        if retries and self.backoff_base > 0:
            delay = min(self.backoff_max, self.backoff_base * 2 ** (retries - 1))
            from twisted.internet import reactor, task  # the reactor Scrapy installed

            await maybe_deferred_to_future(task.deferLater(reactor, delay, lambda: None))
        return None


class RedirectLoopMiddleware(RedirectMiddleware):
    """A redirect back to a URL of its own chain (a login or error page bouncing back) would be
    dropped silently by the duplicate filter; letting it through makes REDIRECT_MAX_TIMES turn
    the loop into an error the spider records."""

    def _redirect(self, redirected, request, *args):
        redirected = super()._redirect(redirected, request, *args)
        if redirected.url in redirected.meta.get("redirect_urls", ()):
            redirected.dont_filter = True
        return redirected
