"""One arithmetic: whether a printed total is the sum of its printed parts, and what rounding
explains, is judged the same way by column reconstruction (text dumps), the PDF second opinion
(and the self-consistency report built on it) and the audit.

Each printed figure stands for a true amount within one unit of its last digit (rounded half up,
or cut: 上海普陀 财政局 2025 states 877,080元 as 87.70万元), so a sum of n parts against its total
may be off by (n + 1) such units. The tables below imitate the 一般公共预算支出表 of the seed
disclosure (科目编码 | 科目名称 | 合计, a 类 over its 款) and its 基本支出/项目支出 rows.
"""
from decimal import Decimal

import pytest

from budgets.audit import hierarchy_sum, row_identity
from budgets.audit.model import Disclosure
from extractors.identities import EXACT, MISMATCH, ROUNDING, Amount, compare, holds, holds_printed
from extractors.layout import agreement
from extractors.model import Table
from extractors.pdf_checks import check_table
from test_audit_seed_lines import DOCUMENT, make_table

KUAN = [("20101", "人大事务"), ("20102", "政协事务"), ("20103", "政府办公厅(室)及相关机构事务"),
        ("20104", "发展与改革事务"), ("20105", "统计信息事务")]

# (unit, the 类 row as printed, its 款 as printed, the relation every reader must find)
HIERARCHY = [
    ("万元", "100.00", ["25.01", "25.01", "25.00", "25.00"], ROUNDING),  # 0.02 apart, 5 figures of ±0.01
    ("万元", "100.00", ["25.00", "25.00", "25.00", "25.00"], EXACT),
    ("万元", "100.00", ["25.03", "25.01", "25.01", "25.00"], ROUNDING),  # 0.05: the most rounding explains
    ("万元", "100.00", ["25.03", "25.02", "25.01", "25.00"], MISMATCH),  # 0.06
    ("万元", "100.00", ["25.10", "25.00", "25.00", "25.00"], MISMATCH),
    ("万元", "328.37", ["328.38"], ROUNDING),
    ("万元", "5.00", ["4.00"], MISMATCH),
    # a cell printed without decimals beside cells with two dropped its zeros: 5 is 5.00
    ("万元", "5", ["2.50", "2.50"], EXACT),
    ("万元", "5", ["2.51", "2.51"], ROUNDING),
    ("万元", "5", ["2.51", "2.60"], MISMATCH),
    # 元 tables print whole 元
    ("元", "100000", ["50000", "50000"], EXACT),
    ("元", "100003", ["50000", "50000"], ROUNDING),
    ("元", "100004", ["50000", "50000"], MISMATCH),
    ("元", "100102", ["50000", "50000"], MISMATCH),
    ("元", "1000000", ["250001", "250001", "250000", "250000"], ROUNDING),
]
IDS = [f"{total}={'+'.join(parts)}{unit}" for unit, total, parts, _ in HIERARCHY]


def reconstruction(unit, whole, parts) -> str:
    """How column reconstruction scores the placement that makes these figures a sum."""
    score = agreement(Decimal(whole), [Decimal(p) for p in parts])
    return {1: EXACT, 0.5: ROUNDING, -1: MISMATCH}[score]


def pdf_check(unit, whole, parts) -> str:
    rows = [["201", "一般公共服务支出", whole]] + [[code, name, p] for (code, name), p in zip(KUAN, parts)]
    table = Table(title="一般公共预算支出表", header=[["科目编码", "科目名称", "合计"]], rows=rows, unit=unit, page=3)
    [check] = check_table(table)
    assert check.kind == "hierarchy" and check.row == "201"
    return EXACT if check.ok else ROUNDING if check.rounding else MISMATCH


