"""How much one query may hand the server: the bytes of its rows, counted as SQLite gives them.

Datasette bounds rows (max_returned_rows), time (sql_time_limit_ms) and each value (authorizer.py),
but not their product: ten rows of 40 MB values were a 2.4 GB JSON body and 12 GB in the server.
Every connection's row factory counts what each statement's rows hold and stops the statement
past RESPONSE_LIMIT_BYTES, before the rows are rendered as HTML, JSON or CSV; a row too wide to
reach the row factory (many huge columns) meets SQLite's heap limit first."""
from __future__ import annotations

import sqlite3
import sys
import weakref

RESPONSE_LIMIT_BYTES = 32 * 1024 * 1024
# SQLite's own memory in the whole server process (page caches, sorters, the values of the row
# being stepped): well above what the site's queries use, far below what the machine has
SQLITE_HEAP_LIMIT_BYTES = 256 * 1024 * 1024


def too_large_message(limit: int = RESPONSE_LIMIT_BYTES) -> str:
    mb = limit // (1024 * 1024)
    return (f"结果超过 {mb} MB，超出一次查询的上限：请减少行或列（加 limit，或用 length(列) 代替大的列），"
            f"或下载整个数据库 · The rows of this query hold more than {mb} MB, the limit of one response: "
            "select fewer rows or columns (add a limit, or length(column) instead of a large column), "
            "or download the whole database file")


class ResponseTooLarge(Exception):
    """Not an sqlite3 error: Datasette would show that one inside an HTML or JSON query page but
    answer an empty CSV with 200; this one reaches handle_exception (errors.py) in every format."""


def bounded_rows(limit: int = RESPONSE_LIMIT_BYTES):
    """A row factory giving Datasette's sqlite3.Row, that raises ResponseTooLarge once the rows
    one cursor has fetched hold more than `limit` bytes (Python's size of each value)."""
    spent: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # cursor → bytes so far

    def row_factory(cursor, values):
        total = spent.get(cursor, 0) + sum(map(sys.getsizeof, values))
        if total > limit:
            spent.pop(cursor, None)
            raise ResponseTooLarge(too_large_message(limit))
        spent[cursor] = total
        return sqlite3.Row(cursor, values)

    return row_factory


def bound_responses(conn: sqlite3.Connection) -> None:
    conn.row_factory = bounded_rows()
    conn.execute(f"PRAGMA hard_heap_limit = {SQLITE_HEAP_LIMIT_BYTES}")  # the process's; idempotent
