"""What every loading command does once its documents are in: the same steps for ingest, crawl,
demo and nightly, so the published database is always complete."""
from __future__ import annotations

from budgets.audit import audit_documents
from budgets.publish import prepare
from budgets.reference import refresh


def settle(db, document_ids) -> str:
    """Rebuild the reference tables, audit the documents just loaded, prepare for publishing.
    Returns one line for the run summary."""
    refresh(db)
    ids = sorted({i for i in document_ids if i})
    summary = ""
    if ids:
        result = audit_documents(db, ids)
        severities = ", ".join(f"{n} {s}" for s, n in sorted(result.by_severity.items()))
        summary = f"audited {result.documents} documents: {result.findings} findings" + (
            f" ({severities})" if severities else "")
    prepare(db)
    return summary
