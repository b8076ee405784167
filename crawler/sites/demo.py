"""The bundled demo site (crawler/demo/). It has no real host: it is served on 127.0.0.1 at a
random port and crawled with `-a replica=127.0.0.1:PORT` (as `budgets demo` does), so its
documents keep the same URLs from one run to the next."""
from __future__ import annotations

from crawler.demo.site import HOST, start_urls
from crawler.sites.base import TRSSite


class DemoSite(TRSSite):
    name = "demo"
    district = "重庆市潼南区"
    start_urls = tuple(start_urls())
    allowed_domains = (HOST,)
    source = "crawler/demo/site.py: a replica of a 潼南 (cqtn.gov.cn) 预算/决算 column built from real material"
    concurrency = 2
