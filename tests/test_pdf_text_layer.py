"""What the PDF reader makes of a text layer: lines as printed, pages with nothing on them, and
layers whose fonts' Unicode maps are broken.

The PDFs are written here (tests/textpdf.py) in the way of the Shanghai district disclosures of
the corpus: a 16 pt cover and narrative, a 14 pt table title, `单位：万元` at the right, a ruled
支出预算总表 in 9 pt (科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出).
"""
from __future__ import annotations

import pytest

from extractors.pdf import extract
from extractors.pdf_join import aligned
from extractors.pdf_lines import text_lines
from extractors.text_quality import garbled, measure
from textpdf import Page, pdf

XS = [50, 110, 230, 310, 390, 470]
HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
ROWS = [["201", "一般公共服务支出", "1207.84", "1000.00", "207.84"],
        ["20101", "人大事务", "1207.84", "1000.00", "207.84"],
        ["", "合计", "1207.84", "1000.00", "207.84"]]


def disclosure_page() -> Page:
    page = Page()
    page.text(72, 80, "上海市普陀区司法局2026年部门预算", 16)
    page.text(72, 110, "2026年，本部门收入预算1207.84万元，比2025年增加12.00万元。", 12)
    page.text(72, 130, "2024年决算数为1100.00万元，2025年预算数为1195.84万元。", 12)
    page.text(200, 170, "2026年部门支出预算总表", 14)
    page.text(420, 190, "单位：万元", 9)
    ys = [200 + 20 * k for k in range(len(ROWS) + 2)]
    return page.grid(XS, ys).cells(XS, ys, [HEADER, *ROWS])


# ---- 1. figures set lower than the Chinese text of their line -------------------------------------

def narrative_page() -> Page:
    """A final account's narrative from Word: 16 pt 仿宋 text, the figures in 12 pt on the same
    baseline, so each figure's box starts 4 pt below the text's (the real `…收入支出总计 万元。`
    then `2024 1234.56 2023` of a county final account)."""
    page = Page()
    x = 72.0
    for text, size in [("本部门", 16), ("2024", 12), ("年度收入支出总计", 16), ("1234.56", 12),
                       ("万元，比", 16), ("2023", 12), ("年度增加", 16), ("12.50", 12), ("万元。", 16)]:
        page.text(x, 120, text, size)
        x += size * len(text)  # every glyph of the font is one em wide
    page.text(72, 144, "主要原因是人员增加。", 16)
    return page


def test_figures_set_in_a_smaller_size_stay_on_their_line():
    """Grouped by top edge with a 3-point tolerance, the figures made a line of their own and the
    sentence lost every amount."""
    result = extract(pdf([narrative_page()]), "final.pdf")
    assert [p.text for p in result.paragraphs] == [
        "本部门2024年度收入支出总计1234.56万元，比2023年度增加12.50万元。", "主要原因是人员增加。"]


def word(text: str, x0: float, top: float, size: float) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + size * len(text), "top": top, "bottom": top + size}


def test_a_row_whose_amounts_sit_higher_is_one_line_and_its_neighbour_another():
    """Two unruled rows 14 pt apart (the rows a page break pushes below a table's last rule),
    names in 10.5 pt, the figures in a 9 pt font whose box sits 4 pt higher, as the final
    accounts of the fault report print them: each row is one line, the rows stay two."""
    words = [word("201", 50, 300, 10.5), word("一般公共服务支出", 120, 300, 10.5), word("1207.84", 300, 296, 9),
             word("20101", 50, 314, 10.5), word("人大事务", 120, 314, 10.5), word("1207.84", 300, 310, 9)]
    assert [ln.text for ln in text_lines(words)] == ["201 一般公共服务支出 1207.84", "20101 人大事务 1207.84"]


def test_lines_set_tighter_than_their_size_stay_apart():
    words = [word("第一行", 72, 100, 12), word("第二行", 72, 110, 12), word("第三行", 72, 120, 12)]
    assert [ln.text for ln in text_lines(words)] == ["第一行", "第二行", "第三行"]


# ---- 3. nothing on any page ---------------------------------------------------------------------

def test_a_pdf_with_no_text_and_no_image_on_any_page_is_failed_not_ok_with_nothing():
    """Three empty pages (a template exported before it was filled in, or text drawn as
    outlines): it was `ok` with 0 lines; it is neither that nor a scan."""
    result = extract(pdf([Page(), Page(), Page()]), "empty.pdf")
    assert result.status == "failed"
    assert result.error.startswith("no text and no image on any page (3 pages)")
    assert result.tables == [] and result.paragraphs == []


