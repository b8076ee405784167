"""The database is defined in one place (budgets/schema.py): a new database gets all of it, and a
database made by an older version opens and becomes this one through named migrations."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

import datasette_sample as sample
from budgets import db as database
from budgets import schema
from budgets.publish import prepare
from extractors.registry import EXTRACTORS

ROOT = Path(__file__).resolve().parents[1]
CREATES = re.compile(r"CREATE (TABLE|VIEW|TRIGGER|INDEX)|\.create\(|create_index|add_column")

# A database as the release before document_urls, the revision columns, the table readings and
# the foreign keys to documents made it: what an old data/budgets.db on a crawl machine holds.
OLDER_RELEASE = [
    "CREATE TABLE documents (id TEXT PRIMARY KEY, url TEXT, site TEXT, district TEXT, department TEXT, title TEXT, "
    "fiscal_year INTEGER, stage TEXT, format TEXT, bytes INTEGER, fetched_at TEXT, parent_id TEXT, status TEXT, "
    "error TEXT, raw_path TEXT, pages INTEGER, tables INTEGER, lines INTEGER)",
    "CREATE TABLE budget_lines (id TEXT PRIMARY KEY, document_id TEXT, district TEXT, department TEXT, "
    "fiscal_year INTEGER, stage TEXT, table_kind TEXT, subject_code TEXT, subject_name TEXT, item TEXT, "
    "measure TEXT, year INTEGER, basis TEXT, amount_wan FLOAT, amount_fen INTEGER)",
    "CREATE TABLE findings (id TEXT PRIMARY KEY, document_id TEXT, \"check\" TEXT, severity TEXT, message TEXT)",
    "CREATE TABLE formats (code TEXT PRIMARY KEY, rank INTEGER, label TEXT)",
    "INSERT INTO formats VALUES ('text', 7, 'text')",
    "INSERT INTO documents (id, url, site, district, department, title, fiscal_year, stage, format, bytes, "
    "fetched_at, status, lines) VALUES ('d1', 'https://example.gov.cn/ys.xlsx', 'tongnan', '潼南区', '财政局', "
    "'2026年部门预算', 2026, 'budget', 'xlsx', 100, '2026-02-12T09:00:00+00:00', 'ok', 1)",
    "INSERT INTO documents (id, title, status) VALUES ('d2', 'a failed fetch', 'failed')",
    "INSERT INTO budget_lines (id, document_id, table_kind, subject_code, subject_name, item, measure, year, "
    "amount_fen) VALUES ('l1', 'd1', 'general_budget_expenditure', '2010101', '行政运行', '', 'total', 2026, 578000000)",
    "INSERT INTO findings VALUES ('f1', 'a document never loaded', 'row_identity', 'error', '…')",
]


@pytest.fixture
def older(tmp_path) -> Path:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        for sql in OLDER_RELEASE:
            conn.execute(sql)
    conn.close()
    return path


def test_a_database_of_an_older_version_gets_the_columns_tables_and_triggers_of_this_one(older):
    db = database.connect(older)
    assert set(schema.DOCUMENT_COLUMNS) <= set(db["documents"].columns_dict)
    assert set(schema.LINE_COLUMNS) <= set(db["budget_lines"].columns_dict)
    assert set(schema.TABLES) <= set(db.table_names())
    assert {"settle_queue_on_load", "settle_queue_on_revision"} <= {t.name for t in db.triggers}
    assert "current_budget_lines" in db.view_names()


def test_its_document_urls_are_filled_from_where_each_document_was_fetched(older):
    db = database.connect(older)
    assert [dict(r) for r in db.query("SELECT url, document_id, first_seen_at, last_seen_at FROM document_urls")] == [
        {"url": "https://example.gov.cn/ys.xlsx", "document_id": "d1",
         "first_seen_at": "2026-02-12T09:00:00+00:00", "last_seen_at": "2026-02-12T09:00:00+00:00"}]


def test_its_lines_get_a_foreign_key_to_documents_and_orphaned_findings_keep_their_rows(older, capsys):
    db = database.connect(older)
    assert [(fk.column, fk.other_table) for fk in db["budget_lines"].foreign_keys] == [("document_id", "documents")]
    assert db["findings"].foreign_keys == [] and db["findings"].count == 1
    assert "findings keeps no foreign key" in capsys.readouterr().err
    # the step that could not finish is not recorded: it is tried again when the rows are gone
    assert "document_foreign_keys" not in schema.applied_migrations(db)
    db.execute("DELETE FROM findings")
    db.conn.close()
    db = database.connect(older)
    assert [fk.column for fk in db["findings"].foreign_keys] == ["document_id"]
    assert schema.applied_migrations(db) == {m.name for m in schema.MIGRATIONS}


def test_each_migration_runs_once(older):
    db = database.connect(older)
    db.execute("DELETE FROM findings")
    assert schema.migrate(db) == ["document_foreign_keys"]
    assert schema.migrate(db) == []
    names = [r[0] for r in db.execute(f"SELECT name FROM {schema.MIGRATIONS_TABLE} ORDER BY rowid")]
    assert sorted(names) == sorted(m.name for m in schema.MIGRATIONS)


def test_the_older_format_name_text_gives_way_to_textdump_and_the_database_publishes(older):
    db = database.connect(older)
    assert db.execute("SELECT count(*) FROM formats WHERE code = 'text'").fetchone()[0] == 0
    prepare(db)
    assert db.execute("SELECT rank FROM formats WHERE code = 'textdump'").fetchone()[0] == \
        schema.FORMAT_PREFERENCE.index("textdump") + 1
    assert [r["document_id"] for r in db.query("SELECT document_id FROM published_lines")] == ["d1"]
    assert {r[0] for r in db.execute("SELECT document_id FROM current_tables")} == {"d1"}


def test_a_new_database_records_every_migration_without_running_one(tmp_path):
    db = database.connect(tmp_path / "new.db")
    assert schema.applied_migrations(db) == {m.name for m in schema.MIGRATIONS}
    assert schema.migrate(db) == []


def test_prepare_of_the_sample_makes_every_table_and_view_the_schema_declares(tmp_path):
    db = sample.build(tmp_path / "budgets.db")
    prepare(db)
    declared_views = {*schema.LOADING_VIEWS, *schema.CURRENT_VIEWS, *schema.PUBLISHED_VIEWS, schema.WIDE_VIEW}
    assert declared_views <= set(db.view_names())
    assert {"current_tables", "published_tables", schema.SUMMARY_TABLE, schema.STATE_TABLE, "completeness",
            *schema.LOOKUP_TABLES, "formats"} <= set(db.table_names())


def test_current_tables_and_published_tables_name_the_same_copies(tmp_path):
    db = sample.build(tmp_path / "budgets.db")
    prepare(db)
    columns = ", ".join(schema.CURRENT_TABLE_COLUMNS)
    current = set(db.execute(f"SELECT {columns} FROM current_tables").fetchall())
    assert current and current == set(db.execute(f"SELECT {columns} FROM published_tables").fetchall())


def test_every_format_a_reader_reads_has_its_place_in_the_format_preference():
    """A text dump is `textdump` wherever the code names it: ranked after PDF, served as text."""
    readable = set(EXTRACTORS) - {"zip", "et", "wps"}  # an archive holds documents; et, wps are rare aliases
    assert readable <= set(schema.FORMAT_PREFERENCE)
    assert schema.FORMAT_PREFERENCE.index("textdump") == schema.FORMAT_PREFERENCE.index("pdf") + 1


def test_only_the_schema_and_the_search_index_create_anything():
    found = {str(path.relative_to(ROOT)) for folder in ("budgets", "crawler", "plugins")
             for path in (ROOT / folder).rglob("*.py") if CREATES.search(path.read_text(encoding="utf-8"))}
    assert found == {"budgets/schema.py", "budgets/fulltext.py"}
