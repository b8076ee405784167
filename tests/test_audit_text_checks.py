"""The narrative against itself (the checks of the text, one module each in budgets.audit): made-up
sentences, each check with one that must fire and a close case that must not (rounding, another
basis, a comparative phrase)."""
from budgets.audit import (
    comparison_word, empty_table, placeholder, punctuation, rate_base, restated_figure, stated_change, stated_total,
    subject_name, year_mention,
)
from budgets.audit.model import Disclosure


def disclosure(*lines, year=2026, stage="budget", title="某区某局2026年部门预算"):
    return Disclosure(document={"id": "d", "fiscal_year": year, "stage": stage, "title": title},
                      paragraphs=[{"id": f"p{n}", "page": 3, "position": n, "text": t} for n, t in enumerate(lines)])


# ---- 1. stated change vs its two figures

def test_a_growth_rate_that_does_not_follow_from_the_two_years_is_an_error():
    # (120 − 100) / 100 = 20 %, not 25 %
    [finding] = stated_change.check(disclosure("2025年预算数为100.00万元，2026年预算数为120.00万元，比上年增长25%。"))
    assert finding.severity == "error" and "+20.00%" in finding.message and "100.00万元" in finding.message
    assert (finding.expected.wan, finding.actual.wan) == (100.0, 120.0) and "p.3" in finding.evidence


def test_a_growth_rate_within_the_rounding_of_its_figures_agrees():
    # 100.0 and 120.5 printed to 0.1: (120.5 − 100.0) / 100.0 = 20.5 %, stated as 20.6 (one unit of slack)
    assert not stated_change.check(disclosure("上年预算100.0万元，本年预算120.5万元，增长20.6%。"))


def test_a_rate_pointing_the_other_way_from_the_two_figures_is_an_error():
    [finding] = stated_change.check(disclosure("上年支出200.00万元，本年支出150.00万元，比上年增长25%。"))
    assert "less than" in finding.message


def test_comparing_with_the_disclosures_own_year_is_an_error():
    findings = stated_change.check(disclosure("2025年预算数为100.00万元，2026年预算数为120.00万元，比2026年增长20%。"))
    assert [f.key.split("|")[-2] for f in findings] == ["change-year"]


def test_a_percentage_beside_a_stated_change_in_wan_is_left_to_the_narrative_check():
    assert not stated_change.check(disclosure("上年预算100.00万元，本年预算120.00万元，比上年增加20.00万元，增长25%。"))


# ---- 4. comparison words

def test_a_comparison_word_contradicting_the_two_figures_is_an_error():
    [finding] = comparison_word.check(disclosure(
        "年初预算为452.40万元，支出决算为446.11万元。", "决算数大于预算数，主要原因是……"))
    assert finding.severity == "error" and "6.29万元 less" in finding.message


def test_a_comparison_word_that_agrees_raises_nothing():
    assert not comparison_word.check(disclosure("年初预算为452.40万元，支出决算为446.11万元，决算数小于预算数。"))
    assert not comparison_word.check(disclosure("年初预算为452.40万元，支出决算为452.4万元，决算数等于预算数。"))


def test_equal_needs_equal_figures():
    [finding] = comparison_word.check(disclosure("年初预算为10.00万元，支出决算为10.01万元，决算数等于预算数。"))
    assert finding.severity == "error"


# ---- 10. completion rates and changes

def test_a_completion_rate_of_a_zero_budget_is_an_error():
    [finding] = rate_base.check(disclosure("年初预算为0万元，支出决算为12.00万元，完成年初预算的100%。"))
    assert finding.check == "rate_base" and finding.severity == "error"


def test_an_increase_larger_than_the_amount_it_led_to_is_an_error():
    [finding] = rate_base.check(disclosure("机关运行经费0万元，比上年增加1421.25万元。"))
    assert "-1421.25万元" in finding.message


def test_a_decrease_larger_than_the_amount_is_fine():
    assert not rate_base.check(disclosure("机关运行经费0万元，比上年减少1421.25万元。"))
    assert not rate_base.check(disclosure("机关运行经费1421.3万元，比上年增加1421.25万元。"))


