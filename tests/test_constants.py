"""The domain's words are written once: a table kind, a stage and a basis only in
extractors/constants.py (`TableKind`, `Stage`, `Basis`), a factor between 分, 元, 万元 and 亿元 only
in extractors/units.py. Every other Python file of the program (and the SQL it holds) names them."""
from __future__ import annotations

import ast
import json
import re
import sqlite3
from pathlib import Path

import sqlite_utils

from extractors.constants import Basis, Stage, TableKind, own_basis_sql, words

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ("extractors", "budgets", "crawler", "plugins", "scripts", "benchmarks")
WHERE_WRITTEN = {"extractors/constants.py", "extractors/units.py"}
# Template data: which title phrases make which kind. It is being split into a package of one
# module per vocabulary; its words become names once the split has landed.
VOCABULARY = ("extractors/vocabulary.py", "extractors/vocabulary/")

# Each vocabulary: its words, the word naming what they are in code and SQL (`kind`, `stage`,
# `basis`), and its words that are also other things ('other' and 'procurement' are measures too,
# 'budget' is a stage, a basis and the wide view's column prefix, 'actual' an English word): those
# count as spelled only where the code compares, returns, keys or defaults a thing of that name.
VOCABULARIES = {
    "table kind": (set(words(TableKind)), ("kind",), {"other", "procurement"}),
    "stage": (set(words(Stage)), ("stage",), {"budget"}),
    "basis": (set(words(Basis)), ("basis", "bases"), {"budget", "actual"}),
}
KINDS = VOCABULARIES["table kind"][0]
SQL_COLUMN = {"table kind": "table_kind", "stage": "stage", "basis": "basis"}
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


def _names(text: str | None, words: tuple[str, ...]) -> bool:
    return any(word in (text or "").lower() for word in words)


def _in_context(constant: ast.Constant, parents: dict, source: str, words: tuple[str, ...]) -> bool:
    """Whether a constant shared with other things stands for one of `words` here: compared with
    one, returned by a function about one, a value under a key naming one, a parameter's default,
    an element or key of a collection named for them, or passed as such a keyword."""
    child, node = constant, parents.get(constant)
    while node is not None and not isinstance(node, ast.stmt):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            return any(_names(ast.get_source_segment(source, o), words) for o in operands if o is not child)
        if isinstance(node, ast.keyword):
            return _names(node.arg, words)
        if isinstance(node, ast.Dict) and child in node.values:
            key = node.keys[node.values.index(child)]
            if isinstance(key, ast.Constant) and _names(str(key.value), words):
                return True
        if isinstance(node, ast.arguments):
            defaults = dict(zip(node.defaults[::-1], (node.posonlyargs + node.args)[::-1]))
            defaults |= {d: a for d, a in zip(node.kw_defaults, node.kwonlyargs) if d is not None}
            return child in defaults and _names(defaults[child].arg, words)
        if isinstance(node, ast.Call):
            return False
        child, node = node, parents.get(node)
    if isinstance(node, ast.Return):
        function = node
        while function is not None and not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = parents.get(function)
        return function is not None and _names(function.name, words)
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(_names(ast.get_source_segment(source, t), words) for t in targets)
    return False


