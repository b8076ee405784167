"""Revision history of what sites publish: which document a URL serves now, which ones it
replaced, and which ones the site stopped linking.

Every document ever fetched keeps its row and its lines. `documents.superseded_by` names the
newer document at the same URL; `documents.withdrawn_at` says when a whole-site crawl stopped
finding a link to it. Nothing here deletes anything, and every function is idempotent, so a run
that was killed and started again converges on the same state.
"""
from __future__ import annotations

from datetime import datetime, timezone


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def members_prefix(url: str) -> str:
    """ZIP members are recorded at '<zip url>#<member name>'."""
    return f"{url}#"


def observe(conn, url: str, document_id: str, seen_at: str | None = None) -> None:
    """`url` served the bytes of `document_id` at `seen_at`: that document is the current one
    at the URL (and back on the site if it had been withdrawn); every other document fetched
    from the URL is superseded by it, and so are members of older archives at that URL that the
    current one does not contain. One transaction."""
    seen_at = seen_at or now()
    conn.execute("BEGIN IMMEDIATE")
    try:
        _observe(conn, url, document_id, seen_at)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _observe(conn, url: str, document_id: str, seen_at: str) -> None:
    conn.execute(
        "UPDATE documents SET superseded_by = NULL, superseded_at = NULL, withdrawn_at = NULL, "
        "last_seen_at = ? WHERE id = ?", [seen_at, document_id])
    conn.execute(
        "UPDATE documents SET superseded_by = ?, superseded_at = ? WHERE url = ? AND id != ? "
        "AND bytes IS NOT NULL AND superseded_by IS NOT ?",
        [document_id, seen_at, url, document_id, document_id])
    prefix = members_prefix(url)
    members = conn.execute(
        "SELECT id, url FROM documents WHERE parent_id = ? AND substr(url, 1, ?) = ?",
        [document_id, len(prefix), prefix]).fetchall()
    for member_id, member_url in members:
        _observe(conn, member_url, member_id, seen_at)
    conn.execute(
        "UPDATE documents SET superseded_by = ?, superseded_at = ? WHERE substr(url, 1, ?) = ? "
        "AND parent_id IS NOT ? AND superseded_by IS NULL",
        [document_id, seen_at, len(prefix), prefix, document_id])


def withdraw_unlinked(conn, site: str, linked_urls: set[str], at: str | None = None) -> list[str]:
    """Mark withdrawn the current documents of `site` that no page of a complete crawl linked;
    return their URLs. Only call this after a crawl that saw the whole site: a list page that
    failed to load would make everything it links look withdrawn."""
    at = at or now()
    rows = conn.execute(
        "SELECT id, url FROM documents WHERE site = ? AND bytes IS NOT NULL AND superseded_by IS NULL "
        "AND withdrawn_at IS NULL AND instr(url, '#') = 0 AND url != ''",
        [site]).fetchall()
    gone = [(doc_id, url) for doc_id, url in rows if url not in linked_urls]
    if gone:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("UPDATE documents SET withdrawn_at = ? WHERE id = ?", [(at, i) for i, _ in gone])
        conn.execute("COMMIT")
    return [url for _, url in gone]


def reconcile(conn) -> int:
    """Exactly one current document per URL: where several documents at one URL are all marked
    current (a run was killed between loading a revision and marking the older one), the one
    seen last wins. Returns how many documents it marked superseded."""
    rows = conn.execute(
        "SELECT url, id, coalesce(last_seen_at, fetched_at) FROM documents WHERE bytes IS NOT NULL "
        "AND superseded_by IS NULL AND url != '' AND url IN (SELECT url FROM documents WHERE "
        "bytes IS NOT NULL AND superseded_by IS NULL AND url != '' GROUP BY url HAVING count(*) > 1) "
        "ORDER BY url, coalesce(last_seen_at, fetched_at) DESC, fetched_at DESC").fetchall()
    latest: dict[str, tuple[str, str]] = {}
    for url, doc_id, seen_at in rows:
        latest.setdefault(url, (doc_id, seen_at))
    for url, (doc_id, seen_at) in latest.items():
        observe(conn, url, doc_id, seen_at)
    return len(rows) - len(latest)


def history(conn, url: str) -> list[dict]:
    """Every document fetched from `url`, newest first, with how it stands."""
    cursor = conn.execute(
        "SELECT id, fetched_at, last_seen_at, superseded_by, superseded_at, withdrawn_at, lines "
        "FROM documents WHERE url = ? ORDER BY fetched_at DESC", [url])
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