def test_a_growth_rate_from_nothing_is_an_error():
    [finding] = stated_change.check(disclosure("2025年执行数为0万元，2026年预算安排60.13万元，比2025年执行数增加100.00%。"))
    assert finding.check == "rate_base" and "0万元" in finding.message


# ---- 6. years and dates

def test_a_heading_naming_another_year_is_an_error():
    [finding] = year_mention.check(disclosure("第一部分 2025年度部门预算说明", "一、部门主要职能"))
    assert finding.check == "year_mention" and "2025年度部门预算" in finding.message


def test_a_comparative_phrase_and_the_own_year_raise_nothing():
    assert not year_mention.check(disclosure("第一部分 2026年度部门预算说明", "与2025年度部门预算相比"))


def test_a_final_accounts_assets_must_be_as_of_the_year_end():
    final = dict(year=2024, stage="final_account", title="某局2024年度部门决算")
    [finding] = year_mention.check(disclosure("截至2024年6月30日，本部门共有车辆3辆。", **final))
    assert "2024年12月31日" in finding.message
    assert not year_mention.check(disclosure("截至2024年12月31日，本部门共有车辆3辆。", **final))
    assert not year_mention.check(disclosure("截至2024年6月30日，本部门共有车辆3辆。"))  # a budget: any date


def with_contents(*body, year=2026):
    """A made-up budget laid out as the districts print one: cover, '目录' page, then the body."""
    d = disclosure(year=year)
    lines = [(1, "某区某局2026年度部门预算"), (2, "目录"), (2, "第一部分 2026年度部门预算说明……………1"),
             (2, "第二部分 2026年度部门预算表……………5")] + [(3, t) for t in body]
    d.paragraphs = [{"id": f"p{n}", "page": page, "position": n, "text": t} for n, (page, t) in enumerate(lines)]
    return d


def test_a_heading_naming_another_stage_than_its_contents_line_is_an_error():
    [finding] = year_mention.check(with_contents("第一部分 2026年度部门决算说明", "一、部门主要职能"))
    assert finding.severity == "error" and "stage" in finding.message and "2026年度部门预算" in finding.message
    assert "p.3" in finding.evidence


def test_a_heading_agreeing_with_its_contents_line_or_absent_from_it_raises_nothing():
    assert not year_mention.check(with_contents("第一部分 2026年部门预算说明", "二、2026年度部门决算情况"))
    assert not year_mention.check(with_contents("第一部分 与2025年度部门决算相比"))


def test_contents_below_a_title_ending_in_mulu_and_leaders_without_page_numbers_are_read():
    # the layout of the 江苏 budgets: '某局2017年度部门预算目录' then the lines on its page
    d = disclosure("某局2026年度部门预算目录", "第二部分某局2026年度部门预算表", "第二部分某局2026年度单位预算表")
    d.paragraphs[2]["page"] = 5
    [finding] = year_mention.check(d)
    assert "another 部门/单位" in finding.message
    d = disclosure("第一部分 2026年度部门预算说明 …………………………", "第一部分 2026年度部门决算说明")
    d.paragraphs[1]["page"] = 5
    [finding] = year_mention.check(d)
    assert "stage" in finding.message


def test_a_contents_line_naming_another_year_than_its_heading_is_an_error():
    d = with_contents("第二部分 2026年度部门预算表")
    d.paragraphs[3]["text"] = "第二部分 2025年度部门预算表……………5"
    findings = year_mention.check(d)
    assert [f.key.split("|")[-2] for f in findings] == ["heading", "contents"]  # the contents line's own year too
    assert "another year" in findings[1].message


# ---- 7. placeholders and template leftovers

def test_template_placeholders_are_warnings():
    findings = placeholder.check(disclosure(
        "XX局2026年部门预算", "（二）公务用车购置及运行费6.40万元，与上年持平，主要原因是。", "比上年增加（减少）（）万元。"))
    assert {f.severity for f in findings} == {"warning"}
    assert {f.message.split("“")[1].split("”")[0] for f in findings} == {"XX局", "主要原因是。", "增加（减少）", "（）万元"}


