"""Guangdong's 政府信息公开 platform crawled from a home URL alone: the real spider, `-a home=` the
real home page of 广州市财政局, against the replica of tests/gkmlpt_replica.py (a category tree in
the index page's script, a JSON list API paged 100 at a time, detail pages with their files)."""
from collections import Counter
from urllib.parse import urlsplit

import pytest

import gkmlpt_replica as gd
from crawler.demo.server import SiteServer
from crawler.listing import GkmlptApi, ListCall, budget_categories, gkmlpt_tree
from crawler.sites.base import GuangdongGkmlptSite
from crawling import crawl_from_home

pytestmark = pytest.mark.skipif(not gd.HOME_PAGE.is_file(), reason=f"the real page is not at {gd.HOME_PAGE}")


def test_the_index_page_names_the_budget_categories_and_not_the_others():
    tree = gkmlpt_tree(gd._index_page().decode())
    assert budget_categories(tree) == [(612, "财政预决算"), (21001, "部门预算"), (21002, "部门决算")]


def test_the_first_page_of_a_category_announces_the_rest():
    column = f"https://{gd.HOST}/gkmlpt/index"
    call = ListCall(f"https://{gd.HOST}/gkmlpt/api/all/21001?page=1&sid={gd.SID}", page=1, column=column)
    articles = gd.categories()[21001][1]
    links, more = GkmlptApi().parse(call, gd._api_answer(21001, "部门预算", articles, 1).decode())
    assert len(links) == 100 and links[0][1] == "关于做好2026年部门预算公开工作的通知"
    assert [c.url.rsplit("/", 1)[1] for c in more] == [f"21001?page={p}&sid={gd.SID}" for p in (2, 3)]


def test_a_config_on_the_platform_base_reads_the_index_page_and_its_detail_urls():
    class Czj(GuangdongGkmlptSite):
        name, district, allowed_domains, source = "gz-czj", "广州市", ("gz.gov.cn",), "tests/gkmlpt_replica.py"
        roots = (gd.HOME,)

    site, column = Czj(), f"https://{gd.HOST}/gkmlpt/index"
    calls = site.list_api.first_calls(column, gd._index_page().decode())
    assert [c.url.split("/api/all/")[1] for c in calls] == [f"{c}?page=1&sid={gd.SID}" for c in (612, 21001, 21002)]
    assert site.is_detail_url(f"https://{gd.HOST}/gkmlpt/content/9/9103/post_9103540.html")
    assert not site.is_detail_url(f"https://{gd.HOST}/gkmlpt/index")


@pytest.fixture(scope="module")
def requested(tmp_path_factory):
    with SiteServer(gd.resources()) as server:
        return crawl_from_home(server, gd.HOME, tmp_path_factory.mktemp("gkmlpt") / "budgets.db",
                               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "AUTOTHROTTLE_ENABLED=False", timeout=600)


@pytest.mark.slow
def test_every_disclosure_and_every_file_is_fetched(requested):
    asked = set(requested)
    pages = [gd.HOST + urlsplit(a["url"]).path for a in gd.disclosures()]
    files = [gd.HOST + urlsplit(f["url"]).path for a in gd.disclosures() for f in a["attachment"]]
    assert len(pages) == 424 and len(files) == 631  # 9 years × (23 departments with one file + 23 with two) + 10
    assert [p for p in pages if p not in asked] == []
    assert [f for f in files if f not in asked] == []


@pytest.mark.slow
def test_every_page_of_each_budget_category_is_listed_and_no_other_category(requested):
    api = sorted(u.split("/api/all/")[1] for u in requested if "/gkmlpt/api/all/" in u)
    assert api == sorted([f"21001?page={p}&sid={gd.SID}" for p in (1, 2, 3)]
                         + [f"21002?page={p}&sid={gd.SID}" for p in (1, 2)] + [f"612?page=1&sid={gd.SID}"])


@pytest.mark.slow
def test_the_notice_and_the_news_are_not_fetched(requested):
    cats = gd.categories()
    left = [a for a in cats[610][1]] + [a for a in cats[21001][1] if "通知" in a["title"]]
    assert not {gd.HOST + urlsplit(a["url"]).path for a in left} & set(requested)


@pytest.mark.slow
def test_nothing_is_asked_twice_or_off_the_allowed_hosts(requested):
    assert [u for u, n in Counter(requested).items() if n > 1] == []
    assert all(u.split("/", 1)[0].endswith("gz.gov.cn") for u in requested)
