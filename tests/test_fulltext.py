"""The search index holds the rows that have text to search (budgets/fulltext.py).

The rows are the seed disclosure (重庆市潼南区大数据应用发展管理局 2026 部门预算, its HTML
rendering) read through the real pipeline: most of its lines are named by a subject code alone
and have an empty `item`, some carry text such as 合计 or a project name (电子政务网络改造升级).
What the index should hold is counted from the table itself, never from the index.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from budgets import db as database
from budgets import fulltext, publish
from budgets.pipeline import Source, read_bytes
from search_index import assert_index_exact as assert_exact, indexed_rowids, rowids_with_text

ROOT = Path(__file__).resolve().parents[1]
SEED_HTML = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.html"


@pytest.fixture(scope="module")
def seed_reading():
    return read_bytes(SEED_HTML.read_bytes(), Source(filename=SEED_HTML.name, url="https://example.gov.cn/seed.html"))


def load(db, reading) -> None:
    database.load_document(db, reading.document, reading.lines, reading.paragraphs, reading.tables,
                           reading.unplaced)


def search(conn, query: str) -> list[tuple]:
    return conn.execute("SELECT l.id FROM budget_lines_fts f JOIN budget_lines l ON l.rowid = f.rowid "
                        "WHERE budget_lines_fts MATCH ? ORDER BY l.id", [query]).fetchall()


def test_only_lines_with_an_item_are_indexed_and_searching_finds_the_same_lines(tmp_path, seed_reading):
    db = database.connect(tmp_path / "budgets.db")
    publish.prepare(db)
    load(db, seed_reading)
    conn = db.conn
    total = conn.execute("SELECT count(*) FROM budget_lines").fetchone()[0]
    with_text = rowids_with_text(conn, "budget_lines")
    assert 0 < len(with_text) < total, "the seed has lines with an item and lines with a subject code only"
    assert_exact(conn, "budget_lines")
    assert_exact(conn, "paragraphs")
    for words in ("电子政务网络", "社会保障和就业"):
        like = conn.execute("SELECT id FROM budget_lines WHERE item LIKE ? ORDER BY id", [f"%{words}%"]).fetchall()
        assert like and search(conn, words) == like, words


def test_deleting_and_editing_rows_keeps_the_index_exact(tmp_path, seed_reading):
    db = database.connect(tmp_path / "budgets.db")
    publish.prepare(db)
    load(db, seed_reading)
    conn = db.conn
    with conn:
        conn.execute("DELETE FROM budget_lines WHERE rowid IN (SELECT rowid FROM budget_lines WHERE item = '' LIMIT 20)")
        conn.execute("UPDATE budget_lines SET item = '新增的说明文字' WHERE rowid = (SELECT min(rowid) FROM budget_lines WHERE item = '')")
        conn.execute("UPDATE budget_lines SET item = '' WHERE rowid = (SELECT min(rowid) FROM budget_lines WHERE item LIKE '%电子政务%')")
        conn.execute("UPDATE budget_lines SET item = NULL WHERE rowid = (SELECT min(rowid) FROM budget_lines WHERE item = '合计')")
    assert_exact(conn, "budget_lines")
    assert len(search(conn, "新增的说明")) == 1
    assert len(search(conn, "电子政务")) == 1, "the other of the two 电子政务 lines"


def test_a_document_loaded_again_replaces_its_index_rows(tmp_path, seed_reading):
    db = database.connect(tmp_path / "budgets.db")
    publish.prepare(db)
    load(db, seed_reading)
    load(db, seed_reading)
    assert_exact(db.conn, "budget_lines")
    assert len(search(db.conn, "电子政务网络")) == 2


def test_an_index_of_every_row_made_by_an_older_release_is_built_again_by_prepare(tmp_path, seed_reading):
    path = tmp_path / "budgets.db"
    db = database.connect(path)
    load(db, seed_reading)
    # what prepare did before: sqlite-utils' triggers, which index every row
    db["budget_lines"].enable_fts(["item"], create_triggers=True, tokenize="trigram")
    assert len(indexed_rowids(db.conn, "budget_lines")) == db["budget_lines"].count
    publish.prepare(db)
    db.conn.close()
    conn = sqlite3.connect(path)
    assert_exact(conn, "budget_lines")
    trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'budget_lines_ad'").fetchone()[0]
    assert trigger == fulltext.trigger_sql("budget_lines", ["item"])["budget_lines_ad"]
    with conn:
        conn.execute("DELETE FROM budget_lines")
    assert_exact(conn, "budget_lines")


def test_prepare_run_again_leaves_a_correct_index_untouched(tmp_path, seed_reading):
    path = tmp_path / "budgets.db"
    db = database.connect(path)
    publish.prepare(db)
    load(db, seed_reading)
    before = db.conn.execute("SELECT block FROM budget_lines_fts_data ORDER BY id").fetchall()
    publish.prepare(db)
    assert db.conn.execute("SELECT block FROM budget_lines_fts_data ORDER BY id").fetchall() == before
    assert_exact(db.conn, "budget_lines")
