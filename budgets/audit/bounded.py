"""Auditing one document within a time and memory budget, in a child of its own.

The checks of one document read all its lines and text and can take as long and as much memory
as the document is hostile; the run that settles (a crawl's last process, `budgets ingest`) holds
every other document's progress. So a document's findings are computed in a forked child
(budgets/limited.py) that opens the database read-only: the parent receives only the finding
rows to write. A document that exceeds the budget raises `AuditStopped`, which the audit records
in `documents.audit_flag`; the settle queue forgets it like any audited document, so the next
settle does not stall on it.

Where a child cannot see what the parent sees (an in-memory database, or a transaction the
parent holds open) the audit runs in the parent, unbounded, as it did before; so does
``BUDGETS_NO_WORKER=1`` (for a debugger).
"""
from __future__ import annotations

import os
import sqlite3
from typing import Callable

import sqlite_utils

from budgets.limited import run_limited, signal_name
from extractors import limits

# Wall-clock seconds and address space (MB) one document's audit may take: a district's whole
# year audits in seconds, in a few hundred MB.
AUDIT_TIMEOUT_S = limits._number("BUDGETS_AUDIT_TIMEOUT_S", os.environ, 300)
AUDIT_MEMORY_MB = limits._number("BUDGETS_AUDIT_MEMORY_MB", os.environ, 2048)


class AuditStopped(Exception):
    """The audit of one document exceeded its budget (or its child died); the message says which."""


def findings_within_limits(db, document: dict, findings_of: Callable):
    """`findings_of(db, document)` in a limited child reading the database on its own connection,
    or in the parent where a child would not see the same data."""
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    if not path or db.conn.in_transaction or os.environ.get("BUDGETS_NO_WORKER"):
        return findings_of(db, document)

    def work():
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, isolation_level=None)
        return findings_of(sqlite_utils.Database(conn), document)

    name = document.get("title") or document["id"][:12]
    outcome = run_limited(work, name=f"audit {document['id'][:12]}", timeout_s=AUDIT_TIMEOUT_S,
                          memory_mb=AUDIT_MEMORY_MB)
    if outcome.kind == "done":
        return outcome.value
    raise AuditStopped(_why(outcome, name))


def _why(outcome, name: str) -> str:
    if outcome.kind == "timeout":
        return (f"auditing {name} took longer than {AUDIT_TIMEOUT_S:g} s and was stopped; its findings are not "
                "known (raise BUDGETS_AUDIT_TIMEOUT_S if it is a real disclosure)")
    if outcome.kind == "memory":
        return (f"auditing {name} needed more than {AUDIT_MEMORY_MB:g} MB of memory and was stopped; its findings "
                "are not known (raise BUDGETS_AUDIT_MEMORY_MB if it is a real disclosure)")
    if outcome.kind == "died":
        code = outcome.exitcode
        how = signal_name(code) if code is not None and code < 0 else f"exit code {code}"
        return (f"the audit of {name} stopped ({how}) without a result, possibly out of memory (limit "
                f"{AUDIT_MEMORY_MB:g} MB)")
    kind, message = outcome.error
    return f"{kind} while auditing {name}: {message}"
