"""The audit over a real SQLite database: findings and completeness written, re-runs stable,
`budgets audit` on the command line."""
import subprocess
import sys

import pytest

from budgets import db as database
from budgets.audit import audit_all, audit_documents
from budgets.cli import main
from test_audit_seed_lines import DOCUMENT
from test_audit_seed_lines import seed_disclosure


def load_seed(db, **changes):
    """The seed as loaded; with another fiscal_year, its figures are printed for that year."""
    disclosure = seed_disclosure()
    document = {**DOCUMENT, **changes}
    shift = document["fiscal_year"] - DOCUMENT["fiscal_year"]
    lines = [{**l, "document_id": document["id"], "id": f"{document['id']}-{l['id']}",
              "fiscal_year": document["fiscal_year"], "year": l["year"] + shift} for l in disclosure.lines]
    paragraphs = [{**p, "document_id": document["id"], "id": f"{document['id']}-{p['id']}"} for p in disclosure.paragraphs]
    tables = [{**t, "document_id": document["id"], "id": f"{document['id']}-{t['id']}"} for t in disclosure.tables]
    database.load_document(db, document, lines, paragraphs, tables)
    return document


def findings(db):
    return [dict(zip([c[0] for c in cur.description], r)) for cur in [db.conn.execute("SELECT * FROM findings ORDER BY id")]
            for r in cur.fetchall()]


def test_the_seed_findings_land_in_the_findings_table(tmp_db):
    load_seed(tmp_db)
    result = audit_all(tmp_db)
    rows = findings(tmp_db)
    assert result.findings == len(rows) and result.problems == []
    assert {r["check"] for r in rows} == {"row_identity", "hierarchy_sum", "cross_table", "narrative",
                                         "year_over_year", "name_variant"}
    total = next(r for r in rows if r["check"] == "row_identity")
    assert total["document_id"] == DOCUMENT["id"] and total["department"] == "大数据应用发展管理局"
    assert (total["expected_wan"], total["actual_wan"], total["difference_wan"]) == (1207.84, 1027.84, -180.0)
    assert total["severity"] == "error" and total["fiscal_year"] == 2026 and total["district"] == "重庆市潼南区"
    assert all(r["message"] and r["evidence"] for r in rows)


def test_running_the_audit_again_changes_nothing(tmp_db):
    load_seed(tmp_db)
    audit_all(tmp_db)
    first = findings(tmp_db)
    audit_all(tmp_db)
    audit_documents(tmp_db, [DOCUMENT["id"]])
    assert findings(tmp_db) == first
    assert len({r["id"] for r in first}) == len(first)


def test_completeness_is_stored_per_disclosure(tmp_db):
    load_seed(tmp_db)
    audit_all(tmp_db)
    [row] = tmp_db.conn.execute("SELECT department, fiscal_year, mandated, present, score FROM completeness").fetchall()
    assert row == ("大数据应用发展管理局", 2026, 12, 12, 1.0)


def test_last_years_disclosure_in_the_database_is_used(tmp_db):
    load_seed(tmp_db)
    load_seed(tmp_db, id="seed-2025", fiscal_year=2025, url="https://www.cqtn.gov.cn/seed-2025")
    audit_all(tmp_db)
    # last year's disclosure printed the same 基本支出 (404.68), so the 2026 text's +90.59 (twice,
    # grouped) and -90.59 are both contradicted
    stated = tmp_db.conn.execute(
        "SELECT COUNT(*) FROM findings WHERE document_id = ? AND [check] = 'year_over_year' AND measure = 'basic'",
        [DOCUMENT["id"]]).fetchone()[0]
    assert stated == 2


def test_a_document_without_lines_is_audited_quietly(tmp_db):
    database.load_document(tmp_db, {"id": "empty", "status": "failed", "error": "not a PDF"})
    result = audit_all(tmp_db)
    assert result.documents == 1 and result.findings == 0


def test_budgets_audit_command_prints_a_summary(tmp_path, capsys):
    db = database.connect(tmp_path / "b.db")
    load_seed(db)
    assert main(["audit", "--db", str(tmp_path / "b.db")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("audited 1 documents:") and "error" in out


@pytest.mark.slow
def test_budgets_audit_runs_as_a_module(tmp_path):
    db = database.connect(tmp_path / "c.db")
    load_seed(db)
    done = subprocess.run([sys.executable, "-m", "budgets", "audit", "--db", str(tmp_path / "c.db")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "findings" in done.stdout


def test_odd_rows_never_stop_the_audit(tmp_db):
    document = {"id": "odd", "status": "partial", "department": "某局", "district": None, "fiscal_year": None,
                "stage": None}
    line = {c: None for c in database.LINE_COLUMNS}
    odd_lines = [
        {**line, "id": "a", "document_id": "odd", "measure": "total", "amount_fen": 10**15, "table_kind": "other"},
        {**line, "id": "b", "document_id": "odd", "measure": "basic", "amount_fen": -5, "subject_code": "2",
         "table_kind": "dept_expenditure", "table_index": 0, "row_index": 0},
        {**line, "id": "c", "document_id": "odd", "measure": None, "amount_fen": None},
    ]
    paragraphs = [{"id": "p", "document_id": "odd", "position": 0,
                   "text": "比上年增加万元，增长%。收入较去年减少(或增加)，支出1,,2万元；基本支出0.0.1万元"}]
    database.load_document(tmp_db, document, odd_lines, paragraphs)
    load_seed(tmp_db)
    result = audit_all(tmp_db)
    assert result.problems == [] and result.documents == 2
    assert result.by_severity["error"] == 18  # the seed's, unaffected by its odd neighbour


def test_a_check_that_fails_on_a_document_is_reported_and_the_others_still_run(tmp_db, monkeypatch):
    import budgets.audit as audit

    def broken(disclosure):
        raise ValueError("unexpected layout")

    monkeypatch.setitem(audit.CHECKS, "hierarchy_sum", broken)
    load_seed(tmp_db)
    result = audit_all(tmp_db)
    assert len(result.problems) == 1 and "hierarchy_sum" in result.problems[0]
    assert "row_identity" in result.by_check and "hierarchy_sum" not in result.by_check
