"""The SQLite database: opening it, and the loader (budgets/schema.py defines it).

Every document is loaded atomically: its row, its lines, its narrative and what could not be
placed, in a transaction of its own or in a SAVEPOINT of a batch of documents (`Loader`,
`batch`). Loading the same bytes again replaces them with identical rows, so re-running any
command is safe.
"""
from __future__ import annotations

import json
import operator
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import sqlite_utils

from budgets.fulltext import index_rows_sql
from budgets.revisions import record_url
from budgets.schema import (
    DOCUMENT_COLUMNS, INDEXES, LINE_COLUMNS, PARAGRAPH_COLUMNS, REVISION_COLUMNS, TABLE_COLUMNS, UNPLACED_COLUMNS,
    ensure_schema, index_name,
)

DEFAULT_DB = Path("data/budgets.db")


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
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"cannot open database {path}: {exc}. Move the file aside and run the command again "
            "to rebuild it from data/raw."
        ) from exc
    return db


def is_member_only(primary: str, url: str) -> bool:
    """True when the row's URL is a member of an archive ('<zip url>#<name>') and `url` is one of
    the bytes' own: a document is primarily where it was first published as a file of its own
    (where its revisions are followed), an archive member only until then."""
    return "#" in primary and "#" not in url


# ---- loading ---------------------------------------------------------------------------------
# Child rows go in with plain INSERTs of tuples: a new document has no rows to replace, and a
# document loaded again has its rows deleted first. Full-text search rows are written after the
# document's (or the batch's) rows, in one INSERT … SELECT per table, not by a trigger per row;
# the insert trigger is dropped for that time inside the same transaction, so no other
# connection ever sees it missing and a killed run rolls the drop back with the rows.
CHILDREN = (("budget_lines", LINE_COLUMNS), ("paragraphs", PARAGRAPH_COLUMNS),
            ("tables", TABLE_COLUMNS), ("unplaced_cells", UNPLACED_COLUMNS))
# tables whose search index (budgets/fulltext.py) the loader writes
SEARCHED_CHILDREN = ("budget_lines", "paragraphs")
# A load that adds at least this share of the lines already there (a bulk load, a nightly into a
# copy of a big published database is far less) drops the publishing indexes of budget_lines
# (budgets/schema.py INDEXES) in its first batch that reaches it; publish.prepare, which every
# load is followed by, builds them again: one sort per index instead of a B-tree insert per line
# into each of them. Measured (benchmarks/load.py shapes, 2 cores, two publishing indexes): a
# load of 300k lines into as many costs the same either way (1.4 µs per line in the table to build
# them again), and keeping them live grows dearer per line as the table outgrows the page cache:
# 500k lines into 500k, live until the end, took 2.9× the time of a fresh load.
DEFER_INDEXES_SHARE = 0.1
BATCH_DOCUMENTS = 200  # documents per transaction at most …
BATCH_SECONDS = 1.0  # … and seconds the write lock is held at most (checked after each document)
_DOCUMENT_SAVEPOINT = "budgets_document"


def _insert_sql(table: str, names, verb: str = "INSERT") -> str:
    return "{} INTO [{}] ({}) VALUES ({})".format(
        verb, table, ", ".join(f"[{n}]" for n in names), ", ".join("?" for _ in names))


_COLUMNS = dict(CHILDREN)
_SQL = {table: _insert_sql(table, columns) for table, columns in CHILDREN}
_GETTERS = {table: operator.itemgetter(*columns) for table, columns in CHILDREN}
_DOCUMENT_NAMES = list(DOCUMENT_COLUMNS)
_DOCUMENT_GETTER = operator.itemgetter(*_DOCUMENT_NAMES)
# where a loaded document's bytes were first seen: the URL the row keeps, and what that URL answered
_FIRST_SEEN = ("url", "parent_id", "site", "content_type", "http_headers", "raw_path")
_KNOWN_SQL = f"SELECT {', '.join(_FIRST_SEEN + REVISION_COLUMNS)} FROM documents WHERE id = ?"


def as_tuples(rows: Iterable, columns: dict, getter=None) -> Iterable[tuple]:
    """Rows as parameter tuples in the order of `columns`: a tuple or list is taken as it is (a
    reading made in another process sends them so), a dict is read by column name."""
    getter = getter or operator.itemgetter(*columns)
    if isinstance(rows, list) and rows and isinstance(rows[0], dict):
        try:  # a reading's dicts with every column: one pass in C
            return list(map(getter, rows))
        except (KeyError, TypeError):  # some row leaves columns out, or is no dict
            pass
    return _tuples(rows, columns, getter)


def _tuples(rows: Iterable, columns: dict, getter) -> Iterable[tuple]:
    names = list(columns)
    for row in rows:
        if isinstance(row, dict):
            try:
                yield getter(row)
            except KeyError:  # a row that leaves some columns out: they are NULL
                yield tuple(map(row.get, names))
        else:
            yield row


