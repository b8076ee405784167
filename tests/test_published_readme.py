"""The README's SQL examples run on the published views and give the disclosures' own figures, each
once, although the 潼南 disclosure is loaded in six formats (tests/published_sample.py). Figures:
附件2 and 附件4 of the seed disclosure; the sample's other departments and final accounts."""
from __future__ import annotations

import re
import sqlite3

import pytest

import published_sample
from crawling import ROOT as PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
BIGDATA, TONGNAN = "大数据应用发展管理局", "重庆市潼南区"


def sql_blocks(start: str, end: str) -> list[str]:
    section = README[README.index(start):README.index(end)]
    return [s.strip() for block in re.findall(r"```sql\n(.*?)```", section, re.S)
            for s in block.split(";") if re.sub(r"--[^\n]*", "", s).strip()]


USE = sql_blocks("## Use", "## How it works")
AUDIT = sql_blocks("## Audit", "## Bad input")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    path = tmp_path_factory.mktemp("readme") / "budgets.db"
    published_sample.build(path)
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    yield lambda sql: [dict(r) for r in conn.execute(sql)]
    conn.close()


def test_the_examples_read_the_published_views():
    assert len(USE) == 4 and len(AUDIT) == 3
    for statement in USE[:3] + AUDIT[:2]:
        assert "published_" in statement or "subject_department_year" in statement, statement
        assert "budget_lines" not in statement and " findings" not in statement


def test_one_subject_year_by_year_budget_and_final_account_apart(run):
    rows = run(USE[0])
    seed = [(r["stage"], r["year"], r["amount_wan"]) for r in rows if r["department"] == BIGDATA]
    assert seed == [("budget", 2025, 17.74), ("budget", 2026, 23.99)]  # each once, not five times
    finance = [(r["stage"], r["year"], r["amount_wan"]) for r in rows
               if r["department"] == "财政局" and r["district"] == TONGNAN]
    assert finance == [("budget", 2026, 57.8), ("final_account", 2024, 55.1), ("final_account", 2025, 58.4)]


def test_the_wide_example_has_one_row_per_department(run):
    rows = run(USE[1])
    assert len([r for r in rows if r["department"] == BIGDATA]) == 1
    [seed] = [r for r in rows if r["department"] == BIGDATA]
    assert (seed["budget_2024"], seed["budget_2025"], seed["budget_2026"]) == (15.97, 17.74, 23.99)


def test_three_public_expenses_of_every_department_once(run):
    rows = run(USE[2])
    seed = [(r["fiscal_year"], r["year"], r["three_public_wan"]) for r in rows
            if r["department"] == BIGDATA and r["fiscal_year"] == 2026]
    assert seed == [(2026, 2025, 5.5), (2026, 2026, 5.0)]  # 附件4: 2025 5.5, 2026 5
    departments = {(r["district"], r["department"]) for r in rows}
    assert {(TONGNAN, "财政局"), ("重庆市铜梁区", "财政局"), (TONGNAN, BIGDATA)} <= departments


def test_the_unplaced_cells_example_runs(run):
    assert isinstance(run(USE[3]), list)


def test_the_audit_examples_count_the_seeds_errors_once(run):
    ranked = run(AUDIT[0])
    [seed] = [r for r in ranked if r["department"] == BIGDATA and r["fiscal_year"] == 2026]
    assert seed["errors"] == 19  # as the Audit section says
    assert len(run(AUDIT[1])) == 19
    assert isinstance(run(AUDIT[2]), list)
