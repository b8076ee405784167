"""`budgets ingest PATH ...`: extract and load local files or folders without crawling."""
from __future__ import annotations

import sys
from pathlib import Path

from budgets import db as database
from budgets.cli import CommandError
from budgets.afterload import settle
from budgets.pipeline import Source, ingest_bytes


DISCLOSURE_SUFFIXES = {".html", ".htm", ".shtml", ".pdf", ".xls", ".xlsx", ".et", ".doc", ".docx",
                       ".wps", ".zip", ".txt"}


def iter_files(paths: list[Path]):
    """Files named on the command line, and the disclosure files inside folders named."""
    for path in paths:
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                              and p.suffix.lower() in DISCLOSURE_SUFFIXES)
        else:
            yield path


def run(args) -> int:
    db = database.connect(args.db)
    files = list(iter_files(args.paths))
    counts: dict[str, int] = {}
    loaded = []
    for number, path in enumerate(files, 1):
        doc = ingest_bytes(db, path.read_bytes(), Source(filename=path.name, raw_path=str(path)))
        loaded.append(doc["id"])
        counts[doc["status"]] = counts.get(doc["status"], 0) + 1
        note = f" — {doc['error']}" if doc["error"] else ""
        print(f"[{number}/{len(files)}] {doc['status']:<11} {doc['lines']:>5} lines  {path}{note}",
              file=sys.stderr, flush=True)
    audit = settle(db, loaded)  # reference tables, audit, search and views for `budgets serve`
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    print(f"ingested {len(files)} files into {args.db}: {summary}")
    if audit:
        print(audit)
    failed = sum(n for s, n in counts.items() if s in ("failed", "unsupported", "needs_ocr"))
    return 1 if args.strict and failed else 0