class Loader:
    """Loads documents into one connection, many to a transaction, each document in a SAVEPOINT
    of its own: a document is all there or not at all, and a killed run loses only the batch it
    had open (the documents of which the next run loads again, since their rows are not there).
    A batch is committed after `max_documents` documents or `max_seconds` of holding the write
    lock, whichever comes first, and when the loader closes.

        with Loader(db) as loader:
            for reading in readings:
                loader.load(document, lines, paragraphs, tables, unplaced)

    Inside a transaction someone else opened, every document is a SAVEPOINT of it and that
    transaction commits."""

    def __init__(self, db: sqlite_utils.Database, max_documents: int = BATCH_DOCUMENTS,
                 max_seconds: float = BATCH_SECONDS):
        self.db = db
        self.conn = db.conn
        self.max_documents = max_documents
        self.max_seconds = max_seconds
        self._own = False  # this loader began the open transaction
        self._begun = 0.0
        self._pending: list[str] = []  # documents loaded in the open batch, not yet searchable
        self._pending_set: set[str] = set()
        self._triggers: dict[str, str] = {}  # search insert triggers dropped for the batch
        self._loaded = 0
        self._lines = 0  # lines loaded by this loader
        self._lines_before: int | None = None  # highest budget_lines rowid when it began
        self._indexes_checked = False

    def _defer_indexes(self) -> None:
        """Drop the publishing indexes of budget_lines once this load is big enough (see
        DEFER_INDEXES_SHARE); inside the batch's transaction, so a killed run keeps them."""
        if self._indexes_checked or self._lines < DEFER_INDEXES_SHARE * max(self._lines_before or 0, 1):
            return
        self._indexes_checked = True
        present = {r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'budget_lines'")}
        for table, columns in INDEXES:
            if table == "budget_lines" and index_name(table, columns) in present:
                self.conn.execute(f"DROP INDEX [{index_name(table, columns)}]")

    # -- the batch
    def _begin(self) -> None:
        if self.conn.in_transaction:
            self._own = False
        else:
            self.conn.execute("BEGIN IMMEDIATE")
            self._own = True
        self._begun = time.monotonic()
        self._loaded = 0
        if self._lines_before is None:
            self._lines_before = self.conn.execute("SELECT coalesce(max(rowid), 0) FROM budget_lines").fetchone()[0]
        self._triggers = {}
        for table in SEARCHED_CHILDREN:
            found = self.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                      [f"{table}_ai"]).fetchone()
            if found:
                self.conn.execute(f"DROP TRIGGER [{table}_ai]")
                self._triggers[table] = found[0]

    def _index_pending(self) -> None:
        """Search rows for the documents of the batch (what the dropped triggers would have written)."""
        if self._pending and self._triggers:
            ids = json.dumps(self._pending)
            for table in self._triggers:
                self.conn.execute(index_rows_sql(table, "document_id IN (SELECT value FROM json_each(?))"), [ids])
        self._pending.clear()
        self._pending_set.clear()

    def _end(self) -> None:
        self._index_pending()
        for sql in self._triggers.values():
            self.conn.execute(sql)
        self._triggers = {}

    def commit(self) -> None:
        """Make the open batch durable (and searchable); nothing to do when none is open."""
        if not self._begun:
            return
        try:
            self._end()
            if self._own and self.conn.in_transaction:
                self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise
        finally:
            self._begun = 0.0

    def rollback(self) -> None:
        """Undo the open batch (every document of it); the triggers come back with it."""
        if self._begun and self._own and self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self._begun = 0.0
        self._triggers = {}
        self._pending.clear()
        self._pending_set.clear()

    def close(self) -> None:
        self.commit()

    def __enter__(self) -> "Loader":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        # on an exception too: the documents loaded before it are whole (the one that raised was
        # rolled back to its SAVEPOINT), as they would be had each had a transaction of its own
        if kind is None or self.conn.in_transaction:
            try:
                self.commit()
            except sqlite3.Error:
                if kind is None:
                    raise
        else:
            self.rollback()

    # -- one document
    def load(self, document: dict, lines: Iterable = (), paragraphs: Iterable = (), tables: Iterable = (),
             unplaced: Iterable = ()) -> None:
        """Replace everything known about one document, atomically (a SAVEPOINT in the batch)."""
        if not self._begun:
            self._begin()
        conn = self.conn
        conn.execute(f"SAVEPOINT {_DOCUMENT_SAVEPOINT}")
        try:
            self._load(document, {"budget_lines": lines, "paragraphs": paragraphs, "tables": tables,
                                  "unplaced_cells": unplaced})
            conn.execute(f"RELEASE {_DOCUMENT_SAVEPOINT}")
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO {_DOCUMENT_SAVEPOINT}")
                conn.execute(f"RELEASE {_DOCUMENT_SAVEPOINT}")
            else:  # SQLite rolled the whole batch back (a full disk …)
                self._begun = 0.0
                self._triggers = {}
                self._pending.clear()
                self._pending_set.clear()
            raise
        self._loaded += 1
        if self._loaded >= self.max_documents or time.monotonic() - self._begun >= self.max_seconds:
            self.commit()

    def _load(self, document: dict, children: dict) -> None:
        conn = self.conn
        doc_id = document["id"]
        known = conn.execute(_KNOWN_SQL, [doc_id]).fetchone()
        seen_here = True  # the row's URL is the one these bytes were fetched from now
        if known is not None:
            if doc_id in self._pending_set:  # loaded earlier in this batch: its search rows first
                self._index_pending()
            for child in ("budget_lines", "paragraphs", "tables", "unplaced_cells", "findings"):
                conn.execute(f"DELETE FROM [{child}] WHERE document_id = ?", [doc_id])
            first = dict(zip(_FIRST_SEEN, known))
            document = {**dict(zip(REVISION_COLUMNS, known[len(_FIRST_SEEN):])), **document}
            url = first["url"]
            if (url and document.get("bytes") is not None and document.get("url") and document["url"] != url
                    and not is_member_only(url, document["url"])):
                # the same bytes at another URL: the row keeps where they were first seen, with what
                # that URL answered and its raw file, so the row is the same whichever copy a run
                # (or a run resumed after a kill) loads last
                record_url(conn, document["url"], doc_id, document.get("parent_id"), document.get("site"),
                           document.get("fetched_at"))
                document = {**document, **first, "site": first["site"] or document.get("site"),
                            "raw_path": first["raw_path"] or document.get("raw_path")}
                seen_here = False
            conn.execute(_DOCUMENT_REPLACE_SQL, _document_params(document))
        else:
            conn.execute(_DOCUMENT_INSERT_SQL, _document_params(document))
        if seen_here and document.get("bytes") is not None:
            record_url(conn, document.get("url"), doc_id, document.get("parent_id"), document.get("site"),
                       document.get("fetched_at"))
        if lines := children["budget_lines"]:
            self._lines += len(lines) if hasattr(lines, "__len__") else 0
            self._defer_indexes()
        for table, rows in children.items():
            if rows:
                conn.executemany(_SQL[table], as_tuples(rows, _COLUMNS[table], _GETTERS[table])
                                 if _needs_tuples(rows) else rows)
        self._pending.append(doc_id)
        self._pending_set.add(doc_id)


