"""Rows and codes that used to be read wrong (issue #29), on real documents of `cities-2026`.

Each class is shown on the documents that print it (two cities where the corpus has them); the
expected amounts are read off the PDFs' own pages, named beside each test.
"""
from functools import lru_cache

import pytest

from budgets.health import is_column_number_row as printed_column_numbers
from extractors.framing import is_column_number_row, split_header
from extractors.model import Table
from extractors.normalise import normalise, table_lines, three_public_row_measure
from extractors.read import read_document
from extractors.subjects import classification_of, level_of, parent_of, split_code_and_name
from extractors.tablekinds import table_kind
from extractors.titles import DocumentMeta, document_meta
from tests.conftest import SHARED

CITIES = SHARED / "cities-2026"
needs_cities = pytest.mark.skipif(not CITIES.is_dir(), reason=f"the many-province corpus is not at {CITIES}")


@lru_cache(maxsize=None)
def lines_of(name: str) -> list[dict]:
    path = CITIES / name
    extraction = read_document(path.read_bytes(), name)
    _, meta = document_meta(extraction, "", name)
    return normalise(extraction, meta, "test" + name).lines


def row_of(lines: list[dict], page: int, label: str) -> dict[str, list]:
    """measure → amounts (万元, as printed) of the row on `page` whose code or label is `label`."""
    out: dict[str, list] = {}
    for line in lines:
        if line["page"] == page and label in (line["subject_code"], line["item"], line["subject_name"]):
            out.setdefault(line["measure"], []).append(str(line["amount_wan"]))
    return out


# ---- column-number rows ------------------------------------------------------------------------

@pytest.mark.parametrize("cells", [
    ["栏次", "", "1", "2", "3"],  # 无锡/苏州 公开11表: 栏次 under 科目编码 科目名称
    ["**", "**", "1", "2", "3", "4", "5", "6", "7"],  # 湖州 表03: ** in the code and name columns
    ["行次", "1"],
    ["", "", "1", "2", "3"],
])
def test_a_row_that_numbers_the_columns_is_structure(cells):
    assert is_column_number_row(cells)


@pytest.mark.parametrize("cells", [
    ["合计", "1", "2", "3"],  # a total row of small amounts
    ["205", "教育支出", "1", "2", "3"],
    ["1", "2"],
    ["", "2", "3", "4"],
])
def test_a_row_of_amounts_is_not(cells):
    assert not is_column_number_row(cells)