def test_filled_in_text_and_the_template_alternative_with_or_are_not_placeholders():
    # '减少（或增加）' is narrative's template check (info); 某些 is a word, not 某局
    assert not placeholder.check(disclosure("比上年减少（或增加）3.00万元，主要原因是人员减少。某些项目延后。"))


def test_a_unit_budget_that_says_department_budget_is_a_warning():
    unit = dict(title="某区某局2026年单位预算")
    [finding] = placeholder.check(disclosure("2026年部门预算安排购置车辆0辆。", **unit))
    assert "unit" in finding.message
    assert not placeholder.check(disclosure("2026年部门预算安排购置车辆0辆。"))


# ---- 8. punctuation

def test_the_same_mark_twice_in_prose_is_a_warning_also_where_the_reader_split_it():
    # 深圳市工业和信息化局 2026 p.11: '…主要用于相关人才配套经费支出。。' (read as '…支出。' and '。')
    findings = punctuation.check(disclosure("主要用于：信息化建设。", "。", "人员经费，，公用经费。"))
    assert [f.message.split("”")[0] for f in findings] == ["The text prints “。", "The text prints “，，"]
    assert {f.severity for f in findings} == {"warning"}


def test_marks_scattered_by_the_reader_or_two_different_marks_are_info():
    # 重庆市商务委员会 2026 p.2: the PDF lays the marks out apart from the words ('…交通物流。' then
    # '。' where the page prints '交通物流、'), with runs of marks all over the document
    findings = punctuation.check(disclosure("推动企业开拓多元化国际市场,,、;;会同有关部门协调。", "工作;,“”。", "。",
                                                  "包括：人员经费、，公用经费。"))
    assert findings and {f.severity for f in findings} == {"info"}
    scattered = ["负责统筹,,、;;协调。", "(),;推进总部经济。", "、、关部门落实,,。", "工作;,“”。", "、;;。"]
    findings = punctuation.check(disclosure(*scattered, "落实研究并提出金融服务航空产业交通物流。", "。"))
    assert findings and {f.severity for f in findings} == {"info"}


def test_ellipses_dashes_and_a_wrapped_period_are_not_punctuation_errors():
    assert not punctuation.check(disclosure("主要原因是……", "——说明", "比上年增加3.00万元", "。"))


def test_an_unclosed_quote_in_a_finished_paragraph_is_info():
    [finding] = punctuation.check(disclosure("开展“调解检查”、优秀案例”活动。"))
    assert "closes 2" in finding.message
    assert not punctuation.check(disclosure("坚持“统筹安排、突出重点；推"))  # cut off: closes later


# ---- 2. a restated figure within one item

def with_table(d, code, value):
    """One 项 row of a made-up 一般公共预算支出表 (万元) printing `value` as its total."""
    from decimal import Decimal
    d.lines = [{"document_id": "d", "table_index": 1, "table_kind": "general_budget_expenditure", "row_index": 1,
                "column_index": 1, "subject_code": code, "subject_name": "购房补贴", "level": 3, "parent_code": code[:5],
                "classification": "functional", "measure": "total", "year": 2026, "basis": "budget", "item": "",
                "amount_fen": int(Decimal(value) * 1_000_000), "unit_printed": "万元", "column_label": "合计"}]
    d.tables = [{"table_index": 1, "label": "附件5", "title": "一般公共预算支出表", "table_kind": "general_budget_expenditure"}]
    return d


ITEM = ["3.住房保障支出（221类）住房改革支出（02款）购房补贴（03项）207万元。", "主要用于：发放购房补贴。"]


def test_an_item_restating_its_amount_differently_is_an_error_and_the_table_says_which():
    d = with_table(disclosure(*ITEM, "2025年执行数为241.76万元，2026年预算安排170.03万元，比2025年执行数减少29.67%。"),
                   "2210203", "207.00")
    [finding] = restated_figure.check(d)
    assert finding.severity == "error" and (finding.expected.wan, finding.actual.wan) == (207.0, 170.03)
    assert "the second is wrong" in finding.message


