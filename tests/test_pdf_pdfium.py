"""The PDFium page reader: pdfplumber's chars and rules from PDFium, its errors in the project's
words, its crashes contained, and the pages it leaves to pdfplumber counted.

Real layouts: the Putuo justice bureau's 2026 budget (shpt_sfj_2026_budget.pdf: a landscape
A4 page of ruled tables, glyphs drawn at 1/20 scale with the font at 240–360 units) from the
shared corpus; the small PDFs are the ones tests/badinputs.py builds for the bad-input run.
"""
from __future__ import annotations

import ctypes
import faulthandler
import io

import pdfplumber
import pytest

from badinputs import encrypted_pdf, text_pdf
from conftest import CORPUS, needs_corpus
from extractors import pdf_pdfium
from extractors.model import ExtractionError
from extractors.pdf import extract
from extractors.pdf_page import PdfPages, _is_fill
from extractors.pdf_settings import SETTINGS

SFJ = CORPUS / "putuo-govbudgetchecker" / "shpt_sfj_2026_budget.pdf"


def pdfium_page(data: bytes, index: int):
    document = pdf_pdfium.open_document(data)
    try:
        return pdf_pdfium.read_pdfium_page(document, index)
    finally:
        document.close()


@needs_corpus
def test_glyph_boxes_follow_pdfminer_conventions_on_a_real_page():
    """Page 6 of the justice bureau's budget prints its title 上海市普陀区司法局机构设置 in an
    18 pt font (360 units at 1/20 scale): its bottom is the font's descent line, its top 18 pt
    above — not the font's ascent, which PDFium's own loose box uses."""
    data = SFJ.read_bytes()
    ours = pdfium_page(data, 5)
    title = ours.chars[:13]
    assert "".join(c["text"] for c in title) == "上海市普陀区司法局机构设置"
    assert all(c["bottom"] - c["top"] == pytest.approx(18.0, abs=1e-3) for c in title)
    theirs = [c for c in pdfplumber.open(io.BytesIO(data)).pages[5].chars if c["text"].strip()]
    assert len(theirs) == len(ours.chars)
    for a, b in zip(sorted(ours.chars, key=lambda c: (c["top"], c["x0"])),
                    sorted(theirs, key=lambda c: (c["top"], c["x0"]))):
        assert a["text"] == b["text"]
        for key in ("x0", "x1", "top", "bottom", "size"):
            assert a[key] == pytest.approx(b[key], abs=0.01), (a["text"], key)
        assert a["upright"] is b["upright"] is True


@needs_corpus
def test_ruled_cells_are_the_ones_pdfplumber_finds():
    """The budget's table pages: PDFium's path objects, through pdfminer's path painting and
    pdfplumber's table finder, enclose the same cells as pdfplumber's own reading."""
    data = SFJ.read_bytes()
    plumber = pdfplumber.open(io.BytesIO(data))
    for index in (8, 11, 14):
        ours = pdfium_page(data, index).filter(lambda o: not _is_fill(o)).find_tables(SETTINGS.table_settings())
        theirs = plumber.pages[index].filter(lambda o: not _is_fill(o)).find_tables(SETTINGS.table_settings())
        assert [len(t.cells) for t in ours] == [len(t.cells) for t in theirs]
        for a, b in zip(ours, theirs):
            for box_a, box_b in zip(sorted(a.cells), sorted(b.cells)):
                assert box_a == pytest.approx(box_b, abs=0.05)


@needs_corpus
def test_every_page_of_a_real_budget_is_read_by_pdfium_and_counted():
    extraction = extract(SFJ.read_bytes(), SFJ.name)
    assert extraction.page_readers == {"pdfium": 23}


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_page_whose_rotation_turns_its_text_sideways_is_left_to_pdfplumber_and_counted(turn):
    """A page printed upright but marked /Rotate 90, 180 or 270 (as scanners and some office
    printers do): pdfminer sees its glyphs sideways or upside down and turns the page back;
    PDFium leaves that to it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(["Budget 2026", "Total 1207.84"] * 4))))
    writer.add_page(PdfReader(io.BytesIO(text_pdf(["Budget 2026", "Total 1207.84"] * 4))).pages[0])
    writer.pages[1].rotate(turn)
    out = io.BytesIO()
    writer.write(out)
    with PdfPages(out.getvalue()) as pages:
        kinds = [type(page).__name__ for page in pages.pages]
    assert kinds == ["PdfiumPage", "Page"]
    assert pages.note() == {"pdfium": 1, "pdfplumber": 1} and pages.slow_pages == [2]
    extraction = extract(out.getvalue(), "rotated.pdf")
    assert extraction.page_readers == {"pdfium": 1, "pdfplumber": 1}
    assert [p.text for p in extraction.paragraphs if p.page == 1][:1] == [p.text for p in extraction.paragraphs if p.page == 2][:1]


def test_an_encrypted_pdf_says_it_needs_a_password():
    with pytest.raises(ExtractionError, match=r"budget\.pdf is encrypted \(password protected\); ask the publisher"):
        extract(encrypted_pdf("secret"), "budget.pdf")


def test_a_pdf_encrypted_only_against_editing_opens_without_a_password():
    extraction = extract(encrypted_pdf(""), "budget.pdf")
    assert extraction.page_readers == {"pdfium": 1}
    assert "Total1207.84" in extraction.text.replace(" ", "")


@pytest.mark.parametrize("data", [b"%PDF-1.7\n" + bytes(range(256)) * 40, b"<html>404</html>", b""],
                         ids=["header-then-garbage", "html", "empty"])
def test_a_damaged_pdf_says_it_is_not_a_readable_pdf(data):
    with pytest.raises(ExtractionError, match=r"report\.pdf is not a readable PDF \(PdfiumFormatError"):
        extract(data, "report.pdf")


def test_a_malformed_pdf_through_the_worker_is_a_worded_error_not_a_dead_run():
    """A content stream cut in the middle of an operator and an xref pointing past the end."""
    good = text_pdf(["Budget 2026", "Total 1207.84"] * 10)
    malformed = good.replace(b"ET", b"ET q 1 0 0 1 0 0 cm 0 0 m 10 10 l S Q BT /F1 12 Tf (unclosed", 1)
    malformed = malformed[: malformed.rindex(b"startxref")] + b"startxref\n999999\n%%EOF\n"
    from budgets.worker import extract_document

    try:
        extraction = extract_document(malformed, "pdf", "malformed.pdf")
    except ExtractionError as exc:
        assert "malformed.pdf" in str(exc)
    else:
        assert extraction.status in ("ok", "partial", "needs_ocr")


def test_a_crash_inside_pdfium_kills_only_the_worker(monkeypatch):
    """A segmentation fault in C code (here: reading address 0 through ctypes, where PDFium
    would crash on a hostile file) ends the forked worker; the caller gets a worded error."""
    from budgets.worker import extract_document

    def crash(*args, **kwargs):
        faulthandler.disable()  # the worker dies quietly, as it would outside pytest
        ctypes.string_at(0)

    monkeypatch.setattr(pdf_pdfium, "read_pdfium_page", crash)
    with pytest.raises(ExtractionError, match=r"the pdf reader crashed \(SIGSEGV\) while reading hostile\.pdf"):
        extract_document(text_pdf(["Budget 2026"]), "pdf", "hostile.pdf")
