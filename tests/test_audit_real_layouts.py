"""Layouts met in real disclosures beyond the seed (Shanghai 普陀, Jiangsu): the audit reads them
without calling their ordinary features contradictions."""
from budgets.audit import hierarchy_sum, narrative, row_identity
from budgets.audit.model import Disclosure
from extractors.narrative import Concept, concept_of
from test_audit_seed_lines import DOCUMENT, make_table

SHANGHAI = {**DOCUMENT, "district": "上海市普陀区", "department": "财政局", "fiscal_year": 2025}


def test_a_subject_named_by_its_path_is_found_by_the_names_the_tables_print():
    assert concept_of("“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”科目") == \
        Concept("expenditure", "path", "208|行政事业单位养老支出|机关事业单位职业年金缴费支出")
    assert concept_of("“卫生健康支出-行政事业单位医疗-行政单位医疗”科目") == \
        Concept("expenditure", "path", "210|行政事业单位医疗|行政单位医疗")
    assert concept_of("公共安全支出（204类）司法（06款）行政运行（01项）") == Concept("expenditure", "class", "2040601")


PENSIONS = [("208", "社会保障和就业支出", ["3508644"]), ("20805", "行政事业单位养老支出", ["3508644"]),
            ("2080501", "行政单位离退休", ["877080"]), ("2080506", "机关事业单位职业年金缴费支出", ["873617"]),
            ("2080505", "机关事业单位基本养老保险缴费支出", ["1757947"])]


def shanghai_pension(stated: str, kinds=("general_budget_expenditure", "dept_expenditure")) -> Disclosure:
    tables, lines = [], []
    for index, kind in enumerate(kinds):
        table, table_lines = make_table(index, "", kind, f"2025年部门{kind}", [("total", 2025, "合计")], PENSIONS, unit="元")
        tables.append(table)
        lines += table_lines
    text = f"7.“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”{stated}万元，主要用于缴纳职业年金支出。"
    return Disclosure(SHANGHAI, lines, [{"id": "p", "position": 0, "page": 7, "text": text}], tables=tables)


def test_a_stated_item_ten_times_the_table_is_an_error():
    # 上海市普陀区财政局 2025: the text says 887.36万元 where the tables print 873,617元
    [finding] = narrative.check(shanghai_pension("887.36"))
    assert finding.severity == "error" and finding.expected.wan == 87.3617
    assert finding.subject_code == "2080506"


def test_against_tables_of_one_fund_scope_only_a_mismatch_is_a_warning():
    # the department may have other money than general-budget money: the text may mean either
    [finding] = narrative.check(shanghai_pension("887.36", kinds=("general_budget_expenditure",)))
    assert finding.severity == "warning"


def test_a_figure_cut_rather_than_rounded_is_a_rounding_gap():
    # 873,617元 is 87.3617万元: the text's 87.36 is cut, not rounded (87.36), either is acceptable
    assert narrative.check(shanghai_pension("87.36")) == []
    [finding] = narrative.check(shanghai_pension("87.37"))
    assert finding.severity == "info"


def test_a_bare_total_whose_scope_only_the_previous_sentence_gives_is_not_judged_alone():
    table, lines = make_table(0, "表1", "dept_summary", "收支预算总表", [("total", 2026, "合计")],
                              [("", "支出总计", ["28849.38"])])
    paragraphs = [{"id": "p", "position": 0, "text": "支出预算17123.19万元，其中："}]
    assert narrative.check(Disclosure(DOCUMENT, lines, paragraphs, tables=[table])) == []


def test_a_change_described_in_words_is_not_read_as_an_amount():
    table, lines = make_table(0, "表8", "general_budget_basic_expenditure", "一般公共预算基本支出预算表",
                              [("total", 2026, "合计")], [("", "合计", ["17123.19"])])
    paragraphs = [{"id": "p", "position": 0, "text": "主要原因是基本支出增加人员经费1408.29万元。"}]
    assert narrative.check(Disclosure(DOCUMENT, lines, paragraphs, tables=[table])) == []


def test_a_row_with_a_column_the_normaliser_could_not_name_is_not_judged():
    # Jiangsu 支出预算总表: 合计 = 基本 + 项目 + 单位预留机动经费
    table, lines = make_table(0, "公开03表", "dept_expenditure", "支出预算总表",
                              [("total", 2019, "合计"), ("basic", 2019, "基本支出"), ("project", 2019, "项目支出"),
                               ("other", 2019, "单位预留机动经费")],
                              [("", "合计", ["24169.74", "15844.04", "4335.30", "3990.40"])])
    assert row_identity.check(Disclosure(DOCUMENT, lines, tables=[table])) == []


