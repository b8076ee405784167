"""Which revision of a URL is current: one rule (budgets/revisions.py), the same answer from the
published views, publishing's choice of figures, the audit's completeness and the crawler's
conditional requests.

The demo site's page of 重庆市潼南区大数据应用发展管理局's 2026 budget (the seed disclosure) serves
its bytes (A), then a revision with 本年收入 changed from 1207.84 to 1307.84 (B), then the first
bytes again (A), then nothing new — four `budgets nightly` runs against the site on 127.0.0.1.
"""
from __future__ import annotations

import hashlib
import sqlite3

import pytest

from budgets import db as database
from budgets import revisions
from budgets.pipeline import Source, document_row, ingest_bytes
from budgets.transaction import transaction
from crawler.demo import site as demo
from crawler.demo.server import SiteServer
from test_nightly import URL, bodies_sent, demo_site, nightly, query

PAGE = URL + demo.SEED_PAGE
INCOME_A, INCOME_B = 1207_840_000, 1307_840_000  # 本年收入 in 分: 1207.84 and 1307.84 万元


@pytest.fixture(scope="module")
def back_and_forth(tmp_path_factory):
    db = tmp_path_factory.mktemp("revisions") / "budgets.db"
    resources = demo_site()
    seed = resources[demo.SEED_PAGE]
    first = seed.body
    revised = first.replace(b"<td>1207.84</td>", b"<td>1307.84</td>", 1)
    assert revised != first
    seen = {"db": db, "a": hashlib.sha256(first).hexdigest(), "b": hashlib.sha256(revised).hexdigest()}
    with SiteServer(resources) as server:
        nights = {}
        for night, body in (("serves A", first), ("serves B", revised), ("serves A again", first)):
            seed.body = body
            nights[night] = nightly(db, server)
        mark, mark_304 = len(server.requests), len(server.not_modified)
        nights["unchanged"] = nightly(db, server)
        seen["bodies"] = bodies_sent(server, mark, mark_304)
    for night, result in nights.items():
        assert result.returncode == 0, result.stderr[-3000:]
    return {**seen, "nights": nights}


def current_ids(db) -> set[str]:
    return {r["id"] for r in query(db, f"SELECT id FROM documents WHERE url = ? AND id IN ({revisions.CURRENT_IDS})",
                                   [PAGE])}


@pytest.mark.slow
def test_the_url_has_one_current_revision_the_bytes_it_serves_again(back_and_forth):
    db, a, b = back_and_forth["db"], back_and_forth["a"], back_and_forth["b"]
    stored = {r["id"]: r for r in query(db, "SELECT id, superseded_by FROM documents WHERE url = ?", [PAGE])}
    assert set(stored) == {a, b}, "both revisions keep their rows"
    assert stored[b]["superseded_by"] == a and stored[a]["superseded_by"] is None
    assert current_ids(db) == {a}
    with sqlite3.connect(db) as conn:
        assert revisions.current_at(conn, PAGE)["id"] == a


@pytest.mark.slow
def test_the_views_show_the_first_figures_again(back_and_forth):
    db, a, b = back_and_forth["db"], back_and_forth["a"], back_and_forth["b"]
    shown = {r["document_id"] for r in query(db, "SELECT DISTINCT document_id FROM current_budget_lines")}
    assert a in shown and b not in shown
    amounts = {r["amount_fen"] for r in query(db, "SELECT amount_fen FROM current_budget_lines WHERE document_id = ?", [a])}
    assert INCOME_A in amounts and INCOME_B not in amounts
    # current_lines counts each table once, from the copy that counts (the XLSX attachment of the
    # same disclosure, by format): never from the replaced bytes
    assert b not in {r["document_id"] for r in query(db, "SELECT DISTINCT document_id FROM current_lines")}
    amounts = {r["amount_fen"] for r in query(db, "SELECT amount_fen FROM current_lines WHERE department = ? "
                                                  "AND fiscal_year = 2026 AND stage = 'budget'", ["大数据应用发展管理局"])}
    assert INCOME_A in amounts and INCOME_B not in amounts
    # B's lines stay in budget_lines, for history
    assert query(db, "SELECT count(*) AS n FROM budget_lines WHERE document_id = ?", [b])[0]["n"] > 0


