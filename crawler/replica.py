"""Crawl a rebuilt copy of a site on loopback instead of the live site, unchanged config and all.

`scrapy crawl disclosures -a site=cqtn -a replica=127.0.0.1:8765` sends every request to that
address, with the real host in the `Host` header, and hands the spider the response under the
real URL. So the config's start URLs, allowed domains, robots.txt and the URLs recorded in
`documents` are the real ones; only the bytes come from the copy.
"""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

HANDLER = "crawler.replica.ReplicaDownloadHandler"


def replica_settings(address: str) -> dict:
    return {"REPLICA_ADDRESS": address, "DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER}}


def local_url(url: str, address: str) -> tuple[str, str]:
    """('https://www.shpt.gov.cn/a/b.pdf', '127.0.0.1:8765') → ('http://127.0.0.1:8765/a/b.pdf',
    'www.shpt.gov.cn')."""
    parts = urlsplit(url)
    return urlunsplit(("http", address, parts.path or "/", parts.query, "")), parts.netloc


class ReplicaDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.address = crawler.settings.get("REPLICA_ADDRESS")

    async def download_request(self, request):
        url, host = local_url(request.url, self.address)
        local = request.replace(url=url)
        local.headers["Host"] = host
        response = await super().download_request(local)
        return response.replace(url=request.url, request=request)
