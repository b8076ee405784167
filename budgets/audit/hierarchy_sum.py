"""`hierarchy_sum`: every 类 is the sum of its 款, every 款 the sum of its 项, and the table's total
row the sum of its 类 — in every column and year."""
from __future__ import annotations

from collections import defaultdict

from budgets.audit.model import Disclosure, Finding, cell_name, judge, table_groups, wan_text
from extractors.vocabulary import (
    EXPENDITURE_TOTALS, TOTAL_LABELS, line_classification as classification_of, is_expenditure_total, measure_name, row_label, subject_key,
)
from extractors.identities import Amount, total

CHECK = "hierarchy_sum"

# Tables that list subjects once each; a project table lists one code under many projects.
SUBJECT_TABLES = {
    "fiscal_appropriation_summary", "dept_summary", "dept_income", "dept_expenditure",
    "general_budget_expenditure", "general_budget_basic_expenditure", "gov_fund_expenditure",
    "state_capital_expenditure", "fiscal_appropriation_expenditure",
    "fiscal_appropriation_basic_expenditure",
}
LEVEL_NAMES = {"functional": ["类", "款", "项"], "economic": ["类", "款"]}


def parent_of(code: str, classification: str) -> str:
    if classification == "functional" and len(code) in (5, 7):
        return code[:-2]
    if classification == "economic" and len(code) == 5:
        return code[:3]
    return ""


def level_name(code: str, classification: str) -> str:
    names = LEVEL_NAMES.get(classification, ["类", "款", "项"])
    return names[min({3: 0, 5: 1, 7: 2}.get(len(code), 0), len(names) - 1)]


def check(disclosure: Disclosure) -> list[Finding]:
    findings = []
    for group in table_groups(disclosure.lines):
        if group[0].get("table_kind") not in SUBJECT_TABLES:
            continue
        columns: dict[tuple, list[dict]] = defaultdict(list)
        for line in group:
            columns[(line["measure"], line.get("year"), line.get("basis") or "")].append(line)
        for column in columns.values():
            findings += check_column(disclosure, column)
    return findings


def check_column(disclosure: Disclosure, column: list[dict]) -> list[Finding]:
    by_code: dict[str, list[dict]] = defaultdict(list)
    totals: dict[str, dict] = {}
    for line in column:
        code = subject_key(line)
        if code:
            by_code[code].append(line)
        elif not line.get("subject_code") and row_label(line) in EXPENDITURE_TOTALS:
            totals.setdefault(row_label(line), line)
    unique = {code: lines[0] for code, lines in by_code.items() if len(lines) == 1}
    children: dict[str, list[dict]] = defaultdict(list)
    for code, line in unique.items():
        parent = line.get("parent_code") or parent_of(code, classification_of(line))
        if parent and parent in unique:
            children[parent].append(line)
    findings = []
    for parent_code, kids in children.items():
        parent = unique[parent_code]
        if uncoded_rows_below(column, parent):
            continue  # a child printed without its code cannot be told from a note: no verdict
        cls = classification_of(parent)
        findings += compare(disclosure, parent, kids,
                            f"{level_name(parent_code, cls)} {parent_code}",
                            f"its {level_name(subject_key(kids[0]), cls)}")
    top = [line for code, line in unique.items() if len(code) == 3]
    label = next((l for l in EXPENDITURE_TOTALS if l in totals), None)
    if top and label:
        findings += compare(disclosure, totals[label], top, f"the {label} row", "its 类 rows")
    return findings


def uncoded_rows_below(column: list[dict], parent: dict) -> bool:
    """Whether a row without a code sits among the parent's children (its code lost in extraction)."""
    code = subject_key(parent)
    rows = sorted(column, key=lambda l: l.get("row_index") or 0)
    start = rows.index(parent)
    for line in rows[start + 1:]:
        key = subject_key(line)
        if key:
            if not key.startswith(code) or len(key) <= len(code):
                return False
        elif not is_expenditure_total(line) and row_label(line) not in TOTAL_LABELS:
            return True
    return False


def compare(disclosure, parent: dict, kids: list[dict], parent_words: str, kid_words: str) -> list[Finding]:
    kids = sorted(kids, key=lambda l: (subject_key(l), l.get("row_index") or 0))
    expected = total(Amount.of_line(k) for k in kids)
    actual = Amount.of_line(parent)
    severity = judge(expected, actual)
    if severity is None:
        return []
    shown = ", ".join(f"{subject_key(k)} {wan_text(Amount.of_line(k))}" for k in kids[:8])
    if len(kids) > 8:
        shown += ", …"
    year = parent.get("year")
    return [Finding(
        check=CHECK, severity=severity,
        message=(f"{parent_words}{f' ({row_label(parent)})' if subject_key(parent) else ''} is printed as {wan_text(actual)}万元 in column "
                 f"{measure_name(parent['measure'])}{f' {year}' if year else ''}, but {kid_words} add up to "
                 f"{wan_text(expected)}万元 ({shown})"
                 + (" — a rounding gap." if severity == "info" else ".")),
        evidence=cell_name(disclosure, parent),
        table_kind=parent.get("table_kind") or "", subject_code=subject_key(parent),
        measure=parent["measure"], year=year, expected=expected, actual=actual,
        key=f"{parent.get('table_index')}|{parent.get('row_index')}|{subject_key(parent) or row_label(parent)}"
            f"|{parent['measure']}|{year}|{parent.get('basis') or ''}",
    )]
