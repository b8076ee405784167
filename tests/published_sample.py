"""A database for the published views' tests: one disclosure loaded in six formats, plus other
years, departments and final accounts to compare it with.

- The 潼南区大数据应用发展管理局 2026 budget through `budgets ingest` of the demo site's content
  (crawler/demo/content): the page (HTML) and its renditions as DOC, DOCX, XLS, XLSX and a ZIP
  holding the DOCX and XLSX — the same disclosure six times, as the real site publishes it.
- tests/datasette_sample.py's comparisons: the bureau's 2025 budget (which prints 2024 as its prior
  year, so 2210201 住房公积金 has three budget years), 财政局 of 潼南 and 铜梁, 铜梁 教育委员会.
- Two final accounts (决算) of 潼南区财政局, 2024 and 2025, laid out as a 一般公共预算财政拨款支出决算表
  (one 决算数 column per subject: 合计, 基本支出, 项目支出).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import datasette_sample as sample
from budgets import db as database

ROOT = Path(__file__).resolve().parents[1]
DEMO_CONTENT = ROOT / "crawler" / "demo" / "content"
SEED_FORMATS = {"html", "doc", "docx", "xls", "xlsx", "zip"}

# 潼南区财政局 决算: (code, name, total, basic, project), 万元
FINAL_ACCOUNTS = {
    2024: [("", "合计", "1598.20", "1210.20", "388.00"),
           ("201", "一般公共服务支出", "1450.40", "1062.40", "388.00"),
           ("221", "住房保障支出", "55.10", "55.10", ""),
           ("22102", "住房改革支出", "55.10", "55.10", ""),
           ("2210201", "住房公积金", "55.10", "55.10", "")],
    2025: [("", "合计", "1640.75", "1250.75", "390.00"),
           ("201", "一般公共服务支出", "1490.35", "1100.35", "390.00"),
           ("221", "住房保障支出", "58.40", "58.40", ""),
           ("22102", "住房改革支出", "58.40", "58.40", ""),
           ("2210201", "住房公积金", "58.40", "58.40", "")],
}


def final_account_lines(doc: dict, rows) -> list[dict]:
    lines = []
    for row_index, (code, name, total, basic, project) in enumerate(rows):
        for column_index, (measure, wan) in enumerate([("total", total), ("basic", basic), ("project", project)]):
            if wan:
                line = sample._line(doc, "general_budget_expenditure", "一般公共预算财政拨款支出决算表", 1,
                                    row_index, column_index, code, name, measure, doc["fiscal_year"], wan)
                lines.append(dict(line, basis="actual"))
    return lines


def build(path: Path) -> dict:
    """Build the database at `path`; returns the ids that matter to the tests."""
    from budgets.publish import prepare
    from budgets.reference import refresh

    subprocess.run([sys.executable, "-m", "budgets", "ingest", str(DEMO_CONTENT), "--db", str(path)],
                   cwd=ROOT, check=True, capture_output=True, timeout=180)
    db = database.connect(path)
    sample.load_comparisons(db)
    for year, rows in FINAL_ACCOUNTS.items():
        doc = sample.document(sample.TONGNAN, "财政局", year, stage="final_account")
        database.load_document(db, doc, final_account_lines(doc, rows))
    refresh(db)
    prepare(db)
    seed_copies = [row[0] for row in db.execute(
        "select id from documents where department = ? and fiscal_year = 2026", [sample.BIGDATA])]
    page = db.execute("select id from documents where department = ? and fiscal_year = 2026 and format = 'html'",
                      [sample.BIGDATA]).fetchone()[0]
    db.conn.close()
    return {"seed_copies": seed_copies, "page": page}
