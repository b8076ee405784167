"""hierarchy_sum: 类 = Σ 款, 款 = Σ 项, 合计 = Σ 类, in every column and year."""
from budgets.audit import hierarchy_sum
from budgets.audit.model import Disclosure
from test_audit_seed_lines import DOCUMENT, make_table, seed_disclosure


def by_place(findings):
    return {(f.evidence.split(" ")[0], f.subject_code or "合计", f.measure, f.year): f for f in findings}


def test_the_seed_misprints_are_caught_where_they_are_printed():
    found = by_place(f for f in hierarchy_sum.check(seed_disclosure()) if f.severity == "error")
    # 附件8: 208 prints 52.48 over its only 款 20805 52.84, in both columns
    assert found[("附件8", "208", "total", 2026)].expected.wan == 52.84
    assert found[("附件8", "208", "basic", 2026)].actual.wan == 52.48
    # 附件8: 合计 1027.84 is not the sum of its 类 rows
    assert found[("附件8", "合计", "total", 2026)].expected.wan == 1207.48
    # 附件1: 本年支出 1207.84 against 类 rows that include 52.48 and 166.94
    assert found[("附件1", "合计", "total", 2026)].expected.wan == 1350.43
    # 附件2, prior-year column: 21505 718.3 but its 项 add up to 714.8
    assert found[("附件2", "21505", "total", 2025)].expected.wan == 714.8


def test_tables_whose_levels_add_up_raise_no_error():
    found = [f for f in hierarchy_sum.check(seed_disclosure()) if f.severity == "error"]
    assert not [f for f in found if f.evidence.startswith(("附件2", "附件6", "附件7")) and f.year == 2026]


def test_a_rounding_gap_in_a_wan_table_is_info():
    # 附件3: 301 工资福利支出 328.37 while its ten 款 add up to 328.38
    infos = [f for f in hierarchy_sum.check(seed_disclosure()) if f.severity == "info"]
    assert {(f.subject_code, f.measure) for f in infos} == {("301", "total"), ("301", "personnel")}
    assert all(round(f.actual.wan - f.expected.wan, 2) == -0.01 for f in infos)


def test_project_tables_listing_one_code_under_many_projects_are_not_summed():
    table, lines = make_table(
        0, "表9", "project_expenditure", "项目支出表", [("total", 2026, "合计")],
        [("215", "资源勘探工业信息等支出", ["10"]), ("2150599", "其他", ["4"]), ("2150599", "其他", ["5"])])
    assert hierarchy_sum.check(Disclosure(DOCUMENT, lines, tables=[table])) == []


def test_a_table_continued_on_the_next_page_is_summed_as_one():
    columns = [("total", 2026, "合计")]
    first, first_lines = make_table(0, "表3", "general_budget_expenditure", "一般公共预算支出表", columns,
                                    [("", "合计", ["30"]), ("201", "一般公共服务支出", ["30"]),
                                     ("20101", "人大事务", ["10"])])
    second, second_lines = make_table(1, "", "general_budget_expenditure", "", columns,
                                      [("20103", "政府办公厅(室)及相关机构事务", ["20"])])
    disclosure = Disclosure(DOCUMENT, first_lines + second_lines, tables=[first, second])
    assert hierarchy_sum.check(disclosure) == []