def test_a_restatement_rounded_differently_or_of_another_year_is_not_a_contradiction():
    d = disclosure(*ITEM, "2025年执行数为241.76万元，2026年预算安排207.00万元。")
    assert not restated_figure.check(d)
    d = disclosure(*ITEM, "2025年预算安排170.03万元。")  # the year before: not a restatement
    assert not restated_figure.check(d)


def test_a_final_account_never_compares_a_budget_figure_with_the_actual():
    final = dict(year=2024, stage="final_account", title="某局2024年度部门决算")
    d = disclosure("1.住房保障支出（221类）住房改革支出（02款）购房补贴（03项）年初预算为207.00万元，", "支出决算为170.03万元。", **final)
    assert not restated_figure.check(d)


# ---- 5. totals the text states

def with_totals(d, summary, fiscal):
    """The 总计 rows of a made-up 收入支出决算总表 (附件1) and 财政拨款收入支出决算总表 (附件4), in 万元."""
    from decimal import Decimal
    d.lines = [{"document_id": "d", "table_index": index, "table_kind": kind, "item": "总计", "subject_name": "",
                "subject_code": "", "measure": "total", "year": d.fiscal_year, "row_index": 9, "column_index": 1,
                "amount_fen": int(Decimal(value) * 1_000_000), "unit_printed": "万元", "column_label": "支出/决算数"}
               for index, kind, value in ((1, "dept_summary", summary), (4, "fiscal_appropriation_summary", fiscal))]
    d.tables = [{"table_index": 1, "label": "附件1", "table_kind": "dept_summary"},
                {"table_index": 4, "label": "附件4", "table_kind": "fiscal_appropriation_summary"}]
    return d


FINAL = dict(year=2024, stage="final_account", title="某局2024年度部门决算")


def test_a_stated_total_the_summary_table_contradicts_is_an_error():
    d = with_totals(disclosure("本部门2024年度收入支出总计120.00万元。", **FINAL), "125.00", "110.00")
    [finding] = stated_total.check(d)
    assert finding.severity == "error" and "附件1" in finding.message and finding.expected.wan == 125.0


def test_the_fiscal_total_is_held_against_the_fiscal_summary_not_the_department_total():
    d = with_totals(disclosure("本部门2024年度财政拨款收入支出总计110.0万元。", **FINAL), "125.00", "110.00")
    assert not stated_total.check(d)
    d = with_totals(disclosure("一般公共预算财政拨款收入支出总计100.00万元。", **FINAL), "125.00", "110.00")
    assert not stated_total.check(d)  # narrower than the table


# ---- 9. empty and blank tables

def with_empty_table(kind, title, notes):
    d = disclosure("一、部门主要职能")
    d.tables = [{"table_index": 6, "label": "", "title": title, "table_kind": kind, "page": 18, "rows": 0, "notes": notes}]
    return d


def test_an_empty_tables_note_naming_another_fund_is_a_warning():
    d = with_empty_table("state_capital_expenditure", "2026年部门国有资本经营预算支出功能分类预算表",
                         "注：本部门2026年无政府性基金预算财政拨款安排的预算，故本表为空表。")
    [finding] = empty_table.check(d)
    assert finding.severity == "warning" and "p.18" in finding.evidence and "政府性基金" in finding.message


def test_an_empty_table_with_its_own_funds_note_raises_nothing_and_one_without_a_note_is_info():
    assert not empty_table.check(with_empty_table(
        "state_capital_expenditure", "国有资本经营预算支出表", "注：本部门无国有资本经营预算财政拨款安排，故本表为空表。"))
    [finding] = empty_table.check(with_empty_table("gov_fund_expenditure", "政府性基金支出预算表", ""))
    assert finding.severity == "info"


# ---- 3. subject names in the text

