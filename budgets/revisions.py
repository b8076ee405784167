"""Revision history of what sites publish: which document a URL serves now, which ones it
replaced, and which ones the site stopped linking.

Every document ever fetched keeps its row and its lines. `documents.superseded_by` names the
newer document at the same URL; `documents.withdrawn_at` says when a whole-site crawl stopped
finding a link to it. Nothing here deletes anything, and every function is idempotent, so a run
that was killed and started again converges on the same state.

Which revision of a URL is current is decided once (CURRENT_IDS, budgets/schema.py; `current_at`
here): the views, which copy of a disclosure counts, the audit's disclosures and incremental
crawling all read it.
"""
from __future__ import annotations

from datetime import datetime, timezone

# The current-revision rule (CURRENT_IDS: never a document marked superseded; of the revisions at
# one URL the one seen there last) is defined with the schema, beside the rule for which copy of a
# disclosure counts that builds on it; `current_at` and `reconcile` apply it to one URL.
from budgets.schema import CURRENT_IDS, NEWEST_FIRST, NOT_SUPERSEDED, REVISION
from budgets.transaction import transaction


def current_at(conn, url: str) -> dict | None:
    """The current revision at `url` (the row of CURRENT_IDS for that URL), or None."""
    cursor = conn.execute(
        f"SELECT * FROM documents WHERE url = ? AND {NOT_SUPERSEDED} AND {REVISION} "
        f"ORDER BY {NEWEST_FIRST} LIMIT 1", [url])
    found = cursor.fetchone()
    return dict(zip([c[0] for c in cursor.description], found)) if found else None


# Where every document was seen (document_urls, budgets/schema.py): a URL seen again moves its
# last_seen_at, never its first_seen_at.
RECORD_URL_SQL = (
    "INSERT INTO document_urls (url, document_id, parent_id, site, first_seen_at, last_seen_at) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url, document_id) DO UPDATE SET "
    "first_seen_at = min(first_seen_at, excluded.first_seen_at), "
    "last_seen_at = max(coalesce(last_seen_at, ''), excluded.last_seen_at), "
    "parent_id = coalesce(excluded.parent_id, parent_id), site = coalesce(excluded.site, site)"
)


def record_url(conn, url: str | None, document_id: str, parent_id: str | None = None,
               site: str | None = None, seen_at: str | None = None) -> None:
    """`url` served the bytes of `document_id` at `seen_at` (idempotent: a URL seen again moves
    its last_seen_at, never its first_seen_at)."""
    if not url:
        return
    conn.execute(RECORD_URL_SQL, [url, document_id, parent_id, site or None, seen_at, seen_at])


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
    with transaction(conn):
        _observe(conn, url, document_id, seen_at or now())


def _observe(conn, url: str, document_id: str, seen_at: str) -> None:
    record_url(conn, url, document_id, seen_at=seen_at)
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
        f"SELECT id, url FROM documents WHERE site = ? AND {REVISION} AND id IN ({CURRENT_IDS}) "
        "AND withdrawn_at IS NULL AND instr(url, '#') = 0", [site]).fetchall()
    gone = [(doc_id, url) for doc_id, url in rows if url not in linked_urls]
    if gone:
        with transaction(conn):
            conn.executemany("UPDATE documents SET withdrawn_at = ? WHERE id = ?", [(at, i) for i, _ in gone])
    return [url for _, url in gone]


def reconcile(conn) -> int:
    """Mark what the rule already says: where several revisions at one URL are not marked
    superseded (a run was killed between loading a revision and marking the older one, or
    `budgets merge` brought in another machine's), the current one supersedes the others. One
    transaction; returns how many documents it marked superseded."""
    unmarked = f"{NOT_SUPERSEDED} AND {REVISION}"
    rows = conn.execute(
        f"SELECT url, id, coalesce(last_seen_at, fetched_at) FROM documents WHERE {unmarked} "
        f"AND url IN (SELECT url FROM documents WHERE {unmarked} GROUP BY url HAVING count(*) > 1) "
        f"ORDER BY url, {NEWEST_FIRST}").fetchall()
    latest: dict[str, tuple[str, str]] = {}
    for url, doc_id, seen_at in rows:
        latest.setdefault(url, (doc_id, seen_at))
    with transaction(conn):
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
