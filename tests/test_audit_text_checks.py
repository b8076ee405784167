"""The narrative against itself (budgets.audit.text_checks): made-up sentences, each check with one
that must fire and a close case that must not (rounding, another basis, a comparative phrase)."""
from budgets.audit import text_checks
from budgets.audit.model import Disclosure


def disclosure(*lines, year=2026, stage="budget", title="某区某局2026年部门预算"):
    return Disclosure(document={"id": "d", "fiscal_year": year, "stage": stage, "title": title},
                      paragraphs=[{"id": f"p{n}", "page": 3, "position": n, "text": t} for n, t in enumerate(lines)])


# ---- 1. stated change vs its two figures

def test_a_growth_rate_that_does_not_follow_from_the_two_years_is_an_error():
    # (120 − 100) / 100 = 20 %, not 25 %
    [finding] = text_checks.stated_changes(disclosure("2025年预算数为100.00万元，2026年预算数为120.00万元，比上年增长25%。"))
    assert finding.severity == "error" and "+20.00%" in finding.message and "100.00万元" in finding.message
    assert (finding.expected.wan, finding.actual.wan) == (100.0, 120.0) and "p.3" in finding.evidence


def test_a_growth_rate_within_the_rounding_of_its_figures_agrees():
    # 100.0 and 120.5 printed to 0.1: (120.5 − 100.0) / 100.0 = 20.5 %, stated as 20.6 (one unit of slack)
    assert not text_checks.stated_changes(disclosure("上年预算100.0万元，本年预算120.5万元，增长20.6%。"))


def test_a_rate_pointing_the_other_way_from_the_two_figures_is_an_error():
    [finding] = text_checks.stated_changes(disclosure("上年支出200.00万元，本年支出150.00万元，比上年增长25%。"))
    assert "less than" in finding.message


def test_comparing_with_the_disclosures_own_year_is_an_error():
    findings = text_checks.stated_changes(disclosure("2025年预算数为100.00万元，2026年预算数为120.00万元，比2026年增长20%。"))
    assert [f.key.split("|")[-2] for f in findings] == ["change-year"]


def test_a_percentage_beside_a_stated_change_in_wan_is_left_to_the_narrative_check():
    assert not text_checks.stated_changes(disclosure("上年预算100.00万元，本年预算120.00万元，比上年增加20.00万元，增长25%。"))


# ---- 4. comparison words

def test_a_comparison_word_contradicting_the_two_figures_is_an_error():
    [finding] = text_checks.comparison_words(disclosure(
        "年初预算为452.40万元，支出决算为446.11万元。", "决算数大于预算数，主要原因是……"))
    assert finding.severity == "error" and "6.29万元 less" in finding.message


def test_a_comparison_word_that_agrees_raises_nothing():
    assert not text_checks.comparison_words(disclosure("年初预算为452.40万元，支出决算为446.11万元，决算数小于预算数。"))
    assert not text_checks.comparison_words(disclosure("年初预算为452.40万元，支出决算为452.4万元，决算数等于预算数。"))


def test_equal_needs_equal_figures():
    [finding] = text_checks.comparison_words(disclosure("年初预算为10.00万元，支出决算为10.01万元，决算数等于预算数。"))
    assert finding.severity == "error"


# ---- 10. completion rates and changes

def test_a_completion_rate_of_a_zero_budget_is_an_error():
    [finding] = text_checks.rate_bases(disclosure("年初预算为0万元，支出决算为12.00万元，完成年初预算的100%。"))
    assert finding.check == "rate_base" and finding.severity == "error"


def test_an_increase_larger_than_the_amount_it_led_to_is_an_error():
    [finding] = text_checks.rate_bases(disclosure("机关运行经费0万元，比上年增加1421.25万元。"))
    assert "-1421.25万元" in finding.message


def test_a_decrease_larger_than_the_amount_is_fine():
    assert not text_checks.rate_bases(disclosure("机关运行经费0万元，比上年减少1421.25万元。"))
    assert not text_checks.rate_bases(disclosure("机关运行经费1421.3万元，比上年增加1421.25万元。"))
