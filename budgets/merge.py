"""Merging databases. Crawler machines sharing one frontier each load their own SQLite file
(SQLite must not be shared over a network); `budgets merge` brings those files into one.

Documents are keyed by the hash of their bytes and their lines, tables and paragraphs by ids
derived from it, so a row already present is the same row: merging copies what is new and
merging again copies nothing. Where the files hold different bytes for one URL, the revision
seen last is current (budgets/revisions.reconcile). Findings are not copied: the audit runs
again over what came in. Raw files stay on the machine that fetched them (`raw_path`).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

from budgets import revisions
from budgets.transaction import transaction

CHILD_TABLES = ("budget_lines", "paragraphs", "tables", "unplaced_cells")


class MergeError(Exception):
    """A source database could not be read; nothing of it was merged."""


@dataclass(frozen=True)
class Merged:
    documents: list[str]  # ids of the documents the source added
    lines: int
    crawl_runs: int
    revisions: int  # documents marked superseded because the source had newer bytes at their URL


def columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA [{schema}].table_info([{table}])")]


def shared_columns(conn: sqlite3.Connection, table: str, *, without: tuple[str, ...] = ()) -> list[str]:
    """The columns `table` has in both databases (a source written by an older version may
    lack some), quoted for INSERT … SELECT."""
    theirs = set(columns(conn, "source", table))
    return [f"[{c}]" for c in columns(conn, "main", table) if c in theirs and c not in without]


def merge_database(conn: sqlite3.Connection, source: Path) -> Merged:
    """Copy into `conn`'s database the documents of `source` it does not hold, with their
    lines, tables, paragraphs and unplaced cells, and the crawl runs it has not recorded, and
    mark the revisions that came in (budgets/revisions.reconcile); all in one transaction, so a
    failure leaves the target as it was."""
    if not source.is_file():
        raise MergeError(f"{source} does not exist")
    try:
        conn.execute("ATTACH DATABASE ? AS source", [str(source)])
        found = {r[0] for r in conn.execute("SELECT name FROM source.sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        _detach(conn)
        raise MergeError(f"cannot read {source}: {exc}") from exc
    try:
        if not {"documents", "budget_lines"} <= found:
            raise MergeError(f"{source} is not a budgets database (it has no documents and budget_lines tables)")
        with transaction(conn):
            merged = _copy(conn, [t for t in CHILD_TABLES if t in found], "crawl_runs" in found)
            merged = replace(merged, revisions=revisions.reconcile(conn))
    except sqlite3.DatabaseError as exc:  # a damaged source, or a full disk here
        raise MergeError(f"cannot merge {source}: {exc}; nothing of it was merged") from exc
    finally:
        _detach(conn)
    return merged


def _detach(conn: sqlite3.Connection) -> None:
    if any(row[1] == "source" for row in conn.execute("PRAGMA database_list")):
        conn.execute("DETACH DATABASE source")


def _copy(conn: sqlite3.Connection, children: list[str], has_runs: bool) -> Merged:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS merging (id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.merging")
    conn.execute("INSERT INTO temp.merging SELECT id FROM source.documents "
                 "WHERE id NOT IN (SELECT id FROM main.documents)")
    new = [r[0] for r in conn.execute("SELECT id FROM temp.merging ORDER BY id")]
    cols = ", ".join(shared_columns(conn, "documents"))
    conn.execute(f"INSERT INTO main.documents ({cols}) SELECT {cols} FROM source.documents "
                 "WHERE id IN (SELECT id FROM temp.merging)")
    # the same bytes on both machines: the later sighting is the one that counts
    conn.execute("UPDATE main.documents SET last_seen_at = s.last_seen_at FROM source.documents s "
                 "WHERE s.id = main.documents.id AND s.last_seen_at > coalesce(main.documents.last_seen_at, '')")
    lines = 0
    for table in children:
        cols = ", ".join(shared_columns(conn, table))
        cursor = conn.execute(f"INSERT OR IGNORE INTO main.[{table}] ({cols}) SELECT {cols} FROM source.[{table}] "
                              "WHERE document_id IN (SELECT id FROM temp.merging)")
        if table == "budget_lines":
            lines = cursor.rowcount
    runs = 0
    if has_runs:
        # a run has no id that holds across databases: it is recorded when every column matches
        # (two workers of one crawl can start and finish in the same second)
        names = shared_columns(conn, "crawl_runs", without=("id",))
        cols = ", ".join(names)
        same = " AND ".join(f"m.{c} IS s.{c}" for c in names)
        runs = conn.execute(
            f"INSERT INTO main.crawl_runs ({cols}) SELECT {cols} FROM source.crawl_runs s WHERE NOT EXISTS "
            f"(SELECT 1 FROM main.crawl_runs m WHERE {same}) ORDER BY s.id").rowcount
    return Merged(new, lines, runs, 0)
