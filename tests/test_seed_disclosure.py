"""The real 2026 budget disclosure of 重庆市潼南区大数据应用发展管理局, ingested end to end.

Every expected figure below was read off the published page by a person. The same assertions run
on the text dump in ../shared/seed and on the HTML rendering in tests/fixtures/seed, so both
extractors must agree with the document.
"""
from decimal import Decimal
from pathlib import Path

import pytest

from budgets import db as database
from budgets.pipeline import Source, ingest_bytes
from tests.conftest import ROOT, SEED

RENDERINGS = {
    "text dump": SEED,
    "html": ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.html",
}


@pytest.fixture(scope="module", params=list(RENDERINGS))
def seed_db(request, tmp_path_factory):
    path = RENDERINGS[request.param]
    db = database.connect(tmp_path_factory.mktemp("seed") / "budgets.db")
    document = ingest_bytes(db, path.read_bytes(), Source(filename=path.name, raw_path=str(path)))
    return db, document


def amount(db, kind, measure, year=2026, code=None, item=None):
    """The one amount (万元, exact) in a table kind for a subject or row label."""
    sql = "SELECT amount_fen, unit_printed FROM budget_lines WHERE table_kind = ? AND measure = ? AND year = ?"
    args = [kind, measure, year]
    if code is not None:
        sql += " AND subject_code = ?"
        args.append(code)
    if item is not None:
        sql += " AND item = ?"
        args.append(item)
    rows = db.execute(sql, args).fetchall()
    assert len(rows) <= 1, f"{len(rows)} lines for {kind} {code or item} {measure} {year}"
    if not rows:
        return None
    fen, unit = rows[0]
    assert unit == "万元"
    return Decimal(fen) / Decimal(1000000)


def test_document_is_identified_from_its_title(seed_db):
    _, doc = seed_db
    assert doc["district"] == "重庆市潼南区"
    assert doc["department"] == "大数据应用发展管理局"
    assert doc["fiscal_year"] == 2026
    assert doc["stage"] == "budget"


def test_every_numeric_table_is_found_with_its_kind(seed_db):
    db, _ = seed_db
    kinds = [r[0] for r in db.execute("SELECT table_kind FROM tables ORDER BY table_index")]
    assert kinds[:11] == [
        "fiscal_appropriation_summary", "general_budget_expenditure", "general_budget_basic_expenditure",
        "three_public_expenses", "gov_fund_expenditure", "dept_summary", "dept_income",
        "dept_expenditure", "procurement", "project_expenditure", "overall_performance",
    ]
    assert set(kinds[11:]) == {"project_performance"}


def test_fiscal_appropriation_summary_reads_both_halves(seed_db):
    db, _ = seed_db
    k = "fiscal_appropriation_summary"
    assert amount(db, k, "total", item="一、本年收入") == Decimal("1207.84")
    assert amount(db, k, "total", item="一、本年收入/(一)一般公共预算拨款") == Decimal("1207.84")
    assert amount(db, k, "general_budget", item="一、本年支出") == Decimal("1207.84")
    assert amount(db, k, "total", item="支出合计") == Decimal("1207.84")
    assert amount(db, k, "total", item="收入合计") == Decimal("1207.84")


def test_summary_expenditure_classes_get_their_codes_and_keep_printed_figures(seed_db):
    db, _ = seed_db
    k = "fiscal_appropriation_summary"
    # as published: 52.48 and 166.94 here, 52.84 and 23.99 in every other table
    assert amount(db, k, "total", code="208") == Decimal("52.48")
    assert amount(db, k, "general_budget", code="208") == Decimal("52.48")
    assert amount(db, k, "general_budget", code="210") == Decimal("20.70")
    assert amount(db, k, "general_budget", code="215") == Decimal("1110.31")
    assert amount(db, k, "total", code="221") == Decimal("166.94")
    assert amount(db, k, "gov_fund", code="208") is None


def test_general_budget_expenditure_by_function(seed_db):
    db, _ = seed_db
    k = "general_budget_expenditure"
    assert amount(db, k, "total", 2025, item="合计") == Decimal("786.48")
    assert amount(db, k, "total", item="合计") == Decimal("1207.84")
    assert amount(db, k, "basic", item="合计") == Decimal("404.68")
    assert amount(db, k, "project", item="合计") == Decimal("803.16")
    assert amount(db, k, "total", 2025, code="208") == Decimal("33.7")
    assert amount(db, k, "basic", code="208") == Decimal("52.84")
    assert amount(db, k, "project", code="208") is None
    assert amount(db, k, "total", 2025, code="2080505") == Decimal("20.7")
    assert amount(db, k, "basic", code="2080505") == Decimal("31.68")
    assert amount(db, k, "basic", code="2101103") == Decimal("1.60")
    assert amount(db, k, "total", 2025, code="2101199") == Decimal("0.68")
    assert amount(db, k, "basic", code="215") == Decimal("307.15")
    assert amount(db, k, "project", code="21505") == Decimal("803.16")
    assert amount(db, k, "project", code="2150599") == Decimal("803.16")
    assert amount(db, k, "basic", code="2150599") is None
    assert amount(db, k, "total", 2025, code="2150599") == Decimal("500")
    assert amount(db, k, "basic", code="2210201") == Decimal("23.99")


