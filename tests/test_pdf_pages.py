"""Tables printed over several pages, read from real disclosures of the many-province corpus
(`../shared/cities-2026/`). Expected values are read off the printed pages.

- A page that repeats its table's captions (title, label, 单位/部门名称 lines) and header continues
  that table; a page that prints a label of its own (表4, 表十一) starts a new one.
- Titles of 广东's templates (收支总体情况表 …) and of target tables (绩效目标表) have kinds, so their
  amounts are placed (or, for targets, not expected as budget lines).
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from extractors import pdf
from extractors.model import Table
from extractors.tablekinds import table_kind
from tests.conftest import SHARED

CITIES = SHARED / "cities-2026"
needs_cities = pytest.mark.skipif(not CITIES.is_dir(), reason=f"the many-province corpus is not at {CITIES}")


@lru_cache(maxsize=None)
def tables_of(name: str) -> tuple[Table, ...]:
    return tuple(pdf.extract((CITIES / name).read_bytes(), name).tables)


def rows_starting(table: Table, first: str) -> list[list[str]]:
    return [row for row in table.rows if row and row[0].replace(" ", "") == first]


def labelled(tables, label: str) -> list[Table]:
    return [t for t in tables if t.label == label]


# ---- a page that repeats the captions and the header continues the table --------------------

@needs_cities
def test_shenzhen_summary_repeating_its_title_label_and_header_overleaf_is_one_table():
    # 深圳市信访局 2026, pages 15–16: both print 表 1 / 收支总表 / 部门名称：深圳市信访局 单位：万元
    # and the header 收入 | 支出; 一、财政拨款 4,676.96 is on page 15, 收入总计 4,684.30 on page 16.
    tables = tables_of("深圳__2026年深圳市信访局部门预算.pdf")
    summary, = labelled(tables, "表1")
    assert summary.title == "收支总表" and summary.page == 15
    assert rows_starting(summary, "一、财政拨款")[0][1] == "4,676.96"
    assert rows_starting(summary, "收入总计")[0][1] == "4,684.30"
    assert rows_starting(summary, "收入总计")[0][3] == "4,684.30"


@needs_cities
def test_shenzhen_tables_are_the_eleven_labelled_ones_however_many_pages_they_take():
    # 深圳市人力资源和社会保障局 2026 (262 pages): 表1 … 表11 repeat their captions on every page
    tables = tables_of("深圳__2026年深圳市人力资源和社会保障局部门预算.pdf")
    labels = [t.label for t in tables if t.label]
    assert labels == [f"表{n}" for n in range(1, 12)]


@needs_cities
def test_guangzhou_targets_printed_over_140_pages_are_one_table():
    # 广州市生态环境局 2026 项目支出绩效目标表: the title, 部门名称 line and header on each of its
    # 140 pages; page 1 opens with 合计： 37,367.86, page 140 holds 自动监测站运营维护 68.40.
    tables = tables_of("广州__2026年广州市生态环境局部门预算.pdf")
    targets, = tables
    assert targets.title == "广州市生态环境局2026年项目支出绩效目标表（含转移支付项目）"
    assert targets.rows[0][:2] == ["合计：", "37,367.86"]
    assert rows_starting(targets, "自动监测站运营维护")[-1][1] == "68.40"
    assert table_kind(targets.title) == "project_performance"


@needs_cities
def test_huzhou_summary_over_three_pages_ends_with_its_grand_total():
    # 湖州市交通运输局 2026, 表01 on pages 21–23 (each repeats 表01, the title and 606-湖州市交通运输局):
    # page 21 opens with 一、财政拨款 192207.76, page 23 prints 收 入 总 计 201286.11.
    tables = tables_of("湖州__2026年湖州市交通运输局部门预算.pdf")
    summary, = labelled(tables, "表01")
    assert summary.page == 21
    assert rows_starting(summary, "一、财政拨款")[0][1] == "192207.76"
    assert rows_starting(summary, "收入总计")[0][1] == "201286.11"
    assert [t.label for t in tables] == [f"表{n:02d}" for n in range(1, 12)]


@needs_cities
def test_huzhou_numbering_row_repeated_under_the_header_overleaf_is_not_a_row_again():
    # 湖州市交通运输局 2026 表03 (pages 25–27): each page repeats the header and the row under it,
    # ** ** 1 2 3 4 5 6 7; the table opens with it and 合计 201286.11, and page 27 ends with
    # 2290403 其他政府性基金债务收入安排的支出 15500.00.
    tables = tables_of("湖州__2026年湖州市交通运输局部门预算.pdf")
    spending, = labelled(tables, "表03")
    numbering = ["**", "**", "1", "2", "3", "4", "5", "6", "7"]
    assert spending.rows[0] == numbering and [r for r in spending.rows if r == numbering] == [numbering]
    assert spending.rows[1][1:3] == ["合计", "201286.11"]
    assert rows_starting(spending, "2290403")[0][2] == "15500.00"


# ---- a page with a label of its own starts a new table ----------------------------------------

@needs_cities
def test_chongqing_label_overleaf_ends_the_performance_table():
    # 重庆市气象局 2026: 表十 整体绩效目标表 (page 19), 表十一 重点专项资金绩效目标表 (page 21, printed
    # empty) and 表十二 (page 22) are three tables, not one.
    tables = tables_of("重庆__2026年重庆市气象局部门预算.pdf")
    assert [(t.label, t.page) for t in tables[-3:]] == [("表十", 19), ("表十一", 21), ("表十二", 22)]
    assert tables[-2].rows == []


@needs_cities
def test_baotou_table_4_is_not_read_as_rows_of_table_3():
    # 包头 2026 (a planning document): 表 4 各类建筑垃圾再生产品及应用工程部位 on page 30 lists
    # 粗骨料 …; 表3 (page 24) lists the 旗县区 and their 转运设施.
    tables = tables_of("包头__2026年包头市政府办公厅部门预算.pdf")
    table3, = labelled(tables, "表3")
    table4, = labelled(tables, "表4")
    assert table4.page == 30 and table4.header[-1] == ["序号", "产品名称", "应用部位"]
    assert not any("粗骨料" in cell for row in table3.rows for cell in row)
    assert any("粗骨料" in cell for row in table4.rows for cell in row)


@pytest.mark.parametrize("name, targets_page, first_target", [
    # 广州市统计局 2026: 表12 on pages 21–22, text on pages 23–24 (七、重点项目预算绩效目标情况 …
    # 如下：), then 项目 | 预算数（单位：万元）| 绩效目标 on page 25: 广州市第四次全国农业普查经费 534.72
    ("广州__统计局_2026年部门预算.pdf", 25, ("广州市第四次全国农业普查经费", "534.72")),
    # 珠海市商务局 2026: 表12 on pages 22–29, text on pages 30–32, the 重点项目 table at the foot of page 32
    ("珠海__2026年珠海市商务局部门预算.pdf", 32, ("珠海市内外经贸发展专项资金（稳外贸事项）", "750")),
])
def test_a_table_after_pages_of_text_does_not_continue_the_table_before_them(
        name, targets_page, first_target):
    if not CITIES.is_dir():
        pytest.skip(f"the many-province corpus is not at {CITIES}")
    tables = tables_of(name)
    projects, = labelled(tables, "表12")
    targets = tables[-1]
    assert targets.page == targets_page and targets.header == [["项目", "预算数（单位：万元）", "绩效目标"]]
    assert tuple(targets.rows[0][:2]) == first_target
    assert not any(row[0] == "项目" for row in projects.rows)  # its header is not read as a row of 表12
    assert table_kind(targets.title, [h for h in targets.header[-1]]) == "project_performance"


# ---- kinds of the titles 广东's and 重庆's templates print -------------------------------------

@pytest.mark.parametrize("title, kind", [
    ("收支总体情况表", "dept_summary"),  # 广州市统计局 2026 表1, 珠海市商务局 2026 表1
    ("收入总体情况表", "dept_income"),
    ("本年支出总体情况表", "dept_expenditure"),
    ("财政拨款收支总体情况表", "fiscal_appropriation_summary"),
    ("一般公共预算项目支出情况表（按经济分类科目）", "general_budget_project_expenditure"),
    ("一般公共预算基本支出情况表（按经济分类科目）", "general_budget_basic_expenditure"),
    ("2026年部门收支总体情况表", "dept_summary"),  # 重庆市气象局 2026 表一
    ("年财政拨款收支总体情况表", "fiscal_appropriation_summary"),  # 重庆, the year printed apart
    ("信访综合保障经费绩效目标表", "project_performance"),  # 武汉市信访局 2026
    ("2026年市级重点专项资金绩效目标表（一级项目）", "project_performance"),  # 重庆市水利局 2026
    ("部门整体支出绩效目标表", "overall_performance"),
])
def test_title_of_a_provincial_template_has_its_kind(title, kind):
    assert table_kind(title) == kind


def test_untitled_table_with_a_targets_column_states_targets():
    # 深圳市信访局 2026 page 10: 重点项目 printed in the text as 二级预算单位名称 | 一级项目名称 |
    # 预算数（万元） | 绩效目标, with no title of its own
    assert table_kind("", ["二级预算单位名称", "一级项目名称", "预算数（万元）", "绩效目标"]) == "project_performance"
    assert table_kind("", ["项目名称", "当年财政拨款预算金额", "当年绩效目标"]) == "project_performance"  # 重庆 表十二
