"""One vocabulary: every template word is defined once (extractors/vocabulary/ and
extractors/data/), and the readers, the normaliser and the audit read it from there."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.narrative import parse
from extractors import framing
from extractors import vocabulary as v
from extractors.columns import interpret_column
from extractors.model import Extraction, Table
from extractors.normalise import normalise
from extractors.titles import parse_title

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_WORDS = re.compile(r"re\.compile\(.*(单位|附件|合计|小计)")


def test_template_patterns_are_compiled_only_in_the_vocabulary():
    modules = [p for d in ("extractors", "budgets", "crawler") for p in (ROOT / d).rglob("*.py")]
    compiling = sorted(str(p.relative_to(ROOT)) for p in modules
                       if TEMPLATE_WORDS.search(p.read_text(encoding="utf-8")))
    # the crawler's site words (link texts and breadcrumbs: 单位, 附件 …) are its own data module
    assert compiling and all(p == "crawler/navigation.py" or p.startswith("extractors/vocabulary/") for p in compiling)


def test_the_audit_has_no_vocabulary_of_its_own():
    assert not (ROOT / "budgets" / "audit" / "vocabulary.py").exists()


@pytest.mark.parametrize("caption, label, rest", [
    ("附件2-1", "附件2-1", ""),
    ("附件 2－1：部门收支总表", "附件2-1", "部门收支总表"),
    ("附表3", "附表3", ""),
    ("表1-2", "表1-2", ""),
    ("表一", "表一", ""),
    ("公开表一", "公开表一", ""),
    ("公开03表", "公开03表", ""),
    ("公开 10 表 政府性基金预算支出表", "公开10表", "政府性基金预算支出表"),
    ("表一般公共预算支出表", "", "表一般公共预算支出表"),  # 表 then 一般…: a title, no label
])
def test_table_labels_are_read_one_way(caption, label, rest):
    assert v.split_label(caption) == (label, rest)


@pytest.mark.parametrize("line, unit", [
    ("单位：万元", "万元"), ("单位 ：元", "元"), ("单位: 元", "元"), ("金额单位：万元", "万元"),
    ("单 位：万元", "万元"), ("部门（单位）：重庆市某区某局    单位：万元", "万元"), ("单位：万", "万元"),
    ("编制单位：元宝山区财政局", None),
])
def test_unit_lines(line, unit):
    assert v.unit_in(line) == unit


def test_a_unit_in_a_header_cell_of_its_own_frames_the_table():
    """'金额（元）' over the amount columns, as some XLSX templates print the unit."""
    grid = [["科目编码", "科目名称", "金额（元）", "金额（元）"],
            ["科目编码", "科目名称", "基本支出", "项目支出"],
            ["208", "社会保障和就业支出", "100.00", "20.00"]]
    (table,) = framing.frame(grid, before=["附件3", "一般公共预算支出表"])
    assert (table.label, table.title, table.unit) == ("附件3", "一般公共预算支出表", "元")
    assert len(table.header) == 2


def test_a_column_label_with_a_unit_speaks_for_its_column_only():
    grid = [["项目", "人均标准（元）", "金额"], ["培训费", "300.00", "1.20"]]
    (table,) = framing.frame(grid, before=["单位：万元", "项目支出表"])
    assert table.unit == "万元"


def test_preparer_and_unit_on_one_caption_row():
    assert framing.caption_kind(["部门（单位）：重庆市某区某局", "", "单位：万元"]) == "unit"
    assert framing.caption_kind(["编制单位：XX局", "单位：元"]) == "unit"
    assert framing.caption_kind(["科目编码", "科目名称"]) is None


# ---- basis: one rule for columns and sentences -------------------------------------------------

@pytest.mark.parametrize("label, stage, basis", [
    ("全年预算数", "final_account", "adjusted_budget"),  # beside 年初预算数 and 决算数
    ("全年预算数", "budget", "budget"),  # no adjustment exists yet when a budget is printed
    ("年初预算数", "final_account", "budget"),
    ("调整预算数", "final_account", "adjusted_budget"),
    ("决算数", "final_account", "actual"),
    ("一般公共预算财政拨款", "final_account", "actual"),  # a fund's name is no basis
    ("2026年预算数", "budget", "budget"),
])
def test_a_columns_basis(label, stage, basis):
    assert interpret_column((label,), 2025, stage).basis == basis


def test_a_sentence_and_a_column_name_the_same_basis_with_the_same_words():
    [statement] = parse([{"text": "2025年一般公共预算财政拨款支出全年预算数为120.00万元。", "page": 1,
                          "position": 0}], 2025)
    assert statement.basis == interpret_column(("全年预算数",), 2025, "final_account").basis == "adjusted_budget"
    assert v.basis_of("政府采购预算总额") is None  # the document's kind, not a basis


# ---- class names: one list (data/subjects.csv, by year) for the normaliser and the audit -----

def test_a_class_printed_by_an_older_name_gets_its_code_in_budget_lines_and_in_the_audit():
    """A 财政拨款收支总表 prints the 类 by name only; 农林水事务支出 is 213's name before 2014."""
    table = Table(title="财政拨款收支总表", header=[["支出项目", "预算数"]],
                  rows=[["农林水事务支出", "10.00"], ["卫生健康支出", "5.00"]], unit="万元")
    lines = normalise(Extraction(tables=[table]), parse_title("某区某局2026年部门预算"), "0" * 16).lines
    assert [line["subject_code"] for line in lines] == ["213", "210"]
    audit_view = [{"subject_code": "", "subject_name": "", "item": name} for name in ("(六)农林水事务支出", "卫生健康支出")]
    assert [v.subject_key(line) for line in audit_view] == ["213", "210"]


def test_every_class_name_has_its_years():
    rows = [line.split(",") for line in v.SUBJECTS_CSV.read_text(encoding="utf-8").splitlines()[1:]]
    names = {r[1]: (r[0], r[5], r[6]) for r in rows if r[4] == "functional" and r[2] == "1"}
    assert names["农林水事务支出"] == ("213", "2007", "2013")
    assert names["农林水支出"] == ("213", "2014", "")
    assert set(v.CLASS_NAMES) == set(names)


def test_the_vocabulary_is_a_package_of_one_module_per_vocabulary():
    package = ROOT / "extractors" / "vocabulary"
    assert not (ROOT / "extractors" / "vocabulary.py").exists()
    assert {p.stem for p in package.glob("*.py")} - {"__init__"} == {
        "labels", "tables", "measures", "rows", "documents", "narrative"}


def test_every_name_the_code_reads_from_the_vocabulary_is_offered_by_the_package():
    import ast

    wanted = set()
    for path in [p for d in ("extractors", "budgets", "crawler", "plugins", "scripts", "benchmarks", "tests")
                 for p in (ROOT / d).rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                   and node.module == "extractors" for a in node.names if a.name == "vocabulary"}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "extractors.vocabulary":
                wanted |= {a.name for a in node.names}
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                wanted.add(node.attr)
    assert {"label_key", "basis_of", "row_label", "PLACEHOLDERS", "ISSUER_LINE", "TABLE_KIND_TITLES"} <= wanted
    assert sorted(name for name in wanted if not hasattr(v, name)) == []
