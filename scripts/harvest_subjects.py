"""The subject catalogue as the documents print it: every (classification, code, name, fiscal year)
pair printed in the budget lines of one or more loaded databases, with its provenance.

    python scripts/harvest_subjects.py DB [DB ...] --out extractors/data/subjects_printed.csv

Each row of the CSV is one pair as printed: its `classification` (functional | economic), `code`,
`name` (spaces removed, brackets full-width: `extractors.subjects.catalogue_name`), `fiscal_year`,
the number of `documents` that print it, and one `example` (the file name, else the URL, and the
page). A code printed under two names keeps both: the years and counts say which is current. Names
that cannot be a subject's (digits, an amount read into the name cell, a total) are left out.
The normaliser reads this file to recover the code of a row printed by name only
(`extractors.subjects.recover_codes`).
"""
from __future__ import annotations

import argparse
import csv
import re
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path, PurePath

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors import vocabulary as v  # noqa: E402
from extractors.subjects import catalogue_name, classification_of  # noqa: E402

FIELDS = ("classification", "code", "name", "fiscal_year", "documents", "example")
_NOT_A_NAME = re.compile(r"\d|^[-—*]+$")


def printed_pairs(path: Path):
    """(classification, code, name, fiscal_year, document_id, example) of every coded line."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT DISTINCT l.subject_code, l.subject_name, l.fiscal_year, l.document_id, "
        "coalesce(d.raw_path, ''), coalesce(d.url, ''), l.page FROM budget_lines l "
        "JOIN documents d ON d.id = l.document_id "
        "WHERE l.subject_code != '' AND l.subject_name != '' AND l.fiscal_year IS NOT NULL")
    for code, name, year, document_id, raw_path, url, page in rows:
        name = catalogue_name(name)
        classification = classification_of(code)
        if classification == "none" or not v.SUBJECT_CODE.match(code) or not is_subject_name(name):
            continue
        source = PurePath(raw_path).name if raw_path else url
        yield classification, code, name, int(year), document_id, f"{source} p.{page}" if page else source
    db.close()


def is_subject_name(name: str) -> bool:
    return bool(name) and len(name) <= 40 and not _NOT_A_NAME.search(name) \
        and v.label_key(name) not in v.TOTAL_LABELS


def harvest(paths: list[Path]) -> list[dict]:
    documents: dict[tuple, set] = defaultdict(set)
    examples: dict[tuple, str] = {}
    for path in paths:
        for classification, code, name, year, document_id, example in printed_pairs(path):
            key = (classification, code, name, year)
            documents[key].add(document_id)
            examples[key] = min(examples.get(key, example), example)
    return [dict(zip(FIELDS, (*key, len(documents[key]), examples[key]))) for key in sorted(documents)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("databases", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    rows = harvest(args.databases)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    codes = {(r["classification"], r["code"]) for r in rows}
    print(f"{len(rows)} printed pairs, {len(codes)} codes, from {len(args.databases)} databases → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
