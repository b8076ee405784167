"""Make a loaded database ready to publish with Datasette.

`prepare(db)` runs after every load, after `budgets.reference.refresh` (ingest, crawl). It is
idempotent and only adds derived things next to the contract's tables (all defined in
budgets/schema.py): full-text search tables kept in sync by triggers, which copy of every
disclosure counts and the views over it (budgets/views.py), the summary table, indexes for the
published queries, and planner statistics.
"""
from __future__ import annotations

import sqlite_utils

from budgets import fulltext, schema
from budgets import views as published
from budgets.fulltext import FTS_COLUMNS
from budgets.schema import SUMMARY_COLUMNS, SUMMARY_TABLE, STATE_TABLE
from budgets.transaction import transaction
from extractors.constants import TableKind, own_basis_sql

SUMMARY_SQL = f"""
    insert into {SUMMARY_TABLE} ({', '.join(SUMMARY_COLUMNS)})
    select {', '.join(SUMMARY_COLUMNS)} from published_lines
    where table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' and measure = 'total'
      and basis = {own_basis_sql()}
"""


def prepare(db: sqlite_utils.Database) -> None:
    """Full-text search, the copies that count and their views, indexes; safe to run again."""
    for table in FTS_COLUMNS:
        fulltext.ensure(db, table)
    published.refresh(db)  # each figure once, with labels (budgets/views.py)
    refresh_summaries(db)
    schema.ensure_publishing_indexes(db)
    db.execute(f"INSERT OR REPLACE INTO [{STATE_TABLE}] (id, loaded) VALUES (1, ?)", [loaded_state(db)])
    db.analyze()
    checkpoint(db.conn)


def refresh_summaries(db: sqlite_utils.Database) -> None:
    """The summary table of the published lines (schema.SUMMARY_TABLE), rebuilt from
    published_lines; run after budgets.views.refresh, which chooses the published copies."""
    with transaction(db.conn) as conn:
        conn.execute(f"DELETE FROM [{SUMMARY_TABLE}]")
        conn.execute(SUMMARY_SQL)


def is_prepared(db: sqlite_utils.Database) -> bool:
    """True when nothing was loaded or replaced since the last prepare."""
    if not set(schema.CURRENT_VIEWS) | set(schema.PUBLISHED_VIEWS) <= set(db.view_names()):
        return False
    if not all(db[f"{table}_fts"].exists() for table in FTS_COLUMNS) or not db[STATE_TABLE].exists():
        return False
    row = db.execute(f"select loaded from [{STATE_TABLE}] where id = 1").fetchone()
    return bool(row) and row[0] == loaded_state(db)


def loaded_state(db: sqlite_utils.Database) -> str:
    """Row counts and highest rowids of the loaded tables: a load or a replacement changes them.
    Cheap on a big database (count(*) walks an index; max(rowid) is one lookup)."""
    return ";".join(
        "{}:{}".format(*db.execute(f"select count(*), coalesce(max(rowid), 0) from [{table}]").fetchone())
        for table in ("documents", "budget_lines", "findings", "paragraphs", "subjects", "departments")
    )


def checkpoint(conn) -> None:
    """Move everything from the write-ahead log into the database file: Datasette opens the file
    immutable, and an immutable reader does not look at the -wal file."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