def _needs_tuples(rows) -> bool:
    """False for a list of tuples (a reading's rows as they come from another process)."""
    return not (isinstance(rows, list) and rows and isinstance(rows[0], tuple))


_DOCUMENT_INSERT_SQL = _insert_sql("documents", _DOCUMENT_NAMES)
_DOCUMENT_REPLACE_SQL = _insert_sql("documents", _DOCUMENT_NAMES, "INSERT OR REPLACE")


def _document_params(document: dict) -> tuple:
    try:
        return _DOCUMENT_GETTER(document)
    except KeyError:
        return tuple(map(document.get, _DOCUMENT_NAMES))


def loader(db: sqlite_utils.Database) -> "Loader | None":
    """The batch loader open on this database (`batch`), if any."""
    return getattr(db, "_budgets_loader", None)


@contextmanager
def batch(db: sqlite_utils.Database, max_documents: int = BATCH_DOCUMENTS,
          max_seconds: float = BATCH_SECONDS) -> Iterator[Loader]:
    """Within the block every `load_document` on `db` goes into a batch loader (many documents
    per transaction, one SAVEPOINT each); the open batch is committed when the block ends, also
    when it raises (the documents loaded whole before the error stay; a killed process commits
    nothing of its open batch). Nested: the outer batch is used."""
    current = loader(db)
    if current is not None:
        yield current
        return
    current = Loader(db, max_documents, max_seconds)
    db._budgets_loader = current
    try:
        with current:
            yield current
    finally:
        db._budgets_loader = None


def load_document(
    db: sqlite_utils.Database,
    document: dict,
    lines: Iterable = (),
    paragraphs: Iterable = (),
    tables: Iterable = (),
    unplaced: Iterable = (),
) -> None:
    """Replace everything known about one document, atomically: in the open batch (`batch`) if
    there is one, else in a transaction of its own (or a SAVEPOINT of the caller's)."""
    current = loader(db)
    if current is not None:
        current.load(document, lines, paragraphs, tables, unplaced)
        return
    with Loader(db, max_documents=1) as one:
        one.load(document, lines, paragraphs, tables, unplaced)


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
