"""year_over_year: stated changes against the two years the tables print, and against last
year's disclosure of the same department."""
from budgets.audit import year_over_year
from budgets.audit.model import Disclosure
from test_audit_seed_lines import DOCUMENT, make_table, replace_sentence, seed_disclosure


def test_a_stated_increase_that_is_not_the_difference_of_the_printed_years_is_an_error():
    # the text says +428.75 three times; 附件2 prints 786.48 for 2025 and 1207.84 for 2026 (+421.36)
    [finding] = year_over_year.check(seed_disclosure())
    assert finding.severity == "error"
    assert (finding.expected.wan, finding.actual.wan) == (421.36, 428.75)
    assert round(finding.actual.wan - finding.expected.wan, 2) == 7.39
    assert "2 other sentence(s)" in finding.evidence


def test_stated_changes_the_tables_bear_out_raise_nothing():
    # 三公 5.5 → 5 (减少0.5), 公务接待费 2 → 2.5 (增加0.5): both agree with 附件4
    disclosure = seed_disclosure()
    for paragraph in disclosure.paragraphs:
        paragraph["text"] = paragraph["text"].replace("428.75", "421.36")
    disclosure = replace_sentence(disclosure, "项目支出增加338.16万元", "项目支出增加330.77万元")
    disclosure = replace_sentence(disclosure, "比2025年增加338.16万元", "比2025年增加330.77万元")
    assert year_over_year.check(disclosure) == []


def test_a_wrong_direction_is_caught_against_the_prior_year_column():
    disclosure = replace_sentence(seed_disclosure(), "公务接待费2.5万元,比2025年增加0.5万元",
                                  "公务接待费2.5万元,比2025年减少0.5万元")
    [finding] = [f for f in year_over_year.check(disclosure) if f.measure == "reception"]
    assert (finding.expected.wan, finding.actual.wan) == (0.5, -0.5)


def last_year(total_2025: str) -> Disclosure:
    table, lines = make_table(0, "附件2", "general_budget_expenditure", "一般公共预算财政拨款支出预算表",
                              [("total", 2025, "总计"), ("basic", 2025, "基本支出")],
                              [("", "合计", [total_2025, "314.09"])])
    for line in lines:
        line["fiscal_year"] = 2025
    return Disclosure({**DOCUMENT, "id": "seed-2025", "fiscal_year": 2025}, lines, tables=[table])


def test_a_change_without_a_prior_year_column_is_checked_against_last_years_disclosure():
    # 基本支出 404.68 this year; last year's disclosure printed 314.09: +90.59 as stated
    disclosure = seed_disclosure(previous=last_year("786.48"))
    # only the sentence that says 基本支出减少90.59万元 disagrees
    [finding] = [f for f in year_over_year.check(disclosure) if f.measure == "basic"]
    assert finding.severity == "warning" and (finding.expected.wan, finding.actual.wan) == (90.59, -90.59)
    assert "基本支出减少90.59万元" in finding.evidence


def test_the_prior_year_column_is_compared_with_what_last_year_printed():
    findings = year_over_year.check(seed_disclosure(previous=last_year("780.00")))
    [finding] = [f for f in findings if f.key.startswith("prior-column")]
    assert finding.severity == "warning" and (finding.expected.wan, finding.actual.wan) == (780.0, 786.48)
    findings = year_over_year.check(seed_disclosure(previous=last_year("786.48")))
    assert not [f for f in findings if f.key.startswith("prior-column")]
