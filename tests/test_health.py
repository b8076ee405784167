"""`budgets health`: the documents' own arithmetic, checked on what was loaded."""
import json
import shutil
import subprocess
import sys

import pytest

from budgets.health import is_column_number_row
from tests.conftest import ROOT, SHARED

CITIES = SHARED / "cities-2026"
needs_cities = pytest.mark.skipif(not CITIES.is_dir(), reason=f"the many-province corpus is not at {CITIES}")


@pytest.mark.parametrize("printed", [
    "栏次 1 2 3",  # 湖州 and 苏州 tables number their columns under the header
    "** 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",  # 深圳: ** in the code and name columns
    "** ** 1",
    "栏次 | 1 | 2 | 3 | 4",
    "行次 | 1 | 2",
])
def test_a_row_that_numbers_the_columns_is_structure(printed):
    assert is_column_number_row(printed)


@pytest.mark.parametrize("printed", [
    "205 教育支出 41.99 2.00 39.99",  # 深圳市交通运输局 2026, page 27
    "合计 | 1 | 2 | 3",  # a total row of small amounts
    "1 2",
    "2 3 4",
    "",
])
def test_a_row_of_amounts_is_not(printed):
    assert not is_column_number_row(printed)


def _budgets(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "budgets", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.slow
@needs_cities
def test_health_of_a_disclosure_that_adds_up(tmp_path):
    # 上海市财政局 2026: every 合计 = 基本支出 + 项目支出 and every parent = its children, as printed
    source = CITIES / "上海__2026年上海市财政局_部门预算.pdf"
    shutil.copy(source, tmp_path / source.name)
    db = tmp_path / "h.db"
    assert _budgets("ingest", tmp_path / source.name, "--db", db).returncode == 0
    done = _budgets("health", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    whole = report["whole"]
    assert whole["documents"] == 1 and report["groups"].keys() == {"上海"}
    assert whole["rows_checked"] > 0 and whole["row_identity_share"] == 1.0
    assert whole["parents_checked"] > 0 and whole["hierarchy_share"] == 1.0
    assert whole["column_number_lines"] == 0 and whole["ok_without_lines"] == 0
    table = _budgets("health", "--db", db, "--documents")
    assert "上海" in table.stdout and "row =" in table.stdout


@pytest.mark.slow
def test_health_refuses_a_missing_database(tmp_path):
    done = _budgets("health", "--db", tmp_path / "none.db")
    assert done.returncode != 0 and "no database" in done.stderr
