"""HTML converted from a PDF (absolutely placed text boxes, no <table>) reads as the PDF does.

Real sites publish such pages (pdf2htmlEX, poppler's `pdftohtml`); poppler's `pdftohtml -c -s`
makes them from corpus PDFs here, at test time. The converter paints the ruling lines into a
background picture and merges figures of neighbouring columns into one box, so the reader has
only the words and where they stand. The oracle is the PDF itself: the same budget lines
(table kind, subject code, item, measure, amount) from both.
"""
from __future__ import annotations

import shutil
import subprocess
from collections import Counter

import pytest

from conftest import CORPUS, needs_corpus
from extractors import html, html_positioned, pdf
from extractors.normalise import normalise
from extractors.titles import parse_title

needs_pdftohtml = pytest.mark.skipif(shutil.which("pdftohtml") is None,
                                     reason="pdftohtml (poppler-utils; scripts/install.sh) is not installed")

# two layouts: the govbudgetchecker disclosures (codes in 类/款/项 columns, figures in yuan with
# cents, a summary with blank rows above its totals) and the tianbaoxitong ones (integer yuan,
# a 三公 table with a header as tall as the table's grid)
SAME_LINES = [
    "putuo-govbudgetchecker/上海市普陀区人民政府办公室25年预算.pdf",
    "putuo-govbudgetchecker/上海市普陀区商务委员会单位25年预算.pdf",
    "putuo-tianbaoxitong/1769321433314-826553525.pdf",
]


def converted(path, tmp_path) -> bytes:
    subprocess.run(["pdftohtml", "-c", "-s", "-q", "-i", str(path), str(tmp_path / "page")], check=True,
                   timeout=120)
    return (tmp_path / "page-html.html").read_bytes()


def lines_of(extraction, name: str) -> Counter:
    result = normalise(extraction, parse_title(name), "0" * 16)
    return Counter((line["table_kind"], line["subject_code"], line["item"], line["measure"], line["amount_fen"])
                   for line in result.lines)


@pytest.mark.slow
@needs_corpus
@needs_pdftohtml
@pytest.mark.parametrize("name", SAME_LINES)
def test_a_pdf_converted_to_positioned_html_gives_the_pdfs_budget_lines(name, tmp_path):
    path = CORPUS / name
    page = converted(path, tmp_path)
    from_pdf = lines_of(pdf.extract(path.read_bytes(), name, second_opinion=False), name)
    from_html = lines_of(html.extract(page, "page.html"), name)
    assert from_pdf and from_html == from_pdf


@pytest.mark.slow
@needs_corpus
@needs_pdftohtml
def test_a_converted_page_keeps_its_tables_titles_units_and_pages(tmp_path):
    name = SAME_LINES[0]
    extraction = html.extract(converted(CORPUS / name, tmp_path), "page.html")
    tables = {t.title: t for t in extraction.tables}
    income = tables["2025年部门收入预算总表"]  # page 9 of the PDF
    assert (income.page, income.unit) == (9, "元")
    # the first row as printed: 201 一般公共服务支出 82,096,797.42 82,096,797.42 (事业收入 … left blank)
    assert income.rows[0][:6] == ["201", "", "", "一般公共服务支出", "82,096,797.42", "82,096,797.42"]
    assert extraction.pages == 22


@pytest.mark.slow
def test_boxes_are_read_with_their_class_font_size_and_merged_figures_split():
    # as pdftohtml -c writes a row of 收入预算总表 (putuo 办公室 page 9): two figures in one box
    page = b"""<html><head><style type="text/css">.ft92{font-size:18px;font-family:SimSun;}</style></head>
    <body><div id="page9-div" style="position:relative;width:1263px;height:892px;">
    <p style="position:absolute;top:340px;left:633px;white-space:nowrap" class="ft92">82,096,797.42&#160;82,096,797.42</p>
    </div></body></html>"""
    [box] = html_positioned.positioned_boxes(html.parse(page))
    assert (box.page, box.left, box.top, box.size) == (1, 633 * 0.75, 340 * 0.75, 18 * 0.75)
    first, second = [html_positioned._word(chars) for chars in html_positioned.box_words(box)]
    assert first["text"] == second["text"] == "82,096,797.42"
    assert second["x0"] - first["x1"] == pytest.approx(18 * 0.75 * html_positioned.GAP_EM)


def test_a_page_with_a_few_placed_boxes_is_no_converted_document():
    page = b"<html><body><div style='position:absolute;top:0;left:0'>logo</div><table><tr><td>x</td></tr></table></body></html>"
    assert not html_positioned.is_positioned(html.parse(page))
