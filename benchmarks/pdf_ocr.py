"""OCR of scanned pages: how much of a page's text and amounts it recovers, and how fast.

    python benchmarks/pdf_ocr.py

Renders corpus pages that do have a text layer, reads the pictures with RapidOCR (as
extractors.pdf_ocr does for real scans) and compares with the text layer: the share of the
page's amounts found verbatim, the similarity of the whole text, and seconds per page.
Prints `name: ours …, baseline …, ratio …x` lines with the text layer as the baseline.
"""
from __future__ import annotations

import difflib
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
PAGES = [  # (document, 1-based page): narrative and tables from each template family
    ("putuo-govbudgetchecker/shpt_sfj_2026_budget.pdf", 12),
    ("putuo-govbudgetchecker/shpt_sfj_2026_budget.pdf", 22),
    ("putuo-govbudgetchecker/中共上海市普陀区委社会工作部 2024 年度部门决算.pdf", 8),
    ("putuo-tianbaoxitong/上海市财政局25年预算.pdf", 17),
    ("jiangsu-open-budget/江苏省委办公厅/江苏省委办公厅2019年度部门预算公开表格.pdf", 6),
    ("jiangsu-open-budget/江苏省人民检察院/2019年度部门预算公开.pdf", 20),
]
AMOUNT = re.compile(r"\d[\d,]*\.\d+")


def main() -> int:
    import pdfplumber

    from extractors.pdf_ocr import ocr_words

    found = total = 0
    similarity = []
    seconds = 0.0
    for name, page in PAGES:
        data = (CORPUS / name).read_bytes()
        with pdfplumber.open(CORPUS / name) as pdf:
            layer = pdf.pages[page - 1].extract_text() or ""
        start = time.perf_counter()
        words = ocr_words(data, page - 1)
        seconds += time.perf_counter() - start
        read = "".join(w["text"] for w in words)
        amounts = AMOUNT.findall(layer)
        hits = sum(1 for a in amounts if a in read)
        found, total = found + hits, total + len(amounts)
        ratio = difflib.SequenceMatcher(None, re.sub(r"\s+", "", layer), re.sub(r"\s+", "", read)).ratio()
        similarity.append(ratio)
        print(f"  {Path(name).name} p{page}: amounts {hits}/{len(amounts)}, text similarity {ratio:.3f}")
    share = found / total if total else 1.0
    print(f"ocr amounts recovered: ours {100 * share:.1f}%, baseline 100.0% (text layer), ratio {share:.3f}x")
    mean = sum(similarity) / len(similarity)
    print(f"ocr text similarity: ours {mean:.3f}, baseline 1.000 (text layer), ratio {mean:.3f}x")
    print(f"ocr seconds per page: ours {seconds / len(PAGES):.1f}, baseline 0.0 (text layer)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
