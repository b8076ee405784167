"""Real contradictions in real PDFs of the corpus, found through the whole pipeline. Runs where
the PDF extractor is installed (it lands on main separately)."""
import pytest

from budgets import db as database
from budgets import reference
from budgets.audit import audit_all
from budgets.pipeline import Source, ingest_bytes
from conftest import CORPUS, needs_corpus

pytest.importorskip("extractors.pdf")
pytestmark = needs_corpus


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    db = database.connect(tmp_path_factory.mktemp("corpus") / "budgets.db")
    for name in ["putuo-govbudgetchecker/unit_budget.pdf",
                 "putuo-tianbaoxitong/上海市普陀区财政局部门25年预算.pdf",
                 "putuo-tianbaoxitong/1769321433314-826553525.pdf",
                 "putuo-govbudgetchecker/上海市普陀区规划和自然资源局 2024 年度部门决算.pdf",
                 "jiangsu-open-budget/江苏省人民检察院/2017年省检察院部门预算.pdf"]:
        path = CORPUS / name
        ingest_bytes(db, path.read_bytes(), Source(filename=path.name, raw_path=str(path)))
    reference.refresh(db)  # the official subject names, as `budgets ingest` loads them
    audit_all(db)
    cursor = db.conn.execute("SELECT f.*, d.raw_path FROM findings f JOIN documents d ON d.id = f.document_id")
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def of(findings, file, severity="error"):
    return [f for f in findings if f["raw_path"].endswith(file) and f["severity"] == severity]


def test_justice_bureau_unit_budget_prints_project_spending_under_administration(findings):
    # 2026年预算单位支出预算总表, row 204 06 01 行政运行: 14,348,853.34 | 14,348,853.34 | 64,840,547.00
    errors = of(findings, "unit_budget.pdf")
    assert {(f["check"], f["subject_code"], f["measure"]) for f in errors} >= {
        ("row_identity", "2040601", "total"), ("hierarchy_sum", "20406", "project")}
    identity = next(f for f in errors if f["check"] == "row_identity")
    assert (identity["expected_wan"], identity["actual_wan"]) == (7918.940034, 1434.885334)


def test_finance_bureau_text_states_a_pension_item_ten_times_too_large(findings):
    # “…机关事业单位职业年金缴费支出（项）”887.36万元 where the tables print 873,617元
    errors = [f for f in of(findings, "财政局部门25年预算.pdf") if f["check"] == "narrative"]
    assert errors and all((f["expected_wan"], f["actual_wan"]) == (87.3617, 887.36) for f in errors)
    cut = [f for f in of(findings, "财政局部门25年预算.pdf", "info") if f["check"] == "narrative"]
    assert cut  # 87.70 for 877,080元 and the like: cut, not rounded — only info


def test_welfare_home_prints_a_subject_name_retired_in_2019(findings):
    # (its economic rows, '302 02 咨询费' and on, number the items otherwise than the official list: warnings of their own)
    [finding] = [f for f in of(findings, "1769321433314-826553525.pdf", "warning")
                 if f["check"] == "name_variant" and f["subject_code"] == "210"]
    assert finding["subject_code"] == "210" and "医疗卫生与计划生育支出" in finding["message"]


def test_planning_bureau_final_account_gives_a_growth_rate_without_its_percent_sign(findings):
    # “与2023年度相比，一般公共预算财政拨款支出增加 / 1193.20万元，增长13.95。” (a file labelled “bad”)
    infos = [f for f in of(findings, "规划和自然资源局 2024 年度部门决算.pdf", "info") if "增长13.95" in f["message"]]
    assert len(infos) == 1


def test_procuratorate_2017_growth_rate_does_not_follow_from_its_amounts(findings):
    # “机关运行经费预算支出6032.55万元，比 2016 年增加 3401.59万元，增长129.97%”: it is 129.29%
    [finding] = [f for f in of(findings, "2017年省检察院部门预算.pdf") if f["check"] == "narrative"]
    assert "129.97%" in finding["message"] and "129.29%" in finding["message"]


def test_justice_bureau_unit_budget_restates_an_items_amount_and_miscomputes_its_change(findings):
    # “（03项）207万元。…2026年预算安排170.03万元，比2025年预算执行数增加21.74%。” (241.76 before)
    errors = of(findings, "unit_budget.pdf")
    restated = [f for f in errors if f["check"] == "restated_figure"]
    assert {(f["expected_wan"], f["actual_wan"]) for f in restated} >= {(207.0, 170.03), (56.12, 57.8)}
    changes = {(f["expected_wan"], f["actual_wan"]) for f in errors if f["check"] == "stated_change"}
    assert changes >= {(241.76, 170.03), (57.43, 57.8), (1690.69, 1434.89)}


def test_finance_bureau_notes_its_empty_state_capital_table_as_the_government_fund_one(findings):
    [finding] = [f for f in of(findings, "财政局部门25年预算.pdf", "warning") if f["check"] == "empty_table"]
    assert "国有资本经营" in finding["message"] and "政府性基金" in finding["evidence"]


def test_welfare_home_leaves_a_reason_unfilled(findings):
    placeholders = [f for f in of(findings, "1769321433314-826553525.pdf", "warning") if f["check"] == "placeholder"]
    assert [f["message"] for f in placeholders] == ["The text keeps the template's “主要原因是。” (a reason left empty)."]


def test_the_new_text_checks_raise_no_error_where_the_figures_agree(findings):
    # the procuratorate 2017 budget and the planning bureau final account state their totals,
    # comparisons and completion rates consistently
    new = {"stated_change", "comparison_word", "rate_base", "restated_figure", "stated_total", "year_mention"}
    for file in ("2017年省检察院部门预算.pdf", "规划和自然资源局 2024 年度部门决算.pdf"):
        assert not [f for f in of(findings, file) if f["check"] in new], file
