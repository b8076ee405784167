"""The bundled demo site (crawler/demo/), served on 127.0.0.1 at a random port."""
from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from crawler.demo import site as demo_site
from crawler.sites.base import TRSSite


class DemoSite(TRSSite):
    name = "demo"
    district = "重庆市潼南区"
    source = "crawler/demo/site.py: a replica of a 潼南 (cqtn.gov.cn) 预算/决算 column built from real material"
    concurrency = 2

    def __init__(self, base_url: str | None = None):
        if not base_url:
            raise NotConfigured("the demo site runs on a random port: pass -a base_url=http://127.0.0.1:PORT/ "
                                "or run `budgets demo`")
        self.start_urls = tuple(demo_site.start_urls(base_url))
        self.allowed_domains = (urlsplit(base_url).hostname,)
        super().__init__()
