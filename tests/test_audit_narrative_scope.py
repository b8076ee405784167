"""What a sentence's figure is a figure of: the words that narrow a scope, the change a sentence
states when a reason clause says 持平 or the verb comes after the amount, and the real
contradictions of that kind that must stay errors. Sentences as printed in real disclosures."""
from budgets.audit import narrative, rate_base, year_over_year
from budgets.audit.model import Disclosure
from test_audit_seed_lines import DOCUMENT, make_table


def paragraphs(*texts):
    return [{"id": f"p{n}", "position": n, "page": 5, "text": t} for n, t in enumerate(texts)]


def general_budget_tables(total="8326.11"):
    tables, lines = [], []
    for index, (kind, title) in enumerate((("general_budget_expenditure", "一般公共预算支出表"),
                                           ("dept_income", "部门收入总表"))):
        measure = "total" if kind == "general_budget_expenditure" else "general_budget"
        table, table_lines = make_table(index, f"公开0{index + 2}表", kind, title, [(measure, 2026, "合计")],
                                        [("", "合计", [total])])
        tables.append(table)
        lines += table_lines
    return lines, tables


def errors(findings):
    return [f for f in findings if f.severity == "error"]


# ---- a qualifier narrows the scope word

def test_carried_over_general_budget_income_is_not_the_general_budget():
    # 上海 公开 budgets: '上年结转结余的一般公共预算收入0万元，占0%；' beside a 公开02表 total of 8326.11
    lines, tables = general_budget_tables()
    disclosure = Disclosure(DOCUMENT, lines, paragraphs("上年结转结余的一般公共预算收入0万元，占0%；"), tables=tables)
    assert narrative.check(disclosure) == []


def test_an_expense_paid_from_the_general_budget_is_not_the_general_budget():
    # '2026年本部门一般公共预算安排委托业务费302.4万元' (p.29), '…各单位委托业务费财政拨款总额746.40万元' (湖州)
    lines, tables = general_budget_tables("11103.52")
    for sentence in ("六、委托业务费安排情况2026年本部门一般公共预算安排委托业务费302.4万元，比上年减少147.66万元，下降32.8%。",
                     "5.委托业务费安排情况2026年湖州市财政局各单位委托业务费财政拨款总额746.40万元。"):
        assert narrative.check(Disclosure(DOCUMENT, lines, paragraphs(sentence), tables=tables)) == []


def test_the_general_budget_itself_is_still_held_against_the_tables():
    lines, tables = general_budget_tables("8326.11")
    for sentence in ("2026年一般公共预算当年拨款收入8362.11万元。", "本部门一般公共预算拨款8362.11万元。"):
        [finding] = narrative.check(Disclosure(DOCUMENT, lines, paragraphs(sentence), tables=tables))
        assert finding.severity == "error" and (finding.expected.wan, finding.actual.wan) == (8326.11, 8362.11)


def test_procurement_parts_after_a_funds_total_are_that_funds():
    # 重庆市规划和自然资源局 2026 p.6: 工程 is blank in the general-budget column, 6599.50 in all funds
    table, lines = make_table(0, "表九", "procurement", "政府采购预算表",
                              [("total", 2026, "合计"), ("general_budget", 2026, "一般公共预算")],
                              [("", "合计", ["110390.99", "50106.43"]), ("", "货物", ["6005.76", "664.38"]),
                               ("", "工程", ["6599.50", None]), ("", "服务", ["97785.73", "49442.05"])])
    text = ("其中一般公共预算拨款政府采购50,106.43万元：政府采购货物预算664.38万元、政府采购工程预算0万元、"
            "政府采购服务预算49,442.05万元。")
    assert errors(narrative.check(Disclosure(DOCUMENT, lines, paragraphs(text), tables=[table]))) == []


# ---- the change a sentence states

def test_a_flat_reason_does_not_undo_a_stated_decrease():
    # '公务接待费22.21万元，比上年减少0.3万元，下降1.3%，主要原因是基本与上年持平，无增减变化。'
    [statement] = narrative.read(paragraphs("公务接待费22.21万元，比上年减少0.3万元，下降1.3%，主要原因是基本与上年持平，无增减变化。"), 2026)
    assert (statement.amount.wan, statement.change.wan) == (22.21, -0.3)
    assert narrative.percentages(Disclosure(DOCUMENT, [], []), [statement]) == []


def test_flat_alone_is_still_no_change():
    [statement] = narrative.read(paragraphs("公务接待费22.21万元，与上年持平。"), 2026)
    assert statement.change.fen == 0


