"""The baseline crawler: a bare Scrapy spider that fetches the same list and detail pages as ours
and does nothing with them (no storage, no extraction, no database).

    scrapy runspider benchmarks/bare_spider.py -a start=http://127.0.0.1:PORT/column/index.html
"""
from urllib.parse import urlsplit

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start: str = "", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_urls = start.split(",")
        self.host = urlsplit(self.start_urls[0]).netloc

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlsplit(url).netloc == self.host and url.endswith(".html"):
                yield scrapy.Request(url, callback=self.parse)