def test_prior_year_column_lands_in_2025_never_2026(seed_db):
    db, _ = seed_db
    rows = db.execute(
        "SELECT DISTINCT year FROM budget_lines WHERE column_label LIKE '2025年%'").fetchall()
    assert rows == [(2025,)]
    assert db.execute("SELECT count(*) FROM budget_lines WHERE year = 2025").fetchone()[0] == 26


def test_basic_expenditure_by_economic_class(seed_db):
    db, _ = seed_db
    k = "general_budget_basic_expenditure"
    assert amount(db, k, "total", item="合计") == Decimal("404.68")
    assert amount(db, k, "personnel", item="合计") == Decimal("334.09")
    assert amount(db, k, "public_use", item="合计") == Decimal("70.59")
    assert amount(db, k, "personnel", code="301") == Decimal("328.37")
    assert amount(db, k, "personnel", code="30101") == Decimal("73.96")
    assert amount(db, k, "personnel", code="30114") == Decimal("2.56")
    assert amount(db, k, "public_use", code="302") == Decimal("70.59")
    assert amount(db, k, "public_use", code="30217") == Decimal("2.50")
    assert amount(db, k, "public_use", code="30231") == Decimal("2.50")
    assert amount(db, k, "personnel", code="30231") is None
    assert amount(db, k, "personnel", code="303") == Decimal("5.72")
    assert amount(db, k, "personnel", code="30307") == Decimal("0.40")
    row = db.execute("SELECT classification, level, parent_code FROM budget_lines "
                     "WHERE table_kind = ? AND subject_code = '30101' LIMIT 1", [k]).fetchone()
    assert row == ("economic", 2, "301")


def test_three_public_expenses_both_years(seed_db):
    db, _ = seed_db
    k = "three_public_expenses"
    assert amount(db, k, "total", 2025, item="合计") == Decimal("5.5")
    assert amount(db, k, "vehicles", 2025, item="合计") == Decimal("3.5")
    assert amount(db, k, "reception", 2025, item="合计") == Decimal("2")
    assert amount(db, k, "total", 2026, item="合计") == Decimal("5")
    assert amount(db, k, "vehicles", 2026, item="合计") == Decimal("2.5")
    assert amount(db, k, "reception", 2026, item="合计") == Decimal("2.5")
    assert amount(db, k, "overseas_travel", 2026, item="合计") is None
    assert amount(db, k, "reception", 2026, item="大数据发展局") == Decimal("2.5")


def test_empty_government_fund_table_is_present_with_its_note(seed_db):
    db, _ = seed_db
    lines, notes = db.execute(
        "SELECT lines, notes FROM tables WHERE table_kind = 'gov_fund_expenditure'").fetchone()
    assert lines == 0
    assert "本单位无政府性基金收支" in notes


def test_department_summary_and_income(seed_db):
    db, _ = seed_db
    assert amount(db, "dept_summary", "total", item="一般公共预算拨款收入") == Decimal("1207.84")
    assert amount(db, "dept_summary", "total", code="208") == Decimal("52.84")
    assert amount(db, "dept_summary", "total", code="221") == Decimal("23.99")
    assert amount(db, "dept_summary", "total", item="支出总计") == Decimal("1207.84")
    assert amount(db, "dept_income", "total", item="合计") == Decimal("1207.84")
    assert amount(db, "dept_income", "general_budget", item="合计") == Decimal("1207.84")
    assert amount(db, "dept_income", "general_budget", code="2150599") == Decimal("803.16")
    assert amount(db, "dept_income", "general_budget", code="21011") == Decimal("20.70")
    assert amount(db, "dept_income", "gov_fund", code="21011") is None


def test_department_expenditure_keeps_the_published_total(seed_db):
    db, _ = seed_db
    k = "dept_expenditure"
    assert amount(db, k, "total", item="合计") == Decimal("1027.84")  # printed so; 404.68 + 803.16 = 1207.84
    assert amount(db, k, "basic", code="208") == Decimal("52.48")
    assert amount(db, k, "total", code="20805") == Decimal("52.84")
    assert amount(db, k, "basic", code="2150503") == Decimal("96.02")
    assert amount(db, k, "project", code="2150599") == Decimal("803.16")


