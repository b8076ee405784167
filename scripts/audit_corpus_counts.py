"""Per check, how many findings the audit raises on the shared corpus and the seed.

    python3 scripts/audit_corpus_counts.py [DB]          ingest the corpus into DB (once), audit, count
    python3 scripts/audit_corpus_counts.py DB --list CHECK   print that check's findings to read against the pages

The database is kept, so a second run only re-audits."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from budgets import db as database
from budgets import reference
from budgets.audit import audit_all
from budgets.pipeline import Source, ingest_bytes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def build(path: Path):
    fresh = not path.exists()
    db = database.connect(path)
    if fresh:
        for pdf in sorted(CORPUS.rglob("*.pdf")):
            ingest_bytes(db, pdf.read_bytes(), Source(filename=pdf.name, raw_path=str(pdf)))
            print(f"ingested {pdf.relative_to(CORPUS)}", file=sys.stderr)
        reference.refresh(db)
    return db


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path("/tmp/audit-corpus.db")
    db = build(path)
    audit_all(db)
    rows = db.conn.execute("""SELECT f."check", f.severity, f.message, f.evidence, d.raw_path
                              FROM findings f JOIN documents d ON d.id = f.document_id
                              ORDER BY d.raw_path, f."check" """).fetchall()
    if "--list" in argv:
        wanted = argv[argv.index("--list") + 1]
        for check, severity, message, evidence, raw in rows:
            if check == wanted:
                print(f"[{severity}] {Path(raw).name}\n  {message}\n  {evidence[:300]}")
        return 0
    counts = Counter((check, severity) for check, severity, *_ in rows)
    for (check, severity), n in sorted(counts.items()):
        print(f"{check:22} {severity:8} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
