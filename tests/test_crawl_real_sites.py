"""Each real site config against a rebuilt copy of its pages (tests/replicas.py), served on
127.0.0.1: the config is used unchanged, with the real URLs; only the bytes are local."""
import json
import sqlite3
import subprocess
import sys

import pytest

import replicas
from crawler import sites
from crawler.demo.server import SiteServer
from crawling import FAST, ROOT, scrapy_crawl

SITES = list(replicas.SITES)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """All configured real sites, crawled at once in one process, as `budgets crawl --all` does."""
    db = tmp_path_factory.mktemp("real-sites") / "budgets.db"
    script = (
        "import json, sys\n"
        "from crawler.run import run_crawls\n"
        "sites, replica, db, overrides = json.loads(sys.argv[1])\n"
        "run_crawls([(s, {'replica': replica}) for s in sites], db, overrides=overrides)\n"
    )
    with SiteServer(replicas.build_all()) as server:
        args = json.dumps([SITES, f"127.0.0.1:{server.port}", str(db), FAST])
        result = subprocess.run([sys.executable, "-c", script, args], cwd=ROOT, capture_output=True,
                                text=True, timeout=120)
        requested = list(server.requested_urls)
    assert result.returncode == 0, result.stderr[-3000:]
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return {"db": conn, "requested": requested, "log": result.stderr}


def test_every_site_config_is_covered_by_a_replica():
    # hand-built replicas here; every district config also has a generated one (test_reach_configs).
    # The 100 city sites know only their home URL (and at most one column): nothing documented to
    # rebuild; a crawl from a home URL alone is test_crawl_home_url's.
    from crawler.sites.cities import GENERATED as CITIES
    from crawler.sites.districts import ALL_DISTRICTS

    assert set(SITES) | set(ALL_DISTRICTS) == set(sites.names()) - {"demo"} - set(CITIES)
    assert set(SITES) - set(ALL_DISTRICTS) == {"shangyu"}


@pytest.mark.slow
@pytest.mark.parametrize("site", SITES)
def test_every_documented_disclosure_is_found_once_under_its_real_url(crawl, site):
    config = sites.load(site)
    for page in replicas.expected_pages(site):
        rows = crawl["db"].execute("SELECT * FROM documents WHERE url = ?", [config.canonical(page.url)]).fetchall()
        assert len(rows) == 1, page.url
        doc = rows[0]
        assert doc["site"] == site
        assert (doc["fiscal_year"], doc["stage"]) == (page.fiscal_year, page.stage), page.title
        assert doc["district"] == config.district


@pytest.mark.slow
@pytest.mark.parametrize("site", SITES)
def test_each_site_gets_a_crawl_run(crawl, site):
    run = crawl["db"].execute("SELECT * FROM crawl_runs WHERE site = ?", [site]).fetchone()
    pages = replicas.expected_pages(site)
    if any(not (replicas.CORPUS / f).exists() for p in pages for _url, _text, f in p.attachments):
        pytest.skip(f"{site}'s attachments are real PDFs: the corpus is not at {replicas.SHARED_CORPUS}")
    attachments = sum(len(p.attachments) for p in pages)
    assert run["status"] == "ok", run["message"]
    assert run["documents_new"] == len(pages) + attachments


@pytest.mark.slow
def test_notices_and_mobile_twins_are_not_fetched(crawl):
    for site in SITES:
        for column in replicas.SITES[site]:
            for url, _title in column.notices:
                assert not [r for r in crawl["requested"] if r.endswith(url.split("/", 3)[3])]
    assert not [r for r in crawl["requested"] if "_wap" in r]


@pytest.mark.slow
def test_putuo_pdfs_are_stored_under_their_disclosure_page(crawl):
    if not replicas.CORPUS.exists():
        pytest.skip(f"the real PDF corpus is not at {replicas.SHARED_CORPUS}")
    for page in replicas.expected_pages("shpt"):
        parent = crawl["db"].execute("SELECT id FROM documents WHERE url = ?", [page.url]).fetchone()
        for url, _text, _file in page.attachments:
            pdf = crawl["db"].execute("SELECT * FROM documents WHERE url = ?", [url]).fetchone()
            assert pdf["format"] == "pdf" and pdf["parent_id"] == parent["id"]


@pytest.mark.slow
def test_both_spellings_of_a_host_are_fetched_as_one(crawl):
    # 荣昌 lists some pages under rongchang.gov.cn, others under www.rongchang.gov.cn
    hosts = {r.split("/", 1)[0] for r in crawl["requested"] if "rongchang" in r}
    assert hosts == {"www.rongchang.gov.cn"}


@pytest.mark.slow
def test_year_option_keeps_only_that_years_disclosures(tmp_path):
    db = tmp_path / "budgets.db"
    with SiteServer(replicas.build("cqjlp")) as server:
        result = scrapy_crawl("cqjlp", f"127.0.0.1:{server.port}", db, "-a", "year=2026")
    assert result.returncode == 0, result.stderr[-2000:]
    years = [r[0] for r in sqlite3.connect(db).execute("SELECT fiscal_year FROM documents")]
    assert years == [2026, 2026]
