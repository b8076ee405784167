"""PDF tables: our extractor against pdfplumber alone and camelot alone, on the same pages.

    python benchmarks/pdf_tables.py [--no-camelot]

For each template family of the annotated corpus documents (tests/fixtures/pdf_expected/
cells.csv, amounts read off the printed pages), the share of annotated amounts each method
puts in the right row, and pages per second over the same documents. "Right row" is the
lenient measure every method can be held to (a row of a table on that page or the next that
carries the row's subject code or label, and the amount as printed); ours is also scored
strictly (the exact cell under the exact column, as the tests check). Prints lines of the form

    name: ours …, baseline …, ratio …x
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTED = ROOT / "tests" / "fixtures" / "pdf_expected" / "cells.csv"


def family(document: str) -> str:
    name = Path(document).name
    if "决算" in name:
        return "putuo-final-accounts"
    if "上海市财政局" in name:
        return "shanghai-municipal"
    if document.startswith("putuo"):
        return "putuo-budgets"
    if re.search(r"表格?\.pdf$", name):
        return "jiangsu-tables"
    return "jiangsu-combined"


def squeeze(text) -> str:
    return re.sub(r"\s+", "", str(text or ""))


def row_matches(row: list[str], spec: str) -> bool:
    cells = [squeeze(c) for c in row]
    if spec.startswith("#"):
        return True
    if spec.isdigit():
        digits = [c for c in cells if c.isdigit()]
        joined = "".join(p if i == 0 else p.zfill(2) for i, p in enumerate(digits[:3]))
        return spec in cells or any(
            "".join(p if i == 0 else p.zfill(2) for i, p in enumerate(digits[:n])) == spec for n in (2, 3)
        ) or joined == spec
    return spec in cells


def found(tables_by_page: dict[int, list[list[list[str]]]], page: int, spec: str, expected: str) -> bool:
    for p in (page, page + 1):
        for grid in tables_by_page.get(p, []):
            for row in grid:
                if row_matches(row, spec) and expected in [squeeze(c) for c in row]:
                    return True
    return False


# ---- the three methods: document path → {page: [grid, ...]} ----------------------------------

def ours(path: Path) -> dict[int, list[list[list[str]]]]:
    from extractors.pdf import extract

    out: dict[int, list] = defaultdict(list)
    for table in extract(path.read_bytes(), path.name).tables:
        out[table.page].append(table.header + table.rows)
    return out


def pdfplumber_alone(path: Path) -> dict[int, list[list[list[str]]]]:
    import pdfplumber

    out: dict[int, list] = defaultdict(list)
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for grid in page.extract_tables():
                out[number].append([[c or "" for c in row] for row in grid])
    return out


def camelot_alone(flavor: str):
    def run(path: Path) -> dict[int, list[list[list[str]]]]:
        import camelot

        out: dict[int, list] = defaultdict(list)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for table in camelot.read_pdf(str(path), pages="all", flavor=flavor):
                out[int(table.page)].append(table.df.values.tolist())
        return out

    return run


def pages_of(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-camelot", action="store_true", help="skip camelot (slow: it renders pages)")
    args = parser.parse_args(argv)
    with EXPECTED.open(encoding="utf-8") as fh:
        cells = [r for r in csv.DictReader(fh) if r["expected"] not in ("", "EMPTY")]
    documents = sorted({r["document"] for r in cells})
    methods = {"ours": ours, "pdfplumber": pdfplumber_alone}
    if not args.no_camelot:
        methods["camelot-lattice"] = camelot_alone("lattice")
        methods["camelot-stream"] = camelot_alone("stream")

    results: dict[str, dict[str, dict[int, list]]] = {}
    seconds: dict[str, float] = {}
    for name, method in methods.items():
        results[name], seconds[name] = {}, 0.0
        for doc in documents:
            start = time.perf_counter()
            try:
                results[name][doc] = method(CORPUS / doc)
            except Exception as exc:  # a baseline that cannot read a file scores nothing there
                print(f"  {name} failed on {doc}: {type(exc).__name__}: {exc}", file=sys.stderr)
                results[name][doc] = {}
            seconds[name] += time.perf_counter() - start
    pages = sum(pages_of(CORPUS / d) for d in documents)

    strict = _strict_scores(cells)
    by_family: dict[str, list[dict]] = defaultdict(list)
    for cell in cells:
        by_family[family(cell["document"])].append(cell)
    print(f"{len(cells)} annotated amounts in {len(documents)} documents, {pages} pages")
    for fam, group in sorted(by_family.items()):
        score = {
            name: sum(found(results[name][c["document"]], int(c["page"]), c["row"], squeeze(c["expected"]))
                      for c in group) / len(group)
            for name in methods
        }
        exact = sum(strict[id(c)] for c in group) / len(group)
        print(f"{fam} exact cells ({len(group)}): ours {100 * exact:.1f}%")
        for name in methods:
            if name == "ours":
                continue
            ratio = score["ours"] / score[name] if score[name] else float("inf")
            print(f"{fam} right row: ours {100 * score['ours']:.1f}%, {name} {100 * score[name]:.1f}%, "
                  f"ratio {ratio:.2f}x")
    for name in methods:
        if name == "ours":
            continue
        ours_rate = pages / seconds["ours"]
        rate = pages / seconds[name]
        print(f"pages per second: ours {ours_rate:.1f}, {name} {rate:.1f}, ratio {ours_rate / rate:.2f}x")
    return 0


def _strict_scores(cells: list[dict]) -> dict[int, bool]:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_pdf_corpus import extracted, find_column, find_row, find_table

    scores = {}
    for cell in cells:
        try:
            table = find_table(extracted(cell["document"]), cell["table_title"], int(cell["page"]))
            value = table.rows[find_row(table, cell["row"])][find_column(table, cell["column"])]
            scores[id(cell)] = value == cell["expected"]
        except AssertionError:
            scores[id(cell)] = False
    return scores


if __name__ == "__main__":
    raise SystemExit(main())
