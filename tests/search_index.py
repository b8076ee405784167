"""What a search table should hold, counted from its table (never from the index): the rowids of
the rows whose searched column has text, and FTS5's own integrity check."""
from __future__ import annotations

from budgets.fulltext import FTS_COLUMNS


def indexed_rowids(conn, table: str) -> list[int]:
    return [r[0] for r in conn.execute(f"SELECT rowid FROM [{table}_fts_docsize] ORDER BY rowid")]


def rowids_with_text(conn, table: str) -> list[int]:
    column = FTS_COLUMNS[table][0]
    return [r[0] for r in conn.execute(f"SELECT rowid FROM [{table}] WHERE {column} <> '' ORDER BY rowid")]


def assert_index_exact(conn, table: str) -> None:
    """FTS5's own check passes and the index holds exactly the rows with text."""
    conn.execute(f"INSERT INTO [{table}_fts] ([{table}_fts]) VALUES ('integrity-check')")
    assert indexed_rowids(conn, table) == rowids_with_text(conn, table), table
