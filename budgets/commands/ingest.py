"""`budgets ingest PATH ...`: extract and load local files or folders without crawling."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from budgets import db as database
from budgets.cli import CommandError
from budgets.afterload import settle
from budgets.pipeline import Source, document_row, ingest_bytes
from extractors import limits
from extractors.detect import detect_format
from extractors.model import ExtractionError


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
    for number, path in enumerate(files, 1):
        doc = ingest_file(db, path)
        counts[doc["status"]] = counts.get(doc["status"], 0) + 1
        note = f" — {doc['error']}" if doc["error"] else ""
        print(f"[{number}/{len(files)}] {doc['status']:<11} {doc['lines'] or 0:>5} lines  {path}{note}",
              file=sys.stderr, flush=True)
    audit = settle(db)  # reference tables, audit, search and views for `budgets serve`
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    print(f"ingested {len(files)} files into {args.db}: {summary}")
    if audit:
        print(audit)
    failed = sum(n for s, n in counts.items() if s in ("failed", "unsupported", "needs_ocr", "unreadable"))
    return 1 if args.strict and failed else 0


def ingest_file(db, path: Path) -> dict:
    """One local file into the database; a file too large to read is recorded, not read."""
    try:
        size = path.stat().st_size
        limits.check_document_size(size, path.name)
        data = path.read_bytes()
    except ExtractionError as exc:
        return record_refused(db, path, size, str(exc))
    except OSError as exc:  # vanished, unreadable, a device: no bytes, so no document row
        return {"status": "unreadable", "lines": 0,
                "error": f"cannot read {path}: {exc.strerror or exc}; check its permissions"}
    return ingest_bytes(db, data, Source(filename=path.name, raw_path=str(path)))


def record_refused(db, path: Path, size: int, error: str) -> dict:
    """A document row for a file refused before reading: its id is the hash of its bytes, read
    in chunks so the file never sits in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        head = handle.read(2048)
        digest.update(head)
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    document = document_row(digest.hexdigest(), Source(filename=path.name, raw_path=str(path)), status="failed",
                            error=error, fmt=detect_format(head, path.name), size=size)
    database.load_document(db, document)
    return document
