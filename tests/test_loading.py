"""Loading many documents per transaction, each one atomic (budgets/db.py `Loader`, `batch`).

The documents are the seed disclosure (重庆市潼南区大数据应用发展管理局 2026 部门预算, its HTML
rendering) read once through the real pipeline, then given other ids as if the same layout had
been published by other departments: 248 lines, 14 tables and the narrative of a real document
each time. Lines are counted and compared against what the reading holds, never against numbers
the loader produced.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from budgets import db as database
from budgets import publish, schema
from budgets.pipeline import Source, read_bytes
from search_index import assert_index_exact

ROOT = Path(__file__).resolve().parents[1]
SEED_HTML = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.html"


@pytest.fixture(scope="module")
def seed_reading():
    reading = read_bytes(SEED_HTML.read_bytes(), Source(filename=SEED_HTML.name, url="https://example.gov.cn/seed.html"))
    assert reading.lines and reading.paragraphs, "the seed's HTML rendering reads as lines and paragraphs"
    return reading


def rekeyed(reading, n: int) -> dict:
    """The reading as document number `n`: another id (and URL), the same rows."""
    doc_id = hashlib.sha256(f"copy {n}".encode()).hexdigest()
    old = reading.document["id"]

    def move(rows):
        return [{**row, "id": row["id"].replace(old[:16], doc_id[:16], 1), "document_id": doc_id} for row in rows]

    return {"document": {**reading.document, "id": doc_id, "url": f"https://example.gov.cn/{n}.html"},
            "lines": move(reading.lines), "paragraphs": move(reading.paragraphs),
            "tables": move(reading.tables), "unplaced": move(reading.unplaced)}


def published_db(path: Path):
    """A database as publishing leaves it: search tables with their triggers, the indexes."""
    db = database.connect(path)
    publish.prepare(db)
    return db


def dump(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {
            "documents": conn.execute("SELECT id, url, lines, tables FROM documents ORDER BY id").fetchall(),
            "lines": conn.execute("SELECT id, document_id, amount_fen, item FROM budget_lines ORDER BY id").fetchall(),
            "paragraphs": conn.execute("SELECT id, text FROM paragraphs ORDER BY id").fetchall(),
            "tables": conn.execute("SELECT id FROM tables ORDER BY id").fetchall(),
        }
    finally:
        conn.close()


def assert_searchable(path: Path) -> None:
    """The search index holds every line and paragraph with text to search and nothing else, and
    its triggers are there."""
    conn = sqlite3.connect(path)
    try:
        for table in database.SEARCHED_CHILDREN:
            assert_index_exact(conn, table)
            assert conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                [f"{table}_ai"]).fetchone(), f"{table}_ai is back"
    finally:
        conn.close()


def load_all(db, docs, **limits):
    with database.batch(db, **limits):
        for doc in docs:
            database.load_document(db, doc["document"], doc["lines"], doc["paragraphs"], doc["tables"],
                                   doc["unplaced"])


def test_a_batch_loads_every_row_of_every_document_and_keeps_them_searchable(tmp_path, seed_reading):
    db = published_db(tmp_path / "budgets.db")
    docs = [rekeyed(seed_reading, n) for n in range(1, 8)]
    load_all(db, docs, max_documents=3)
    for doc in docs:
        n = db.execute("SELECT count(*) FROM budget_lines WHERE document_id = ?", [doc["document"]["id"]]).fetchone()[0]
        assert n == len(seed_reading.lines)
    db.conn.close()
    assert_searchable(tmp_path / "budgets.db")
    conn = sqlite3.connect(tmp_path / "budgets.db")
    # 电子政务网络改造升级, a project the seed prints: found in every copy
    hits = conn.execute("SELECT count(DISTINCT l.document_id) FROM budget_lines_fts f "
                        "JOIN budget_lines l ON l.rowid = f.rowid WHERE budget_lines_fts MATCH '电子政务'").fetchone()[0]
    assert hits == len(docs)


def test_a_document_that_fails_leaves_nothing_and_the_rest_of_its_batch_loads(tmp_path, seed_reading):
    db = published_db(tmp_path / "budgets.db")
    good, bad = rekeyed(seed_reading, 1), rekeyed(seed_reading, 2)
    bad["lines"] = bad["lines"] + bad["lines"][:1]  # the same line id twice: the INSERT fails
    with database.batch(db):
        database.load_document(db, good["document"], good["lines"], good["paragraphs"])
        with pytest.raises(sqlite3.IntegrityError):
            database.load_document(db, bad["document"], bad["lines"], bad["paragraphs"])
    ids = {r[0] for r in db.execute("SELECT DISTINCT document_id FROM budget_lines")}
    assert ids == {good["document"]["id"]}
    assert not db.execute("SELECT 1 FROM documents WHERE id = ?", [bad["document"]["id"]]).fetchone()
    assert not db.execute("SELECT 1 FROM paragraphs WHERE document_id = ?", [bad["document"]["id"]]).fetchone()
    db.conn.close()
    assert_searchable(tmp_path / "budgets.db")


def test_loading_a_document_again_in_the_same_batch_replaces_it(tmp_path, seed_reading):
    db = published_db(tmp_path / "budgets.db")
    doc = rekeyed(seed_reading, 1)
    load_all(db, [doc, rekeyed(seed_reading, 2), doc])
    load_all(db, [doc])  # and in a batch of its own, after it was committed
    assert db.execute("SELECT count(*) FROM budget_lines WHERE document_id = ?",
                      [doc["document"]["id"]]).fetchone()[0] == len(seed_reading.lines)
    db.conn.close()
    assert_searchable(tmp_path / "budgets.db")


def test_a_big_load_drops_the_publishing_indexes_and_prepare_builds_them_again(tmp_path, seed_reading):
    db = published_db(tmp_path / "budgets.db")
    wanted = {schema.index_name(t, c) for t, c in schema.INDEXES if t == "budget_lines"}

    def present():
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")} & wanted

    assert present() == wanted
    load_all(db, [rekeyed(seed_reading, n) for n in range(1, 4)])  # into an empty table: big
    assert present() == set()
    publish.prepare(db)
    assert present() == wanted
    # a load of a small share of what is there keeps them
    load_all(db, [rekeyed(seed_reading, n) for n in range(4, 40)])
    publish.prepare(db)
    load_all(db, [rekeyed(seed_reading, 40)])
    assert present() == wanted


def test_prepare_drops_the_indexes_an_older_database_kept_on_every_line(tmp_path, seed_reading):
    """Each index of budget_lines costs every line loaded; an older database's indexes that no
    query is planned with any more (schema.REPLACED_INDEXES) go at the next prepare, and the
    canned questions keep an index to read."""
    db = published_db(tmp_path / "budgets.db")
    for table, columns in schema.REPLACED_INDEXES:
        db[table].create_index(columns, if_not_exists=True)
    publish.prepare(db)
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'budget_lines'")}
    assert not present & {schema.index_name(t, c) for t, c in schema.REPLACED_INDEXES}
    assert {schema.index_name(t, c) for t, c in schema.INDEXES if t == "budget_lines"} <= present


def canned_query(name: str) -> str:
    import yaml

    meta = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
    return next(q["sql"] for d in meta["databases"].values() for n, q in d.get("queries", {}).items() if n == name)


def test_subject_across_departments_reads_the_lines_of_the_subject_not_of_the_year(tmp_path, seed_reading):
    """metadata.yml's `subject_across_departments` (a code, or part of a subject's name) reads the
    index range of the subject and year, and looks the published tables up by their index: at 10M
    lines a year's lines of one table kind are a hundred times as many (benchmarks/queries.py). The
    lines found are looked up in published_lines by `line_rowid`, straight from that index."""
    db = database.connect(tmp_path / "budgets.db")
    load_all(db, [rekeyed(seed_reading, n) for n in range(1, 30)])
    publish.prepare(db)
    sql = canned_query("subject_across_departments")
    # the seed's 2080505 机关事业单位基本养老保险缴费支出, by code and by part of its name
    params = {"code": "2080505", "year": "", "stage": "", "table_kind": ""}
    plan = " / ".join(r[-1] for r in db.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "USING COVERING INDEX idx_budget_lines_subject_code_year (subject_code=? AND year=?)" in plan, plan
    assert "SEARCH l USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan  # by line_rowid, not by id
    assert "SCAN published_tables" not in plan, plan
    by_code = db.execute(sql, params).fetchall()
    by_name = db.execute(sql, {**params, "code": "基本养老保险缴费"}).fetchall()
    assert by_code and set(by_code) <= set(by_name)
    assert {row[2] for row in by_code} == {"2080505"}


def test_department_year_over_year_reads_the_lines_of_the_department(tmp_path, seed_reading):
    """metadata.yml's `department_year_over_year` finds the department among the published tables
    and reads that department's lines in its district (at 10M lines, by the index of both:
    benchmarks/queries.py), whether the name is given whole or in part (大数据 for the seed's
    大数据应用发展管理局) and with or without the district."""
    db = database.connect(tmp_path / "budgets.db")
    load_all(db, [rekeyed(seed_reading, n) for n in range(1, 30)])
    publish.prepare(db)
    sql = canned_query("department_year_over_year")
    whole = {"department": "大数据应用发展管理局", "district": "重庆市潼南区"}
    plan = " / ".join(r[-1] for r in db.execute("EXPLAIN QUERY PLAN " + sql, whole))
    assert "USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan  # the view's lines by line_rowid
    rows = db.execute(sql, whole).fetchall()
    assert rows and rows == db.execute(sql, {**whole, "department": "大数据"}).fetchall()
    assert rows == db.execute(sql, {**whole, "district": ""}).fetchall()


def test_subject_over_years_reads_one_index_range_of_the_summary(tmp_path, seed_reading):
    """metadata.yml's `subject_over_years` (one subject year by year) reads the summary table that
    prepare refreshes (schema.SUMMARY_TABLE) through its covering index: one index range per
    subject and stage, which is what keeps it under 100 ms at 10M lines (benchmarks/queries.py)."""
    import yaml

    db = database.connect(tmp_path / "budgets.db")
    load_all(db, [rekeyed(seed_reading, n) for n in range(1, 30)])
    publish.prepare(db)
    meta = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
    sql = next(q["sql"] for d in meta["databases"].values() for name, q in d.get("queries", {}).items()
               if name == "subject_over_years")
    plan = " / ".join(r[-1] for r in db.execute("EXPLAIN QUERY PLAN " + sql,
                                                {"code": "2010101", "department": "", "district": "", "stage": ""}))
    name = schema.index_name(*schema.SUMMARY_INDEXES[0])
    assert f"USING COVERING INDEX {name} (subject_code=? AND stage=?)" in plan, plan
    assert "budget_lines" not in plan, plan


CHILD = textwrap.dedent("""
    import json, sys
    from budgets import db as database
    db = database.connect(sys.argv[1])
    docs = json.load(open(sys.argv[2]))
    with database.batch(db, max_documents=10, max_seconds=600):
        for n, doc in enumerate(docs, 1):
            database.load_document(db, doc["document"], doc["lines"], doc["paragraphs"], doc["tables"],
                                   doc["unplaced"])
            print(n, flush=True)
