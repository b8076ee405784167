"""A cell's text is pdfplumber's `extract_text` of its glyphs, computed directly for one line.

`one_line_text` stands in for pdfplumber's `extract_text(chars, x_tolerance=…)` on every cell
of every ruled table: it builds the text itself when the glyphs are upright and on one line,
and hands anything else to pdfplumber. These tests hold it to pdfplumber's result, on made-up
glyphs that show each rule and on every cell of every page of the shared corpus.
"""
from __future__ import annotations

import pytest
from pdfplumber.utils import extract_text

from conftest import needs_corpus
from corpus_pages import ruled_pdfium_pages
from extractors.pdf_page import _CharIndex, one_line_text
from extractors.pdf_settings import SETTINGS

TOLERANCE = SETTINGS.x_tolerance


def glyph(text: str, x0: float, x1: float, top: float = 100.0, upright: bool = True) -> dict:
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + 10, "doctop": top,
            "upright": upright, "size": 10.0, "height": 10.0, "width": x1 - x0}


def both(chars: list[dict]) -> tuple[str, str]:
    return one_line_text(chars, TOLERANCE), extract_text(chars, x_tolerance=TOLERANCE)


def test_glyphs_that_touch_make_one_word_in_the_order_of_x():
    chars = [glyph("计", 20, 30), glyph("合", 0, 10), glyph("总", 10, 20)]
    assert both(chars) == ("合总计", "合总计")


def test_a_gap_wider_than_the_tolerance_is_a_space():
    chars = [glyph("1", 0, 5), glyph("2", 5, 10), glyph("3", 10 + TOLERANCE + 0.5, 20)]
    assert both(chars) == ("12 3", "12 3")


def test_a_gap_within_the_tolerance_is_no_space():
    chars = [glyph("1", 0, 5), glyph("2", 5 + TOLERANCE, 10)]
    assert both(chars) == ("12", "12")


def test_glyphs_at_one_x_keep_their_order_in_the_content_stream():
    # a glyph printed twice at one place (bold imitated by overprinting): the sort is stable
    chars = [glyph("乙", 10, 20), glyph("甲", 0, 10), glyph("乙", 10, 20)]
    assert both(chars) == ("甲乙乙", "甲乙乙")


def test_ligatures_are_expanded():
    chars = [glyph("ﬁ", 0, 8), glyph("x", 8, 12)]
    assert both(chars) == ("fix", "fix")


@pytest.mark.parametrize("chars", [
    [glyph("上", 0, 10, top=100), glyph("下", 0, 10, top=112)],  # two lines
    [glyph("转", 0, 10, upright=False), glyph("向", 10, 20, upright=False)],  # turned text
    [glyph("a", 0, 5), glyph(" ", 5, 8), glyph("b", 8, 12)],  # a blank glyph
], ids=["two lines", "not upright", "a blank"])
def test_anything_but_one_upright_line_is_pdfplumbers_reading(chars):
    ours, theirs = both(chars)
    assert ours == theirs


def test_no_glyphs_no_text():
    assert one_line_text([], TOLERANCE) == ""


@needs_corpus
@pytest.mark.slow
def test_every_cell_of_the_corpus_reads_as_pdfplumber_reads_it():
    """Every cell of every ruled table on every page PDFium reads, as `read_page` cuts it."""
    differences, one_line, cells = [], 0, 0
    for name, number, ruled in ruled_pdfium_pages():
        chars = _CharIndex([c for c in ruled.chars if c.get("text", "").strip()])
        for table in ruled.find_tables(SETTINGS.table_settings()):
            for box in table.cells:
                within = chars.within(box)
                cells += 1
                one_line += bool(within) and len({c["top"] for c in within}) == 1
                ours, theirs = both(within)
                if ours != theirs:
                    differences.append(f"{name} page {number} cell {box}: {ours!r} vs {theirs!r}")
    assert not differences, "\n".join(differences[:20])
    assert cells > 10_000 and one_line > cells / 2  # the direct reading is the common case
