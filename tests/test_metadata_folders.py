"""A researcher's downloads kept one folder per department: the folder names the department
that a file's own title leaves out (the Jiangsu open-budget collection of the shared corpus
keeps `江苏省政协办公厅/2017年度部门预算公开表.pdf`, whose title and cover name no department)."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from conftest import CORPUS, ROOT, needs_corpus
from extractors.titles import folder_department, parse_title


@pytest.mark.parametrize("folders, department", [
    (("jiangsu-open-budget", "江苏省政协办公厅"), "江苏省政协办公厅"),
    (("潼南区财政局", "2024"), "潼南区财政局"),           # the nearest folder that is an organisation
    (("某县", "某县石柱乡人民政府"), "某县石柱乡人民政府"),
    (("data", "corpus"), ""),                             # folders named like anything else are no hint
    (("downloads", "2017"), ""),
    (("预算", "附件"), ""),
])
def test_a_folder_named_like_an_organisation_names_the_department(folders, department):
    assert folder_department(folders) == department


def test_the_folder_completes_a_title_that_names_only_the_year_and_stage():
    meta = parse_title("2017年度部门预算公开表", hints=[folder_department(("corpus", "江苏省政协办公厅"))])
    assert (meta.district, meta.department, meta.fiscal_year, meta.stage) == ("江苏省", "政协办公厅", 2017, "budget")


def test_a_title_that_names_its_department_is_not_overruled_by_the_folder():
    meta = parse_title("江苏省人大办公厅2017年度预算公开", hints=[folder_department(("x", "江苏省政协办公厅"))])
    assert meta.department == "人大办公厅"


@pytest.mark.slow
@needs_corpus
def test_budgets_ingest_gives_the_corpus_file_its_folders_department(tmp_path):
    path = CORPUS / "jiangsu-open-budget" / "江苏省政协办公厅" / "2017年度部门预算公开表.pdf"
    db = tmp_path / "budgets.db"
    subprocess.run([sys.executable, "-m", "budgets", "ingest", str(path), "--db", str(db)], cwd=ROOT,
                   check=True, capture_output=True, timeout=600)
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT department, fiscal_year, stage FROM documents").fetchone()
        lines = conn.execute("SELECT count(*), count(DISTINCT department) FROM budget_lines").fetchone()
    assert row == ("政协办公厅", 2017, "budget")
    assert lines[0] > 0 and lines[1] == 1
