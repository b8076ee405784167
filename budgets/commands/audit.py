"""`budgets audit`: recompute the `findings` table from what is loaded."""
from __future__ import annotations

import sys

from budgets import db as database
from budgets.audit import CHECKS, audit_all, explain


def run(args) -> int:
    if getattr(args, "explain", None):
        text = explain(args.explain)
        if text is None:
            print(f"no check named {args.explain}; checks: {', '.join(CHECKS)}", file=sys.stderr)
            return 2
        print(text)
        return 0
    from budgets.commands import progress

    db = database.connect(args.db)
    documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    with progress.status(f"auditing {documents} documents"):
        result = audit_all(db)
    severities = ", ".join(f"{result.by_severity.get(s, 0)} {s}" for s in ("error", "warning", "info", "reading"))
    checks = ", ".join(f"{name} {n}" for name, n in sorted(result.by_check.items()))
    print(f"audited {result.documents} documents: {result.findings} findings ({severities})"
          + (f"; by check: {checks}" if checks else ""))
    for problem in result.problems:
        print(f"  could not run: {problem}", file=sys.stderr)
    return 0