def test_the_header_split_leaves_the_column_numbers_out():
    # imitates 无锡市交通运输局 2026 公开11表 (page 28) as an HTML or spreadsheet reader hands it over
    header, body, _, _ = split_header([
        ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
        ["栏次", "栏次", "1", "2", "3"],
        ["", "合计", "32,640.00", "", "32,640.00"],
    ])
    assert header == [["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]]
    assert body == [["", "合计", "32,640.00", "", "32,640.00"]]


def test_the_normaliser_skips_column_numbers_whatever_framed_the_table():
    # a PDF reader keeps '** ** 1 2 3' as the first body row (湖州市交通运输局 2026 表03, page 25)
    table = Table(title="2026年市级部门支出预算总表", header=[["科目编码", "科目名称", "总计", "基本支出", "项目支出"]],
                  rows=[["**", "**", "1", "2", "3"], ["", "合计", "201286.11", "29823.70", "171262.41"]], unit="万元")
    lines = table_lines(table, "dept_expenditure", DocumentMeta(fiscal_year=2026, stage="budget"), "d", "", "万元")
    assert {line["row_index"] for line in lines} == {1}


@needs_cities
@pytest.mark.parametrize("name, page, total", [
    ("湖州__2026年湖州市交通运输局部门预算.pdf", 25, "201286.11"),  # 表03 支出预算总表: ** ** 1 … 7
    ("无锡__2026年无锡市交通运输局部门预算.pdf", 28, "32640.0"),  # 公开11表: 栏次 1 2 3
    ("苏州__2026年苏州市审计局部门预算.pdf", None, None),
])
def test_no_line_is_a_column_number(name, page, total):
    lines = lines_of(name)
    assert not [ln for ln in lines if printed_column_numbers(ln["source_text"])]
    if page:
        assert total in row_of(lines, page, "合计")["total"]


# ---- a code and its name in one cell -----------------------------------------------------------

@pytest.mark.parametrize("printed, code, name", [
    ("[2014001]行政运行", "2014001", "行政运行"),  # 广州市信访局 2026 表5, page 11
    ("2010501-行政运行", "2010501", "行政运行"),
    ("2010501 行政运行", "2010501", "行政运行"),
    ("【30213】维修（护）费", "30213", "维修（护）费"),
    ("301-工资福利支出", "301", "工资福利支出"),
    ("50101 工资奖金津补贴", "50101", "工资奖金津补贴"),
    ("1.公务用车购置费", "", "1.公务用车购置费"),  # numbering, not a code
    ("300个服务网点建设", "", "300个服务网点建设"),  # a count: no 类 300
    ("2026年信息化运维", "", "2026年信息化运维"),
])
def test_a_code_printed_with_its_name_is_parted(printed, code, name):
    assert split_code_and_name(printed) == (code, name)


@needs_cities
@pytest.mark.parametrize("name, page, code, amounts", [
    # 一般公共预算支出情况表（按功能分类科目）: '[2014001]行政运行 1,859.41 1,831.41 28.00'
    ("广州__信访局_2026年部门预算.pdf", 11, "2014001", ["1859.41", "1831.41", "28.0"]),
    ("广州__信访局_2026年部门预算.pdf", 11, "20140", ["2570.71", "1831.41", "739.3"]),
    # the same template in Zhuhai: '[2011301]行政运行 4,965.28 4,965.28 0.00' (page 13)
    ("珠海__2026年珠海市商务局部门预算.pdf", 13, "2011301", ["4965.28", "4965.28", "0.0"]),
])
def test_bracketed_codes_become_subject_codes(name, page, code, amounts):
    lines = [ln for ln in lines_of(name) if ln["page"] == page and ln["subject_code"] == code]
    assert [str(ln["amount_wan"]) for ln in sorted(lines, key=lambda ln: ln["column_index"])] == amounts
    assert {ln["subject_name"] for ln in lines} == {{"2014001": "行政运行", "20140": "信访事务",
                                                     "2011301": "行政运行"}[code]}
    assert {ln["parent_code"] for ln in lines} == {parent_of(code)}


# ---- two economic classifications in one row ---------------------------------------------------

def test_both_economic_codes_are_kept():
    # imitates the 基本支出 tables that print 部门经济分类 beside 政府经济分类 (科目编码 | 科目名称 for
    # each, then the amounts), as the other provinces do; no cities-2026 document prints it
    table = Table(title="一般公共预算基本支出预算表", header=[
        ["部门经济分类科目编码", "部门经济分类科目名称", "政府经济分类科目编码", "政府经济分类科目名称", "合计",
         "人员经费", "公用经费"]], rows=[
        ["301", "工资福利支出", "501", "机关工资福利支出", "120.00", "120.00", ""],
        ["30101", "基本工资", "50101", "工资奖金津补贴", "80.00", "80.00", ""],
        ["30102", "津贴补贴", "50101", "工资奖金津补贴", "40.00", "40.00", ""],
    ], unit="万元")
    lines = table_lines(table, "general_budget_basic_expenditure", DocumentMeta(fiscal_year=2026, stage="budget"),
                        "d", "", "万元")
    by_row = {ln["row_index"]: ln for ln in lines if ln["measure"] == "total"}
    assert [(ln["subject_code"], ln["gov_economic_code"], ln["subject_name"]) for ln in by_row.values()] == [
        ("301", "501", "工资福利支出"), ("30101", "50101", "基本工资"), ("30102", "50101", "津贴补贴")]
    assert by_row[1]["parent_code"] == "301"


def test_a_government_code_printed_first_still_leaves_the_department_code_as_subject():
    table = Table(title="基本支出预算表", header=[["科目编码", "科目编码", "科目名称", "合计"]],
                  rows=[["50201", "30201", "办公费", "3.00"]], unit="万元")
    (line,) = table_lines(table, "general_budget_basic_expenditure", DocumentMeta(fiscal_year=2026), "d", "", "万元")
    assert (line["subject_code"], line["gov_economic_code"]) == ("30201", "50201")


def test_government_economic_codes_have_levels_and_parents():
    assert (classification_of("50101"), level_of("50101"), parent_of("50101")) == ("economic", 2, "501")


# ---- fund-specific tables ----------------------------------------------------------------------

@pytest.mark.parametrize("title, kind", [
    # 泉州市人民政府办公室 / 泉州市公安局 2026: a table per fund
    ("2026年度一般公共预算拨款支出预算表", "general_budget_expenditure"),
    ("2026年度政府性基金预算拨款支出预算表", "gov_fund_expenditure"),
    ("2026年度国有资本经营预算拨款支出预算表", "state_capital_expenditure"),
    ("2026年度一般公共预算拨款基本支出预算表", "general_budget_basic_expenditure"),
    # 重庆 and 广州 title the summary tables '…总体情况表'
    ("2026年财政拨款收支总体情况表", "fiscal_appropriation_summary"),
    ("2026年部门收支总体情况表", "dept_summary"),
    ("2026年部门收入总体情况表", "dept_income"),
    ("本年支出总体情况表", "dept_expenditure"),
    # 深圳 表5, 广州's project table: the project part of spending, not the department's whole
    ("项目支出总表", "project_expenditure"),
    ("部门预算项目支出及其他支出预算表", "project_expenditure"),
    # the department-wide tables keep their kinds
    ("财政拨款收支决算表", "fiscal_appropriation_summary"),
    ("收入支出决算表", "dept_summary"),
    ("支出总表", "dept_expenditure"),
])
def test_a_funds_table_has_its_own_kind(title, kind):
    assert table_kind(title) == kind


# ---- a vertical 三公 table ---------------------------------------------------------------------

@pytest.mark.parametrize("row, measure", [
    ("其中：（一）因公出国（境）支出", "overseas_travel"),  # 广州 / 珠海 表8 行政经费及“三公”经费预算表
    ("（二）公务用车购置及运行维护支出", "vehicles"),
    ("1.公务用车购置费", "vehicle_purchase"),
    ("2.公务用车运行维护费", "vehicle_operation"),
    ("（三）公务接待费支出", "reception"),
    ("行政经费", None),
])
def test_a_three_public_row_names_its_item(row, measure):
    assert three_public_row_measure(row) == measure


@needs_cities
@pytest.mark.parametrize("name, page, travel, vehicles, reception", [
    ("广州__信访局_2026年部门预算.pdf", 15, "0.0", "2.5", "2.3"),
    ("珠海__2026年珠海市商务局部门预算.pdf", 18, "13.2", "0.0", "6.64"),
])
def test_a_vertical_three_public_table_gives_each_item_its_measure(name, page, travel, vehicles, reception):
    lines = [ln for ln in lines_of(name) if ln["page"] == page and ln["table_kind"] == "three_public_expenses"
             and ln["column_label"] == "合计"]
    by_measure = {ln["measure"]: str(ln["amount_wan"]) for ln in lines}
    assert by_measure["overseas_travel"] == travel
    assert by_measure["vehicles"] == vehicles
    assert by_measure["reception"] == reception
