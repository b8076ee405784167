"""The spider against the bundled demo site, over real HTTP on 127.0.0.1.

One crawl (and a second one, to show re-running is safe) for the whole module; each test reads
what it left in the database, the raw store and the server's request log.
"""
import hashlib
import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest

from crawler.demo import site as demo
from crawler.demo.server import SiteServer
from conftest import NO_CORPUS
from crawling import scrapy_crawl

pytestmark = pytest.mark.slow  # starts processes or servers

URL = f"http://{demo.HOST}"


CHANGED = demo.PDF_PAGES[1]  # republished with a correction between the two crawls
WITHDRAWN = demo.PDF_PAGES[0]  # taken off the list between the two crawls


def second_edition(resources):
    """The site a day later: one page republished with new bytes, one taken off its list."""
    page = resources[CHANGED.path]
    resources[CHANGED.path] = type(page)(page.body + "<!-- 更正 -->".encode(), page.content_type)
    listing = f"{demo.BUDGETS}/index_1.html"
    text = resources[listing].body.decode("gbk")
    text = re.sub(rf'<li><a href="{re.escape(WITHDRAWN.path)}".*?</li>', "", text)
    resources[listing] = type(page)(text.encode("gbk"), resources[listing].content_type)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    if len(demo.pdf_pages()) < len(demo.PDF_PAGES):  # they revise and take down its PDF disclosures
        pytest.skip(f"the demo site's PDF disclosures are left out: {NO_CORPUS}")
    tmp = tmp_path_factory.mktemp("demo-crawl")
    db = tmp / "budgets.db"
    with SiteServer(demo.build()) as server:
        replica = f"127.0.0.1:{server.port}"
        first = scrapy_crawl("demo", replica, db)
        first_requests = list(server.requests)
        counts = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
        second_edition(server.resources)
        second = scrapy_crawl("demo", replica, db)
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return {"db": conn, "requests": first_requests, "log": first.stderr, "raw": tmp / "raw" / "demo",
            "documents_after_first": counts}


def documents(crawl, **where):
    sql = "SELECT * FROM documents"
    if where:
        sql += " WHERE " + " AND ".join(f"{k} = ?" for k in where)
    return [dict(r) for r in crawl["db"].execute(sql, list(where.values()))]


def one(crawl, path):
    """The document at `path` (the first edition, for the page that changed)."""
    rows = sorted(documents(crawl, url=URL + path), key=lambda d: d["fetched_at"])
    assert len(rows) == (2 if path == CHANGED.path else 1), f"{path}: {len(rows)} rows"
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


def test_utf8_pages_with_a_bom_mislabelled_gbk_are_read_right(crawl):
    bom_page = next(d for d in demo.PDF_PAGES if d.bom)
    row = one(crawl, bom_page.path)
    assert row["title"].startswith(bom_page.title)
    assert (row["district"], row["fiscal_year"]) == ("上海市普陀区", 2024)


def test_pdf_attachments_are_stored_with_their_page_as_parent(crawl):
    for page in demo.PDF_PAGES:
        if page.delay:
            continue
        # the latest edition of the page, for the one republished between the crawls
        parent = max(documents(crawl, url=URL + page.path), key=lambda d: d["fetched_at"])
        pdfs = [d for d in documents(crawl, parent_id=parent["id"]) if d["format"] == "pdf"]
        assert len(pdfs) == 1, page.path
        assert pdfs[0]["fiscal_year"] == parent["fiscal_year"]


def test_office_renditions_are_stored_with_the_seed_page_as_parent(crawl):
    seed = one(crawl, demo.SEED_PAGE)
    children = {d["format"] for d in documents(crawl, parent_id=seed["id"]) if d["bytes"]}
    assert {p.suffix.lstrip(".") for p in demo.renditions()} == {"xlsx", "xls", "docx", "doc", "zip"}
    assert children == {"xlsx", "xls", "docx", "doc", "zip"}


def test_zip_members_are_documents_under_their_archive(crawl):
    import zipfile

    archive = next(d for d in documents(crawl) if d["format"] == "zip")
    with zipfile.ZipFile(archive["raw_path"]) as z:
        members = [hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist() if not i.is_dir()]
    assert members
    for member_id in members:
        # a member whose bytes also came as a file of their own is one document (ids are content hashes)
        (row,) = documents(crawl, id=member_id)
        if row["url"].startswith(archive["url"] + "#"):
            assert row["parent_id"] == archive["id"]


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


def test_a_chinese_file_name_in_a_url_is_fetched_percent_encoded(crawl):
    sfj = next(d for d in demo.PDF_PAGES if "司法局" in d.title)
    assert sfj.pdf_path in crawl["requests"]
    assert one(crawl, quote(sfj.pdf_path))["format"] == "pdf"


