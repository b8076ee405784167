"""How well does the tool read a folder of real disclosures? No database needed.

    python scripts/accuracy.py FOLDER [--misses]

reads every document under FOLDER (any format the tool reads; members of archives too) the way
`budgets ingest` does (`extractors.read.read_document`, the title's metadata, `normalise`) and
prints one line per document:

- ``identities``: body rows whose table arithmetic holds, exactly / checked: parents = sum of
  children, the 合计 row = sum of the 类 rows, 合计 = 基本支出 + 项目支出 (人员经费 + 公用经费)
  (`extractors.pdf_checks`, the checks `scripts/self_consistency.py` reports); in brackets the
  rows that hold within the document's rounding (`extractors.identities`);
- ``audit``: what the audit's `row_identity` and `hierarchy_sum` checks say about the loaded
  lines (their measures decide which figures must add up): error findings;
- ``unplaced``: cells that went to `unplaced_cells` (the document is then `partial`);
- ``other``: tables of kind `other`, and of those the ones that carry amounts;
- ``no dept/year``: lines loaded without a department or a fiscal year;
- the document's stage and status, and its lines.

The last line totals the folder. `--misses` lists every identity that fails, with its table,
row and the two numbers, and each audit error.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.constants import TableKind  # noqa: E402
from extractors.detect import detect_format  # noqa: E402
from extractors.model import Extraction, ExtractionError  # noqa: E402
from extractors.normalise import normalise  # noqa: E402
from extractors.pdf_checks import amount_columns, check_extraction  # noqa: E402
from extractors.read import read_document  # noqa: E402
from extractors.titles import document_meta  # noqa: E402

SKIPPED = {".md", ".txt", ".json", ".csv", ".py"}  # notes beside the documents, not disclosures


@dataclass
class Figures:
    name: str
    status: str = "ok"
    stage: str | None = None
    department: str = ""
    year: int | None = None
    lines: int = 0
    rows_ok: int = 0
    rows_rounding: int = 0
    rows: int = 0
    audit_errors: int = 0
    unplaced: int = 0
    other_tables: int = 0
    other_with_amounts: int = 0
    no_department_or_year: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: "Figures") -> None:
        for name in ("lines", "rows_ok", "rows_rounding", "rows", "audit_errors", "unplaced", "other_tables",
                     "other_with_amounts", "no_department_or_year"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def share(ok: int, n: int) -> str:
    return f"{ok}/{n} ({100 * ok / n:.1f}%)" if n else "0/0 (—)"


def documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() not in SKIPPED
                  and not p.name.startswith("."))


def measure(data: bytes, name: str, folders: tuple = ()) -> list[Figures]:
    """The figures of one document and of each member it holds."""
    figures = Figures(name)
    try:
        extraction = read_document(data, name, detect_format(data, name))
    except ExtractionError as exc:
        extraction = Extraction(status=exc.status, error=str(exc))
    _title, meta = document_meta(extraction, "", name, folders)  # the pipeline's own rule
    result = normalise(extraction, meta, hashlib.sha256(data).hexdigest())
    figures.status = "partial" if extraction.status == "ok" and result.unplaced else extraction.status
    figures.stage, figures.department, figures.year = meta.stage, meta.department, meta.fiscal_year
    figures.lines = len(result.lines)
    figures.unplaced = len(result.unplaced)
    figures.no_department_or_year = sum(1 for l in result.lines if not l["department"] or not l["fiscal_year"])
    kinds = {t["table_index"]: t["table_kind"] for t in result.tables}
    for table in extraction.tables:
        if kinds.get(table.index) == TableKind.OTHER:
            figures.other_tables += 1
            figures.other_with_amounts += bool(amount_columns(table))
    report = check_extraction(extraction)
    for kind in ("hierarchy", "identity"):
        ok, n = report.share(kind)
        figures.rows_ok += ok
        figures.rows += n
        figures.rows_rounding += report.share(kind, allow_rounding=True)[0]
    figures.misses += [f"{c.kind} {c.table} | row {c.row} | {c.column}: printed {c.expected}, parts add up to "
                       f"{c.actual}" + (" (rounding)" if c.rounding else "") for c in report.checks if not c.ok]
    for finding in audit_errors(result, meta):
        figures.audit_errors += 1
        figures.misses.append(f"audit {finding.check}: {finding.message} ({finding.evidence})")
    members = []
    for member, member_data in extraction.children:
        members += measure(member_data, f"{name}#{member}")
    return [figures] + members


def audit_errors(result, meta) -> list:
    """The audit's row and hierarchy identities over the lines as they would be loaded."""
    from budgets.audit import hierarchy_sum, row_identity
    from budgets.audit.model import Disclosure

    document = {"id": "", "stage": meta.stage, "fiscal_year": meta.fiscal_year, "department": meta.department,
                "district": meta.district, "title": "", "url": ""}
    disclosure = Disclosure(document, result.lines, result.paragraphs, result.tables)
    found = row_identity.check(disclosure) + hierarchy_sum.check(disclosure)
    return [f for f in found if f.severity == "error"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--misses", action="store_true", help="list every identity and audit error")
    args = parser.parse_args(argv)
    os.environ.setdefault("BUDGETS_NO_WORKER", "1")
    total = Figures("TOTAL")
    count = missing_meta = 0
    for path in documents(args.folder):
        for f in measure(path.read_bytes(), str(path.relative_to(args.folder)), path.resolve().parent.parts[-2:]):
            count += 1
            missing = [what for what, value in (("department", f.department), ("year", f.year),
                                                ("stage", f.stage)) if not value]
            missing_meta += bool(missing)
            total.add(f)
            print(f"{f.name}: status {f.status}, stage {f.stage or '—'}, {f.lines} lines, "
                  f"identities {share(f.rows_ok, f.rows)} [{f.rows_rounding} within rounding], "
                  f"audit errors {f.audit_errors}, unplaced {f.unplaced}, "
                  f"other tables {f.other_tables} ({f.other_with_amounts} with amounts), "
                  f"no dept/year {f.no_department_or_year}"
                  + (f", missing {'/'.join(missing)}" if missing else ""))
            if args.misses:
                for miss in f.misses:
                    print(f"    MISS {miss}")
    print(f"TOTAL: {count} documents, {total.lines} lines, identities {share(total.rows_ok, total.rows)} "
          f"[{share(total.rows_rounding, total.rows)} within rounding], audit errors {total.audit_errors}, "
          f"unplaced {total.unplaced}, other tables {total.other_tables} ({total.other_with_amounts} with amounts), "
          f"no dept/year {total.no_department_or_year} lines, "
          f"documents missing department/year/stage {missing_meta}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
