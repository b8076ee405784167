"""`budgets merge SOURCE.db ...`: bring the databases of other crawler machines (each loads its
own file when several share one frontier) into `--db`, then audit what came in."""
from __future__ import annotations

import sys

from budgets import db as database
from budgets.afterload import settle
from budgets.cli import CommandError
from budgets.merge import MergeError, merge_database


def run(args) -> int:
    target = args.db.resolve()
    if any(source.resolve() == target for source in args.sources):
        raise CommandError(f"{args.db} is both the target and a source: name another --db")
    db = database.connect(args.db)
    added: list[str] = []
    failed = 0
    for number, source in enumerate(args.sources, 1):
        try:
            merged = merge_database(db.conn, source)
        except MergeError as exc:
            failed += 1
            print(f"[{number}/{len(args.sources)}] failed  {exc}", file=sys.stderr, flush=True)
            continue
        added += merged.documents
        print(f"[{number}/{len(args.sources)}] merged  {len(merged.documents)} new documents, "
              f"{merged.lines} lines, {merged.crawl_runs} crawl runs, {merged.revisions} older revisions "
              f"marked  {source}", file=sys.stderr, flush=True)
    audit = settle(db)  # reference tables, audit of what came in, publishing prep
    db.conn.close()
    print(f"merged {len(args.sources) - failed} of {len(args.sources)} databases into {args.db}: "
          f"{len(added)} new documents")
    if audit:
        print(audit)
    return 1 if failed else 0