def test_a_three_public_table_may_total_meetings_and_training_too():
    table, lines = make_table(
        0, "公开09表", "three_public_expenses", "“三公”经费、会议费、培训费支出预算表",
        [("total", 2019, "合计"), ("total", 2019, "“三公”经费/小计"), ("overseas_travel", 2019, "因公出国（境）费"),
         ("vehicles", 2019, "公务用车购置及运行维护费"), ("reception", 2019, "公务接待费"), ("meeting", 2019, "会议费"),
         ("training", 2019, "培训费")],
        [("", "合计", ["1276.70", "418.26", "80.00", "237.00", "101.26", "158.44", "700.00"])])
    assert row_identity.check(Disclosure(DOCUMENT, lines, tables=[table])) == []


def test_basic_spending_split_into_personnel_and_public_use_plus_project_makes_the_total():
    # Shanghai 财务收支预算总表: 合计 | 基本支出/人员经费 | 基本支出/公用经费 | 项目支出
    table, lines = make_table(
        0, "", "dept_summary", "2025年预算单位财务收支预算总表",
        [("total", 2025, "合计"), ("personnel", 2025, "人员经费"), ("public_use", 2025, "公用经费"), ("project", 2025, "项目支出")],
        [("201", "一般公共服务支出", ["127886849", "60330260", "24531459", "43025130"])], unit="元")
    assert row_identity.check(Disclosure(DOCUMENT, lines, tables=[table])) == []


def test_children_whose_codes_were_lost_leave_their_parent_unjudged():
    table, lines = make_table(
        0, "", "general_budget_basic_expenditure", "一般公共预算基本支出表", [("total", 2024, "合计")],
        [("301", "工资福利支出", ["8828.2511"]), ("30101", "基本工资", ["587.3551"]), ("", "津贴补贴", ["1662.381"]),
         ("30199", "其他工资福利支出", ["6578.515"])], classification="economic")
    assert hierarchy_sum.check(Disclosure(DOCUMENT, lines, tables=[table])) == []


def text_only(*lines: str, page: int = 21) -> Disclosure:
    paragraphs = [{"id": f"p{n}", "position": n, "page": page, "text": line} for n, line in enumerate(lines)]
    return Disclosure({**SHANGHAI, "stage": "final_account", "fiscal_year": 2024}, [], paragraphs)


def test_a_sentence_broken_across_pdf_lines_is_read_whole():
    # 规划和自然资源局 2024 决算 p.21, three lines of the PDF's text layer
    disclosure = text_only("（一）一般公共预算财政拨款支出决算总体情况一般公共预算财政拨款支出9746.50万元。",
                           "与2023年度相比，一般公共预算财政拨款支出增加",
                           "1193.20万元，增长13.95。")
    [finding] = narrative.check(disclosure)
    assert finding.severity == "info" and "增长13.95" in finding.message
    assert "支出增加1193.20万元，增长13.95。" in finding.evidence


def test_a_completion_rate_must_follow_from_budget_and_outturn():
    ok = text_only("年初预算为452.40万元，支出决算为", "446.11万元，完成年初预算的98.61%。")
    assert narrative.check(ok) == []
    cut = text_only("年初预算为10210.34万元，支出决算为9746.50万元，完成年初预算的95.45%。")  # 95.457: cut
    assert narrative.check(cut) == []
    wrong = text_only("年初预算为452.40万元，支出决算为446.11万元，完成年初预算的96.61%。")
    [finding] = narrative.check(wrong)
    assert finding.severity == "error" and "98.61%" in finding.message


def test_a_share_must_follow_from_the_part_and_its_total():
    ok = text_only("一般公共预算财政拨款支出9746.50万元，主要用于以下方面：社会保障和就业支出（类）754.75万元，占7.74%；",
                   "卫生健康支出（类）236.63万元，占2.43%；")
    assert narrative.check(ok) == []
    wrong = text_only("一般公共预算财政拨款支出9746.50万元，主要用于以下方面：社会保障和就业支出（类）754.75万元，占7.74%；",
                      "卫生健康支出（类）236.63万元，占3.43%；")
    [finding] = narrative.check(wrong)
    assert finding.severity == "error" and finding.subject_code == "210" and "2.43%" in finding.message


def test_a_list_of_parts_with_an_amount_of_unknown_kind_is_not_called_incomplete():
    # Jiangsu: 合计 = 基本支出 + 项目支出 + 单位预留机动经费
    disclosure = text_only("本年支出预算合计17996.68万元，其中：基本支出12323.48万元，占68.48%；项目支出5533万元，"
                           "占30.74%；单位预留机动经费140.2万元，占0.78%。")
    assert narrative.check(disclosure) == []


def test_a_budget_is_not_compared_with_the_sum_of_outturns():
    disclosure = text_only("“三公”经费财政拨款支出年初预算为2.85万元，支出决算为0.39万元，完成预算的13.68%，其中：因公出国（境）费"
                           "决算为0.00万元，公务用车购置及运行费决算为0.00万元，公务接待费决算为0.39万元。")
    assert narrative.check(disclosure) == []