def test_one_blank_page_among_pages_with_text_is_just_blank():
    result = extract(pdf([Page(), disclosure_page()]), "budget.pdf")
    assert result.status == "ok" and len(result.tables) == 1


# ---- 4. a text layer whose Unicode maps are broken ------------------------------------------------

def test_the_same_page_with_a_sound_unicode_map_reads_as_printed():
    result = extract(pdf([disclosure_page()]), "budget.pdf")
    assert result.status == "ok"
    [table] = result.tables
    assert table.title == "2026年部门支出预算总表" and table.unit == "万元"
    assert table.rows == ROWS


@pytest.mark.parametrize("unicode, says", [
    ("none", "are glyph codes (cid:N) that its fonts do not map to Unicode"),
    ("pua", "are private-use code points"),
    ("digits", "none of its 6 years (NNNN年) is a year from 1990 to 2099"),
])
def test_a_garbled_text_layer_needs_ocr_and_loads_nothing(unicode, says):
    """The fault report's budget PDF whose ToUnicode maps are broken gave 10–12 tables, 0 lines
    and `ok`; with the digits mapped to other digits it loaded 366 wrong amounts as `ok`. Here:
    no map at all, a map into the Private Use Area, and a map that swaps the digits."""
    result = extract(pdf([disclosure_page()], unicode=unicode), "budget.pdf")
    assert result.status == "needs_ocr"
    assert result.error.startswith("the text layer is garbled: ") and says in result.error
    assert "OCR is needed" in result.error
    assert result.tables == [] and result.paragraphs == []


def test_plausibility_counts_what_a_chinese_disclosure_is_made_of():
    sound = measure("2026年部门支出预算总表 单位：万元 201 一般公共服务支出 1207.84")
    assert sound.plausible == 1.0 and sound.cid == sound.private == 0
    assert (sound.years, sound.plausible_years) == (1, 1)
    assert garbled(sound) is None
    codes = measure("(cid:12)(cid:7)(cid:301) 1207.84")
    assert (codes.characters, codes.cid) == (10, 3)
    assert "30% of its 10 characters are glyph codes" in garbled(codes)
    private = measure("\ue001\ue002\ue003 预算")
    assert private.private == 3 and "60% of its 5 characters are private-use" in garbled(private)
    symbols = measure("ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü" * 10)
    assert "only 0% of its 320 characters" in garbled(symbols)
    swapped = measure("9791年预算，9796年决算，9793年")
    assert (swapped.years, swapped.plausible_years) == (3, 0) and "none of its 3 years" in garbled(swapped)
    assert garbled(measure("")) is None


def test_tables_that_give_no_budget_line_make_the_document_partial():
    """A ruled table with body rows whose column labels name no measure (序号 | 事项 | 丙丁: the
    kind-`other` table of the framing issue): the document said `ok` with 0 lines."""
    from budgets.pipeline import Source, read_bytes

    xs = [50, 110, 230, 310]
    rows = [["序号", "事项", "丙丁"], ["1", "会议", "12.00"], ["2", "培训", "3.00"]]
    ys = [200 + 20 * k for k in range(len(rows) + 1)]
    page = (Page().text(72, 80, "上海市普陀区司法局2026年部门预算", 16).text(150, 170, "2026年部门情况表", 14)
            .text(300, 190, "单位：万元", 9).grid(xs, ys).cells(xs, ys, rows))
    reading = read_bytes(pdf([page]), Source(filename="budget.pdf"))
    assert reading.document["status"] == "partial"
    assert reading.lines == [] or reading.unplaced
    if not reading.unplaced:
        assert reading.document["error"] == ("1 tables with body rows were read but gave no budget lines: "
                                             "their columns or amounts were not recognised")


# ---- 2. continuation pages whose own rules do not match the first page's ----------------------------

FINAL_XS = [50, 100, 220, 300, 380, 460]
FIRST = [["", "合计", "3000.00", "2000.00", "1000.00"], ["201", "一般公共服务支出", "1500.00", "1000.00", "500.00"]] + [
    [f"201{k:02d}", f"事务{k}", "100.00", "50.00", "50.00"] for k in range(1, 11)]
OVERLEAF = [[f"201{k:02d}", f"事务{k}", "100.00", "50.00", "50.00"] for k in range(11, 16)] + [
    ["205", "教育支出", "1500.00", "1000.00", "500.00"]] + [
    [f"205{k:02d}", f"教育{k}", "100.00", "50.00", "50.00"] for k in range(1, 16)]


