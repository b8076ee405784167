"""PDFium's reading and pdfplumber's reading of every shared corpus PDF give the same tables,
cells, text lines and paragraphs, page by page.

The PDF reader reads a page with PDFium (extractors/pdf_pdfium.py) and keeps pdfplumber for
what PDFium cannot give the same way; this test holds the two readers to one result on the
real disclosures in ../shared/corpus (skipped when the corpus is absent): for every page
PDFium reads, `read_page` on PDFium's page and on pdfplumber's page must give the same ruled
tables (every header and body cell, the printed source rows, the lines above and below each
table) and the same text lines, and those lines the same paragraphs. Pages compared one by one
(not whole extractions) keep it fast and name the page and cell that differs.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, needs_corpus
from extractors import pdf_pdfium
from extractors.pdf_narrative import paragraphs_of
from extractors.pdf_page import PdfPages, read_page

pytestmark = [needs_corpus, pytest.mark.slow]  # about 55 s CPU on one core, all 745 pages

DOCUMENTS = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.pdf")) if CORPUS.is_dir() else []
POSITION = 0.5  # points: PDFium keeps coordinates as 32-bit floats, pdfminer as 64-bit


def page_differences(name: str, number: int, ours, theirs) -> list[str]:
    """What differs between two `read_page` results of one page, each naming page and cell."""
    where = f"{name} page {number}"
    out: list[str] = []
    (tables_a, lines_a, text_a), (tables_b, lines_b, text_b) = ours, theirs
    if text_a != text_b:
        out.append(f"{where}: has a text layer {text_a} (pdfium) vs {text_b} (pdfplumber)")
    if len(tables_a) != len(tables_b):
        out.append(f"{where}: {len(tables_a)} tables (pdfium) vs {len(tables_b)} (pdfplumber)")
    for t, (a, b) in enumerate(zip(tables_a, tables_b), start=1):
        table = f"{where} table {t}"
        if abs(a.top - b.top) > POSITION or abs(a.bottom - b.bottom) > POSITION:
            out.append(f"{table}: spans {a.top:.1f}–{a.bottom:.1f} (pdfium) vs {b.top:.1f}–{b.bottom:.1f}")
        if len(a.columns) != len(b.columns) or any(
                abs(x - y) > POSITION for ca, cb in zip(a.columns, b.columns) for x, y in zip(ca, cb)):
            out.append(f"{table}: columns {a.columns} (pdfium) vs {b.columns} (pdfplumber)")
        for part in ("header", "rows"):
            rows_a, rows_b = getattr(a.layout, part), getattr(b.layout, part)
            if len(rows_a) != len(rows_b):
                out.append(f"{table}: {len(rows_a)} {part} rows (pdfium) vs {len(rows_b)} (pdfplumber)")
            for r, (ra, rb) in enumerate(zip(rows_a, rows_b), start=1):
                if len(ra) != len(rb):
                    out.append(f"{table} {part} row {r}: {len(ra)} cells (pdfium) vs {len(rb)}")
                for k, (ca, cb) in enumerate(zip(ra, rb), start=1):
                    if ca != cb:
                        out.append(f"{table} {part} row {r} cell {k}: {ca!r} (pdfium) vs {cb!r} (pdfplumber)")
        for part in ("source_rows", "title_rows"):
            if getattr(a.layout, part) != getattr(b.layout, part):
                out.append(f"{table}: {part} {getattr(a.layout, part)} (pdfium) vs {getattr(b.layout, part)}")
        for part in ("above", "below", "after"):
            ta, tb = [ln.text for ln in getattr(a, part)], [ln.text for ln in getattr(b, part)]
            if ta != tb:
                out.append(f"{table}: lines {part} {ta} (pdfium) vs {tb} (pdfplumber)")
    texts_a, texts_b = [ln.text for ln in lines_a], [ln.text for ln in lines_b]
    if texts_a != texts_b:
        extra_a = [t for t in texts_a if t not in texts_b]
        extra_b = [t for t in texts_b if t not in texts_a]
        out.append(f"{where}: text lines differ: pdfium only {extra_a[:3]}, pdfplumber only {extra_b[:3]}"
                   + ("" if extra_a or extra_b else " (order)"))
    else:
        paragraphs_a, paragraphs_b = paragraphs_of(lines_a), paragraphs_of(lines_b)
        if paragraphs_a != paragraphs_b:
            out.append(f"{where}: paragraphs {paragraphs_a[:2]}… (pdfium) vs {paragraphs_b[:2]}…")
    return out


def differences(name: str) -> tuple[list[str], int, int]:
    """(differences, pages compared, pages PDFium left to pdfplumber) for one corpus PDF."""
    data = (CORPUS / name).read_bytes()
    found: list[str] = []
    compared = 0
    with PdfPages(data, "pdfium") as fast, PdfPages(data, "pdfplumber") as slow:
        for number, (page_a, page_b) in enumerate(zip(fast.pages, slow.pages), start=1):
            if isinstance(page_a, pdf_pdfium.PdfiumPage):
                compared += 1
                found += page_differences(name, number, read_page(page_a, number), read_page(page_b, number))
            page_b.flush_cache()
        left = fast.read_by["pdfplumber"]
    return found, compared, left


@pytest.mark.parametrize("name", DOCUMENTS, ids=[Path(n).stem[:40] for n in DOCUMENTS])
def test_pdfium_and_pdfplumber_read_every_page_alike(name):
    found, compared, left = differences(name)
    assert not found, f"{len(found)} differences:\n" + "\n".join(found[:20])
    assert compared + left > 0
