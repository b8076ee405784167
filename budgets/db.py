"""The SQLite database: schema of the public tables, and the loader.

Every document is loaded in one transaction: its row, its lines, its narrative and what could
not be placed. Loading the same bytes again replaces them with identical rows, so re-running
any command is safe.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable

import sqlite_utils

from budgets.revisions import CURRENT_IDS
from budgets.transaction import transaction

DEFAULT_DB = Path("data/budgets.db")

DOCUMENT_COLUMNS = {
    "id": str, "url": str, "site": str, "district": str, "department": str, "title": str,
    "fiscal_year": int, "stage": str, "format": str, "bytes": int, "fetched_at": str,
    "parent_id": str, "status": str, "error": str, "raw_path": str,
    "pages": int, "tables": int, "lines": int, "content_type": str, "http_headers": str,
    # revisions (budgets/revisions.py): the newer document at the same URL, when this one was
    # replaced, when a crawl last found these bytes at `url`, when the site stopped linking it
    "superseded_by": str, "superseded_at": str, "last_seen_at": str, "withdrawn_at": str,
}
# set by budgets/revisions.py only: reading the same bytes again leaves them as they are
REVISION_COLUMNS = ("superseded_by", "superseded_at", "last_seen_at", "withdrawn_at")

LINE_COLUMNS = {
    "id": str, "document_id": str, "district": str, "department": str, "department_raw": str,
    "fiscal_year": int, "stage": str, "table_kind": str, "table_title": str,
    "classification": str, "subject_code": str, "subject_name": str, "level": int,
    "parent_code": str, "item": str, "measure": str, "year": int, "basis": str,
    "amount_wan": float, "amount_fen": int, "unit_printed": str, "page": int,
    "table_index": int, "row_index": int, "column_index": int, "column_label": str,
    "source_text": str, "url": str,
}

FINDING_COLUMNS = {
    "id": str, "document_id": str, "district": str, "department": str, "fiscal_year": int,
    "check": str, "severity": str, "table_kind": str, "subject_code": str, "measure": str,
    "year": int, "expected_wan": float, "actual_wan": float, "difference_wan": float,
    "message": str, "evidence": str,
}

PARAGRAPH_COLUMNS = {"id": str, "document_id": str, "page": int, "position": int, "text": str}

UNPLACED_COLUMNS = {
    "id": str, "document_id": str, "table_index": int, "table_title": str, "row_index": int,
    "text": str, "candidates": str, "reason": str,
}

TABLE_COLUMNS = {
    "id": str, "document_id": str, "table_index": int, "label": str, "title": str,
    "table_kind": str, "unit": str, "page": int, "rows": int, "lines": int, "notes": str,
}

CRAWL_RUN_COLUMNS = {
    "id": int, "site": str, "started_at": str, "finished_at": str, "pages": int,
    "documents_new": int, "documents_changed": int, "documents_unchanged": int,
    "documents_withdrawn": int, "documents_failed": int, "bytes": int, "status": str,
    "message": str,
    # what a run cost and what needs a person (budgets nightly)
    "requests": int, "responses_not_modified": int, "bytes_downloaded": int, "errors": int,
    "documents_extracted": int, "duration_s": float, "resumed": int, "alerts": str,
}

SUBJECT_COLUMNS = {
    "code": str, "name": str, "level": int, "parent": str, "classification": str,
    "valid_from": int, "valid_to": int, "source": str,
}

DEPARTMENT_COLUMNS = {
    "id": str, "district": str, "department": str, "variants": str, "codes": str,
    "documents": int, "lines": int,
}


# 预算/决算 columns a crawl found on a site (crawler/columns.py): nightly runs start from them and
# notice new and vanished ones
COLUMN_COLUMNS = {
    "site": str, "url": str, "unit": str, "stage": str, "found_from": str,
    "first_seen_at": str, "last_seen_at": str, "vanished_at": str,
}


class DatabaseError(Exception):
    """The database cannot be used; the message says why and what to do."""


def connect(path: Path | str = DEFAULT_DB) -> sqlite_utils.Database:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: one load_document per
        # document no longer waits for the disk each time. A power cut can lose the last
        # documents loaded (re-running the command loads them again), never corrupt the file.
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        db = sqlite_utils.Database(conn)
        ensure_schema(db)
        from budgets.worker import use_data_dir  # LibreOffice's scratch folders beside the database
        use_data_dir(path.parent)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"cannot open database {path}: {exc}. Move the file aside and run the command again "
            "to rebuild it from data/raw."
        ) from exc
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    _table(db, "documents", DOCUMENT_COLUMNS, pk="id")
    # Foreign keys to documents let Datasette link every line to its document and list a
    # document's lines and findings; load_document inserts the document row first.
    to_document = [("document_id", "documents", "id")]
    _table(db, "budget_lines", LINE_COLUMNS, pk="id", foreign_keys=to_document)
    _table(db, "findings", FINDING_COLUMNS, pk="id", foreign_keys=to_document)
    _table(db, "departments", DEPARTMENT_COLUMNS, pk="id")
    _table(db, "subjects", SUBJECT_COLUMNS, pk=("code", "classification", "valid_from"))
    _table(db, "crawl_runs", CRAWL_RUN_COLUMNS, pk="id")
    _table(db, "paragraphs", PARAGRAPH_COLUMNS, pk="id", foreign_keys=to_document)
    _table(db, "tables", TABLE_COLUMNS, pk="id", foreign_keys=to_document)
    _table(db, "unplaced_cells", UNPLACED_COLUMNS, pk="id", foreign_keys=to_document)
    _table(db, "columns", COLUMN_COLUMNS, pk=("site", "url"))
    for table, columns in [
        ("budget_lines", ["document_id"]),
        ("budget_lines", ["subject_code", "fiscal_year"]),
        ("budget_lines", ["department", "fiscal_year"]),
        ("budget_lines", ["district", "fiscal_year", "table_kind"]),
        ("findings", ["document_id"]),
        ("paragraphs", ["document_id"]),
        ("tables", ["document_id"]),
        ("unplaced_cells", ["document_id"]),
        ("documents", ["url"]),
        ("documents", ["superseded_by"]),
    ]:
        db[table].create_index(columns, if_not_exists=True)
    ensure_views(db.conn)
    for sql in SETTLE_QUEUE:
        db.execute(sql)


# Every document row inserted (loaded, loaded again, merged) waits here until
# budgets.afterload.settle has audited it; a new token each time, so a document loaded again
# while it was being audited stays queued.
SETTLE_QUEUE = [
    "CREATE TABLE IF NOT EXISTS settle_queue (document_id TEXT PRIMARY KEY, token BLOB)",
    "CREATE TRIGGER IF NOT EXISTS settle_queue_on_load AFTER INSERT ON documents BEGIN "
    "INSERT OR REPLACE INTO settle_queue (document_id, token) VALUES (new.id, randomblob(8)); END",
    # a URL gone back to bytes it served before loads nothing, but both revisions change their
    # standing (budgets/revisions.py): the audit's completeness must follow
    "CREATE TRIGGER IF NOT EXISTS settle_queue_on_revision AFTER UPDATE OF superseded_by, withdrawn_at "
    "ON documents WHEN old.superseded_by IS NOT new.superseded_by OR old.withdrawn_at IS NOT new.withdrawn_at "
    "BEGIN INSERT OR REPLACE INTO settle_queue (document_id, token) VALUES (new.id, randomblob(8)); END",
]


# Views over the revision history. A document whose URL later served other bytes keeps its
# row and its lines; these views show only what is current (budgets/revisions.py decides).
# A withdrawn document (no longer linked by its site) stays current: it is the last version the
# government published, and documents.withdrawn_at says it was taken down.
VIEWS = {
    "current_budget_lines": f"SELECT l.* FROM budget_lines l WHERE l.document_id IN ({CURRENT_IDS})",
}


def ensure_views(conn: sqlite3.Connection) -> None:
    """Create the views, and replace one a database made by an older version defines otherwise."""
    for name, sql in VIEWS.items():
        wanted = f"CREATE VIEW [{name}] AS {sql}"
        found = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?", [name]).fetchone()
        if found and found[0] == wanted:
            continue
        with transaction(conn):
            conn.execute(f"DROP VIEW IF EXISTS [{name}]")
            conn.execute(wanted)


def _table(db, name, columns, pk, foreign_keys=None):
    if not db[name].exists():
        db[name].create(columns, pk=pk, not_null=None, foreign_keys=foreign_keys)
    else:
        missing = {c: t for c, t in columns.items() if c not in db[name].columns_dict}
        for column, kind in missing.items():
            db[name].add_column(column, kind)


def load_document(
    db: sqlite_utils.Database,
    document: dict,
    lines: Iterable[dict] = (),
    paragraphs: Iterable[dict] = (),
    tables: Iterable[dict] = (),
    unplaced: Iterable[dict] = (),
) -> None:
    """Replace everything known about one document in a single transaction."""
    with transaction(db.conn) as conn:
        for child in ("budget_lines", "paragraphs", "tables", "unplaced_cells", "findings"):
            conn.execute(f"DELETE FROM [{child}] WHERE document_id = ?", [document["id"]])
        insert_rows(conn, "documents", DOCUMENT_COLUMNS, [with_revision_state(conn, document)])
        insert_rows(conn, "budget_lines", LINE_COLUMNS, lines)
        insert_rows(conn, "paragraphs", PARAGRAPH_COLUMNS, paragraphs)
        insert_rows(conn, "tables", TABLE_COLUMNS, tables)
        insert_rows(conn, "unplaced_cells", UNPLACED_COLUMNS, unplaced)


def with_revision_state(conn: sqlite3.Connection, document: dict) -> dict:
    """The row with what budgets/revisions.py recorded about these bytes, where the row does not
    say: a row built from a reading names none of REVISION_COLUMNS."""
    known = conn.execute(f"SELECT {', '.join(REVISION_COLUMNS)} FROM documents WHERE id = ?",
                         [document["id"]]).fetchone()
    return {**dict(zip(REVISION_COLUMNS, known)), **document} if known else document


def insert_rows(conn: sqlite3.Connection, table: str, columns: dict, rows: Iterable[dict]) -> int:
    """INSERT OR REPLACE with executemany; sqlite-utils' insert_all commits on its own, which
    would break the one-transaction-per-document rule."""
    names = list(columns)
    sql = "INSERT OR REPLACE INTO [{}] ({}) VALUES ({})".format(
        table, ", ".join(f"[{n}]" for n in names), ", ".join("?" for _ in names)
    )
    cursor = conn.executemany(sql, ([row.get(n) for n in names] for row in rows))
    return cursor.rowcount
