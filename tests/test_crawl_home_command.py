"""`budgets crawl --home URL --name NAME`: a site no config describes, crawled from its home URL
alone by the command line, with the hosts it may fetch from printed before the crawl. Served
from the replica of 广州市财政局's 政府信息公开 platform (tests/gkmlpt_replica.py)."""
import os
import sqlite3
import subprocess
import sys

import pytest

import gkmlpt_replica as gd
from crawler.demo.server import SiteServer
from crawling import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not gd.HOME_PAGE.is_file(), reason="the real page is missing")]

# every request of the crawl goes to the replica; the URLs recorded stay the real ones
REPLICA_CRAWL = """
import sys
from crawler import run
from crawler.replica import replica_settings
real = run.crawl_settings
def on_replica(db, overrides=None):
    return real(db, {**(overrides or {}), **replica_settings(sys.argv[2]), **QUICK})
run.crawl_settings = on_replica
from budgets.cli import main
sys.exit(main(["crawl", "--home", sys.argv[3], "--name", "guangzhou-czj", "--db", sys.argv[1]]))
"""
QUICK = {"CONCURRENT_REQUESTS_PER_DOMAIN": 8, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
         "DOWNLOAD_TIMEOUT": 5, "RETRY_TIMES": 1}


def run_command(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "budgets", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db = tmp_path_factory.mktemp("home") / "budgets.db"
    with SiteServer(gd.resources()) as server:
        result = subprocess.run([sys.executable, "-c", f"QUICK = {QUICK!r}\n" + REPLICA_CRAWL, str(db),
                                 f"127.0.0.1:{server.port}", gd.HOME], cwd=ROOT, capture_output=True, text=True,
                                timeout=900, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return result, db


def test_the_inferred_hosts_are_printed_before_the_crawl(crawled):
    result, _db = crawled
    assert result.returncode == 0, result.stderr[-3000:]
    first = result.stdout.splitlines()[0]
    assert first.startswith("guangzhou-czj: a site from its home URL https://czj.gz.gov.cn/; allowed hosts: gz.gov.cn")


def test_the_crawl_is_recorded_under_the_given_name_with_every_disclosure_and_file(crawled):
    _result, db = crawled
    conn = sqlite3.connect(db)
    (site, status, message), = conn.execute("SELECT site, status, message FROM crawl_runs").fetchall()
    pages = conn.execute("SELECT count(*) FROM documents WHERE url LIKE '%/gkmlpt/content/%'").fetchone()[0]
    assert site == "guangzhou-czj" and pages == len(gd.disclosures()) == 424
    assert "1055 documents" in message and "0 failed" in message  # 424 pages and their 631 files
    # the only errors: the two pages the real home page links to (政务公开, 财政资金直达基层) that
    # were not saved, so the replica answers 404
    assert status == "partial" and "2 fetch errors" in message


def test_a_home_that_is_not_an_address_is_refused_in_one_line(tmp_path):
    result = run_command("crawl", "--home", "czj.gz.gov.cn", "--db", str(tmp_path / "b.db"))
    assert result.returncode == 2
    assert "--home takes a site's address" in result.stderr


def test_name_without_home_is_refused(tmp_path):
    result = run_command("crawl", "--site", "cqtn", "--name", "x", "--db", str(tmp_path / "b.db"))
    assert result.returncode == 2 and "--name names a site crawled from --home URL" in result.stderr
