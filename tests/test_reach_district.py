"""A crawl of a whole district from its config's roots alone (no column list), against the
district-scale replica in tests/district_replica.py: every unit's disclosures and attachments
are fetched, each once, nothing off the allowed hosts; a second night starts from the columns
the first found and notices the unit added, the unit removed and the column moved."""
import sqlite3
import time

import pytest

import district_replica as replica
from crawler import sites
from crawler.demo.server import SiteServer
from crawling import scrapy_crawl

SITE = "rongchang"
# loopback: no politeness delay, several requests at once (the config's 1 is for the real site).
# Reach is what is asked for, so the raw files are stored but not extracted: reading 1,400
# documents would take two minutes here, and extraction has its own tests (test_crawl_real_sites).
QUICK = ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING",
         "-s", 'ITEM_PIPELINES={"crawler.pipelines.RawFilesPipeline": 100}')


def crawl_night(night, db):
    with SiteServer(replica.build(night)) as server:
        started = time.monotonic()
        result = scrapy_crawl(SITE, f"127.0.0.1:{server.port}", db, *QUICK, timeout=240)
        seconds = time.monotonic() - started
        requested = list(server.requested_urls)
    assert result.returncode == 0, result.stderr[-3000:]
    return {"requested": requested, "log": result.stderr, "seconds": seconds}


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    db = tmp_path_factory.mktemp("district") / "budgets.db"
    first = crawl_night(1, db)
    first_columns = {r[0] for r in sqlite3.connect(db).execute("SELECT url FROM columns WHERE site = ?", [SITE])}
    second = crawl_night(2, db)
    return {"db": db, "first": first, "second": second, "first_columns": first_columns}


def requested_urls(night):
    return [f"http://{r}" for r in night["requested"]]


def test_the_replica_is_district_scale():
    units = replica.units(1)
    assert len([u for u in units if not u.town]) >= 300 and len([u for u in units if u.town]) == 21
    assert len({u.imitates for u in units}) >= 12  # the documented path templates


def test_the_config_knows_four_of_the_replicas_columns_the_rest_are_discovered():
    # the four 荣昌 columns REAL-SITES documents are the config's seeds; the other 700-odd are not
    config = sites.load(SITE)
    seeds = {config.canonical(u) for u in config.start_urls}
    assert config.roots and seeds <= replica.column_urls(1)
    assert len(replica.column_urls(1)) > 150 * len(seeds)


@pytest.mark.slow
def test_every_disclosure_page_and_attachment_is_fetched(nights):
    asked = set(requested_urls(nights["first"]))
    want = replica.expected(1)
    missing_pages = want["pages"] - asked
    missing_files = want["attachments"] - asked
    print(f"reach: {len(want['pages']) - len(missing_pages)}/{len(want['pages'])} pages, "
          f"{len(want['attachments']) - len(missing_files)}/{len(want['attachments'])} attachments, "
          f"{nights['first']['seconds']:.1f} s")
    assert not missing_pages, sorted(missing_pages)[:5]
    assert not missing_files, sorted(missing_files)[:5]


@pytest.mark.slow
def test_nothing_is_fetched_twice(nights):
    asked = requested_urls(nights["first"])
    twice = {u for u in asked if asked.count(u) > 1} if len(asked) < 10 else \
        {u for u, n in __import__("collections").Counter(asked).items() if n > 1}
    assert not twice, sorted(twice)[:5]


@pytest.mark.slow
def test_nothing_off_the_allowed_hosts_and_no_news_notices_or_twins(nights):
    asked = requested_urls(nights["first"])
    assert {u.split("/")[2] for u in asked} == {replica.HOST}
    assert not [u for u in asked if "_wap" in u or "/bmdt/" in u or "/xwzx/index_1" in u or "t20260105_" in u]


@pytest.mark.slow
def test_every_column_is_recorded_with_its_stage(nights):
    found = nights["first_columns"]
    assert replica.column_urls(1) <= found, sorted(replica.column_urls(1) - found)[:5]
    db = sqlite3.connect(nights["db"])
    stages = dict(db.execute("SELECT url, stage FROM columns WHERE site = ?", [SITE]))
    ys = next(u for u in stages if u.endswith("/ysjs/ysgk/index.html"))
    assert stages[ys] == "budget"
    assert stages[next(u for u in stages if u.endswith("/czyjs_bm/bmjs_bm/index.html"))] == "final_account"


@pytest.mark.slow
def test_second_night_notices_the_added_and_the_removed_unit(nights):
    db = sqlite3.connect(nights["db"])
    db.row_factory = sqlite3.Row
    rows = {r["url"]: r for r in db.execute("SELECT * FROM columns WHERE site = ?", [SITE])}
    added = {c.url for u in replica.units(2) if u.name == replica.ADDED_UNIT for c in u.columns}
    removed = {c.url for u in replica.units(1) if u.name == replica.REMOVED_UNIT for c in u.columns}
    assert added and removed
    for url in added:
        assert url in rows and url not in nights["first_columns"] and not rows[url]["vanished_at"]
    for url in removed:
        assert rows[url]["vanished_at"], url
    assert "columns:" in nights["second"]["log"] and "vanished" in nights["second"]["log"]
    moved_to = replica.moved_column(2).url
    assert moved_to in rows and moved_to not in nights["first_columns"]
    asked = set(requested_urls(nights["second"]))
    assert replica.expected(2)["pages"] <= asked


@pytest.mark.slow
def test_second_night_starts_from_the_columns_found_the_first(nights):
    # the removed unit's column is asked for although nothing links it any more
    removed = {c.url for u in replica.units(1) if u.name == replica.REMOVED_UNIT for c in u.columns}
    assert removed <= set(requested_urls(nights["second"]))


@pytest.mark.slow
def test_the_vanished_column_is_an_alert(nights):
    db = sqlite3.connect(nights["db"])
    alerts = db.execute("SELECT alerts FROM crawl_runs WHERE site = ? ORDER BY id DESC", [SITE]).fetchone()[0]
    assert "column(s) found before are gone" in (alerts or ""), alerts
