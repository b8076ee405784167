"""Columns filled by script: the Shanghai JSON list API and Hanweb's dataproxy.jsp pager
(tests/api_replicas.py), crawled with the real configs; every item of every page is fetched."""
import pytest

import api_replicas
from crawling import scrapy_crawl

pytestmark = pytest.mark.slow  # starts processes or servers

QUICK = ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "AUTOTHROTTLE_ENABLED=False",
         "-s", 'ITEM_PIPELINES={"crawler.pipelines.RawFilesPipeline": 100}')


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    out = {}
    with api_replicas.ApiServer(api_replicas.build()) as server:
        for site in ("shpt", "shangyu"):
            db = tmp_path_factory.mktemp(site) / "budgets.db"
            result = scrapy_crawl(site, f"127.0.0.1:{server.port}", db, *QUICK)
            assert result.returncode == 0, result.stderr[-2000:]
            out[site] = result.stderr
        out["requested"] = list(server.requested_urls)
    return out


def test_every_page_of_the_json_api_is_asked_for_and_every_item_fetched(served):
    asked = served["requested"]
    posts = [r for r in asked if r.startswith("POST www.shpt.gov.cn/front/api/data/affair")]
    assert sorted(int(r.split('"pageNo": ')[1].split(",")[0]) for r in posts) == [1, 2, 3]
    for page in api_replicas.shpt_pages():
        fetched = api_replicas.SHPT + page["url"] in asked
        assert fetched == ("会议" not in page["title"]), page["title"]


def test_hanweb_pages_after_the_first_come_from_dataproxy(served):
    asked = served["requested"]
    posts = [r for r in asked if "dataproxy.jsp" in r]
    assert len(posts) == 3  # records 16–30, 31–45, 46–52
    for url, _title in api_replicas.shangyu_records():
        assert api_replicas.SHANGYU + url in asked, url