def test_a_former_class_name_beside_its_code_is_a_warning():
    d = disclosure("11、医疗卫生与计划生育支出（210类）行政事业单位医疗（11款）行政单位医疗（01项）98.27万元。")
    d.subjects = {("functional", "210"): "卫生健康支出", ("functional", "21011"): "行政事业单位医疗",
                  ("functional", "2101101"): "行政单位医疗"}
    [finding] = subject_name.check(d)
    assert finding.severity == "warning" and finding.subject_code == "210"
    assert "former name" in finding.message and "卫生健康支出" in finding.message


def test_names_the_reference_or_the_tables_print_raise_nothing():
    d = disclosure("11、卫生健康支出（210类）行政事业单位医疗（11款）行政单位医疗（01项）98.27万元。")
    d.subjects = {("functional", "210"): "卫生健康支出", ("functional", "21011"): "行政事业单位医疗"}
    d.lines = [{"subject_code": "2101101", "subject_name": "行政单位医疗"}]
    assert not subject_name.check(d)


def with_housing_rows(d):
    """A made-up 一般公共预算支出表 (附件3) printing 221 住房保障支出 with two 项 under 22102, in 万元."""
    from decimal import Decimal
    rows = (("221", "住房保障支出", "377.03"), ("22102", "住房改革支出", "377.03"),
            ("2210201", "住房公积金", "170.03"), ("2210203", "购房补贴", "207.00"))
    d.lines = [{"document_id": "d", "table_index": 3, "table_kind": "general_budget_expenditure", "item": name,
                "subject_name": name, "subject_code": code, "measure": "total", "year": d.fiscal_year,
                "row_index": n, "column_index": 1, "amount_fen": int(Decimal(value) * 1_000_000),
                "unit_printed": "万元", "column_label": "合计"} for n, (code, name, value) in enumerate(rows)]
    d.subjects = {("functional", "221"): "住房保障支出", ("functional", "210"): "卫生健康支出"}
    return d


def test_a_path_whose_item_the_tables_do_not_print_names_the_child_with_its_amount():
    d = with_housing_rows(disclosure("（3）住房保障支出（类）住房改革支出（款）购房补助（项）207.00万元。"))
    [finding] = subject_name.check(d)
    assert finding.severity == "warning" and finding.check == "subject_name"
    assert "购房补助" in finding.message and "2210203 “购房补贴”" in finding.message


def test_a_path_the_tables_print_or_whose_amount_fits_no_single_child_raises_nothing():
    d = with_housing_rows(disclosure("（3）住房保障支出（类）住房改革支出（款）购房补贴（项）207.00万元。",
                                     "（4）住房保障支出（类）住房改革支出（款）其他住房改革支出（项）99.00万元。"))
    assert not subject_name.check(d)


def test_a_path_opening_with_a_former_class_name_is_a_warning():
    d = disclosure("（1）医疗卫生与计划生育支出（类）行政事业单位医疗（款）行政单位医疗（项）98.27万元。")
    d.subjects = {("functional", "210"): "卫生健康支出"}
    [finding] = subject_name.check(d)
    assert "former name" in finding.message and "卫生健康支出" in finding.message
    d.paragraphs[0]["text"] = "（1）卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）98.27万元。"
    assert not subject_name.check(d)


def test_a_completion_rate_between_the_figures_and_the_word_is_read_through():
    [finding] = comparison_word.check(disclosure(
        "年初预算为42.73万元，支出决算为40.35万元，完成年初预算的94.43%。决算数大于预算数的主要原因：……"))
    assert "2.38万元 less" in finding.message and "决算数大于预算数" in finding.evidence
    assert not comparison_word.check(disclosure(
        "年初预算为42.73万元，支出决算为40.35万元，完成年初预算的94.43%。决算数小于预算数的主要原因：……"))


def test_the_budget_figure_nearest_the_actual_is_the_one_compared():
    # 年初预算 0 and 全年预算 321.02: 决算数小于预算数 speaks of the 全年预算 next to it
    assert not comparison_word.check(disclosure(
        "年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%。决算数小于预算数。"))


