"""The PDF extractor's contract on small, made-up inputs: bad files, scans, rotated pages, and
the grid rules (merged cells, hairline columns, halves, empty tables) as pure functions."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import CORPUS, NO_CORPUS
from extractors.model import ExtractionError
from extractors.pdf import extract
from extractors.pdf_grid import Cell, Grid, build_grid, split_layout, stack_halves

SFJ = CORPUS / "putuo-govbudgetchecker" / "shpt_sfj_2026_budget.pdf"
needs_corpus = pytest.mark.skipif(not SFJ.exists(), reason=NO_CORPUS)


def one_page(page_index: int, rotate: int = 0, password: str | None = None) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(SFJ).pages[page_index])
    if rotate:
        writer.pages[0].rotate(rotate)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---- files that cannot be read ------------------------------------------------------------------

@needs_corpus
def test_encrypted_pdf_fails_with_a_clear_message():
    with pytest.raises(ExtractionError) as err:
        extract(one_page(11, password="secret"), "locked.pdf")
    assert err.value.status == "failed"
    assert "locked.pdf is encrypted" in str(err.value)


@pytest.mark.parametrize("data", [b"%PDF-1.4\n garbage", b"", b"<html>not a pdf</html>"])
def test_corrupt_pdf_fails_with_a_clear_message(data):
    with pytest.raises(ExtractionError) as err:
        extract(data, "broken.pdf")
    assert err.value.status == "failed" and "broken.pdf is not a readable PDF" in str(err.value)


@needs_corpus
def test_truncated_pdf_never_crashes():
    data = SFJ.read_bytes()
    try:
        result = extract(data[: len(data) // 2], "half.pdf")
    except ExtractionError as err:
        assert err.status == "failed"
    else:
        assert result.status in ("ok", "partial")


def test_scan_without_text_layer_needs_ocr():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, "PDF")
    result = extract(out.getvalue(), "scan.pdf")
    assert result.status == "needs_ocr"
    assert result.pages == 1 and result.tables == []
    assert "text layer" in result.error


# ---- rotated pages ------------------------------------------------------------------------------

@needs_corpus
@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_a_sideways_page_reads_like_the_upright_one(turn):
    result = extract(one_page(11, rotate=turn), "page12.pdf")
    [table] = result.tables
    assert table.title == "2026年部门支出预算总表" and table.unit == "元"
    assert table.rows[0][:5] == ["204", "", "", "公共安全支出", "87267272.44"]


# ---- the grid rules -----------------------------------------------------------------------------

def grid_of(cells: list[Cell], widths: list[float] | None = None) -> Grid:
    n = max(c.col + c.col_span for c in cells)
    widths = widths or [60.0] * n
    edges, x = [], 0.0
    for w in widths:
        edges.append((x, x + w))
        x += w
    return build_grid(cells, edges)


def test_merged_header_cell_is_repeated_into_every_column_and_row_it_covers():
    grid = grid_of([
        Cell("项目", 0, 0, 2, 1), Cell("支出预算", 0, 1, 1, 2),
        Cell("基本支出", 1, 1), Cell("项目支出", 1, 2),
        Cell("合计", 2, 0), Cell("1.00", 2, 1), Cell("2.00", 2, 2),
    ])
    assert grid.texts == [["项目", "支出预算", "支出预算"], ["项目", "基本支出", "项目支出"], ["合计", "1.00", "2.00"]]


def test_hairline_column_between_doubled_rules_disappears():
    grid = grid_of(
        [Cell("科目", 0, 0), Cell("", 0, 1), Cell("金额", 0, 2), Cell("201", 1, 0), Cell("", 1, 1), Cell("5.00", 1, 2)],
        widths=[80, 4, 80],
    )
    assert grid.texts == [["科目", "金额"], ["201", "5.00"]]


def test_an_empty_but_real_column_stays():
    grid = grid_of([Cell("201", 0, 0), Cell("", 0, 1), Cell("5.00", 0, 2)], widths=[80, 80, 80])
    assert grid.texts == [["201", "", "5.00"]]


def test_header_split_from_body_at_the_first_row_with_an_amount_or_code():
    grid = grid_of([Cell("科目编码", 0, 0), Cell("金额", 0, 1), Cell("301", 1, 0), Cell("9.00", 1, 1)])
    layout = split_layout(grid)
    assert layout.header == [["科目编码", "金额"]] and layout.rows == [["301", "9.00"]]
    assert layout.source_rows == ["301 9.00"]


def test_a_table_with_no_amounts_keeps_its_header_and_no_rows():
    grid = grid_of([Cell("科目编码", 0, 0), Cell("金额", 0, 1), Cell("合计", 1, 0, 1, 2)])
    layout = split_layout(grid)
    assert layout.header == [["科目编码", "金额"]] and layout.rows == []


def test_title_and_unit_printed_inside_the_frame_are_not_header_rows():
    grid = grid_of([
        Cell("收支预算总表", 0, 0, 1, 2), Cell("部门：某厅", 1, 0), Cell("单位：万元", 1, 1),
        Cell("项目", 2, 0), Cell("金额", 2, 1), Cell("合计", 3, 0), Cell("3.00", 3, 1),
    ])
    layout = split_layout(grid)
    assert layout.title_rows == ["收支预算总表", "部门：某厅 单位：万元"]
    assert layout.header == [["项目", "金额"]]


def test_left_and_right_halves_with_the_same_columns_are_stacked():
    grid = grid_of([
        Cell("科目编码", 0, 0), Cell("决算数", 0, 1), Cell("科目编码", 0, 2), Cell("决算数", 0, 3),
        Cell("301", 1, 0), Cell("1.00", 1, 1), Cell("302", 1, 2), Cell("2.00", 1, 3),
        Cell("", 2, 0), Cell("", 2, 1), Cell("310", 2, 2), Cell("3.00", 2, 3),
    ])
    layout = stack_halves(split_layout(grid))
    assert layout.header == [["科目编码", "决算数"]]
    assert layout.rows == [["301", "1.00"], ["302", "2.00"], ["310", "3.00"]]


def test_income_and_expenditure_sides_are_not_stacked():
    grid = grid_of([
        Cell("收入", 0, 0, 1, 2), Cell("支出", 0, 2, 1, 2),
        Cell("项目", 1, 0), Cell("金额", 1, 1), Cell("项目", 1, 2), Cell("金额", 1, 3),
        Cell("一、财政拨款", 2, 0), Cell("1.00", 2, 1), Cell("一、公共安全支出", 2, 2), Cell("1.00", 2, 3),
    ])
    layout = stack_halves(split_layout(grid))
    assert len(layout.header[0]) == 4 and len(layout.rows) == 1


@needs_corpus
def test_a_scan_is_read_by_ocr_when_asked_and_marked_partial():
    pytest.importorskip("rapidocr_onnxruntime")
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(SFJ.read_bytes())[21].render(scale=1.5).to_pil().convert("RGB")
    out = io.BytesIO()
    page.save(out, "PDF", resolution=108)
    result = extract(out.getvalue(), "scan.pdf", ocr=True)
    assert result.status == "partial" and "read by OCR" in result.error
    assert any("2026年“三公”经费预算数为10.81万元" in p.text for p in result.paragraphs)


# ---- tables across pages --------------------------------------------------------------------------

def page_table(page, header, rows, columns, above=()):
    from extractors.pdf import Line, PageTable
    from extractors.pdf_grid import Layout

    lines = [Line(text, 0, 10, 0, 100) for text in above]
    return PageTable(page, 100, 500, Layout(header, rows, [" ".join(r) for r in rows]), columns, above=lines)


def test_continuation_without_title_appends_rows_and_drops_the_repeated_header():
    from extractors.pdf import join_tables

    cols = [(0, 50), (50, 200), (200, 300)]
    first = page_table(3, [["科目编码", "科目名称", "金额"]], [["201", "一般公共服务支出", "5.00"]], cols,
                       above=["财政拨款支出预算表", "单位：万元"])
    second = page_table(4, [["科目编码", "科目名称", "金额"]], [["221", "住房保障支出", "2.00"]],
                        [(1, 51), (51, 199), (199, 301)])
    [table], spans = join_tables([first, second])
    assert table.title == "财政拨款支出预算表" and table.unit == "万元" and table.page == 3
    assert table.rows == [["201", "一般公共服务支出", "5.00"], ["221", "住房保障支出", "2.00"]]
    assert spans == {0: {3, 4}}


def test_continuation_columns_are_matched_by_position_not_by_index():
    from extractors.pdf import join_tables

    first = page_table(8, [["科目编码", "基本支出", "项目支出"]], [["201", "1.00", "2.00"]],
                       [(0, 50), (50, 100), (100, 150)], above=["支出决算表"])
    # overleaf the rules sit a little apart and a doubled rule adds a hairline column
    second = page_table(9, [], [["221", "", "", "3.00"]], [(2, 52), (52, 55), (55, 103), (103, 151)])
    [table], _ = join_tables([first, second])
    assert table.rows[-1] == ["221", "", "3.00"]


def test_header_cut_by_the_page_break_joins_the_finer_grid_overleaf():
    from extractors.pdf import join_tables

    first = page_table(10, [["收入", "支出"]], [], [(0, 200), (200, 400)], above=["财政拨款收支预算总表"])
    second = page_table(11, [["项目名称", "金额", "项目名称", "金额"]], [["一、一般公共预算", "9.00", "一、基本支出", "9.00"]],
                        [(0, 150), (150, 200), (200, 350), (350, 400)])
    [table], _ = join_tables([first, second])
    assert table.header == [["收入", "收入", "支出", "支出"], ["项目名称", "金额", "项目名称", "金额"]]
    assert table.rows == [["一、一般公共预算", "9.00", "一、基本支出", "9.00"]]