def audit(unit, whole, parts) -> str:
    body = [("201", "一般公共服务支出", [whole])] + [(code, name, [p]) for (code, name), p in zip(KUAN, parts)]
    table, lines = make_table(0, "表3", "general_budget_expenditure", "一般公共预算支出表",
                              [("total", 2026, "合计")], body, unit=unit)
    findings = hierarchy_sum.check(Disclosure(DOCUMENT, lines, tables=[table]))
    if not findings:
        return EXACT
    [finding] = findings
    assert finding.severity in ("info", "error")
    return ROUNDING if finding.severity == "info" else MISMATCH


@pytest.mark.parametrize("unit, whole, parts, relation", HIERARCHY, ids=IDS)
def test_a_parent_and_its_children_are_judged_alike_by_reconstruction_pdf_check_and_audit(unit, whole, parts, relation):
    assert holds_printed(Decimal(whole), [Decimal(p) for p in parts], unit) == relation
    assert reconstruction(unit, whole, parts) == relation
    assert pdf_check(unit, whole, parts) == relation
    assert audit(unit, whole, parts) == relation


# (unit, 合计, 基本支出, 项目支出, relation)
ROWS = [
    ("万元", "10.01", "5.00", "5.00", ROUNDING),
    ("万元", "10.03", "5.00", "5.00", ROUNDING),
    ("万元", "10.04", "5.00", "5.00", MISMATCH),
    ("万元", "404.68", "300.00", "104.68", EXACT),
    ("元", "100102", "50000", "50000", MISMATCH),
    ("元", "100001", "50000", "50000", ROUNDING),
]


@pytest.mark.parametrize("unit, whole, basic, project, relation", ROWS,
                         ids=[f"{w}={b}+{p}{u}" for u, w, b, p, _ in ROWS])
def test_total_equals_basic_plus_project_is_judged_alike_everywhere(unit, whole, basic, project, relation):
    assert reconstruction(unit, whole, [basic, project]) == relation

    table = Table(title="一般公共预算支出表", header=[["科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
                  rows=[["201", "一般公共服务支出", whole, basic, project]], unit=unit, page=3)
    [check] = [c for c in check_table(table) if c.kind == "identity"]
    assert (EXACT if check.ok else ROUNDING if check.rounding else MISMATCH) == relation

    table_row, lines = make_table(0, "表3", "general_budget_expenditure", "一般公共预算支出表",
                                  [("total", 2026, "合计"), ("basic", 2026, "基本支出"), ("project", 2026, "项目支出")],
                                  [("201", "一般公共服务支出", [whole, basic, project])], unit=unit)
    findings = row_identity.check(Disclosure(DOCUMENT, lines, tables=[table_row]))
    assert [f.severity for f in findings] == {EXACT: [], ROUNDING: ["info"], MISMATCH: ["error"]}[relation]


def test_a_figure_stated_with_fewer_decimals_agrees_with_the_finer_one():
    # the text's 404.7万元 for the table's 404.68万元; 87.36万元 for 873,617元
    assert compare(Amount.printed(404_680_000, 10_000), Amount.printed(404_700_000, 100_000)) == EXACT
    assert compare(Amount.printed(87_361_700, 100), Amount.printed(87_360_000, 10_000)) == EXACT


def test_a_figure_cut_rather_than_rounded_is_within_rounding_but_not_exact():
    # 877,080元 stated as 87.70万元 (rounded it would be 87.71)
    assert compare(Amount.printed(87_708_000, 100), Amount.printed(87_700_000, 10_000)) == ROUNDING


def test_the_slack_of_a_sum_is_the_slack_of_its_parts():
    parts = [Amount.printed(25_010_000, 10_000), Amount.printed(25_010_000, 10_000),
             Amount.printed(25_000_000, 10_000), Amount.printed(25_000_000, 10_000)]
    assert holds(Amount.printed(100_000_000, 10_000), parts) == ROUNDING
    assert holds(Amount.printed(100_050_000, 10_000), parts) == ROUNDING  # 0.03 apart
    assert holds(Amount.printed(99_960_000, 10_000), parts) == MISMATCH  # 0.06 apart: beyond 0.05
