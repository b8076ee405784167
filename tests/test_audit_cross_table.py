"""cross_table: the same subject, measure and year printed differently in two tables."""
from budgets.audit import cross_table
from budgets.audit.model import Disclosure
from test_audit_seed_lines import DOCUMENT, make_table, seed_disclosure


def found(disclosure):
    return {(f.evidence.split(" ")[0], f.subject_code or "合计", f.measure): f for f in cross_table.check(disclosure)}


def test_the_seed_figures_that_differ_from_the_other_tables_are_errors():
    findings = found(seed_disclosure())
    assert set(findings) == {
        ("附件1", "208", "total"), ("附件1", "221", "total"),
        ("附件8", "208", "total"), ("附件8", "208", "basic"), ("附件8", "合计", "total"),
    }
    assert all(f.severity == "error" for f in findings.values())
    social = findings[("附件1", "208", "total")]
    assert (social.expected.wan, social.actual.wan) == (52.84, 52.48)
    housing = findings[("附件1", "221", "total")]
    assert (housing.expected.wan, housing.actual.wan) == (23.99, 166.94)
    assert "附件2" in housing.message and "附件7" in housing.message


def test_figures_that_agree_across_tables_raise_nothing():
    findings = found(seed_disclosure())
    assert not [key for key in findings if key[1] in ("210", "215", "20805", "2150599")]


def gov_fund_department(gb_total: str, all_total: str):
    """A department that also spends 政府性基金 money: its 部门 figures exceed its 一般公共预算 ones."""
    general, general_lines = make_table(0, "表5", "general_budget_expenditure", "一般公共预算支出表",
                                        [("total", 2026, "合计")], [("212", "城乡社区支出", [gb_total])])
    income, income_lines = make_table(1, "表2", "dept_income", "部门收入总表",
                                      [("total", 2026, "合计"), ("general_budget", 2026, "一般公共预算"),
                                       ("gov_fund", 2026, "政府性基金")],
                                      [("212", "城乡社区支出", [all_total, gb_total, "50.00"])])
    spending, spending_lines = make_table(2, "表3", "dept_expenditure", "部门支出总表",
                                          [("total", 2026, "合计")], [("212", "城乡社区支出", [all_total])])
    return Disclosure(DOCUMENT, general_lines + income_lines + spending_lines, tables=[general, income, spending])


def test_department_and_general_budget_figures_are_not_compared_when_other_funds_exist():
    assert cross_table.check(gov_fund_department("100.00", "150.00")) == []


def test_general_budget_figures_are_compared_with_each_other_whatever_the_funds():
    disclosure = gov_fund_department("100.00", "150.00")
    for line in disclosure.lines:
        if line["table_kind"] == "general_budget_expenditure":
            line["amount_fen"] = 99_000_000  # 99.00万元 against the income table's 100.00
    [finding] = cross_table.check(disclosure)
    assert finding.measure == "total" and finding.subject_code == "212"
    # two tables, one figure each: the detailed expenditure table is believed over the income table
    assert (finding.expected.wan, finding.actual.wan) == (99.0, 100.0)
    assert finding.evidence.startswith("表2") and "表5" in finding.message


def test_wan_and_yuan_tables_agree_when_rounding_explains_the_gap():
    a, a_lines = make_table(0, "表5", "general_budget_expenditure", "一般公共预算支出表",
                            [("total", 2026, "合计")], [("208", "社会保障和就业支出", ["52.84"])])
    b, b_lines = make_table(1, "表2", "dept_income", "部门收入总表", [("general_budget", 2026, "一般公共预算")],
                            [("208", "社会保障和就业支出", ["528412"])], unit="元")
    assert cross_table.check(Disclosure(DOCUMENT, a_lines + b_lines, tables=[a, b])) == []


def test_public_use_total_against_admin_operating_is_only_a_warning():
    disclosure = seed_disclosure()
    table, lines = make_table(20, "附件13", "admin_operating_expenditure", "机关运行经费支出表",
                              [("admin_operating", 2026, "机关运行经费")], [("", "合计", ["60.00"])])
    disclosure.tables.append(table)
    disclosure.lines += lines
    [finding] = [f for f in cross_table.check(disclosure) if f.measure == "admin_operating"]
    assert finding.severity == "warning" and finding.expected.wan == 70.59


def test_a_table_that_lists_a_subject_once_per_unit_is_no_witness_for_the_departments_figure():
    # 深圳市生态环境局 2026: 表1 收支总表 (p.74) prints 205 教育支出 264.35; 表3 支出总表 (p.81) lists the
    # subjects under each 预算单位, 205 on fifteen rows (132.06, 1.67, 15.60 … adding up to 264.35)
    summary, summary_lines = make_table(0, "表1", "dept_summary", "收支总表", [("total", 2026, "支出/2026年预算数")],
                                        [("205", "教育支出", ["264.35"])])
    units = [("", "深圳市生态环境局（本级）", ["9000.00"]), ("205", "教育支出", ["132.06"]),
             ("", "深圳市环境监测中心站", ["800.00"]), ("205", "教育支出", ["1.67"]),
             ("", "深圳市环境科学研究院", ["700.00"]), ("205", "教育支出", ["15.60"])]
    by_unit, unit_lines = make_table(1, "表3", "dept_expenditure", "支出总表", [("total", 2026, "支出总计")], units)
    disclosure = Disclosure(DOCUMENT, summary_lines + unit_lines, tables=[summary, by_unit])
    assert [f for f in cross_table.check(disclosure) if f.subject_code == "205"] == []


def test_a_project_table_against_a_project_column_printed_beside_other_spending_is_a_warning():
    # 湖州市交通运输局 2026: 表03 支出预算总表 (p.25) 合计 row: 总计 201,286.11 = 人员 26,435.02 + 公用 3,388.68
    # + 项目支出 171,262.41 + 对附属单位补助支出 200.00; 表10 项目支出预算表 (p.38) 合计 171,462.41
    spending, spending_lines = make_table(
        0, "表03", "dept_expenditure", "2026年市级部门支出预算总表",
        [("total", 2026, "总计"), ("personnel", 2026, "人员支出"), ("public_use", 2026, "公用经费"),
         ("project", 2026, "项目支出"), ("subordinate_subsidy", 2026, "对附属单位补助支出")],
        [("", "合计", ["201286.11", "26435.02", "3388.68", "171262.41", "200.00"])])
    projects, project_lines = make_table(1, "表10", "project_expenditure", "2026年市级部门项目支出预算表",
                                         [("total", 2026, "总计")], [("", "合计", ["171462.41"])])
    findings = cross_table.check(Disclosure(DOCUMENT, spending_lines + project_lines, tables=[spending, projects]))
    assert findings and {f.severity for f in findings} == {"warning"}
    assert "对附属单位补助支出" in findings[0].message
