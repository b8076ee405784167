"""The domain's words are written once: a table kind only in extractors/constants.py (`TableKind`),
a factor between 分, 元, 万元 and 亿元 only in extractors/units.py. Every other Python file of the
program (and the SQL it holds) names them."""
from __future__ import annotations

import ast
import json
import re
import sqlite3
from pathlib import Path

from extractors.constants import TableKind

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ("extractors", "budgets", "crawler", "plugins", "scripts", "benchmarks")
WHERE_WRITTEN = {"extractors/constants.py", "extractors/units.py"}
# Template data: which title phrases make which kind. It is being split into a package of one
# module per vocabulary; its kinds become names once the split has landed.
VOCABULARY = ("extractors/vocabulary.py", "extractors/vocabulary/")

KINDS = {kind.value for kind in TableKind}
# Kinds that are also measures ('other': a column no word names; 'procurement' 政府采购): spelled
# as a kind only where the code compares, returns, keys or queries a kind.
ALSO_MEASURES = {"other", "procurement"}
SQL_KIND = re.compile(r"table_kind\s*(?:=|!=|<>|\bin\s*\()\s*'(\w+)'", re.IGNORECASE)
QUOTED_IN_TEXT = re.compile(r"'(\w+)'")
# 分 per 元 / 万元 / 亿元, as written in Python or SQL: 100, 1000000, 1_000_000, 1e6, 1000000.0 …
FACTOR = r"(?:1_?000_?000|10_?000|100_?000_?000|10_?000_?000_?000|1e[468]|1e10)(?:\.0*)?\b"
FEN = r"(?:\bamount_fen\b|\bfen\b|\w+_fen\b|\.fen\b)"
UNIT_FACTOR = re.compile(rf"{FEN}[^,;\n]*?(?:/|\*)\s*{FACTOR}|{FEN}[\]\)'\"]*\s*//?\s*100(?:\.0*)?\b")


def program_files():
    for folder in PROGRAM:
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name not in WHERE_WRITTEN and not name.startswith(VOCABULARY):
                yield name, path.read_text(encoding="utf-8")


def _mentions_kind(node: ast.AST, source: str) -> bool:
    return "kind" in (ast.get_source_segment(source, node) or "").lower()


def _kind_context(constant: ast.Constant, parents: dict, source: str) -> bool:
    """Whether a constant shared with the measures stands for a kind here: compared with a kind,
    returned by a function about kinds, an element or key of a collection named for kinds, or
    passed as `table_kind=`."""
    child, node = constant, parents.get(constant)
    while node is not None and not isinstance(node, ast.stmt):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            return any(_mentions_kind(o, source) for o in operands if o is not child)
        if isinstance(node, ast.keyword):
            return "kind" in (node.arg or "")
        if isinstance(node, ast.Call):
            return False
        child, node = node, parents.get(node)
    if isinstance(node, ast.Return):
        function = node
        while function is not None and not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = parents.get(function)
        return function is not None and "kind" in function.name
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(_mentions_kind(t, source) for t in targets)
    return False


def spelled_kinds(source: str) -> list[tuple[int, str]]:
    """(line, kind) for each table kind `source` spells: a quoted kind in Python, or one quoted
    in an SQL string."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if node.value in KINDS - ALSO_MEASURES or (
                node.value in ALSO_MEASURES and _kind_context(node, parents, source)):
            found.append((node.lineno, node.value))
            continue
        quoted = {m.group(1) for m in QUOTED_IN_TEXT.finditer(node.value)} & (KINDS - ALSO_MEASURES)
        quoted |= {m.group(1) for m in SQL_KIND.finditer(node.value)} & KINDS
        found += [(node.lineno, kind) for kind in sorted(quoted)]
    return found


def spelled_factors(source: str) -> list[tuple[int, str]]:
    return [(number, match.group(0)) for number, line in enumerate(source.splitlines(), 1)
            for match in UNIT_FACTOR.finditer(line)]


def test_no_program_file_spells_a_table_kind():
    where = [f"{name}:{line}: {kind!r}" for name, source in program_files()
             for line, kind in spelled_kinds(source)]
    assert not where, "table kinds spelled outside extractors/constants.py:\n" + "\n".join(where)


def test_no_program_file_writes_a_unit_factor():
    where = [f"{name}:{line}: {text}" for name, source in program_files()
             for line, text in spelled_factors(source)]
    assert not where, "unit factors written outside extractors/units.py:\n" + "\n".join(where)


def test_the_scan_sees_what_it_forbids():
    """The forms the scans catch, and the neighbours they leave alone."""
    assert spelled_kinds("if kind == 'three_public_expenses': pass") == [(1, "three_public_expenses")]
    assert spelled_kinds("q = \"select 1 where table_kind = 'dept_income'\"") == [(1, "dept_income")]
    assert spelled_kinds("q = \"where table_kind in ('other', 'x')\"") == [(1, "other")]
    assert spelled_kinds("ok = kind not in (None, '', 'other')") == [(1, "other")]
    assert spelled_kinds("def table_kind(t):\n    return 'other'") == [(2, "other")]
    assert spelled_kinds("spec = ColumnSpec(measure=named or 'other')") == []
    assert spelled_kinds("ok = spec.measure in (None, 'other')") == []
    assert spelled_factors("wan = amount_fen / 1000000.0") == [(1, "amount_fen / 1000000.0")]
    assert spelled_factors("q = 'select sum(amount_fen) / 1000000.0 as total_wan'") != []
    assert spelled_factors("yuan = line['amount_fen'] // 100") != []
    assert spelled_factors("share = Decimal(part.fen) / head.fen * 100") == []  # a percentage


def test_a_kind_is_the_string_the_database_stores():
    kind = TableKind.THREE_PUBLIC_EXPENSES
    assert kind == "three_public_expenses" and {"three_public_expenses": 1}[kind] == 1
    assert f"table_kind = '{kind}'" == "table_kind = 'three_public_expenses'"
    assert json.dumps({"table_kind": kind}) == '{"table_kind": "three_public_expenses"}'
    db = sqlite3.connect(":memory:")
    assert db.execute("select ?, typeof(?)", [kind, kind]).fetchone() == ("three_public_expenses", "text")


def test_the_kinds_are_the_contracts():
    contract = (ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    vocabulary = contract.split("`table_kind` (budget stage", 1)[1].split("`measure` (extend", 1)[0]
    assert set(re.findall(r"`(\w+)`", vocabulary)) <= KINDS
