"""The spider against the bundled demo site, over real HTTP on 127.0.0.1.

One crawl (and a second one, to show re-running is safe) for the whole module; each test reads
what it left in the database, the raw store and the server's request log.
"""
import hashlib
import sqlite3
from pathlib import Path

import pytest

from crawler.demo import site as demo
from crawler.demo.server import SiteServer
from crawling import scrapy_crawl

URL = f"http://{demo.HOST}"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo-crawl")
    db = tmp / "budgets.db"
    with SiteServer(demo.build()) as server:
        replica = f"127.0.0.1:{server.port}"
        first = scrapy_crawl("demo", replica, db)
        first_requests = list(server.requests)
        second = scrapy_crawl("demo", replica, db)
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return {"db": conn, "requests": first_requests, "log": first.stderr, "raw": tmp / "raw" / "demo"}


def documents(crawl, **where):
    sql = "SELECT * FROM documents"
    if where:
        sql += " WHERE " + " AND ".join(f"{k} = ?" for k in where)
    return [dict(r) for r in crawl["db"].execute(sql, list(where.values()))]


def one(crawl, path):
    rows = documents(crawl, url=URL + path)
    assert len(rows) == 1, f"{path}: {len(rows)} rows"
    return rows[0]


def test_every_disclosure_page_is_fetched_once_and_stored_once(crawl):
    for path in [demo.SEED_PAGE] + [d.path for d in demo.PDF_PAGES if d.delay == 0]:
        assert crawl["requests"].count(path) == 1, path
        assert one(crawl, path)["format"] == "html"


def test_a_mobile_twin_is_not_fetched(crawl):
    assert demo.SEED_WAP not in crawl["requests"]
    assert documents(crawl, url=URL + demo.SEED_WAP) == []


def test_notices_and_unrelated_pages_are_skipped(crawl):
    for path in (demo.NOTICE, demo.REPORT):
        assert path not in crawl["requests"]
    assert not [d for d in documents(crawl) if "通知" in (d["title"] or "") or "工作报告" in (d["title"] or "")]


def test_robots_txt_is_read_and_obeyed(crawl):
    assert crawl["requests"][0] == "/robots.txt"
    assert not [r for r in crawl["requests"] if r.startswith(demo.DISALLOWED)]


def test_all_list_pages_are_walked_through_both_kinds_of_pager(crawl):
    for column in (demo.BUDGETS, demo.FINALS):
        assert f"{column}/index.html" in crawl["requests"]
        assert f"{column}/index_1.html" in crawl["requests"]
    assert f"{demo.BUDGETS}/index_2.html" in crawl["requests"]  # only the JS pager names it


def test_gbk_pages_mislabelled_utf8_are_read_right(crawl):
    seed = one(crawl, demo.SEED_PAGE)
    assert seed["title"] == "重庆市潼南区大数据应用发展管理局2026年部门预算公开"
    assert (seed["district"], seed["fiscal_year"], seed["stage"]) == ("重庆市潼南区", 2026, "budget")


def test_pdf_attachments_are_stored_with_their_page_as_parent(crawl):
    for page in demo.PDF_PAGES:
        if page.delay:
            continue
        parent = one(crawl, page.path)
        pdfs = [d for d in documents(crawl, parent_id=parent["id"]) if d["format"] == "pdf"]
        assert len(pdfs) == 1, page.path
        assert pdfs[0]["fiscal_year"] == parent["fiscal_year"]


def test_office_renditions_are_stored_with_the_seed_page_as_parent(crawl):
    seed = one(crawl, demo.SEED_PAGE)
    children = {d["format"] for d in documents(crawl, parent_id=seed["id"]) if d["status"] != "failed"}
    expected = {p.suffix.lstrip(".") for p in demo.renditions()}
    assert children == expected


def test_raw_files_are_kept_by_content_hash_with_fetch_details(crawl):
    for doc in documents(crawl):
        if doc["bytes"] is None:
            continue
        raw = Path(doc["raw_path"])
        assert raw.parent == crawl["raw"]
        assert raw.name == f"{doc['id']}.{raw.suffix.lstrip('.')}"
        assert hashlib.sha256(raw.read_bytes()).hexdigest() == doc["id"]
        assert doc["fetched_at"] and doc["http_headers"]
    assert not list(crawl["raw"].glob(".part-*"))


def test_chinese_file_names_in_urls_and_content_disposition_are_kept(crawl):
    titles = {d["url"]: d["title"] for d in documents(crawl)}
    sfj = next(d for d in demo.PDF_PAGES if "司法局" in d.title)
    assert any("%E5%8F%B8%E6%B3%95%E5%B1%80" in url for url in titles)  # 司法局, percent-encoded
    assert one(crawl, demo.PDF_PAGES[1].path)["title"] == "上海市普陀区人民政府办公室2025年部门预算"
    assert sfj.title in titles[next(u for u in titles if "%E5%8F%B8%E6%B3%95%E5%B1%80" in u)]


def test_a_missing_attachment_is_a_failed_document_with_its_reason(crawl):
    missing = one(crawl, demo.MISSING)
    assert missing["status"] == "failed"
    assert missing["error"].startswith("HTTP 404")
    assert missing["parent_id"] == one(crawl, demo.SEED_PAGE)["id"]


def test_a_page_that_times_out_is_a_failed_document_and_the_crawl_goes_on(crawl):
    slow = next(d for d in demo.PDF_PAGES if d.delay)
    row = one(crawl, slow.path)
    assert row["status"] == "failed"
    assert row["error"].startswith("timed out after 1 s")
    assert crawl["requests"].count(slow.path) == 2  # tried again once before giving up
    assert [d for d in documents(crawl, format="pdf")], "attachments after the slow page were still fetched"


def test_each_crawl_is_summarised_in_crawl_runs(crawl):
    first, second = [dict(r) for r in crawl["db"].execute("SELECT * FROM crawl_runs ORDER BY id")]
    fetched = len([d for d in documents(crawl) if d["bytes"] is not None])
    assert first["site"] == "demo" and first["status"] == "partial"
    assert first["pages"] == 5 + 3  # list pages + disclosure pages answered (not the slow one)
    assert (first["documents_new"], first["documents_failed"]) == (fetched, 2)
    assert first["bytes"] == sum(d["bytes"] for d in documents(crawl) if d["bytes"])
    assert (second["documents_new"], second["documents_unchanged"]) == (0, fetched)
    assert second["documents_withdrawn"] == 0
    assert first["started_at"] <= first["finished_at"] <= second["started_at"]


def test_running_again_adds_no_duplicates(crawl):
    urls = [d["url"] for d in documents(crawl)]
    assert len(urls) == len(set(urls))


def test_progress_is_printed_while_crawling(crawl):
    assert "[demo] new" in crawl["log"]
    assert "[demo] crawl partial:" in crawl["log"]