@pytest.mark.slow
def test_publishing_counts_the_first_bytes_and_lists_the_revision_as_older(back_and_forth):
    db, a, b = back_and_forth["db"], back_and_forth["a"], back_and_forth["b"]
    assert {r["id"] for r in query(db, "SELECT id FROM older_revisions WHERE url = ?", [PAGE])} == {b}
    assert b not in {r["id"] for r in query(db, "SELECT id FROM current_documents")}
    suppliers = {r["document_id"] for r in query(db, "SELECT document_id FROM current_tables")}
    assert b not in suppliers
    # one rule: the copies current_lines counts are those published_lines counts
    assert suppliers == {r["document_id"] for r in query(db, "SELECT document_id FROM published_tables")}


@pytest.mark.slow
def test_the_audits_completeness_is_made_of_the_first_bytes(back_and_forth):
    db, a, b = back_and_forth["db"], back_and_forth["a"], back_and_forth["b"]
    [row] = query(db, "SELECT documents FROM completeness WHERE department = '大数据应用发展管理局' "
                      "AND fiscal_year = 2026 AND stage = 'budget'")
    members = row["documents"].split(", ")
    assert a in members and b not in members


@pytest.mark.slow
def test_the_crawler_revalidates_the_first_bytes_and_the_site_sends_nothing_again(back_and_forth):
    from scrapy.utils.test import get_crawler

    from crawler.incremental import ConditionalRequestMiddleware

    middleware = ConditionalRequestMiddleware(get_crawler(settings_dict={"BUDGETS_DB": str(back_and_forth["db"])}))
    try:
        assert middleware.known(PAGE)["id"] == back_and_forth["a"]
    finally:
        middleware.spider_closed(None)
    assert demo.SEED_PAGE not in back_and_forth["bodies"]  # asked with A's ETag, answered 304


@pytest.mark.slow
def test_the_night_the_url_went_back_audited_the_disclosure_again(back_and_forth):
    nights = back_and_forth["nights"]
    assert "audit: nothing new to check" not in nights["serves A again"].stdout
    assert "audit: nothing new to check" in nights["unchanged"].stdout


# ---- the rule on its own, on a database loaded by the ingest path ------------------------------------

def seed_bytes() -> bytes:
    from conftest import SEED

    if not SEED.exists():
        pytest.skip(f"the seed disclosure is not at {SEED}")
    return SEED.read_bytes()


def loaded(db, data: bytes, url: str, at: str, raw_path: str = "") -> str:
    doc = ingest_bytes(db, data, Source(filename="seed.txt", url=url, site="cqtn", fetched_at=at, raw_path=raw_path))
    revisions.observe(db.conn, url, doc["id"], at)
    return doc["id"]


def documents(db) -> list[tuple]:
    return db.execute("SELECT * FROM documents ORDER BY id").fetchall()


def test_reading_the_stored_files_again_changes_no_revision(tmp_db):
    """`budgets ingest data/raw` after A, B and A again: the same rows, A still current."""
    url = "https://www.cqtn.gov.cn/zwgk/ys.txt"
    first = seed_bytes()
    revised = first.replace("1207.84".encode(), "1307.84".encode(), 1)
    a = loaded(tmp_db, first, url, "2026-02-01T00:00:00+00:00", raw_path="data/raw/cqtn/a.txt")
    b = loaded(tmp_db, revised, url, "2026-03-01T00:00:00+00:00", raw_path="data/raw/cqtn/b.txt")
    revisions.observe(tmp_db.conn, url, a, "2026-04-01T00:00:00+00:00")  # unchanged bytes are only observed
    before = documents(tmp_db)
    lines = tmp_db.execute("SELECT count(*) FROM budget_lines").fetchone()[0]
    for data, raw_path in ((first, "data/raw/cqtn/a.txt"), (revised, "data/raw/cqtn/b.txt")):
        ingest_bytes(tmp_db, data, Source(filename=raw_path.rsplit("/", 1)[1], raw_path=raw_path))
    assert documents(tmp_db) == before
    assert tmp_db.execute("SELECT count(*) FROM budget_lines").fetchone()[0] == lines
    assert revisions.current_at(tmp_db.conn, url)["id"] == a
    assert {r[0] for r in tmp_db.execute("SELECT DISTINCT document_id FROM current_budget_lines")} == {a}
    assert revisions.reconcile(tmp_db.conn) == 0
    assert b != a


