"""What follows every load, whoever loaded: reference tables, the audit of the documents loaded
since the last time, publishing prep (full-text search, views, indexes). The crawl ledger runs
it when a process's last crawl closes (`scrapy crawl`, scrapyd, `budgets crawl`, `demo`,
`nightly`); `budgets ingest` and `budgets merge` run it after loading.

Every document row inserted waits in `settle_queue` (a trigger on `documents`, budgets/db.py)
until `settle` has audited it, so running it again does nothing more, and documents a killed
run loaded are audited by the next one. The audit leaves the queue one document at a time, as
each one's findings are written: a run killed while auditing leaves the rest queued.

It is a folder of its own because it stands above the audit: the audit (budgets/audit/) uses the
core's files (the schema, the loader), and this step uses the audit, so no two folders of budgets/
import each other (tests/test_layers.py).
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager

from budgets.audit import audit_documents
from budgets.audit_summary import published_severities, summary_line
from budgets.publish import is_prepared, prepare
from budgets.reference import refresh


def queued(db) -> list[tuple[str, bytes, bool]]:
    """(document id, queue token, has bytes) for every document loaded since the last settle."""
    return [(i, token, bool(readable)) for i, token, readable in db.execute(
        "SELECT q.document_id, q.token, d.bytes IS NOT NULL FROM settle_queue q "
        "LEFT JOIN documents d ON d.id = q.document_id ORDER BY q.document_id")]


@contextmanager
def one_at_a_time(db):
    """Workers of one shared crawl close together: one settles, the next finds nothing to do
    (publishing prep replaces views, which two processes at once would trip over)."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    if not path:  # an in-memory database has one connection
        yield
        return
    with held_lock(f"{path}.settle.lock"):
        yield


@contextmanager
def held_lock(path: str):
    """An exclusive lock on the file at `path`, which is removed when released, so no empty lock
    file stays beside the database. A process that waited on a file its holder has since
    removed holds a lock nobody else sees, so it opens the path again until the file it locked
    is the one there (the database's own file is no place for it: closing any descriptor of that
    file drops SQLite's locks on it)."""
    while True:
        handle = open(path, "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                current = None
            if current is not None and _identity(current) == _identity(os.fstat(handle.fileno())):
                break
        except BaseException:
            handle.close()
            raise
        handle.close()
    try:
        yield
    finally:
        try:
            os.unlink(path)  # before the lock is released: a waiter then sees it was removed
        except FileNotFoundError:
            pass
        handle.close()


def _identity(stat) -> tuple[int, int]:
    return stat.st_dev, stat.st_ino


def settle(db) -> str:
    """Rebuild the reference tables, audit the documents loaded since the last settle (those
    with bytes: a URL that could not be fetched has nothing to audit), prepare for publishing.
    Returns one line for the run summary, empty when there was nothing to audit."""
    with one_at_a_time(db):
        return _settle(db)


def _settle(db) -> str:
    waiting = queued(db)
    if not waiting and is_prepared(db):
        return ""
    refresh(db)
    ids = [i for i, _, readable in waiting if readable]
    tokens = {i: token for i, token, _ in waiting}

    def done(document_id: str) -> None:
        # a document loaded again while it was audited has a new token: it stays queued
        db.conn.execute("DELETE FROM settle_queue WHERE document_id = ? AND token = ?",
                        [document_id, tokens[document_id]])

    result = audit_documents(db, ids, done=done) if ids else None
    for document_id in tokens.keys() - set(ids):  # nothing to audit: no bytes
        done(document_id)
    prepare(db)
    if result is None:
        return ""
    # counted as the site counts them (once per disclosure), now that the views are prepared
    summary = summary_line(result.documents, result.by_severity, published_severities(db, ids))
    if result.problems:
        summary += f"; {len(result.problems)} could not be audited (documents.audit_flag says why)"
    return summary
