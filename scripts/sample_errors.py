"""Draw audit `error` findings at random, for judging them by hand against the documents.

    python scripts/sample_errors.py --db DB [--n 30] [--per-document 3] [--seed 2026] [--markdown]

At most --per-document findings from one document, drawn with a fixed seed so the same database
gives the same sample. Each is printed with its document's file (or URL), the page its evidence
names, the check, the message and the evidence: enough to open the page and judge it TRUE, FALSE
(misread) or FALSE (rule). The precision of the audit is the share judged TRUE.
"""
from __future__ import annotations

import argparse
import random
import re
import sqlite3
from collections import defaultdict
from pathlib import Path


def draw(conn: sqlite3.Connection, n: int, per_document: int, seed: int) -> list[dict]:
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute(
        """SELECT f.id, f."check", f.message, f.evidence, f.document_id, d.raw_path, d.url
           FROM findings f JOIN documents d ON d.id = f.document_id
           WHERE f.severity = 'error' ORDER BY f.id""")]
    rng = random.Random(seed)
    rng.shuffle(rows)
    taken: dict[str, int] = defaultdict(int)
    sample = []
    for row in rows:
        if taken[row["document_id"]] >= per_document:
            continue
        taken[row["document_id"]] += 1
        sample.append(row)
        if len(sample) == n:
            break
    return sample


def page_of(evidence: str) -> str:
    pages = re.findall(r"p\.(\d+)", evidence or "")
    return ",".join(dict.fromkeys(pages)) or "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--per-document", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--markdown", action="store_true", help="a table to fill in with the verdicts")
    args = parser.parse_args(argv)
    with sqlite3.connect(args.db) as conn:
        sample = draw(conn, args.n, args.per_document, args.seed)
    if args.markdown:
        print("| # | document | page | check | message | verdict |")
        print("|---|---|---|---|---|---|")
    for k, row in enumerate(sample, start=1):
        where = Path(row["raw_path"]).name if row["raw_path"] else row["url"]
        if args.markdown:
            print(f"| {k} | {where} | {page_of(row['evidence'])} | {row['check']} | "
                  f"{row['message'].replace('|', '/')} | |")
        else:
            print(f"{k}. {where} p.{page_of(row['evidence'])} [{row['check']}] {row['message']}\n"
                  f"   evidence: {row['evidence']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
