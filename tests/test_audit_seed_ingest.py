"""The seed as the pipeline loads it (text dump and its HTML rendering): every real
inconsistency it prints is found, in the right place, and nothing else is called an error."""
from pathlib import Path

import pytest

from budgets.audit import audit_all
from budgets.pipeline import Source, ingest_bytes
from conftest import SEED

HTML = Path(__file__).parent / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.html"


def audited(db, path: Path) -> list[dict]:
    ingest_bytes(db, path.read_bytes(), Source(filename=path.name, raw_path=str(path)))
    audit_all(db)
    cursor = db.conn.execute("SELECT * FROM findings")
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


@pytest.fixture(scope="module", params=["text dump", "html"])
def findings(request, tmp_path_factory):
    from budgets import db as database

    db = database.connect(tmp_path_factory.mktemp("seed") / "budgets.db")
    return audited(db, SEED if request.param == "text dump" else HTML)


def errors(findings, check):
    return {(f["evidence"].split(" ")[0], f["subject_code"] or "", f["measure"], f["year"],
             f["expected_wan"], f["actual_wan"]) for f in findings if f["check"] == check and f["severity"] == "error"}


def test_row_identity_finds_the_department_total_that_is_not_basic_plus_project(findings):
    assert errors(findings, "row_identity") == {("附件8", "", "total", 2026, 1207.84, 1027.84)}


def test_hierarchy_sum_finds_each_parent_that_is_not_the_sum_of_its_children(findings):
    assert errors(findings, "hierarchy_sum") == {
        ("附件1", "", "total", 2026, 1350.43, 1207.84),           # 本年支出 vs 类 rows with 52.48 and 166.94
        ("附件1", "", "general_budget", 2026, 1350.43, 1207.84),
        ("附件2", "21505", "total", 2025, 714.8, 718.3),          # prior-year column
        ("附件8", "208", "total", 2026, 52.84, 52.48),
        ("附件8", "208", "basic", 2026, 52.84, 52.48),
        ("附件8", "", "total", 2026, 1207.48, 1027.84),
        ("附件8", "", "basic", 2026, 404.32, 404.68),
    }


def test_hierarchy_rounding_gaps_are_info(findings):
    infos = [f for f in findings if f["check"] == "hierarchy_sum" and f["severity"] == "info"]
    assert {(f["subject_code"], f["expected_wan"], f["actual_wan"]) for f in infos} == {("301", 328.38, 328.37)}


def test_cross_table_finds_figures_that_differ_from_the_other_tables(findings):
    assert errors(findings, "cross_table") == {
        ("附件1", "208", "total", 2026, 52.84, 52.48),
        ("附件1", "221", "total", 2026, 23.99, 166.94),
        ("附件8", "208", "total", 2026, 52.84, 52.48),
        ("附件8", "208", "basic", 2026, 52.84, 52.48),
        ("附件8", "", "total", 2026, 1207.84, 1027.84),
    }


def test_narrative_finds_the_sentences_that_contradict_the_tables_or_themselves(findings):
    stated = sorted((f["expected_wan"], f["actual_wan"], f["evidence"]) for f in findings
                    if f["check"] == "narrative" and f["severity"] == "error")
    assert [(expected, actual) for expected, actual, _ in stated] == [
        (27.912, 28.16),   # 附件12: 区数建办运转费用28.16万元 listed as 4.752 + 15 + 8.16
        (90.59, -90.59),   # 基本支出减少90.59 here, 增加90.59 twice elsewhere
        (247.57, 428.75),  # 基本 −90.59 + 项目 +338.16 ≠ +428.75
        (420.0, 0.0),      # 一般公共预算拨款政府采购0万元 against the table's 420 …
        (420.0, 0.0),      # … and against its own parts (0 + 0 + 420)
    ]
    assert stated[0][2].startswith("附件12-1 row ") and "一是区数建办运转费用28.16万元。" in stated[0][2]
    assert all("支出较去年增加428.75万元,主要是基本支出减少90.59万元" in e for _, _, e in stated[1:3])
    assert all("其中一般公共预算拨款政府采购0万元" in e for _, _, e in stated[3:])


def test_year_over_year_finds_the_stated_increase_the_printed_years_do_not_give(findings):
    assert errors(findings, "year_over_year") == {("text:", "", "total", 2026, 421.36, 428.75)}


def test_name_variant_finds_the_department_printed_under_other_names(findings):
    names = {(f["severity"], f["message"].split("“")[1].split("”")[0]) for f in findings
             if f["check"] == "name_variant" and f["message"].startswith("The department")}
    assert names == {("warning", "大数据应用管理发展局"), ("warning", "大数据应用发展管理"), ("info", "大数据发展局")}


def test_nothing_else_is_an_error(findings):
    assert len([f for f in findings if f["severity"] == "error"]) == 19
    assert not [f for f in findings if f["check"] == "missing_table"]
