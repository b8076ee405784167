"""missing_table and name_variant."""
from budgets.audit import missing_table, name_variant
from budgets.audit.name_variant import department_in_title, is_abbreviation
from test_audit_seed_lines import seed_disclosure


def test_the_seed_publishes_every_table_its_family_mandates():
    assert missing_table.check(seed_disclosure()) == []
    score = missing_table.completeness("重庆市潼南区", "budget", seed_disclosure().kinds_present())
    assert score == {"family": "重庆-budget", "mandated": 12, "present": 12, "missing": [], "score": 1.0}


def test_an_absent_mandated_table_is_a_warning_with_the_score():
    disclosure = seed_disclosure()
    disclosure.tables = [t for t in disclosure.tables if t["table_kind"] != "three_public_expenses"]
    disclosure.lines = [l for l in disclosure.lines if l["table_kind"] != "three_public_expenses"]
    [finding] = missing_table.check(disclosure)
    assert finding.severity == "warning" and finding.table_kind == "three_public_expenses"
    assert "11 of 12" in finding.message


def test_a_document_with_no_recognised_table_is_not_called_incomplete():
    disclosure = seed_disclosure()
    disclosure.tables, disclosure.lines = [], []
    assert missing_table.check(disclosure) == []


def test_only_one_document_of_a_disclosure_reports_what_is_missing():
    disclosure = seed_disclosure(disclosure_kinds={"dept_summary"}, reports_completeness=False)
    assert missing_table.check(disclosure) == []


def test_final_accounts_must_publish_the_state_capital_table():
    score = missing_table.completeness("上海市普陀区", "final_account", {"dept_summary"})
    assert "state_capital_expenditure" in score["missing"] and score["mandated"] == 9


def test_department_name_is_read_from_a_table_title():
    assert department_in_title("重庆市潼南区大数据应用管理发展局部门支出总表", "重庆市潼南区") == "大数据应用管理发展局"
    assert department_in_title("附件1 重庆市潼南区大数据应用发展管理财政拨款收支总表", "重庆市潼南区") == "大数据应用发展管理"
    assert department_in_title("2026年区级预算绩效目标申报表", "重庆市潼南区") == ""


def test_short_forms_are_told_from_misprints():
    assert is_abbreviation("大数据发展局", "大数据应用发展管理局")
    assert not is_abbreviation("大数据应用管理发展局", "大数据应用发展管理局")
    assert not is_abbreviation("大数据应用发展管理", "大数据应用发展管理局")


def test_the_seed_prints_its_department_under_three_other_names():
    found = {f.key.split("|")[1]: f for f in name_variant.check(seed_disclosure()) if f.key.startswith("department")}
    assert set(found) == {"大数据应用管理发展局", "大数据应用发展管理", "大数据发展局"}
    assert found["大数据应用管理发展局"].severity == "warning"
    assert found["大数据应用管理发展局"].evidence.count("附件") == 3  # 附件8, 9 and 10
    assert found["大数据应用发展管理"].severity == "warning"
    assert found["大数据发展局"].severity == "info"


def test_a_code_printed_under_two_names_is_reported_without_a_reference_list():
    [finding] = [f for f in name_variant.check(seed_disclosure()) if f.key.startswith("subject")]
    assert finding.subject_code == "2150599" and finding.severity == "info"


def test_subject_names_are_checked_against_that_years_official_list():
    official = {("functional", "2150599"): "其他工业和信息产业支出", ("functional", "208"): "社会保障和就业支出"}
    findings = [f for f in name_variant.check(seed_disclosure(subjects=official)) if f.key.startswith("subject")]
    [finding] = findings
    assert finding.severity == "warning" and "其他工业信息产业支出" in finding.message
    assert "附件7" in finding.evidence and "附件8" in finding.evidence and "附件2" not in finding.evidence


def test_a_three_public_table_under_an_unknown_title_still_counts_as_present():
    disclosure = seed_disclosure()
    for table in disclosure.tables:
        if table["table_kind"] == "three_public_expenses":
            table["table_kind"] = "other"  # Jiangsu's '公开09表 支出预算表'
    for line in disclosure.lines:
        if line["table_kind"] == "three_public_expenses":
            line["table_kind"] = "other"
    assert missing_table.check(disclosure) == []