""")


@pytest.mark.slow
def test_a_load_killed_mid_batch_loses_only_that_batch_and_a_rerun_equals_a_clean_run(tmp_path, seed_reading):
    docs = [rekeyed(seed_reading, n) for n in range(1, 26)]
    readings = tmp_path / "docs.json"
    readings.write_text(json.dumps(docs, ensure_ascii=False))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(path: Path, kill_after: int | None = None) -> None:
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(readings)], stdout=subprocess.PIPE,
                                 text=True, env=env)
        try:
            for line in child.stdout:
                if kill_after and int(line) == kill_after:
                    os.kill(child.pid, signal.SIGKILL)
                    break
            assert child.wait(timeout=120) == (-signal.SIGKILL if kill_after else 0)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=10)
            child.stdout.close()

    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    for path in (clean, killed):
        published_db(path).conn.close()
    run(clean)
    run(killed, kill_after=15)  # documents 11–15 were in the open batch
    after_kill = dump(killed)
    assert [d[0] for d in after_kill["documents"]] == sorted(d["document"]["id"] for d in docs[:10])
    assert len(after_kill["lines"]) == 10 * len(seed_reading.lines), "nothing half-loaded"
    assert_searchable(killed)
    run(killed)
    assert dump(killed) == dump(clean)
    assert_searchable(killed)
