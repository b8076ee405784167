"""robots.txt that answers a server error means "disallow everything" (RFC 9309 §2.3.1.3): the
crawl asks for nothing else on that host. A real Scrapy crawl with the project's downloader
middlewares, in a fresh process, against a loopback server."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawling import FAST
from faultserver import fault_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow  # starts processes or servers

ROOT = Path(__file__).resolve().parents[1]

CRAWL = """
import json, sys
from pathlib import Path
import scrapy
from scrapy.crawler import CrawlerProcess
from crawler.run import crawl_settings

start, db, fast = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
settings = crawl_settings(db, fast)
# only the downloader stack is under test: no ledger, pipelines or spider middlewares
settings.set("EXTENSIONS", {"crawler.extensions.CrawlLedger": None,
                            "spidermon.contrib.scrapy.extensions.Spidermon": None}, priority="cmdline")
settings.set("ITEM_PIPELINES", {}, priority="cmdline")
settings.set("SPIDER_MIDDLEWARES", {}, priority="cmdline")

class Probe(scrapy.Spider):
    name = "probe"
    async def start(self):
        yield scrapy.Request(start)
    def parse(self, response):
        pass

process = CrawlerProcess(settings)
crawler = process.create_crawler(Probe)
process.crawl(crawler)
process.start()
print(json.dumps({k: v for k, v in crawler.stats.get_stats().items() if k.startswith("robotstxt/")}, default=str))
"""


def _crawl(server, tmp_path) -> dict:
    done = subprocess.run([sys.executable, "-c", CRAWL, server.url("/budget.html"), str(tmp_path / "b.db"),
                           json.dumps(FAST)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("status", [500, 503])
def test_a_robots_txt_answering_a_server_error_disallows_the_whole_site(fault_server, tmp_path, status):
    fault_server.add("/robots.txt", "<html>Service Unavailable</html>", status=status)
    fault_server.add("/budget.html", "<html><body>2026年部门预算</body></html>")
    stats = _crawl(fault_server, tmp_path)
    assert [r.path for r in fault_server.requests if r.path != "/robots.txt"] == []
    assert stats.get("robotstxt/server_error_disallow_all") == 1
    assert stats.get("robotstxt/forbidden") == 1


def test_a_robots_txt_that_allows_is_still_followed(fault_server, tmp_path):
    fault_server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    fault_server.add("/budget.html", "<html><body>2026年部门预算</body></html>")
    _crawl(fault_server, tmp_path)
    assert "/budget.html" in [r.path for r in fault_server.requests]
