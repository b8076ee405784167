"""row_identity: figures in one row that must add up."""
from budgets.audit import row_identity
from budgets.audit.model import Disclosure
from test_audit_seed_lines import DOCUMENT, make_table, seed_disclosure, set_cell


def errors(disclosure):
    return [f for f in row_identity.check(disclosure) if f.severity == "error"]


def test_department_expenditure_total_that_is_not_basic_plus_project_is_an_error():
    found = errors(seed_disclosure())
    assert len(found) == 1
    finding = found[0]
    assert finding.table_kind == "dept_expenditure" and finding.measure == "total"
    assert (finding.expected.wan, finding.actual.wan) == (1207.84, 1027.84)
    assert "附件8" in finding.evidence and "合计" in finding.evidence


def test_rows_that_add_up_raise_nothing():
    disclosure = seed_disclosure()
    set_cell(disclosure, "附件8", "合计", "total", "1207.84")
    assert row_identity.check(disclosure) == []


def test_three_public_expenses_total_must_be_its_parts():
    disclosure = seed_disclosure()
    set_cell(disclosure, "附件4", "合计", "reception", "3")
    [finding] = [f for f in errors(disclosure) if f.table_kind != "dept_expenditure"]
    assert finding.table_kind == "three_public_expenses"
    assert (finding.expected.wan, finding.actual.wan) == (5.5, 5.0)


def test_vehicles_subtotal_must_be_purchase_plus_operation():
    table, lines = make_table(
        0, "表6", "three_public_expenses", "“三公”经费支出表",
        [("total", 2026, "合计"), ("overseas_travel", 2026, "因公出国"), ("vehicles", 2026, "小计"),
         ("vehicle_purchase", 2026, "购置"), ("vehicle_operation", 2026, "运行"), ("reception", 2026, "接待")],
        [("", "合计", ["12.00", "1.00", "8.00", "3.00", "4.00", "3.00"])])
    [finding] = row_identity.check(Disclosure(DOCUMENT, lines, tables=[table]))
    assert finding.measure == "vehicles" and (finding.expected.wan, finding.actual.wan) == (7.0, 8.0)


def test_income_total_must_be_the_sum_of_its_sources():
    table, lines = make_table(
        0, "表2", "dept_income", "部门收入总表",
        [("total", 2026, "合计"), ("general_budget", 2026, "一般公共预算"), ("business_income", 2026, "事业收入"),
         ("carryover", 2026, "上年结转")],
        [("", "合计", ["100.00", "80.00", "15.00", "4.00"])])
    [finding] = row_identity.check(Disclosure(DOCUMENT, lines, tables=[table]))
    assert finding.severity == "error" and finding.expected.wan == 99.0


def test_a_one_cent_gap_between_rounded_figures_is_info_not_error():
    table, lines = make_table(
        0, "表3", "general_budget_expenditure", "一般公共预算支出表",
        [("total", 2026, "合计"), ("basic", 2026, "基本支出"), ("project", 2026, "项目支出")],
        [("", "合计", ["10.01", "5.00", "5.00"])])
    [finding] = row_identity.check(Disclosure(DOCUMENT, lines, tables=[table]))
    assert finding.severity == "info"


def test_exact_yuan_tables_allow_no_gap_beyond_their_rounding():
    table, lines = make_table(
        0, "表3", "general_budget_expenditure", "一般公共预算支出表",
        [("total", 2026, "合计"), ("basic", 2026, "基本支出"), ("project", 2026, "项目支出")],
        [("", "合计", ["100102", "50000", "50000"])], unit="元")
    [finding] = row_identity.check(Disclosure(DOCUMENT, lines, tables=[table]))
    assert finding.severity == "error" and round(finding.actual.wan - finding.expected.wan, 4) == 0.0102


def test_summary_table_income_total_must_equal_spending_total():
    disclosure = seed_disclosure()
    set_cell(disclosure, "附件6", "支出总计", "total", "1217.84")
    [finding] = [f for f in errors(disclosure) if f.table_kind != "dept_expenditure"]
    assert finding.table_kind == "dept_summary"
    assert (finding.expected.wan, finding.actual.wan) == (1207.84, 1217.84)
