"""`hierarchy_sum`: every 类 is the sum of its 款, every 款 the sum of its 项, and the table's total
row the sum of its 类 — in every column and year."""
from __future__ import annotations

from collections import defaultdict

import re

from budgets.audit.model import Disclosure, Finding, amount, cell_name, judge, printed_tables, promise, wan_text
from extractors.constants import TableKind
from extractors.vocabulary import (
    EXPENDITURE_TOTALS, TOTAL_LABELS, line_classification as classification_of, measure_name, row_label, subject_key,
)
from extractors.hierarchy import UNCERTAIN, classification, sections
from extractors.identities import total
from extractors.reading import DOUBTFUL

CHECK = "hierarchy_sum"

# Tables that list subjects once each; a project table lists one code under many projects.
SUBJECT_TABLES = {
    TableKind.FISCAL_APPROPRIATION_SUMMARY, TableKind.DEPT_SUMMARY, TableKind.DEPT_INCOME, TableKind.DEPT_EXPENDITURE,
    TableKind.GENERAL_BUDGET_EXPENDITURE, TableKind.GENERAL_BUDGET_BASIC_EXPENDITURE, TableKind.GOV_FUND_EXPENDITURE,
    TableKind.STATE_CAPITAL_EXPENDITURE, TableKind.FISCAL_APPROPRIATION_EXPENDITURE,
    TableKind.FISCAL_APPROPRIATION_BASIC_EXPENDITURE,
}
LEVEL_NAMES = {"functional": ["类", "款", "项"], "economic": ["类", "款"]}


def level_name(code: str, classification: str) -> str:
    names = LEVEL_NAMES.get(classification, ["类", "款", "项"])
    return names[min({3: 0, 5: 1, 7: 2}.get(len(code), 0), len(names) - 1)]


def check(disclosure: Disclosure) -> list[Finding]:
    findings = []
    for group in printed_tables(disclosure):
        if group[0].get("table_kind") not in SUBJECT_TABLES:
            continue
        columns: dict[tuple, list[dict]] = defaultdict(list)
        for line in group:
            columns[(line["measure"], line.get("year"), line.get("basis") or "")].append(line)
        for column in columns.values():
            findings += check_column(disclosure, column, group)
    return findings


def check_column(disclosure: Disclosure, column: list[dict], table: list[dict] | None = None) -> list[Finding]:
    findings = []
    left_out = {t.get("table_index") for t in disclosure.tables if t.get("confidence") == DOUBTFUL}
    for parent, kids, complete in sections(column, left_out):
        if not kids or not complete:
            continue  # a part of the children was not read: no verdict
        cls = classification_of(parent)
        code = subject_key(parent)
        found = compare(disclosure, parent, kids, f"{level_name(code, cls)} {code}",
                        f"its {level_name(subject_key(kids[0]), cls)}")
        if complete == UNCERTAIN:
            found = [f for f in found if f.severity != "error"]
        findings += found
    findings += total_row(disclosure, column, table or column)
    return findings


def total_row(disclosure: Disclosure, column: list[dict], table: list[dict]) -> list[Finding]:
    """The table's total row against its 类 rows, where each 类 is printed once. Every other row
    of the table must carry a code (or be a total, or name something no 类 is called): a row
    whose code was not read may be a 类, and then the rule's scope is not known (warning)."""
    totals: dict[str, dict] = {}
    for line in column:
        if not line.get("subject_code") and not subject_key(line) and row_label(line) in EXPENDITURE_TOTALS:
            totals.setdefault(row_label(line), line)
    label = next((l for l in EXPENDITURE_TOTALS if l in totals), None)
    if not label:
        return []
    printed = totals[label]
    same_column = [l for l in column if (l.get("column_label") or "") == (printed.get("column_label") or "")]
    top: dict[tuple, list[dict]] = defaultdict(list)
    for line in same_column:
        code = subject_key(line)
        if len(code) == 3:
            top[(classification(line), code)].append(line)
    by_class: dict[tuple, list[dict]] = defaultdict(list)
    for (cls, code), lines in top.items():
        if len(lines) > 1:
            return []  # a 类 printed once per unit or section: the total is not the sum of the rows
        by_class[cls].append(lines[0])
    if len(by_class) != 1:
        return []  # no 类, or two classifications: each would be judged on its own
    kids = next(iter(by_class.values()))
    uncoded = [l for l in table if not subject_key(l) and row_label(l) not in TOTAL_LABELS
               and (not row_label(l) or CLASS_NAME.search(row_label(l)))]
    reason = (f"the row “{row_label(uncoded[0]) or 'row ' + str(uncoded[0].get('row_index'))}” (p.{uncoded[0].get('page')}) "
              "was read without a code and may be a 类" if uncoded else "")
    return compare(disclosure, printed, kids, f"the {label} row", "its 类 rows", scope_known=not uncoded, reason=reason)


# Every 类's name ends in 支出 (一般公共服务支出 … 其他支出): an uncoded row named so may be one.
CLASS_NAME = re.compile(r"支出$")


def compare(disclosure, parent: dict, kids: list[dict], parent_words: str, kid_words: str,
            scope_known: bool = True, reason: str = "") -> list[Finding]:
    kids = sorted(kids, key=lambda l: (subject_key(l), l.get("row_index") or 0))
    expected = total(amount(k) for k in kids)
    actual = amount(parent)
    severity, why = promise(disclosure, judge(expected, actual), [parent, *kids], scope_known,
                            *([reason] if reason else []))
    if severity is None:
        return []
    shown = ", ".join(f"{subject_key(k)} {wan_text(amount(k))}" for k in kids[:8])
    if len(kids) > 8:
        shown += ", …"
    year = parent.get("year")
    return [Finding(
        check=CHECK, severity=severity,
        message=(f"{parent_words}{f' ({row_label(parent)})' if subject_key(parent) else ''} is printed as {wan_text(actual)}万元 in column "
                 f"{measure_name(parent['measure'])}{f' {year}' if year else ''}, but {kid_words} add up to "
                 f"{wan_text(expected)}万元 ({shown})"
                 + (" — a rounding gap." if severity == "info" else "; a parent is the sum of its children.")
                 + why),
        evidence=cell_name(disclosure, parent),
        table_kind=parent.get("table_kind") or "", subject_code=subject_key(parent),
        measure=parent["measure"], year=year, expected=expected, actual=actual,
        key=f"{parent.get('table_index')}|{parent.get('row_index')}|{subject_key(parent) or row_label(parent)}"
            f"|{parent['measure']}|{year}|{parent.get('basis') or ''}",
    )]