def test_a_fund_figure_the_text_states_while_its_table_is_blank_is_an_error():
    d = with_empty_table("gov_fund_expenditure", "政府性基金预算支出表", "注：本表为空表。")
    d.paragraphs = [{"id": "p1", "page": 4, "position": 1, "text": "政府性基金预算支出120.00万元，主要用于城市建设。"}]
    [finding] = empty_table.check(d)
    assert finding.severity == "error" and "120.00万元" in finding.message and "p.18" in finding.message
    d.paragraphs[0]["text"] = "政府性基金预算支出0万元。"
    assert not empty_table.check(d)


def test_a_stated_total_of_nothing_beside_a_change_contradicts_itself():
    # no tables needed: the sentence alone is wrong
    [finding] = stated_total.check(disclosure("本部门2026年收入支出总计0万元，比上年增加120.00万元。"))
    assert finding.severity == "error" and "增加120.00万元" in finding.message and finding.actual.fen == 0


def test_a_total_of_nothing_with_no_change_or_a_change_of_nothing_is_consistent():
    assert not stated_total.check(disclosure("本部门2026年收入支出总计0万元，与上年持平。"))
    assert not stated_total.check(disclosure("本部门2026年收入支出总计0万元，比上年增加0万元。"))
    assert not stated_total.check(disclosure("本部门2026年收入支出总计120.00万元，比上年增加120.00万元。"))


# A department's list of its disclosures, as its 预决算公开 column prints it (title, date).
DISCLOSURE_LIST = ["首页 > 政务公开 > 法定主动公开内容 > 预算/决算", "预算/决算",
                   "重庆市潼南区大数据应用发展管理局2026年部门预算公开 2026-02-06",
                   "重庆市潼南区大数据应用发展管理局2024年度部门决算公开 2025-09-12",
                   "重庆市潼南区大数据应用发展管理局2025年部门预算公开 2025-02-10",
                   "重庆市潼南区大数据应用发展管理局2023年度部门决算公开 2024-09-20",
                   "重庆市潼南区大数据应用发展管理局2024年部门预算公开 2024-02-05",
                   "共5条 首页 上一页 1 下一页 尾页"]


def test_a_page_listing_the_disclosures_of_other_years_names_them_without_error():
    assert year_mention.lists_disclosures(disclosure(*DISCLOSURE_LIST).paragraphs)
    assert not year_mention.check(disclosure(*DISCLOSURE_LIST))


def test_a_disclosure_with_its_own_headings_is_not_a_list_and_a_wrong_year_is_still_an_error():
    document = ["目录", "第一部分 2026年度部门预算说明……3", "第二部分 2026年度部门预算表……9",
                "第一部分 2025年度部门预算说明", "一、部门主要职能",
                "2026年收入预算1207.84万元，比2025年增加428.75万元。", "第二部分 2026年度部门预算表"]
    assert not year_mention.lists_disclosures(disclosure(*document).paragraphs)
    findings = year_mention.check(disclosure(*document))
    assert findings and all(f.severity == "error" and "2025年度部门预算" in f.message for f in findings)


def test_a_placeholder_in_a_tables_caption_is_found_too():
    found = placeholder.check(Disclosure(
        document={"id": "d", "fiscal_year": 2024, "stage": "final_account", "title": "某区规划和自然资源局2024年度部门决算"},
        tables=[{"table_index": 0, "page": 7, "label": "", "title": "收入支出决算总表", "notes": ""},
                {"table_index": 1, "page": 8, "label": "", "title": "XX局2024年度收入决算表", "notes": ""}]))
    assert [(f.severity, f.evidence.split(":")[0]) for f in found] == [("warning", "text p.8")]


def test_a_hundred_percent_for_a_new_item_is_a_convention_not_an_error():
    # 上海市普陀区万里街道 2024 p.7: '2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，比2023年预算执行数增加100.00%。'
    new = stated_change.check(disclosure("2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，比2023年预算执行数增加100.00%。",
                                         year=2024))
    assert [f.severity for f in new if f.check == "rate_base"] == ["warning"]
    other = stated_change.check(disclosure("2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，比2023年预算执行数增加250.00%。",
                                           year=2024))
    assert [f.severity for f in other if f.check == "rate_base"] == ["error"]