def final_account_page(rows, xs=FINAL_XS, *, title=True, vertical=True, extra=None) -> Page:
    """One page of a 2024 一般公共预算财政拨款支出决算表 (科目编码 | 科目名称 | 合计 | 基本支出 |
    项目支出), the header repeated on every page, the title only on the first."""
    page = Page()
    if title:
        page.text(150, 80, "2024年一般公共预算财政拨款支出决算表", 14).text(400, 100, "单位：万元", 9)
    body = [HEADER] + rows
    ys = [110 + 20 * k for k in range(len(body) + 1)]
    if vertical:
        page.grid(xs, ys)
    else:  # only the horizontal rules are printed
        page.rules.extend((xs[0], y, xs[-1], y) for y in ys)
    return page.cells(xs, ys, body)


@pytest.mark.parametrize("overleaf", [
    final_account_page(OVERLEAF, [x + 60 for x in FINAL_XS], title=False),  # mirrored margins
    final_account_page(OVERLEAF, title=False, vertical=False),  # no vertical rules overleaf
], ids=["shifted", "unruled"])
def test_a_continuation_page_is_cut_at_the_ruling_lines_of_the_page_before(overleaf):
    """Overleaf the table's rules sit 60 pt to the right (an even page of a bound final account),
    or only its horizontal rules are printed. Shifted, every cell landed one column off
    (['', '20111事务11', '', '100.00', '50.00']); unruled, the 21 rows became one paragraph."""
    result = extract(pdf([final_account_page(FIRST), overleaf]), "final.pdf", second_opinion=False)
    assert result.status == "ok", result.error
    [table] = result.tables
    assert table.header == [HEADER]
    assert table.rows == FIRST + OVERLEAF
    assert result.paragraphs == []


def test_cells_overleaf_that_no_column_of_the_first_page_takes_are_reported_for_their_page():
    """Overleaf a fifth amount column (460–540) the first page does not have: its 21 cells
    are unplaced and the document says which page and table they are on."""
    xs = FINAL_XS + [540]
    rows = [row + ["1.00"] for row in OVERLEAF]
    page = final_account_page(rows, xs, title=False)
    result = extract(pdf([final_account_page(FIRST), page]), "final.pdf", second_opinion=False)
    [table] = result.tables
    assert len(table.unplaced) == 21 and {c.text for c in table.unplaced} == {"1.00"}
    assert result.status == "partial"
    assert result.error == ("page 2: 21 cells of 2024年一般公共预算财政拨款支出决算表 printed outside "
                            "the columns of page 1")


def test_an_unruled_row_that_overflows_the_rules_is_reported_not_guessed():
    overleaf = final_account_page(OVERLEAF, title=False, vertical=False)
    overleaf.text(470, 110 + 20 * 3 - 5, "12.00", 9)  # a figure printed beyond the last rule, row 3
    result = extract(pdf([final_account_page(FIRST), overleaf]), "final.pdf", second_opinion=False)
    assert result.status == "partial"
    assert result.error.startswith("page 2: 1 rows printed without column rules could not be cut at the "
                                   "columns of page 1 (kept as text: 20112事务12100.0050.0050.0012.00")
    [table] = result.tables
    assert len(table.rows) == len(FIRST) + len(OVERLEAF) - 1


def test_columns_are_aligned_by_the_shift_that_lays_most_rules_on_the_earlier_page():
    reference = [(50, 100), (100, 220), (220, 300)]
    assert aligned(reference, [(110, 160), (160, 280), (280, 360)]) == [(50, 100), (100, 220), (220, 300)]
    assert aligned(reference, [(52, 101), (101, 219), (219, 302)]) == [(52, 101), (101, 219), (219, 302)]
    assert aligned(reference, [(400, 420)]) == [(400, 420)]  # nothing to lay: left as printed


def test_one_page_with_a_garbled_layer_among_sound_ones_is_named():
    """A disclosure assembled from files of different tools: its last page (a scanned-then-
    converted 说明) carries private-use code points; the document is partial and names the page."""
    import io

    import pypdf

    sound = pdf([disclosure_page(), disclosure_page()])
    odd = pdf([Page().text(72, 100, "关于部门预算公开的说明：本部门无政府性基金预算。", 12)], unicode="pua")
    writer = pypdf.PdfWriter()
    for data in (sound, odd):
        for page in pypdf.PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    result = extract(out.getvalue(), "budget.pdf", second_opinion=False)
    assert result.status == "partial"
    assert result.error == ("page 3 has a garbled text layer (page 3: 100% of its 24 characters are "
                            "private-use code points that its fonts map to no real character); what they "
                            "print needs OCR")
    assert [t.rows for t in result.tables] == [ROWS, ROWS]
