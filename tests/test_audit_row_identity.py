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


# ---- a final account's fund flow: 年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余 -------------

def flow_findings(header, row):
    """The lines of a final account's 收入支出决算表 as the normaliser loads them, audited."""
    from extractors.model import Extraction, Table
    from extractors.normalise import normalise
    from extractors.titles import parse_title

    meta = parse_title("上海市普陀区规划和自然资源局2024年度部门决算")
    table = Table(title="收入支出决算表", unit="万元", header=header, rows=[row])
    result = normalise(Extraction(title="x", tables=[table]), meta, "f" * 64)
    document = {"id": "", "stage": meta.stage, "fiscal_year": meta.fiscal_year, "department": meta.department,
                "district": meta.district, "title": "", "url": ""}
    return row_identity.check(Disclosure(document, result.lines, result.paragraphs, result.tables))


FLOW_FLAT = [["项目", "年初结转和结余", "本年收入", "本年支出", "本年支出", "本年支出", "年末结转和结余"],
             ["项目", "年初结转和结余", "本年收入", "合计", "基本支出", "项目支出", "年末结转和结余"]]
# 上海市普陀区规划和自然资源局 2024 年度部门决算: 收入支出决算总表 (p7) 年初结转和结余 112.88,
# 本年收入合计 9,746.50, 本年支出合计 9,759.38, 年末结转和结余 100.00; 支出决算表 (p10) 合计:
# 基本支出 5,377.64, 项目支出 4,381.74 — the same year printed as one row of the flow table.
PLANNING_2024 = ["合计", "112.88", "9746.50", "9759.38", "5377.64", "4381.74", "100.00"]


def test_a_fund_flow_row_that_balances_raises_nothing():
    """The 财决 template's 收入支出决算表 (年初结转和结余 | 本年收入 | 本年支出 合计/基本支出/项目支出 |
    年末结转和结余) with the planning bureau's 2024 figures: 112.88 + 9,746.50 = 9,759.38 + 100.00.
    上年结转 here is no income source whose sum is the spending total."""
    assert flow_findings(FLOW_FLAT, PLANNING_2024) == []


def test_a_year_end_balance_that_does_not_follow_from_the_flow_is_an_error():
    """The same row with 年末结转和结余 printed 10.00: 112.88 + 9,746.50 − 9,759.38 = 100.00."""
    row = PLANNING_2024[:-1] + ["10.00"]
    [finding] = [f for f in flow_findings(FLOW_FLAT, row) if f.severity == "error"]
    assert finding.measure == "carryover_end"
    assert (finding.expected.wan, finding.actual.wan) == (100.0, 10.0)
    assert all(figure in finding.message for figure in ("112.88", "9746.50", "− 合计 9759.38"))


FLOW_SPLIT = [["项目", "年初结转和结余", "年初结转和结余", "年初结转和结余", "本年收入", "本年支出",
               "年末结转和结余", "年末结转和结余", "年末结转和结余"],
              ["项目", "合计", "基本支出结转", "项目支出结转和结余", "合计", "合计",
               "合计", "基本支出结转", "项目支出结转和结余"]]


def test_carryover_and_year_end_balance_are_their_basic_and_project_parts():
    """The 财决 template's 财政拨款收入支出决算表 with the balances split into 基本支出结转 |
    项目支出结转和结余 (figures chosen for the test): 年末 100.00 printed over parts 20.00 + 70.00,
    年初 12.88 over 2.88 + 10.00."""
    row = ["合计", "12.88", "2.88", "10.00", "9846.50", "9759.38", "100.00", "20.00", "70.00"]
    [finding] = [f for f in flow_findings(FLOW_SPLIT, row) if f.severity == "error"]
    assert finding.measure == "carryover_end" and (finding.expected.wan, finding.actual.wan) == (90.0, 100.0)
    row = ["合计", "12.88", "2.88", "9.00", "9846.50", "9759.38", "100.00", "30.00", "70.00"]
    [finding] = [f for f in flow_findings(FLOW_SPLIT, row) if f.severity == "error"]
    assert finding.measure == "carryover" and (finding.expected.wan, finding.actual.wan) == (11.88, 12.88)