def test_an_attachment_named_only_by_content_disposition_is_stored_as_what_it_is(crawl):
    download = one(crawl, demo.DOWNLOAD)
    assert download["format"] == "xlsx" and download["raw_path"].endswith(".xlsx")
    assert "filename*=UTF-8''" in json.loads(download["http_headers"])["Content-Disposition"]


def test_disclosure_pages_load_budget_lines_from_their_html_tables(crawl):
    seed = one(crawl, demo.SEED_PAGE)
    assert seed["status"] in ("ok", "partial") and seed["lines"] > 100
    lines = crawl["db"].execute("SELECT count(*) FROM budget_lines WHERE document_id = ?", [seed["id"]])
    assert lines.fetchone()[0] == seed["lines"]


def test_a_missing_attachment_is_a_failed_document_with_its_reason(crawl):
    missing = one(crawl, demo.MISSING)
    assert missing["status"] == "failed"
    assert missing["error"] == f"HTTP 404 fetching {URL}{demo.MISSING}"
    assert missing["parent_id"] == one(crawl, demo.SEED_PAGE)["id"]


def test_an_attachment_answering_503_is_retried_then_a_failed_document(crawl):
    row = one(crawl, demo.UNAVAILABLE)
    assert row["status"] == "failed" and row["error"].startswith("HTTP 503 (2 attempts) fetching")
    assert crawl["requests"].count(demo.UNAVAILABLE) == 2


def test_a_page_that_times_out_is_a_failed_document_and_the_crawl_goes_on(crawl):
    slow = next(d for d in demo.PDF_PAGES if d.delay)
    row = one(crawl, slow.path)
    assert row["status"] == "failed"
    assert row["error"].startswith("timed out after 1 s (2 attempts) fetching")
    assert crawl["requests"].count(slow.path) == 2  # tried again once before giving up
    assert [d for d in documents(crawl, format="pdf")], "attachments after the slow page were still fetched"


def test_each_crawl_is_summarised_in_crawl_runs(crawl):
    first = dict(crawl["db"].execute("SELECT * FROM crawl_runs ORDER BY id").fetchone())
    fetched = [d for d in documents(crawl) if d["bytes"] is not None and d["url"] != URL + CHANGED.path]
    assert first["site"] == "demo" and first["status"] == "partial"
    assert first["pages"] == 5 + 3  # list pages + disclosure pages answered (not the slow one)
    # the ZIP rendition holds the DOCX and the XLSX also linked on their own: whichever copy comes
    # second is bytes already known, counted as the same bytes as another URL's, not a new
    # document; nothing is unchanged on a first crawl
    zip_copies = 2
    assert (first["documents_new"], first["documents_same_bytes"], first["documents_unchanged"],
            first["documents_failed"]) == (len(fetched) + 1 - zip_copies, zip_copies, 0, 3)  # failed: 404, 503, timeout
    assert f"0 unchanged, {zip_copies} same bytes as another URL's" in first["message"]
    assert first["bytes"] == sum(d["bytes"] for d in fetched) + one(crawl, CHANGED.path)["bytes"]
    assert first["started_at"] <= first["finished_at"]


def test_a_second_crawl_counts_what_changed_and_what_was_withdrawn(crawl):
    first, second = [dict(r) for r in crawl["db"].execute("SELECT * FROM crawl_runs ORDER BY id")]
    withdrawn = 2  # the page taken off the list, and its PDF
    assert second["documents_new"] == 0
    assert second["documents_changed"] == 1
    assert second["documents_withdrawn"] == withdrawn
    assert second["documents_unchanged"] == first["documents_new"] + first["documents_same_bytes"] - 1 - withdrawn
    assert second["documents_same_bytes"] == 0
    assert first["finished_at"] <= second["started_at"]


def test_a_changed_page_is_a_new_row_and_the_old_one_stays(crawl):
    old, new = sorted(documents(crawl, url=URL + CHANGED.path), key=lambda d: d["fetched_at"])
    assert old["id"] != new["id"] and new["bytes"] == old["bytes"] + len("<!-- 更正 -->".encode())


def test_running_again_adds_no_duplicates(crawl):
    urls = [d["url"] for d in documents(crawl) if d["url"] != URL + CHANGED.path]
    assert len(urls) == len(set(urls))
    assert len(documents(crawl)) == crawl["documents_after_first"] + 1  # only the changed page


def test_progress_is_printed_while_crawling(crawl):
    assert "[demo] new" in crawl["log"]
    assert "[demo] crawl partial:" in crawl["log"]


def test_the_crawl_loads_many_documents_to_a_transaction(crawl):
    """The ingest pipeline holds what it read and loads it in batches (budgets/writebehind.py)."""
    found = re.search(r"\[demo\] loaded (\d+) documents? in (\d+) transactions?", crawl["log"])
    assert found, crawl["log"][-2000:]
    documents, transactions = int(found.group(1)), int(found.group(2))
    assert documents == crawl["documents_after_first"] and 0 < transactions < documents
