"""The full-text search tables: which columns of which table are searched, which rows are in the
index, the triggers that keep it in step with its table, and building it again.

A row is in its table's index only when some searched column holds text: an empty or NULL
`item` has no trigram a search could match, and most budget lines (those named by a subject
code) have none, so indexing them would only cost the load (budgets/db.py Loader writes these
rows per batch). The triggers carry the same condition (`searchable`): a delete of a row never
indexed must not reach the index, since FTS5 would take its sizes off the totals.
"""
from __future__ import annotations

import sqlite_utils

from budgets.transaction import transaction

# Table → searched columns. The trigram tokenizer matches any run of three or more characters,
# which is what Chinese text without spaces needs (the default tokenizer would treat a whole
# sentence as one word). Shorter queries fall back to LIKE in the search query.
FTS_COLUMNS = {
    "departments": ["department", "variants", "district"],
    "subjects": ["name", "code"],
    "budget_lines": ["item"],  # subject names are searched in subjects_fts
    "paragraphs": ["text"],
}
TOKENIZE = "trigram"


def searchable(columns: list[str], row: str = "") -> str:
    """SQL that is true for a row with text in some searched column (`row` is new./old. in a trigger)."""
    return "(" + " OR ".join(f"coalesce({row}[{c}], '') <> ''" for c in columns) + ")"


def _names(columns: list[str], row: str = "") -> str:
    return ", ".join(f"{row}[{c}]" for c in columns)


def trigger_sql(table: str, columns: list[str]) -> dict[str, str]:
    """Trigger name → CREATE TRIGGER, under the names sqlite-utils gives them."""
    fts, cols = f"[{table}_fts]", _names(columns)
    new, old = searchable(columns, "new."), searchable(columns, "old.")
    insert = f"INSERT INTO {fts} (rowid, {cols}) SELECT new.rowid, {_names(columns, 'new.')} WHERE {new};"
    delete = (f"INSERT INTO {fts} ({fts}, rowid, {cols}) SELECT 'delete', old.rowid, "
              f"{_names(columns, 'old.')} WHERE {old};")
    return {
        f"{table}_ai": f"CREATE TRIGGER [{table}_ai] AFTER INSERT ON [{table}] BEGIN {insert} END",
        f"{table}_ad": f"CREATE TRIGGER [{table}_ad] AFTER DELETE ON [{table}] BEGIN {delete} END",
        f"{table}_au": f"CREATE TRIGGER [{table}_au] AFTER UPDATE ON [{table}] BEGIN {delete} {insert} END",
    }


def index_rows_sql(table: str, where: str) -> str:
    """INSERT of the index rows of `table`'s searchable rows that match `where` (SQL, may take parameters)."""
    cols = _names(FTS_COLUMNS[table])
    return (f"INSERT INTO [{table}_fts] (rowid, {cols}) SELECT rowid, {cols} FROM [{table}] "
            f"WHERE ({where}) AND {searchable(FTS_COLUMNS[table])}")


def ensure(db: sqlite_utils.Database, table: str) -> None:
    """The table's index and triggers as defined here, built again when it has drifted from its
    table (INSERT OR REPLACE deletes without firing triggers, so a replaced row leaves a stale
    entry) or when it was made by other rules (an older database indexed every row). One
    transaction: a killed run leaves the index as it was."""
    columns, fts = FTS_COLUMNS[table], f"{table}_fts"
    wanted = trigger_sql(table, columns)
    with transaction(db.conn) as conn:
        made = not db[fts].exists() or [c.name for c in db[fts].columns] != columns
        if made:
            conn.execute(f"DROP TABLE IF EXISTS [{fts}]")
            conn.execute(f"CREATE VIRTUAL TABLE [{fts}] USING FTS5 ({_names(columns)}, "
                         f"tokenize='{TOKENIZE}', content=[{table}])")
        present = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                                    [table]).fetchall())
        stale = [name for name, sql in wanted.items() if present.get(name) != sql]
        for name in stale:
            conn.execute(f"DROP TRIGGER IF EXISTS [{name}]")
            conn.execute(wanted[name])
        indexed = conn.execute(f"SELECT count(*) FROM [{fts}_docsize]").fetchone()[0]
        if made or stale or indexed != count_searchable(db, table):
            rebuild(db, table)


def count_searchable(db: sqlite_utils.Database, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM [{table}] WHERE {searchable(FTS_COLUMNS[table])}").fetchone()[0]


def rebuild(db: sqlite_utils.Database, table: str) -> None:
    """The index made again from its table's searchable rows."""
    with transaction(db.conn) as conn:
        conn.execute(f"INSERT INTO [{table}_fts] ([{table}_fts]) VALUES ('delete-all')")
        conn.execute(index_rows_sql(table, "1"))
