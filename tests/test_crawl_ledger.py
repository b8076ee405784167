"""One crawl ledger: the spider run the Scrapy way (`scrapy crawl disclosures`, which is also what
scrapyd runs) leaves the same database as `budgets demo`: the after-load step (reference
tables, audit, publishing prep) runs when the crawl closes, whoever started it, and running it
again afterwards does nothing twice.

Both crawl the bundled demo site (crawler/demo/) over real HTTP on 127.0.0.1, with the demo's
settings, each into a database of its own."""
import sqlite3
import subprocess
import sys

import pytest

from budgets import db as database
from budgets.afterload import settle
from budgets.cli.demo import DEMO_SETTINGS
from crawler.demo import site as demo
from crawler.demo.server import SiteServer
from crawling import ROOT
from test_demo_command import fetched_documents

pytestmark = pytest.mark.slow

# every row of what the audit and publishing prep write, without ids of runs or times
FINDINGS = ('SELECT id, document_id, district, department, fiscal_year, "check", severity, table_kind, '
            "subject_code, measure, year, expected_wan, actual_wan, difference_wan, message, evidence "
            "FROM findings ORDER BY id")
# (a disclosure's documents are listed newest first: compared as a set, since fetch times differ)
COMPLETENESS = ("SELECT id, district, department, fiscal_year, stage, family, mandated, present, missing, score, "
                "(SELECT group_concat(value, ', ') FROM (SELECT value FROM json_each('[\"' || "
                "replace(documents, ', ', '\",\"') || '\"]') ORDER BY value)) FROM completeness ORDER BY id")
FTS = {  # the search tables' content, and what a search finds in them
    "budget_lines_fts": "SELECT item FROM budget_lines_fts ORDER BY item",
    "paragraphs_fts": "SELECT text FROM paragraphs_fts ORDER BY text",
    "subjects_fts": "SELECT name, code FROM subjects_fts ORDER BY code, name",
    "departments_fts": "SELECT department, variants, district FROM departments_fts ORDER BY district, department",
}
SEARCH = ("SELECT l.document_id, l.item FROM budget_lines_fts JOIN budget_lines l ON l.rowid = budget_lines_fts.rowid "
          "WHERE budget_lines_fts MATCH '社会保障' ORDER BY 1, 2")


def rows(db, sql):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ledger")
    by_scrapy, by_demo = tmp / "scrapy" / "budgets.db", tmp / "demo" / "budgets.db"
    with SiteServer(demo.build()) as server:
        command = [sys.executable, "-m", "scrapy", "crawl", "disclosures", "-a", "site=demo",
                   "-a", f"replica=127.0.0.1:{server.port}", "-s", f"BUDGETS_DB={by_scrapy}",
                   "-s", "LOG_LEVEL=WARNING"]
        for name, value in DEMO_SETTINGS.items():
            command += ["-s", f"{name}={value}"]
        scrapy = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    budgets = subprocess.run([sys.executable, "-m", "budgets", "demo", "--no-serve", "--db", str(by_demo)],
                             cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert scrapy.returncode == 0, scrapy.stderr[-3000:]
    assert budgets.returncode == 0, budgets.stderr[-3000:]
    return {"scrapy": by_scrapy, "demo": by_demo, "scrapy_log": scrapy.stderr, "demo_out": budgets.stdout}


def test_scrapy_crawl_audits_what_it_loaded(crawls):
    assert f"audited {fetched_documents()} documents" in crawls["scrapy_log"]
    severities = dict(rows(crawls["scrapy"], "SELECT severity, count(*) FROM findings GROUP BY severity"))
    assert severities.get("error", 0) > 0
    assert rows(crawls["scrapy"], "SELECT count(*) FROM completeness")[0][0] > 0


@pytest.mark.parametrize("sql", [FINDINGS, COMPLETENESS, *FTS.values(), SEARCH],
                         ids=["findings", "completeness", *FTS, "search"])
def test_scrapy_crawl_and_budgets_demo_give_the_same_tables(crawls, sql):
    by_scrapy = rows(crawls["scrapy"], sql)
    assert by_scrapy, "nothing to compare"
    assert by_scrapy == rows(crawls["demo"], sql)


def test_both_are_ready_to_publish_with_one_crawl_run_each(crawls):
    from budgets.publish import is_prepared

    for name in ("scrapy", "demo"):
        db = database.connect(crawls[name])
        assert is_prepared(db), name
        assert db.execute("SELECT count(*) FROM crawl_runs").fetchone()[0] == 1
        assert db.execute("SELECT count(*) FROM settle_queue").fetchone()[0] == 0, "left unsettled"
        db.conn.close()


def test_settling_again_after_the_crawl_does_nothing(crawls, tmp_path):
    import shutil

    copy = tmp_path / "again.db"
    shutil.copy(crawls["scrapy"], copy)
    before = {sql: rows(copy, sql) for sql in (FINDINGS, COMPLETENESS, *FTS.values())}
    db = database.connect(copy)
    changes = db.conn.total_changes
    assert settle(db) == ""
    assert db.conn.total_changes == changes, "settle wrote to a settled database"
    db.conn.close()
    assert {sql: rows(copy, sql) for sql in before} == before


def test_a_document_loaded_after_settling_is_audited_once_by_the_next_settle(crawls, tmp_path):
    import shutil

    copy = tmp_path / "reloaded.db"
    shutil.copy(crawls["scrapy"], copy)
    db = database.connect(copy)
    seed = db.execute("SELECT * FROM documents WHERE format = 'html' AND lines > 100").fetchone()
    assert seed is not None
    document = dict(zip([c[0] for c in db.execute("SELECT * FROM documents LIMIT 0").description], seed))
    findings = db.execute("SELECT count(*) FROM findings WHERE document_id = ?", [document["id"]]).fetchone()[0]
    assert findings > 0
    children = {table: [dict(r) for r in db.query(f"SELECT * FROM [{table}] WHERE document_id = ?",
                                                   [document["id"]])]
                for table in ("budget_lines", "paragraphs", "tables", "unplaced_cells")}
    # loading it again (as `budgets ingest` of the same bytes does) drops its findings until it is audited
    database.load_document(db, document, children["budget_lines"], children["paragraphs"],
                           children["tables"], children["unplaced_cells"])
    assert db.execute("SELECT count(*) FROM findings WHERE document_id = ?", [document["id"]]).fetchone()[0] == 0
    summary, total = settle(db), findings_of(db, document["id"])
    # its own findings: as published, or, where its disclosure's other copies count differently,
    # mentioned once as the count over every copy
    assert summary.startswith("audited 1 documents: ")
    assert f"{total} counting every copy" in summary or summary.startswith(f"audited 1 documents: {total} findings as")
    assert db.execute("SELECT count(*) FROM findings WHERE document_id = ?",
                      [document["id"]]).fetchone()[0] == findings
    assert settle(db) == ""
    db.conn.close()


def findings_of(db, document_id) -> int:
    return db.execute("SELECT count(*) FROM findings WHERE document_id = ?", [document_id]).fetchone()[0]