def test_procurement_and_projects(seed_db):
    db, _ = seed_db
    assert amount(db, "procurement", "total", item="合计") == Decimal("420")
    assert amount(db, "procurement", "general_budget", item="服务类") == Decimal("420")
    assert amount(db, "procurement", "total", item="货物类") is None
    assert amount(db, "project_expenditure", "total", item="合计") == Decimal("803.16")
    assert amount(db, "project_expenditure", "total", item="电子政务网络改造升级") == Decimal("345")
    assert amount(db, "project_expenditure", "total", item="数字化发展项目") == Decimal("400")
    assert amount(db, "project_expenditure", "total", item="推进数字重庆建设项目") == Decimal("58.16")


def test_amounts_are_exact_fen(seed_db):
    db, _ = seed_db
    fen, wan = db.execute("SELECT amount_fen, amount_wan FROM budget_lines WHERE table_kind = "
                          "'general_budget_expenditure' AND item = '合计' AND measure = 'total' "
                          "AND year = 2026").fetchone()
    assert fen == 1207840000 and isinstance(fen, int)
    assert wan == 1207.84


def test_department_printed_under_its_variant_names(seed_db):
    db, _ = seed_db
    variants = {r[0] for r in db.execute("SELECT DISTINCT department_raw FROM budget_lines")}
    assert {"大数据应用发展管理", "大数据应用发展管理局", "大数据应用管理发展局"} <= variants
    assert {r[0] for r in db.execute("SELECT DISTINCT department FROM budget_lines")} == {"大数据应用发展管理局"}


def test_every_line_keeps_its_provenance(seed_db):
    db, doc = seed_db
    missing = db.execute(
        "SELECT count(*) FROM budget_lines WHERE document_id != ? OR table_index IS NULL "
        "OR row_index IS NULL OR source_text IS NULL OR source_text = ''", [doc["id"]]).fetchone()[0]
    assert missing == 0
    text = db.execute("SELECT source_text FROM budget_lines WHERE table_kind = 'general_budget_expenditure' "
                      "AND subject_code = '2150599' LIMIT 1").fetchone()[0]
    assert "2150599" in text and "803.16" in text


def test_what_cannot_be_placed_is_recorded_not_guessed(seed_db):
    db, doc = seed_db
    if doc["format"] == "html":  # real columns: nothing to guess, and the rendering chose 年初特定目标
        assert doc["status"] == "ok"
        assert amount(db, "project_expenditure", "initial_allocation", item="数字化发展项目") == Decimal("400")
        return
    assert doc["status"] == "partial"
    cells = db.execute("SELECT text, candidates FROM unplaced_cells ORDER BY row_index").fetchall()
    # 附件10 prints each project's amount twice: in 合计 and in either 年初特定目标 or 上级专项
    assert [c[0] for c in cells] == ["345", "400", "58.16"]
    assert all("年初特定目标/小计" in c[1] and "上级专项/小计" in c[1] for c in cells)


def test_line_count_is_stable(seed_db):
    db, _ = seed_db
    expected = 251 if seed_db[1]["format"] == "html" else 248  # + the 3 project cells placed
    assert db.execute("SELECT count(*) FROM budget_lines").fetchone()[0] == expected


def test_narrative_is_kept_for_the_audit(seed_db):
    db, _ = seed_db
    texts = [r[0] for r in db.execute("SELECT text FROM paragraphs ORDER BY position")]
    assert any("2026年“三公”经费预算5万元" in t for t in texts)


def test_reingesting_the_same_file_changes_nothing(seed_db, tmp_path):
    db, doc = seed_db
    before = db.execute("SELECT count(*), sum(amount_fen) FROM budget_lines").fetchone()
    path = Path(doc["raw_path"])
    again = ingest_bytes(db, path.read_bytes(), Source(filename=path.name, raw_path=str(path)))
    assert again["id"] == doc["id"]
    assert db.execute("SELECT count(*), sum(amount_fen) FROM budget_lines").fetchone() == before
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_reading_stored_bytes_again_keeps_where_they_were_fetched_from(tmp_path):
    db = database.connect(tmp_path / "b.db")
    data = SEED.read_bytes()
    ingest_bytes(db, data, Source(filename="x.txt", url="http://www.cqtn.gov.cn/a.html", site="cqtn",
                                  fetched_at="2026-01-30T00:00:00+00:00"))
    again = ingest_bytes(db, data, Source(filename="x.txt", raw_path="data/raw/cqtn/x.txt"))
    assert (again["url"], again["site"], again["fetched_at"]) == (
        "http://www.cqtn.gov.cn/a.html", "cqtn", "2026-01-30T00:00:00+00:00")
    assert {r[0] for r in db.execute("SELECT DISTINCT url FROM budget_lines")} == {"http://www.cqtn.gov.cn/a.html"}
