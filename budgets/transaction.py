"""One way to write atomically: `with transaction(conn): ...` commits what the block wrote, or
rolls all of it back if the block raises (or is interrupted).

The connection must be in autocommit mode (`isolation_level=None`, as `budgets.db.connect`
opens it): the sqlite3 module would otherwise begin transactions of its own. sqlite-utils has no
such helper for a raw connection, and its own writes commit as they go.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator

SAVEPOINT = "budgets_nested"


@contextmanager
def transaction(conn: sqlite3.Connection, immediate: bool = True) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT (IMMEDIATE takes the write lock up front, so two writers wait
    for each other at the start instead of one failing half-way). Inside an open transaction the
    block becomes a SAVEPOINT: its failure undoes only its own writes, and the outer transaction
    decides whether anything is committed."""
    if conn.in_transaction:
        conn.execute(f"SAVEPOINT {SAVEPOINT}")
        try:
            yield conn
            conn.execute(f"RELEASE {SAVEPOINT}")
        except BaseException:
            if conn.in_transaction:  # SQLite has already rolled back everything after e.g. a full disk
                conn.execute(f"ROLLBACK TO {SAVEPOINT}")
                conn.execute(f"RELEASE {SAVEPOINT}")
            raise
        return
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite has already rolled back after e.g. a full disk
            conn.execute("ROLLBACK")
        raise