def spelled_words(source: str) -> list[tuple[int, str, str]]:
    """(line, vocabulary, word) for each word of a vocabulary `source` spells: quoted in Python,
    or quoted in an SQL string (anywhere when the word is only that, after its column otherwise)."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) \
                or isinstance(parents.get(node), ast.Expr):  # a docstring
            continue
        for name, (values, words, shared) in VOCABULARIES.items():
            if node.value in values - shared or (
                    node.value in values and _in_context(node, parents, source, words)):
                found.append((node.lineno, name, node.value))
                continue
            quoted = {m.group(1) for m in QUOTED_IN_TEXT.finditer(node.value)} & (values - shared)
            column = re.compile(rf"\b{SQL_COLUMN[name]}\s*(?:=|!=|<>|\bin\s*\(|\s+when)\s*'(\w+)'", re.IGNORECASE)
            quoted |= {m.group(1) for m in column.finditer(node.value)} & values
            found += [(node.lineno, name, word) for word in sorted(quoted)]
    return found


def spelled_factors(source: str) -> list[tuple[int, str]]:
    return [(number, match.group(0)) for number, line in enumerate(source.splitlines(), 1)
            for match in UNIT_FACTOR.finditer(line)]


def test_no_program_file_spells_a_table_kind_a_stage_or_a_basis():
    where = [f"{name}:{line}: {vocabulary} {word!r}" for name, source in program_files()
             for line, vocabulary, word in spelled_words(source)]
    assert not where, "words spelled outside extractors/constants.py:\n" + "\n".join(where)


def test_no_program_file_writes_a_unit_factor():
    where = [f"{name}:{line}: {text}" for name, source in program_files()
             for line, text in spelled_factors(source)]
    assert not where, "unit factors written outside extractors/units.py:\n" + "\n".join(where)


def test_the_scan_sees_what_it_forbids():
    """The forms the scans catch, and the neighbours they leave alone."""
    kind = "table kind"
    assert spelled_words("if kind == 'three_public_expenses': pass") == [(1, kind, "three_public_expenses")]
    assert spelled_words("q = \"select 1 where table_kind = 'dept_income'\"") == [(1, kind, "dept_income")]
    assert spelled_words("q = \"where table_kind in ('other', 'x')\"") == [(1, kind, "other")]
    assert spelled_words("ok = kind not in (None, '', 'other')") == [(1, kind, "other")]
    assert spelled_words("def table_kind(t):\n    return 'other'") == [(2, kind, "other")]
    assert spelled_words("spec = ColumnSpec(measure=named or 'other')") == []
    assert spelled_words("ok = spec.measure in (None, 'other')") == []
    assert spelled_words("final = doc.get('stage') == 'final_account'") == [(1, "stage", "final_account")]
    assert spelled_words("def page(db, stage='budget'): pass") == [(1, "stage", "budget")]
    assert spelled_words("q = \"where stage = 'budget'\"") == [(1, "stage", "budget")]
    assert spelled_words("ok = line['basis'] != 'actual'") == [(1, "basis", "actual")]
    assert spelled_words("prefix = 'budget' if final else 'final'") == []
    assert spelled_factors("wan = amount_fen / 1000000.0") == [(1, "amount_fen / 1000000.0")]
    assert spelled_factors("q = 'select sum(amount_fen) / 1000000.0 as total_wan'") != []
    assert spelled_factors("yuan = line['amount_fen'] // 100") != []
    assert spelled_factors("share = Decimal(part.fen) / head.fen * 100") == []  # a percentage


def test_a_word_is_the_very_string_the_database_stores():
    """Plain strings, so every layer that hands a line on stores, serialises and compares the word
    itself: sqlite-utils types a new column by a value's exact type (an Enum member is unknown to it)."""
    for vocabulary in (TableKind, Stage, Basis):
        assert all(type(word) is str for word in words(vocabulary))
    kind = TableKind.THREE_PUBLIC_EXPENSES
    assert f"table_kind = '{kind}'" == "table_kind = 'three_public_expenses'"
    assert json.dumps({"table_kind": kind}) == '{"table_kind": "three_public_expenses"}'
    db = sqlite_utils.Database(memory=True)
    db["lines"].insert_all([{"table_kind": kind, "stage": Stage.FINAL_ACCOUNT, "basis": Basis.ACTUAL}])
    assert db.execute("select table_kind, stage, basis from lines").fetchone() == (
        "three_public_expenses", "final_account", "actual")
    assert db["lines"].columns_dict == {"table_kind": str, "stage": str, "basis": str}


def test_a_disclosure_reads_its_own_stage_s_basis():
    db = sqlite3.connect(":memory:")
    assert [db.execute(f"select {own_basis_sql('?')}", [stage]).fetchone()[0] for stage in words(Stage)] == [
        "budget", "actual", "actual"]


def test_the_kinds_are_the_contracts():
    contract = (ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    vocabulary = contract.split("`table_kind` (budget stage", 1)[1].split("`measure` (extend", 1)[0]
    assert set(re.findall(r"`(\w+)`", vocabulary)) <= KINDS
