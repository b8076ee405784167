"""Make a loaded database ready to publish with Datasette.

`prepare(db)` runs after every load, after `budgets.reference.refresh` (ingest, crawl). It is
idempotent and only adds derived things next to the contract's tables: full-text search tables
kept in sync by triggers, views of the current copy of every disclosure, indexes for the
published queries, and foreign keys to documents on databases created before they existed.
"""
from __future__ import annotations

import sys

import sqlite_utils

# Full-text search: table → indexed columns. The trigram tokenizer matches any run of three or
# more characters, which is what Chinese text without spaces needs (the default tokenizer would
# treat a whole sentence as one word). Shorter queries fall back to LIKE in the search query.
FTS_COLUMNS = {
    "departments": ["department", "variants", "district"],
    "subjects": ["name", "code"],
    "budget_lines": ["item"],  # subject names are searched in subjects_fts
    "paragraphs": ["text"],
}

DOCUMENT_CHILDREN = ["budget_lines", "findings", "paragraphs", "tables", "unplaced_cells"]

# Which documents the comparisons leave out (their rows stay in the tables, for history):
# - an older revision: the same URL fetched again with changed bytes is a new row, the newest counts;
# - another copy of the same disclosure: same district, department, year, stage and title loaded
#   from two formats (the page and its PDF, a text dump and the HTML): the copy with status ok and
#   the most lines counts. Documents without lines (a page whose tables are in an attachment) never
#   compete.
# current_lines reads budget_lines first (CROSS JOIN fixes the order) so that a query's filters use
# the indexes of budget_lines; the few left-out documents are a small list checked per line.
VIEWS = {
    "superseded_documents": """
        select * from documents where id in (
          select id from (
            select id, row_number() over (
              partition by coalesce(nullif(url, ''), id) order by fetched_at desc, id) as newest
            from documents)
          where newest > 1
          union
          select id from (
            select id, row_number() over (
              partition by district, department, fiscal_year, stage, title
              order by status = 'ok' desc, lines desc, fetched_at desc, id) as best
            from documents where coalesce(lines, 0) > 0 and fiscal_year is not null)
          where best > 1)
    """,
    "current_documents": """
        select * from documents where id not in (select id from superseded_documents)
    """,
    "current_lines": """
        select l.*, d.title as document_title
        from budget_lines l cross join documents d on d.id = l.document_id
        where l.document_id not in (select id from superseded_documents)
    """,
}

INDEXES = [
    # single columns that the table pages facet and sort on
    ("budget_lines", ["fiscal_year"]),
    ("budget_lines", ["stage"]),
    ("budget_lines", ["measure"]),
    ("budget_lines", ["year"]),
    ("budget_lines", ["table_kind", "measure", "fiscal_year"]),
    ("budget_lines", ["subject_code", "year"]),
    ("budget_lines", ["district", "department", "year"]),
    ("documents", ["district", "department", "fiscal_year"]),
    ("documents", ["fiscal_year", "stage"]),
    ("findings", ["severity"]),
]


def prepare(db: sqlite_utils.Database) -> None:
    """Foreign keys, full-text search, views and indexes; safe to run again."""
    add_document_foreign_keys(db)
    for table, columns in FTS_COLUMNS.items():
        ensure_fts(db, table, columns)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)
    for table, columns in INDEXES:
        db[table].create_index(columns, if_not_exists=True)
    db.analyze()
    checkpoint(db.conn)


def checkpoint(conn) -> None:
    """Move everything from the write-ahead log into the database file: Datasette opens the file
    immutable, and an immutable reader does not look at the -wal file."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def add_document_foreign_keys(db: sqlite_utils.Database) -> None:
    """Databases created before the schema declared them get document_id → documents.id.
    A table holding rows whose document is gone is left as it is (with a note): the site then
    shows its ids without links, and nothing is deleted."""
    missing = []
    for table in DOCUMENT_CHILDREN:
        if not db[table].exists() or any(fk.column == "document_id" for fk in db[table].foreign_keys):
            continue
        orphans = db.execute(
            f"select count(*) from [{table}] where document_id is not null "
            "and document_id not in (select id from documents)").fetchone()[0]
        if orphans:
            print(f"publish: {table} keeps no foreign key to documents: {orphans} rows name a document "
                  "that is not loaded", file=sys.stderr)
            continue
        missing.append((table, "document_id", "documents", "id"))
    if missing:
        db.add_foreign_keys(missing)
        for table, *_ in missing:  # the tables were rebuilt: rowids changed, triggers are gone
            if db[f"{table}_fts"].exists():
                db[f"{table}_fts"].drop()


def ensure_fts(db: sqlite_utils.Database, table: str, columns: list[str]) -> None:
    """A trigram FTS5 table kept in sync by triggers; rebuilt when it has drifted from its table
    (INSERT OR REPLACE deletes without firing triggers, so a replaced row leaves a stale entry)."""
    fts = f"{table}_fts"
    if not db[fts].exists() or _fts_columns(db, fts) != columns:
        db[table].enable_fts(columns, create_triggers=True, tokenize="trigram", replace=True)
        return
    indexed = db.execute(f"select count(*) from [{fts}_docsize]").fetchone()[0]
    if indexed != db[table].count:
        db[table].rebuild_fts()


def _fts_columns(db, fts: str) -> list[str]:
    return [c.name for c in db[fts].columns]
