"""Where the tables print the figure a sentence talks about.

A sentence rarely says which table it means ('基本支出404.68万元' could be the general-budget table,
the department expenditure table or the basic-expenditure table), so a concept maps to every
cell that could carry it; the text agrees with the tables when it agrees with one of them.
"""
from __future__ import annotations

import re

from budgets.audit.model import Disclosure, table_groups
from extractors.constants import Basis, TableKind
from extractors.narrative import Concept
from extractors.vocabulary import EXPENDITURE_TOTALS, INCOME_TOTALS, row_label, subject_key

EXPENDITURE_KINDS = {
    TableKind.DEPT_EXPENDITURE, TableKind.DEPT_SUMMARY, TableKind.DEPT_INCOME, TableKind.GENERAL_BUDGET_EXPENDITURE,
    TableKind.FISCAL_APPROPRIATION_SUMMARY, TableKind.FISCAL_APPROPRIATION_EXPENDITURE,
}


def total_rows(disclosure: Disclosure) -> list[dict]:
    """The rows that total each table (one expenditure total per table, plus income totals)."""
    if "total_rows" not in disclosure.memo:
        disclosure.memo["total_rows"] = _total_rows(disclosure)
    return disclosure.memo["total_rows"]


def _total_rows(disclosure: Disclosure) -> list[dict]:
    found = []
    for group in table_groups(disclosure.lines):
        labels = {row_label(l) for l in group if not l.get("subject_code")}
        chosen = next((label for label in EXPENDITURE_TOTALS if label in labels), None)
        for line in group:
            if line.get("subject_code"):
                continue
            label = row_label(line)
            if label == chosen or label in INCOME_TOTALS:
                found.append(line)
    return found


def names_match(printed: str, stated: str) -> bool:
    def norm(text):
        return re.sub(r"[\s()（）“”\"、]", "", text).replace("其它", "其他")
    return norm(printed) == norm(stated)


def resolve_path(disclosure: Disclosure, subject: str) -> str | None:
    """'208|行政事业单位养老支出|行政单位离退休' → '2080501', from the codes the tables print."""
    code, *names = subject.split("|")
    for name in names:
        found = {subject_key(l) for l in disclosure.lines
                 if len(subject_key(l)) == len(code) + 2 and subject_key(l).startswith(code)
                 and names_match(row_label(l), name)}
        if len(found) != 1:
            return None
        code = found.pop()
    return code


def figures(disclosure: Disclosure, concept: Concept, year: int | None, basis: str | None = None) -> list[dict]:
    """The cells that could print this concept for this year (and basis, when the text names it)."""
    cells = _figures(disclosure, concept, year)
    if basis:
        cells = [c for c in cells if (c.get("basis") or Basis.BUDGET) == basis]
    return cells


def _figures(disclosure: Disclosure, concept: Concept, year: int | None) -> list[dict]:
    if concept.measure == "path":
        code = resolve_path(disclosure, concept.subject)
        if code is None:
            return []
        concept = Concept("expenditure", "class", code)
    year = year or disclosure.fiscal_year
    lines = [l for l in disclosure.lines if l.get("year") in (year, None)]
    totals = [l for l in total_rows(disclosure) if l.get("year") in (year, None)]
    family, measure = concept.family, concept.measure
    if family == "expenditure":
        if measure == "class":
            return [l for l in lines if subject_key(l) == concept.subject and l.get("table_kind") in EXPENDITURE_KINDS
                    and l["measure"] in ("total", "general_budget")]
        if measure == "total":
            return [l for l in totals if l.get("table_kind") in EXPENDITURE_KINDS and l["measure"] == "total"]
        if measure == "general_budget":
            found = [l for l in totals if (l.get("table_kind") == TableKind.GENERAL_BUDGET_EXPENDITURE
                                           and l["measure"] == "total")
                     or (l.get("table_kind") in (TableKind.FISCAL_APPROPRIATION_SUMMARY, TableKind.DEPT_INCOME)
                         and l["measure"] == "general_budget")]
            found += [l for l in lines if not l.get("subject_code") and "一般公共预算" in row_label(l)
                      and l.get("table_kind") in (TableKind.FISCAL_APPROPRIATION_SUMMARY, TableKind.DEPT_SUMMARY)]
            return found
        if measure in ("basic", "project", "personnel", "public_use"):
            found = [l for l in totals if l["measure"] == measure]
            if measure == "basic":
                found += [l for l in totals if l.get("table_kind") == TableKind.GENERAL_BUDGET_BASIC_EXPENDITURE
                          and l["measure"] == "total"]
            if measure == "project":
                found += [l for l in totals
                          if l.get("table_kind") == TableKind.PROJECT_EXPENDITURE and l["measure"] == "total"]
            return found
        if measure == "fiscal":
            return [l for l in totals if l.get("table_kind") in (TableKind.FISCAL_APPROPRIATION_SUMMARY,
                                                                 TableKind.FISCAL_APPROPRIATION_EXPENDITURE)
                    and l["measure"] == "total"]
        if measure == "gov_fund":
            return [l for l in totals if (l.get("table_kind") == TableKind.GOV_FUND_EXPENDITURE
                                          and l["measure"] == "total")
                    or l["measure"] == "gov_fund"]
        return []
    if family == "three":
        three = [l for l in lines if l.get("table_kind") == TableKind.THREE_PUBLIC_EXPENSES]
        table = [l for l in three if l["measure"] == measure]
        if not table and measure == "vehicle_operation" and not any(
                l["measure"] in ("vehicle_purchase", "other") and l["amount_fen"] for l in three):
            table = [l for l in three if l["measure"] == "vehicles"]  # nothing bought: the subtotal is all running costs
        summed = [l for l in table if not l.get("subject_code") and row_label(l) in ("合计", "总计", "小计")]
        return summed or table
    if family == "admin":
        found = [l for l in lines if l["measure"] == "admin_operating"]
        found += [l for l in totals if l.get("table_kind") == TableKind.GENERAL_BUDGET_BASIC_EXPENDITURE
                  and l["measure"] == "public_use"]
        return found
    if family == "procurement":
        table = [l for l in lines if l.get("table_kind") == TableKind.PROCUREMENT]
        if measure in ("total", "general_budget"):
            total_ids = {id(l) for l in totals}
            return [l for l in table if id(l) in total_ids and l["measure"] == measure]
        word = {"goods": "货物", "works": "工程", "services": "服务"}[measure]
        return [l for l in table if word in row_label(l) and l["measure"] in ("total", "general_budget")]
    return []


def year_pairs(disclosure: Disclosure, concept) -> list[tuple[dict, dict]]:
    """(this year's cell, prior-year cell) printed in the same row of one table."""
    year = disclosure.fiscal_year
    now = figures(disclosure, concept, year)
    before = figures(disclosure, concept, year - 1)
    rows = {(l.get("table_index"), l.get("row_index"), l["measure"]): l for l in before if l.get("year") == year - 1}
    return [(l, rows[(l.get("table_index"), l.get("row_index"), l["measure"])]) for l in now
            if l.get("year") == year and (l.get("table_index"), l.get("row_index"), l["measure"]) in rows]
