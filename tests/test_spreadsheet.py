"""XLSX, XLS and ET workbooks → tables, as finance offices lay them out."""
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from extractors import limits
from extractors.model import ExtractionError
from extractors.registry import extract
from extractors.spreadsheet import format_number

RENDITIONS = Path(__file__).parent / "fixtures" / "renditions"
BASENAME = "重庆市潼南区大数据应用发展管理局2026年部门预算公开"
TITLE2 = "重庆市潼南区大数据应用发展管理局一般公共预算财政拨款支出预算表"


def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_cached_values(xlsx: bytes, values: dict[str, str]) -> bytes:
    """The workbook as a spreadsheet program saves it: each formula cell with its computed
    value stored beside the formula (openpyxl itself writes formulas without one)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                for ref, value in values.items():
                    data = re.sub(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(</v>)?'.encode(),
                                  rb"\1\2<v>" + value.encode() + rb"</v>", data)
            target.writestr(info, data)
    return out.getvalue()


def budget_sheet(sheet, top=1):
    """附件2 as offices lay it out: label, merged title, unit, a two-row merged header."""
    sheet.cell(top, 1, "附件2")
    sheet.cell(top + 1, 1, TITLE2)
    sheet.merge_cells(start_row=top + 1, start_column=1, end_row=top + 1, end_column=5)
    sheet.cell(top + 2, 5, "单位：万元")
    h = top + 3
    for col, text in enumerate(["功能分类科目", None, "2025年预算数", "2026年预算数", None], 1):
        sheet.cell(h, col, text)
    for col, text in enumerate(["科目编码", "科目名称", None, "总计", "基本支出"], 1):
        sheet.cell(h + 1, col, text)
    sheet.merge_cells(start_row=h, start_column=1, end_row=h, end_column=2)
    sheet.merge_cells(start_row=h, start_column=3, end_row=h + 1, end_column=3)
    sheet.merge_cells(start_row=h, start_column=4, end_row=h, end_column=5)
    for r, row in enumerate([["合计", None, 786.48, 1207.84, 404.68],
                             ["208", "社会保障和就业支出", 33.7, 52.84, 52.84]], h + 2):
        for col, value in enumerate(row, 1):
            sheet.cell(r, col, value)
    return h + 4


@pytest.fixture(scope="module")
def budget_xlsx() -> bytes:
    book = openpyxl.Workbook()
    budget_sheet(book.active)
    return save(book)


def test_label_title_and_unit_come_from_the_rows_above_the_header(budget_xlsx):
    table = extract(budget_xlsx, "xlsx", "a.xlsx").tables[0]
    assert (table.label, table.title, table.unit) == ("附件2", TITLE2, "万元")


def test_merged_header_cells_are_repeated_into_every_cell_they_cover(budget_xlsx):
    table = extract(budget_xlsx, "xlsx", "a.xlsx").tables[0]
    assert table.header == [
        ["功能分类科目", "功能分类科目", "2025年预算数", "2026年预算数", "2026年预算数"],
        ["科目编码", "科目名称", "2025年预算数", "总计", "基本支出"],
    ]
    assert table.column_paths()[4] == ("2026年预算数", "基本支出")


def test_body_rows_keep_printed_digits_and_empty_cells(budget_xlsx):
    table = extract(budget_xlsx, "xlsx", "a.xlsx").tables[0]
    assert table.rows == [["合计", "", "786.48", "1207.84", "404.68"],
                          ["208", "社会保障和就业支出", "33.7", "52.84", "52.84"]]


def test_document_title_is_the_workbook_title_property_else_the_first_table_title(budget_xlsx):
    assert extract(budget_xlsx, "xlsx", "a.xlsx").title == TITLE2
    book = openpyxl.load_workbook(io.BytesIO(budget_xlsx))
    book.properties.title = BASENAME
    assert extract(save(book), "xlsx", "a.xlsx").title == BASENAME


@pytest.mark.parametrize("value, number_format, text", [
    (1207.84, "General", "1207.84"),
    (1207.8400000000001, "General", "1207.84"),  # a sum's binary noise
    (0.1 + 0.2, "General", "0.3"),
    (420.0, "General", "420"),
    (20.7, "0.00", "20.70"),
    (20.7, "#,##0.00", "20.70"),
    (1207.845, "0.00", "1207.845"),  # the format pads, it never rounds digits away
    (803, "0.00", "803.00"),
    (0.125, "0.0%", "12.5%"),
    (123456789012, "General", "123456789012"),
])
def test_numbers_print_as_the_sheet_shows_them_without_float_noise(value, number_format, text):
    assert format_number(value, number_format) == text


def test_formula_cells_give_the_value_the_saving_program_computed():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目", "金额"])
    sheet.append(["基本支出", 404.68])
    sheet.append(["项目支出", 803.16])
    sheet.append(["合计", "=B2+B3"])
    data = with_cached_values(save(book), {"B4": "1207.8400000000001"})
    result = extract(data, "xlsx", "f.xlsx")
    assert result.status == "ok"
    assert result.tables[0].rows[-1] == ["合计", "1207.84"]


def test_formula_saved_without_a_value_is_reported_not_evaluated():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目", "金额"])
    sheet.append(["基本支出", 404.68])
    sheet.append(["合计", "=B2"])
    result = extract(save(book), "xlsx", "f.xlsx")
    assert result.tables[0].rows[-1] == ["合计", ""]
    assert result.status == "partial"
    assert "1 formula cells" in result.error and "without a computed value" in result.error


def test_hidden_rows_columns_and_sheets_are_skipped_and_hidden_rows_noted():
    book = openpyxl.Workbook()
    sheet = book.active
    end = budget_sheet(sheet)
    sheet.cell(end, 1, "209")
    sheet.cell(end, 2, "隐藏的行")
    sheet.cell(end, 4, 9.99)
    sheet.row_dimensions[end].hidden = True
    sheet.cell(5, 6, "隐藏的列")
    sheet.column_dimensions["F"].hidden = True
    secret = book.create_sheet("底稿")
    secret.append(["不公开", 1])
    secret.sheet_state = "hidden"
    result = extract(save(book), "xlsx", "h.xlsx")
    assert len(result.tables) == 1
    table = result.tables[0]
    assert [row[0] for row in table.rows] == ["合计", "208"]
    assert table.width == 5
    assert "1 hidden rows of sheet 'Sheet' skipped" in table.notes


def test_several_tables_down_one_sheet_are_split_at_their_title_rows():
    book = openpyxl.Workbook()
    sheet = book.active
    end = budget_sheet(sheet)
    sheet.cell(end, 1, "备注：本表反映当年一般公共预算财政拨款支出情况。")
    sheet.cell(end + 2, 1, "附件3")
    sheet.cell(end + 3, 1, "重庆市潼南区大数据应用发展管理局一般公共预算财政拨款基本支出预算表")
    sheet.cell(end + 4, 1, "编制单位：潼南区大数据发展局")
    sheet.cell(end + 4, 4, "单位：元")
    sheet.append(["科目编码", "科目名称", "合计", "人员经费", "日常公用经费"])
    sheet.append(["301", "工资福利支出", 3283700, 3283700, None])
    tables = extract(save(book), "xlsx", "m.xlsx").tables
    assert [(t.label, t.unit, t.index) for t in tables] == [("附件2", "万元", 0), ("附件3", "元", 1)]
    assert tables[0].notes == ["备注：本表反映当年一般公共预算财政拨款支出情况。"]
    assert tables[1].title.endswith("基本支出预算表")
    assert tables[1].header == [["科目编码", "科目名称", "合计", "人员经费", "日常公用经费"]]
    assert tables[1].rows == [["301", "工资福利支出", "3283700", "3283700", ""]]


def test_tables_separated_only_by_blank_rows_are_split_there():
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["科目编码", "科目名称", "合计"], ["208", "社会保障和就业支出", 52.84], ["", "", None],
                ["", "", None], ["项目", "预算数", None], ["一般公共预算拨款收入", 1207.84, None]]:
        sheet.append(row)
    tables = extract(save(book), "xlsx", "b.xlsx").tables
    assert [t.header for t in tables] == [[["科目编码", "科目名称", "合计"]], [["项目", "预算数"]]]
    assert [t.rows for t in tables] == [[["208", "社会保障和就业支出", "52.84"]],
                                        [["一般公共预算拨款收入", "1207.84"]]]


def test_a_blank_row_inside_a_table_does_not_split_it():
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["科目编码", "科目名称", "合计"], ["208", "社会保障和就业支出", 52.84], [None, None, None],
                ["210", "卫生健康支出", 20.7]]:
        sheet.append(row)
    tables = extract(save(book), "xlsx", "b.xlsx").tables
    assert len(tables) == 1 and [r[0] for r in tables[0].rows] == ["208", "210"]


def test_sheet_name_supplies_the_label_when_the_sheet_prints_none():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表3"
    sheet.append(["重庆市潼南区大数据应用发展管理局部门收入总表"])
    sheet.append(["科目编码", "科目名称", "总计"])
    sheet.append(["合计", "", 1207.84])
    table = extract(save(book), "xlsx", "s.xlsx").tables[0]
    assert (table.label, table.title) == ("表3", "重庆市潼南区大数据应用发展管理局部门收入总表")


def test_a_styled_empty_cell_far_away_does_not_widen_the_table():
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["科目编码", "科目名称", "合计"])
    sheet.append(["208", "社会保障和就业支出", 52.84])
    sheet["XFD1048576"].font = Font(bold=True)  # formatting to the last cell Excel has
    table = extract(save(book), "xlsx", "far.xlsx").tables[0]
    assert table.width == 3 and len(table.rows) == 1


def test_a_merged_range_over_the_whole_sheet_is_refused_before_loading():
    book = openpyxl.Workbook()
    book.active.append(["合计", 1])
    source = zipfile.ZipFile(io.BytesIO(save(book)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">'
                                    b'<mergeCell ref="A3:XFD1048576"/></mergeCells>')
            target.writestr(info, data)
    with pytest.raises(limits.LimitExceeded, match="merged cells cover more than"):
        extract(out.getvalue(), "xlsx", "merge-bomb.xlsx")


def test_a_workbook_that_inflates_like_a_zip_bomb_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * limits.MB))
    with pytest.raises(limits.LimitExceeded, match="zip bomb"):
        extract(out.getvalue(), "xlsx", "bomb.xlsx")


def test_bytes_that_are_not_a_workbook_raise_a_clear_error():
    with pytest.raises(ExtractionError, match="neither an XLSX nor an XLS"):
        extract(b"<html>not found</html>", "xls", "x.xls")
    with pytest.raises(ExtractionError, match="not a readable XLS/ET workbook"):
        extract(b"\xd0\xcf\x11\xe0" + b"\0" * 600, "xls", "x.xls")


# --- the seed rendered by LibreOffice as Excel 97 (XLS) -----------------------------------------

@pytest.fixture(scope="module")
def xls_tables():
    return extract((RENDITIONS / f"{BASENAME}.xls").read_bytes(), "xls", f"{BASENAME}.xls").tables


def test_legacy_xls_expands_merged_title_and_header_cells(xls_tables):
    table = next(t for t in xls_tables if t.label == "附件2")
    assert table.title.endswith("一般公共预算财政拨款支出预算表")
    assert table.unit == "万元"
    assert table.column_paths()[2:] == [("2025年预算数",), ("2026年预算数", "总计"),
                                        ("2026年预算数", "基本支出"), ("2026年预算数", "项目支出")]
    assert table.rows[0] == ["合计", "合计", "786.48", "1207.84", "404.68", "803.16"]  # merged


def test_legacy_xls_numbers_have_no_float_noise(xls_tables):
    amounts = [cell for t in xls_tables for row in t.rows for cell in row if re.match(r"^\d+\.\d+$", cell)]
    assert amounts and all(len(a.split(".")[1]) <= 2 for a in amounts)


def test_wps_et_workbooks_are_read_like_xls():
    data = (RENDITIONS / f"{BASENAME}.xls").read_bytes()
    as_et = extract(data, "et", f"{BASENAME}.et")
    as_xls = extract(data, "xls", f"{BASENAME}.xls")
    assert [t.rows for t in as_et.tables] == [t.rows for t in as_xls.tables]


@pytest.mark.parametrize("sheet_name, title, label", [
    ("附件7 部门收入总表", "部门收入总表", "附件7"),
    ("财政拨款收支总表", "财政拨款收支总表", ""),
    ("Sheet1", "", ""),
])
def test_a_sheet_without_title_rows_is_titled_by_its_name_when_the_name_is_a_title(sheet_name, title, label):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    sheet.append(["科目编码", "科目名称", "总计"])
    sheet.append(["合计", "", 1207.84])
    table = extract(save(book), "xlsx", "s.xlsx").tables[0]
    assert (table.title, table.label) == (title, label)


# --- a crafted XLS (LibreOffice Calc saved it from an openpyxl workbook) ------------------------

@pytest.fixture(scope="module")
def hidden_xls():
    data = (RENDITIONS / "crafted" / "hidden-rows-and-sheets.xls").read_bytes()
    return extract(data, "xls", "hidden-rows-and-sheets.xls")


def test_legacy_xls_skips_hidden_rows_columns_and_sheets(hidden_xls):
    assert len(hidden_xls.tables) == 1
    table = hidden_xls.tables[0]
    assert [row[0] for row in table.rows] == ["合计", "208"]
    assert table.width == 5
    assert table.notes == ["1 hidden rows of sheet '附件2' skipped"]


def test_legacy_xls_prints_numbers_in_their_cell_format(hidden_xls):
    assert hidden_xls.tables[0].rows[1] == ["208", "社会保障和就业支出", "33.70", "52.84", "52.84"]


@pytest.mark.parametrize("cut", [600, 3000, 5000])
def test_a_truncated_xls_is_a_clear_error_not_a_crash(cut):
    data = (RENDITIONS / "crafted" / "hidden-rows-and-sheets.xls").read_bytes()[:cut]
    with pytest.raises(ExtractionError, match="not a readable XLS/ET workbook"):
        extract(data, "xls", "cut.xls")