def test_an_amount_after_bi_shang_nian_with_the_verb_after_it_is_the_change():
    # '…210.30万元，比上年1.43万元，增加0.68%': 1.43 / (210.30 − 1.43) = 0.68 %
    [statement] = narrative.read(paragraphs("2026年一般公共预算当年拨款210.30万元，比上年1.43万元，增加0.68%。"), 2026)
    assert (statement.amount.wan, statement.change.wan, statement.compared_to) == (210.30, 1.43, 2025)
    [falling] = narrative.read(paragraphs("“三公”经费预算12.00万元，比上年0.50万元，下降4.0%。"), 2026)
    assert (falling.amount.wan, falling.change.wan) == (12.0, -0.5)


# ---- the real contradictions of this kind stay errors

def test_a_procurement_total_of_nothing_with_parts_that_are_not_is_an_error():
    text = "2026年度政府采购预算总额0万元，其中：政府采购货物预算3456.6万元、政府采购服务预算4683.6万元。"
    [finding] = errors(narrative.check(Disclosure(DOCUMENT, [], paragraphs(text))))
    assert (finding.expected.wan, finding.actual.wan) == (8140.2, 0.0)


def test_a_three_public_increase_larger_than_the_total_is_an_error():
    text = "2026年“三公”经费财政拨款预算6.51万元，比上年增加9.49万元，主要原因是公务接待增加。"
    [finding] = errors(rate_base.check(Disclosure(DOCUMENT, [], paragraphs(text))))
    assert finding.check == "rate_base" and (finding.expected.wan, finding.actual.wan) == (9.49, 6.51)


def test_a_stated_fall_the_printed_years_do_not_give_is_an_error():
    # the table prints 132.50 and 99.60: a fall of 32.90, the text says 33.10
    table, lines = make_table(0, "表5", "general_budget_expenditure", "一般公共预算支出表",
                              [("total", 2025, "2025年预算数"), ("total", 2026, "2026年预算数")],
                              [("", "合计", ["132.50", "99.60"])])
    text = "2026年一般公共预算支出99.60万元，比上年减少33.10万元。"
    [finding] = errors(year_over_year.check(Disclosure(DOCUMENT, lines, paragraphs(text), tables=[table])))
    assert (finding.expected.wan, finding.actual.wan) == (-32.9, -33.1)


def test_an_amount_inside_a_parenthesis_that_opens_a_part_is_the_parts():
    # 上海市普陀区规划和自然资源局 2024 决算 p.26: '其中：国内公务接待支出0.39万（含外宾接待支出0.00万元）。'
    statements = narrative.read(paragraphs("其中：国内公务接待支出0.39万（含外宾接待支出0.00万元）。"), 2024)
    assert not [s for s in statements if s.concept.measure == "reception"]


# ---- a figure in a cause or among one subject's uses is narrower than its concept

def test_a_subjects_uses_are_not_the_departments_personnel_and_public_spending():
    # 上海市工业和信息化局 2026 p.6, where the department's 人员经费 is 21.234万元 in its tables
    table, lines = make_table(0, "表7", "general_budget_basic_expenditure", "一般公共预算基本支出表",
                              [("total", 2026, "合计"), ("personnel", 2026, "人员经费"), ("public_use", 2026, "公用经费")],
                              [("", "合计", ["79.234", "21.234", "58.00"])])
    text = "2.“农林水支出”科目83万元，主要用于主要用于人员经费18万元、公用经费58万元、项目支出7万元。"
    disclosure = Disclosure(DOCUMENT, lines, paragraphs(text), tables=[table])
    assert [f for f in errors(narrative.check(disclosure)) if f.measure == "personnel"] == []


def test_a_thing_of_the_concept_named_in_a_cause_is_not_the_concept():
    # 广州市规划和自然资源局 2026 p.71; 表8 prints 因公出国（境）费 86.47万元
    table, lines = make_table(0, "表8", "three_public_expenses", "“三公”经费支出预算表",
                              [("overseas_travel", 2026, "因公出国（境）费")], [("", "合计", ["86.47"])])
    text = ("其中：因公出国（境）费86.47万元，比上年增加3.2万元，增长3.8%，主要原因是调整了因公出国（境）经费的经济分类，"
            "将用于支付因公出国（境）工作的国内服务费3.2万元由委托业务费调整为因公出国（境）经费；")
    disclosure = Disclosure(DOCUMENT, lines, paragraphs(text), tables=[table])
    assert errors(narrative.check(disclosure)) == []
