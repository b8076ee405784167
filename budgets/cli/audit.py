"""`budgets audit`: recompute the `findings` table from what is loaded."""
from __future__ import annotations

import sys

from budgets import db as database
from budgets.audit import CHECKS, audit_all, explain
from budgets.audit_summary import published_severities, summary_line


def run(args) -> int:
    if getattr(args, "explain", None):
        text = explain(args.explain)
        if text is None:
            print(f"no check named {args.explain}; checks: {', '.join(CHECKS)}", file=sys.stderr)
            return 2
        print(text)
        return 0
    from budgets import progress

    db = database.connect(args.db)
    documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    with progress.status(f"auditing {documents} documents"):
        result = audit_all(db)
    checks = ", ".join(f"{name} {n}" for name, n in sorted(result.by_check.items()))
    print(summary_line(result.documents, result.by_severity, published_severities(db))
          + (f"; by check (every copy): {checks}" if checks else ""))
    for problem in result.problems:
        print(f"  could not run: {problem}", file=sys.stderr)
    return 0