def test_a_failed_fetch_never_hides_the_revision_the_url_served(tmp_db):
    url = "https://www.cqtn.gov.cn/zwgk/ys.txt"
    a = loaded(tmp_db, seed_bytes(), url, "2026-02-01T00:00:00+00:00")
    failure = document_row("f" * 64, Source(url=url, site="cqtn", fetched_at="2026-03-01T00:00:00+00:00"),
                           status="failed", error="HTTP 503 fetching " + url)
    database.load_document(tmp_db, failure)
    assert revisions.current_at(tmp_db.conn, url)["id"] == a
    current = {r[0] for r in tmp_db.execute(f"SELECT id FROM documents WHERE url = ? AND id IN ({revisions.CURRENT_IDS})",
                                            [url])}
    assert current == {a, failure["id"]}  # the failure is a record of its own, not a revision
    assert tmp_db.execute("SELECT count(DISTINCT document_id) FROM current_budget_lines").fetchone()[0] == 1


def test_a_run_killed_before_marking_leaves_the_bytes_seen_last_current(tmp_db):
    url = "https://www.cqtn.gov.cn/zwgk/ys.txt"
    first = seed_bytes()
    a = loaded(tmp_db, first, url, "2026-02-01T00:00:00+00:00")
    revised = first.replace("1207.84".encode(), "1307.84".encode(), 1)
    assert revised != first
    # loaded, then killed before revisions.observe ran
    b = ingest_bytes(tmp_db, revised, Source(filename="seed.txt", url=url, site="cqtn",
                                              fetched_at="2026-03-01T00:00:00+00:00"))["id"]
    assert revisions.current_at(tmp_db.conn, url)["id"] == b
    assert {r[0] for r in tmp_db.execute("SELECT DISTINCT document_id FROM current_budget_lines")} == {b}
    assert revisions.reconcile(tmp_db.conn) == 1
    assert tmp_db.execute("SELECT superseded_by FROM documents WHERE id = ?", [a]).fetchone()[0] == b
    assert revisions.reconcile(tmp_db.conn) == 0


def test_a_database_made_before_the_rule_gets_the_new_views(tmp_path):
    path = tmp_path / "old.db"
    database.connect(path).conn.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP VIEW current_budget_lines")
    conn.execute("CREATE VIEW current_budget_lines AS SELECT l.* FROM budget_lines l JOIN documents d "
                 "ON d.id = l.document_id WHERE d.superseded_by IS NULL")
    conn.commit()
    conn.close()
    db = database.connect(path)
    [sql] = db.execute("SELECT sql FROM sqlite_master WHERE name = 'current_budget_lines'").fetchone()
    assert revisions.CURRENT_IDS in sql


# ---- one row builder, one transaction ----------------------------------------------------------

def test_read_refused_and_unfetched_documents_have_the_same_columns(tmp_db):
    read = ingest_bytes(tmp_db, seed_bytes(), Source(filename="seed.txt"))
    refused = document_row("0" * 64, Source(filename="huge.pdf", raw_path="/data/huge.pdf"), status="failed",
                           error="too large", fmt="pdf", size=900_000_000)
    unfetched = document_row("1" * 64, Source(url="https://x.gov.cn/a.pdf", title_hint="2026年部门预算"),
                             status="failed", error="HTTP 404")
    assert set(read) == set(refused) == set(unfetched) == set(database.DOCUMENT_COLUMNS) - set(database.REVISION_COLUMNS)
    assert unfetched["bytes"] is None and unfetched["raw_path"] is None and unfetched["title"] == "2026年部门预算"
    assert refused["bytes"] == 900_000_000 and refused["raw_path"] == "/data/huge.pdf" and refused["fetched_at"]


def test_a_failed_block_leaves_nothing_and_a_nested_failure_only_its_own_writes(tmp_db):
    conn = tmp_db.conn
    with pytest.raises(RuntimeError):
        with transaction(conn):
            conn.execute("INSERT INTO crawl_runs (site) VALUES ('outer')")
            raise RuntimeError("killed")
    assert conn.execute("SELECT count(*) FROM crawl_runs").fetchone()[0] == 0
    with transaction(conn):
        conn.execute("INSERT INTO crawl_runs (site) VALUES ('kept')")
        with pytest.raises(RuntimeError):
            with transaction(conn):
                conn.execute("INSERT INTO crawl_runs (site) VALUES ('undone')")
                raise RuntimeError("one document failed")
        with transaction(conn):
            conn.execute("INSERT INTO crawl_runs (site) VALUES ('nested')")
    assert not conn.in_transaction
    assert [r[0] for r in conn.execute("SELECT site FROM crawl_runs ORDER BY id")] == ["kept", "nested"]