def test_a_flow_row_without_basic_and_project_columns_is_no_income_table():
    """收入支出决算表 printed flat (年初结转和结余 | 本年收入合计 | 本年支出合计 | 年末结转和结余), the
    planning bureau's 2024 figures: 上年结转 112.88 is no source of a 9,759.38 spending total."""
    header = [["项目", "年初结转和结余", "本年收入合计", "本年支出合计", "年末结转和结余"]]
    assert flow_findings(header, ["合计", "112.88", "9746.50", "9759.38", "100.00"]) == []
    [finding] = flow_findings(header, ["合计", "112.88", "9746.50", "9759.38", "101.00"])
    assert finding.measure == "carryover_end" and (finding.expected.wan, finding.actual.wan) == (100.0, 101.0)


def summary_findings(rows):
    from extractors.model import Extraction, Table
    from extractors.normalise import normalise
    from extractors.titles import parse_title

    meta = parse_title("上海市普陀区规划和自然资源局2024年度部门决算")
    table = Table(title="收入支出决算总表", unit="万元",
                  header=[["收入", "收入", "支出", "支出"], ["项目", "决算数", "项目", "决算数"]], rows=rows)
    result = normalise(Extraction(title="x", tables=[table]), meta, "e" * 64)
    document = {"id": "", "stage": meta.stage, "fiscal_year": meta.fiscal_year, "department": meta.department,
                "district": meta.district, "title": "", "url": ""}
    return row_identity.check(Disclosure(document, result.lines, result.paragraphs, result.tables))


def planning_summary(year_end="100.00"):
    """上海市普陀区规划和自然资源局 2024 年度部门决算, 收入支出决算总表 (p7), its closing rows as printed
    (the spending rows above shortened to the 类 that carry amounts)."""
    return [["一、一般公共预算财政拨款收入", "9746.50", "八、社会保障和就业支出", "754.75"],
            ["", "", "九、卫生健康支出", "236.63"],
            ["", "", "十一、城乡社区支出", "3845.25"],
            ["", "", "十八、自然资源海洋气象等支出", "4461.67"],
            ["", "", "十九、住房保障支出", "461.08"],
            ["本年收入合计", "9746.50", "本年支出合计", "9759.38"],
            ["使用非财政拨款结余", "", "结余分配", ""],
            ["年初结转和结余", "112.88", "年末结转和结余", year_end],
            ["总计", "9859.38", "总计", "9859.38"]]


def test_final_account_summary_totals_carry_the_balances():
    """Each side's 总计 is its 本年收入合计 (本年支出合计) and the rows down to it: 9,746.50 + 112.88 =
    9,859.38 = 9,759.38 + 100.00. Printed 10.00 for the year-end balance, 总计 on the spending side
    no longer follows."""
    assert [f for f in summary_findings(planning_summary()) if f.severity == "error"] == []
    [finding] = [f for f in summary_findings(planning_summary("10.00")) if f.severity == "error"]
    assert (finding.expected.wan, finding.actual.wan) == (9769.38, 9859.38)
    assert "本年支出合计 9759.38 + 年末结转和结余 10.00" in finding.message


def _spending_row(total_wan):
    # 深圳 2026 表3 支出总表: 支出总计 | 基本支出 | 项目支出 | 事业单位经营支出 | 对附属单位补助支出 | 上缴上级支出;
    # 深圳市生态环境局 p.93 prints 深圳市环境科学研究院 11,114.61 1,711.90 9,402.71 9,475.59 0.00 0.00
    table, lines = make_table(
        0, "表3", "dept_expenditure", "支出总表",
        [("total", 2026, "支出总计"), ("basic", 2026, "基本支出"), ("project", 2026, "项目支出"),
         ("operating_spending", 2026, "事业单位经营支出"), ("subordinate_subsidy", 2026, "对附属单位补助支出"),
         ("remit_superior", 2026, "上缴上级支出")],
        [("", "深圳市环境科学研究院", [total_wan, "1711.90", "9402.71", "9475.59", "0.00", "0.00"])])
    return Disclosure(DOCUMENT, lines, tables=[table])


def test_a_total_that_leaves_out_the_operating_spending_printed_beside_it_is_no_error():
    assert errors(_spending_row("11114.61")) == []


def test_a_total_that_includes_the_operating_spending_is_no_error_either():
    assert errors(_spending_row("20590.20")) == []


def test_a_total_that_is_neither_is_an_error():
    [finding] = errors(_spending_row("12000.00"))
    assert finding.measure == "total"
