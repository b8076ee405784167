"""Captions of tables printed inline in older (2014–2018) county disclosure pages: a first row that
is only the label (附件1-2) with the real title in a paragraph several blocks above, sometimes
without 表 (…三公经费公示); a '部门（单位）：X | 单位：万元' row under the label; a unit printed in one
column's header (支出数（元）); and the title variants 决算批复表 and 公共预算财政拨款….

Rebuilt from the HTML of real county article pages (Hanweb/TRS templates: the title, then
发布时间 / 来源 / 浏览次数 / 字号 lines, then the table); names and figures are placeholders, the
expected values are read off the rebuilt page.
"""
from __future__ import annotations

import pytest

from extractors.framing import frame
from extractors.html import extract
from extractors.model import Extraction
from extractors.normalise import normalise
from extractors.tablekinds import table_kind
from extractors.titles import parse_title

PAGE = """<html><head><meta charset="utf-8"><title>部门预决算_某县人民政府</title></head><body>
<div class="article">
<p>某县财政局2014年“三公”经费公示</p>
<p>发布时间：2015-03-01</p>
<p>信息来源：某县财政局</p>
<p>浏览次数：120</p>
<p>【字号：大 中 小】</p>
<table border="1">
<tr><td colspan="4">附件1-2</td></tr>
<tr><td colspan="2">部门（单位）：某县财政局</td><td colspan="2">单位：万元</td></tr>
<tr><td>项目</td><td>本年预算数</td><td>上年预算数</td><td>支出数（元）</td></tr>
<tr><td>合计</td><td>12.50</td><td>13.00</td><td>120000.00</td></tr>
<tr><td>公务接待费</td><td>2.50</td><td>3.00</td><td>20000.00</td></tr>
</table></div></body></html>"""


def the_table():
    tables = extract(PAGE.encode("utf-8"), "content.html").tables
    assert len(tables) == 1
    return tables[0]


def test_a_label_only_first_row_takes_the_title_printed_blocks_above_even_without_biao():
    table = the_table()
    assert (table.label, table.title) == ("附件1-2", "某县财政局2014年“三公”经费公示")
    assert table_kind(table.title) == "three_public_expenses"


def test_the_preparer_row_under_the_label_is_the_unit_and_the_department_not_a_header():
    table = the_table()
    assert table.header == [["项目", "本年预算数", "上年预算数", "支出数（元）"]]
    assert (table.unit, table.issuer) == ("万元", "某县财政局")


@pytest.mark.parametrize("row", [
    ["部门（单位）：", "某县财政局", "", "单位：万元"],  # the name in a cell of its own
    ["部门（单位）名称：某县财政局", "", "", "金额单位：万元"],
    ["单位名称：某县财政局", "", "2014年", "单位：万元"],  # a year between them
])
def test_preparer_row_variants(row):
    grid = [["附件1-2"] * 4, row, ["项目", "本年预算数", "上年预算数", "决算数"], ["合计", "12.50", "13.00", "11.00"]]
    table = frame(grid)[0]
    assert table.header == [["项目", "本年预算数", "上年预算数", "决算数"]]
    assert (table.unit, table.issuer) == ("万元", "某县财政局")


def test_a_unit_in_a_column_header_applies_to_that_column_only():
    lines = normalise(Extraction(title="x", tables=[the_table()]), parse_title("某县财政局2014年“三公”经费公示"),
                      "d" * 64).lines
    by_column = {(l["item"], l["column_label"]): (l["amount_fen"], l["unit_printed"]) for l in lines}
    assert by_column[("合计", "本年预算数")] == (12_500_000, "万元")  # 12.50 万元 = 125 000 元
    assert by_column[("合计", "支出数（元）")] == (12_000_000, "元")  # 120000.00 元, not 万元
    assert by_column[("公务接待费", "支出数（元）")] == (2_000_000, "元")


@pytest.mark.parametrize("title, kind", [
    ("收入支出决算批复表", "dept_summary"),
    ("某县财政局2016年收入支出决算批复表", "dept_summary"),
    ("财政拨款收入支出决算批复表", "fiscal_appropriation_summary"),
    ("一般公共预算财政拨款支出决算批复表", "general_budget_expenditure"),
    ("收入决算批复表", "dept_income"),
    ("支出决算批复表", "dept_expenditure"),
    # before 2015 the templates said 公共预算 for 一般公共预算
    ("公共预算财政拨款支出决算表", "general_budget_expenditure"),
    ("公共预算财政拨款基本支出决算表", "general_budget_basic_expenditure"),
    ("2014年公共预算财政拨款支出预算表", "general_budget_expenditure"),
    # the fund tables stay what they are
    ("政府性基金预算财政拨款收入支出决算表", "gov_fund_expenditure"),
    ("财政拨款收入支出决算总表", "fiscal_appropriation_summary"),
])
def test_title_variants_name_the_table_kind(title, kind):
    assert table_kind(title) == kind
