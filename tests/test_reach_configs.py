"""All 54 district configs (38 Chongqing, 16 Shanghai), each crawled against a replica of its
documented patterns (tests/config_replicas.py), all in one process as `budgets crawl --all` runs
them: discovery from the root reaches a main-tree column, and every documented page is fetched."""
import json
import subprocess
import sys

import pytest

import config_replicas
from crawler import sites
from crawler.demo.server import SiteServer
from crawler.sites.districts import ALL_DISTRICTS
from crawling import FAST, ROOT

USABLE = [n for n in ALL_DISTRICTS if n in sites.usable_names()]
OVERRIDES = {**FAST, "DOWNLOAD_TIMEOUT": "20", "CONCURRENT_REQUESTS": "32", "AUTOTHROTTLE_ENABLED": "False", "SPIDERMON_ENABLED": "False",
             "ITEM_PIPELINES": {"crawler.pipelines.RawFilesPipeline": 100}}


def test_there_are_54_district_configs_38_chongqing_and_16_shanghai():
    assert len(ALL_DISTRICTS) == len(set(ALL_DISTRICTS)) == 54
    districts = [sites.load(n).district for n in ALL_DISTRICTS]
    assert sum(d.startswith("重庆市") for d in districts) == 38
    assert sum(d.startswith("上海市") for d in districts) == 16
    assert len(set(districts)) == 54


def test_every_config_says_where_it_comes_from_and_none_is_verified_yet():
    for name in ALL_DISTRICTS:
        config = sites.load(name)
        assert "REAL-SITES" in config.source or "SOURCES" in config.source, name
        assert config.verified == "", name


def test_all_runs_only_the_usable_ones():
    usable = sites.usable_names()
    assert "demo" not in usable and set(USABLE) <= set(usable)
    for name in set(ALL_DISTRICTS) - set(USABLE):  # no host in REAL-SITES
        assert not sites.load(name).allowed_domains, name


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    db = tmp_path_factory.mktemp("configs") / "budgets.db"
    resources = {}
    for name in USABLE:
        resources.update(config_replicas.build(sites.load(name)))
    script = ("import json, sys\nfrom crawler.run import run_crawls\n"
              "names, replica, db, overrides = json.loads(sys.argv[1])\n"
              "run_crawls([(s, {'replica': replica}) for s in names], db, overrides=overrides)\n")
    with SiteServer(resources) as server:
        args = json.dumps([USABLE, f"127.0.0.1:{server.port}", str(db), OVERRIDES])
        result = subprocess.run([sys.executable, "-c", script, args], cwd=ROOT, capture_output=True, text=True,
                                timeout=300)
        requested = {f"http://{u}" for u in server.requested_urls}
    assert result.returncode == 0, result.stderr[-3000:]
    return requested


def _http(url: str) -> str:
    return "http://" + url.split("://", 1)[1]


@pytest.mark.slow
@pytest.mark.parametrize("name", USABLE)
def test_discovery_from_the_root_reaches_the_main_tree_column(crawl, name):
    config = sites.load(name)
    assert _http(config.canonical(config_replicas.discovered_page(config))) in crawl


@pytest.mark.slow
@pytest.mark.parametrize("name", USABLE)
def test_every_documented_page_is_fetched(crawl, name):
    config = sites.load(name)
    for url in getattr(config, "examples", ()):
        assert _http(config.canonical(url)) in crawl, url
