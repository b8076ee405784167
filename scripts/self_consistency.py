"""How well do extracted tables agree with their own arithmetic?

For every table of every PDF in the corpus (or the files given), two identities a correct grid
must satisfy wherever the document itself is consistent:

- hierarchy: a parent subject (类 204, 款 20406) equals the sum of its children printed in the
  same table, column by column; the 合计 row equals the sum of the 类 rows;
- row identity: 合计 = 基本支出 + 项目支出 (and 合计 = 人员经费 + 公用经费) within a row.

    python scripts/self_consistency.py [--misses] [--tables camelot|pdfplumber] [PDF ...]

prints per document the share of parent rows and of identity rows that hold, and the totals.
A miss is either a real inconsistency in the published document or an extraction bug; --misses
lists each with its table, row and the two numbers. "Within the document's rounding" is the
rounding `extractors.identities` defines for the whole project (each printed figure within one
unit of its last digit), the rule column reconstruction and the audit use too.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.pdf_checks import check_extraction  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _fmt(ok: int, n: int) -> str:
    return f"{ok}/{n} ({100 * ok / n:.1f}%)" if n else "0/0 (—)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true", help="list every check that fails")
    args = parser.parse_args(argv)
    from extractors.pdf import extract

    paths = args.paths or sorted(CORPUS.rglob("*.pdf"))
    totals = {"hierarchy": [0, 0, 0], "identity": [0, 0, 0]}
    for path in paths:
        extraction = extract(path.read_bytes(), path.name)
        report = check_extraction(extraction)
        shares = {}
        for kind in totals:
            ok, n = report.share(kind)
            rounded, _ = report.share(kind, allow_rounding=True)
            totals[kind][0] += ok
            totals[kind][1] += rounded
            totals[kind][2] += n
            shares[kind] = (ok, n)
        print(f"{path.name}: status {extraction.status}, {len(extraction.tables)} tables, "
              f"parents = sum of children {_fmt(*shares['hierarchy'])}, "
              f"total = basic + project {_fmt(*shares['identity'])}")
        if args.misses:
            for c in report.checks:
                if not c.ok:
                    why = "rounding in the document" if c.rounding else "inconsistent"
                    print(f"    MISS {c.kind} {c.table} | row {c.row} | {c.column}: printed {c.expected}, "
                          f"computed {c.actual} (diff {c.expected - c.actual}; {why})")
    ok = sum(t[0] for t in totals.values())
    rounded = sum(t[1] for t in totals.values())
    n = sum(t[2] for t in totals.values())
    h, i = totals["hierarchy"], totals["identity"]
    print(f"TOTAL: parents {_fmt(h[0], h[2])}, identities {_fmt(i[0], i[2])}, all rows {_fmt(ok, n)}; "
          f"within the document's rounding {_fmt(rounded, n)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
