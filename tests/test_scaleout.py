"""Scale-out: two crawler processes share one frontier through a real Redis server (conftest's
`redis_url`, on 127.0.0.1 at a free port) and crawl the demo site between them without fetching
any page twice, each reading documents in a pool of two processes; together they mark what the
site took down as withdrawn."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections import Counter

import pytest

from crawler.demo.server import SiteServer
from conftest import NO_CORPUS
from crawling import FAST, ROOT
from crawler.demo import site as demo
from test_nightly import TAKEN_DOWN, URL, demo_site, query, without_link

pytestmark = [pytest.mark.skipif(shutil.which("redis-server") is None,
                                 reason="redis-server is not installed (scripts/install.sh --test)"),
              pytest.mark.slow]


def shared_nightly(db, server, redis_url) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "budgets", "nightly", "--db", str(db), "--site", "demo",
               "--replica", f"demo=127.0.0.1:{server.port}", "--redis", redis_url, "--workers", "2",
               "--processes", "2"]
    for name, value in {**FAST, "DOWNLOAD_TIMEOUT": "5", "BUDGETS_FRONTIER_GRACE": "1.5",
                        "LOG_LEVEL": "WARNING"}.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=90)


@pytest.fixture(scope="module")
def shared_crawl(redis_url, tmp_path_factory):
    """A first shared nightly of the demo site, then a second one after the district took one
    disclosure (a page and the PDF it carries) off its list."""
    if len(demo.pdf_pages()) < len(demo.PDF_PAGES):  # they revise and take down its PDF disclosures
        pytest.skip(f"the demo site's PDF disclosures are left out: {NO_CORPUS}")
    tmp = tmp_path_factory.mktemp("scaleout")
    db = tmp / "budgets.db"
    resources = demo_site(tmp)
    for resource in resources.values():
        resource.delay = 0.4  # slow enough that both workers find work in the queue
    with SiteServer(resources) as server:
        result = shared_nightly(db, server, redis_url)
        answered = [p for p in server.requests if (r := server.lookup("", p)) is not None and r.status == 200]
        first_runs = query(db, "SELECT max(id) AS id FROM crawl_runs")[0]["id"]
        listing = f"{demo.BUDGETS}/index_1.html"
        resources[listing].body = without_link(resources[listing].body, TAKEN_DOWN.path)
        second = shared_nightly(db, server, redis_url)
    return {"result": result, "answered": answered, "db": db, "first_runs": first_runs, "second": second,
            "second_runs": query(db, "SELECT * FROM crawl_runs WHERE id > ?", [first_runs])}


def test_two_workers_finish_the_crawl(shared_crawl):
    assert shared_crawl["result"].returncode == 0, shared_crawl["result"].stderr[-3000:]
    runs = query(shared_crawl["db"], "SELECT * FROM crawl_runs")
    assert len(runs) == 4, "one crawl_runs row per worker and night"


def test_no_page_is_fetched_twice(shared_crawl):
    # each worker reads robots.txt; a URL that answers 503 is retried, which is not fetching it twice
    pages = Counter(p for p in shared_crawl["answered"] if p != "/robots.txt")
    assert pages and max(pages.values()) == 1, [p for p, n in pages.items() if n > 1]


def test_both_workers_did_part_of_the_work(shared_crawl):
    runs = query(shared_crawl["db"], "SELECT requests, documents_new FROM crawl_runs WHERE id <= ?",
                 [shared_crawl["first_runs"]])
    assert len(runs) == 2
    assert all(r["requests"] > 1 for r in runs), runs


def test_a_disclosure_taken_down_is_marked_withdrawn_by_the_workers_together(shared_crawl):
    assert shared_crawl["second"].returncode == 0, shared_crawl["second"].stderr[-3000:]
    db = shared_crawl["db"]
    withdrawn = {r["url"] for r in query(db, "SELECT url FROM documents WHERE withdrawn_at IS NOT NULL")}
    assert withdrawn == {URL + TAKEN_DOWN.path, URL + urllib.parse.quote(TAKEN_DOWN.pdf_path)}
    assert sum(r["documents_withdrawn"] for r in shared_crawl["second_runs"]) == 2
    assert "0 withdrawn" in shared_crawl["result"].stdout  # the first night withdrew nothing


def test_everything_a_single_crawl_loads_is_loaded(shared_crawl):
    documents = query(shared_crawl["db"], "SELECT url FROM documents WHERE bytes IS NOT NULL")
    # the demo site: the seed page and its spreadsheet, three PDF pages and their PDFs, and the
    # seed page's copies behind the download script
    assert len(documents) == len({d["url"] for d in documents}) >= 8


def test_documents_are_read_in_a_process_pool_and_loaded_whole(shared_crawl):
    assert "documents in a pool of 2 processes" in shared_crawl["result"].stderr
    read = sum(int(n) for n in re.findall(r"read (\d+) documents in a pool", shared_crawl["result"].stderr))
    assert read >= 8
    half_loaded = query(shared_crawl["db"], "SELECT id FROM documents d WHERE lines != (SELECT count(*) "
                                            "FROM budget_lines l WHERE l.document_id = d.id)")
    assert half_loaded == []
    assert query(shared_crawl["db"], "SELECT max(lines) AS n FROM documents")[0]["n"] > 200  # the seed page


@pytest.fixture
def frontier(redis_url):
    """A SharedFrontier opened for the demo site on its own run key, with no crawl running."""
    from types import SimpleNamespace

    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from crawler.scaleout import SharedFrontier, redis_settings

    settings = {**redis_settings(redis_url, run=f"test-{time.time_ns()}"), "BUDGETS_FRONTIER_GRACE": 0.2}
    crawler = get_crawler(Spider, settings)
    spider = Spider.from_crawler(crawler, name="disclosures")
    spider.site = SimpleNamespace(name="demo")
    scheduler = SharedFrontier.from_crawler(crawler)
    scheduler.open(spider)
    yield scheduler
    scheduler.close("finished")


def test_an_idle_worker_waits_while_another_worker_is_busy(frontier):
    frontier.server.set(f"{frontier.prefix}:busy:other-worker", 1, px=60_000)
    time.sleep(0.3)  # past the grace: the queue has stayed empty, but the other worker may fill it
    assert frontier.has_pending_requests()
    frontier.server.delete(f"{frontier.prefix}:busy:other-worker")
    time.sleep(0.3)
    assert not frontier.has_pending_requests()


def test_a_worker_killed_while_busy_holds_the_others_only_briefly(frontier):
    from crawler.scaleout import BUSY_TTL_MS

    assert BUSY_TTL_MS <= 10_000
    frontier.server.set(f"{frontier.prefix}:busy:killed-worker", 1, px=300)
    time.sleep(0.7)  # the key expired and the grace passed
    assert not frontier.has_pending_requests()


def test_a_worker_does_not_count_its_own_busy_key(frontier):
    frontier._say_busy()
    time.sleep(0.3)
    assert not frontier.has_pending_requests()


@pytest.mark.parametrize("tally, withdrawn", [
    ({"workers": 2, "whole_walks": 2, "list_pages_requested": 5, "list_pages_read": 5, "documents": 9}, 1),
    ({"workers": 1, "whole_walks": 1, "list_pages_requested": 5, "list_pages_read": 5, "documents": 9}, 0),
    ({"workers": 2, "whole_walks": 1, "list_pages_requested": 5, "list_pages_read": 5, "documents": 9}, 0),
    ({"workers": 2, "whole_walks": 2, "list_pages_requested": 5, "list_pages_read": 4, "documents": 9}, 0),
    ({"workers": 2, "whole_walks": 2, "list_pages_requested": 5, "list_pages_read": 5, "documents": 0}, 0),
], ids=["both walked the whole site", "one worker never closed (killed)", "one stopped early or alerted",
        "a list page was not read", "no documents found"])
def test_a_shared_crawl_withdraws_only_what_the_workers_together_saw_unlinked(redis_url, tmp_path, tally,
                                                                             withdrawn):
    import redis

    from budgets import db as database
    from crawler.scaleout import frontier_prefix, shared_withdrawals

    db = database.connect(tmp_path / "budgets.db")
    for name in ("linked", "unlinked"):
        db["documents"].insert({"id": name, "url": f"http://demo/{name}.pdf", "site": "demo", "bytes": 1,
                                "fetched_at": "2026-11-30T00:00:00+00:00"})
    run = f"test-{time.time_ns()}"
    server = redis.Redis.from_url(redis_url)
    server.hset(f"{frontier_prefix(run, 'demo')}:tally", mapping=tally)
    server.sadd(f"{frontier_prefix(run, 'demo')}:linked", "http://demo/linked.pdf")
    urls = shared_withdrawals(db.conn, redis_url, run, "demo", workers=2)
    assert len(urls) == withdrawn
    assert [r["id"] for r in db.query("SELECT id FROM documents WHERE withdrawn_at IS NOT NULL")] == \
        ["unlinked"] * withdrawn
