"""The subject catalogue the documents print, and the codes it recovers for rows printed by name only.

Summary tables (收支总表, 财政拨款收支总表) list the spending subjects by name, indented by level,
without codes; the same disclosure prints the codes in its coded tables. A name is placed by the
类 and 款 printed above it; where it stays ambiguous it keeps no code.
"""
import shutil
import sqlite3
import subprocess
import sys

import pytest

from extractors.subjects import catalogue_name, codes_named, place_name, recover_codes
from tests.conftest import ROOT, SHARED

CITIES = SHARED / "cities-2026"
needs_cities = pytest.mark.skipif(not CITIES.is_dir(), reason=f"the many-province corpus is not at {CITIES}")


def test_names_compare_without_spaces_numbering_or_bracket_width():
    assert catalogue_name(" 其他共产党事务支出 (项)") == "其他共产党事务支出（项）"
    assert catalogue_name("六、交通运输支出") == "交通运输支出"
    assert catalogue_name("其中：行政运行") == "行政运行"


def test_the_catalogue_holds_the_pairs_the_documents_print():
    # 深圳市交通运输局 2026, p.29 prints '2140101 行政运行'; 行政运行 is a 项 of many 款
    assert "2140101" in codes_named("行政运行", 2026)
    assert len(codes_named("行政运行", 2026)) > 5


def test_a_name_of_many_subjects_is_placed_by_the_kuan_above_it():
    assert place_name("行政运行", 2026, {1: "214", 2: "21401"}) == "2140101"
    assert place_name("行政运行", 2026, {}) == ""  # nothing above: ambiguous, left without a code
    assert place_name("公路水路运输", 2026, {1: "214"}) == "21401"


def test_a_row_repeating_its_kuan_name_is_its_xiang():
    # 深圳市交通运输局 2026 收支总表 p.24: '其他交通运输支出 5,369.16' under the 款 of that name
    assert place_name("其他交通运输支出", 2026, {1: "214", 2: "21499"}) == "2149999"


def _line(row, item, code=""):
    return {"row_index": row, "column_index": 3, "subject_code": code, "subject_name": "", "item": item,
            "code_source": "printed" if code else ""}


def test_recovery_follows_the_printed_order():
    # the spending side of 深圳市交通运输局's 收支总表 (2026, p.23), as printed
    lines = [_line(0, "六、交通运输支出", "214"), _line(1, "公路水路运输"), _line(2, "行政运行"),
             _line(3, "公路养护"), _line(4, "本年支出合计")]
    placed = recover_codes(lines, 2026)
    assert [ln["subject_code"] for ln in placed] == ["214", "21401", "2140101", "2140106", ""]
    assert [ln["code_source"] for ln in placed] == ["printed", "catalogue", "catalogue", "catalogue", ""]
    assert placed[2]["parent_code"] == "21401" and placed[2]["level"] == 3


def _ingest(tmp_path, name):
    source = CITIES / name
    shutil.copy(source, tmp_path / source.name)
    db = tmp_path / "c.db"
    done = subprocess.run([sys.executable, "-m", "budgets", "ingest", tmp_path / source.name, "--db", db],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return sqlite3.connect(db)


@pytest.mark.slow
@needs_cities
@pytest.mark.parametrize("name, title, amount, expected", [
    # p.23 prints '行政运行 7,596.39' under 公路水路运输 under 六、交通运输支出; p.29 prints
    # '2140101 行政运行 7,596.39'
    ("深圳__2026年深圳市交通运输局部门预算.pdf", "收支总表", 7596.39, "2140101"),
    # p.22 prints '行政运行 1141.15' under 公路水路运输 under 交通运输支出; p.26 prints
    # '2140101 行政运行 1141.15'
    ("湖州__2026年湖州市交通运输局部门预算.pdf", "2026年市级部门收支预算总表", 1141.15, "2140101"),
])
def test_a_summary_row_printed_by_name_gets_the_code_of_its_place(tmp_path, name, title, amount, expected):
    db = _ingest(tmp_path, name)
    rows = db.execute("SELECT subject_code, code_source, parent_code FROM budget_lines WHERE table_title = ? "
                      "AND item = '行政运行' AND amount_wan = ?", [title, amount]).fetchall()
    assert rows and set(rows) == {(expected, "catalogue", expected[:5])}
    sources = db.execute("SELECT DISTINCT code_source FROM budget_lines WHERE subject_code = ? AND amount_wan = ?",
                         [expected, amount]).fetchall()
    assert ("printed",) in sources  # the coded table of the same disclosure
