"""What a disclosure says more than once, used to place cells one table alone cannot.

A department's disclosure prints the same figures in several tables and in its narrative: the
general-budget expenditure of 210 卫生健康支出 in the fiscal-appropriation summary, the
general-budget table and the income table; the 三公 items in their table and in the text. When a
table's own identities leave a cell with several possible columns, the option that agrees with
the rest of the disclosure wins; an option that contradicts it loses.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from extractors import vocabulary as v
from extractors.constants import TableKind
from extractors.units import FEN_PER_WAN
from extractors.layout import Layout, RowChoice, resolve_by_shape, resolve_rows
from extractors.narrative import parse
from extractors.numbers import is_amount, parse_amount

FUND_OF_KIND = {
    TableKind.GENERAL_BUDGET_EXPENDITURE: "general_budget",
    TableKind.GENERAL_BUDGET_BASIC_EXPENDITURE: "general_budget",
    TableKind.THREE_PUBLIC_EXPENSES: "general_budget",
    TableKind.GOV_FUND_EXPENDITURE: "gov_fund",
    TableKind.STATE_CAPITAL_EXPENDITURE: "state_capital",
}
SOURCE_MEASURES = {"carryover", "general_budget", "gov_fund", "state_capital", "special_account",
                   "business_income", "superior_subsidy", "subordinate_remit", "operating_income",
                   "other_income"}
INCOME_KINDS = {TableKind.FISCAL_APPROPRIATION_SUMMARY, TableKind.DEPT_SUMMARY, TableKind.DEPT_INCOME}
DEPARTMENT_WIDE = "*"
_TOTAL_KEYS = {v.label_key(x) for x in v.TOTAL_ROW_LABELS} | {"本年支出", "本年收入"}

# 三公 items the narrative states (the 三公 total and the table's other columns are not placed by it)
NARRATIVE_ITEMS = {"overseas_travel", "reception", "vehicle_operation", "vehicle_purchase", "vehicles"}


@dataclass
class Facts:
    values: dict[tuple[str, int | None, str], dict[Decimal, set[int]]] = field(default_factory=dict)
    zero_sources: set[str] = field(default_factory=set)

    def add(self, key, year, measure, value, table_index):
        self.values.setdefault((key, year, measure), {}).setdefault(value, set()).add(table_index)

    def verdict(self, key, year, measure, value, table_index) -> int:
        """+1 when another table states this value, -1 when others state a different one."""
        stated = {val: tables - {table_index} for val, tables in self.values.get((key, year, measure), {}).items()}
        stated = {val: tables for val, tables in stated.items() if tables}
        if not stated:
            return 0
        return 1 if value in stated else -1


def subject_names(layouts: list[Layout]) -> dict[str, str]:
    """Subject name → code, from every row that prints both."""
    names = {}
    for layout in layouts:
        for row in layout.rows:
            if row.code and len(row.cells) > 1 and not is_amount(row.cells[1]):
                names.setdefault(v.label_key(row.cells[1]), row.code)
    return names


def row_key(label: str, names: dict[str, str]) -> str:
    key = v.label_key(v.ITEM_NUMBERING.sub("", label))
    if key in _TOTAL_KEYS:
        return "合计"
    return names.get(key, key)


def _cells_by_column(row: RowChoice, option, specs):
    """(column, cell) for amount cells with the label that owns each (the nearest label left)."""
    owner = ""
    owners = {}
    for i, col in enumerate(option):
        if specs[col].is_label and not is_amount(row.cells[i]) or specs[col].role == "code":
            owner = row.cells[i]
        elif specs[col].is_amount:
            owners[col] = (owner, row.cells[i])
    return owners


def collect(layouts: list[Layout], kinds: list[str], narrative: str, fiscal_year: int | None) -> Facts:
    facts = Facts()
    names = subject_names(layouts)
    zero, nonzero = set(), set()
    for layout, kind in zip(layouts, kinds):
        specs = layout.specs
        for row in layout.rows:
            if not row.fixed:
                continue
            option = row.options[0]
            key_of_code = row.code
            for col, (owner, cell) in _cells_by_column(row, option, specs).items():
                spec = specs[col]
                value = parse_amount(cell)
                key = key_of_code or row_key(owner, names)
                facts.add(key, spec.year, spec.measure, value, layout.raw.index)
                if kind in FUND_OF_KIND and spec.measure == "total":
                    facts.add(key, spec.year, FUND_OF_KIND[kind], value, layout.raw.index)
            if kind in INCOME_KINDS:
                _income_sources(row, option, specs, zero, nonzero)
    facts.zero_sources = zero - nonzero
    for measure, year, value in narrative_facts(narrative, fiscal_year):
        facts.add(DEPARTMENT_WIDE, year, measure, value, -1)
    return facts


def _income_sources(row, option, specs, zero, nonzero):
    """Income rows name their source (一般公共预算拨款收入 …); a source printed blank is zero."""
    placed = dict(zip(option, row.cells))
    for col, cell in placed.items():
        if not specs[col].is_label or specs[col].label.split("/")[0] == "支出":
            continue
        measure = v.MEASURE_BY_LABEL.get(v.label_key(v.ITEM_NUMBERING.sub("", cell)))
        if measure not in SOURCE_MEASURES:
            continue
        nxt = col + 1
        amount = placed.get(nxt) if nxt < len(specs) and specs[nxt].is_amount else None
        (nonzero if amount and parse_amount(amount) else zero).add(measure)
    # a dept_income row breaks income down by source columns
    if row.code or v.label_key(row.cells[0]) in _TOTAL_KEYS:
        for col, cell in placed.items():
            if specs[col].is_amount and specs[col].measure in SOURCE_MEASURES and parse_amount(cell):
                nonzero.add(specs[col].measure)


def narrative_facts(text: str, fiscal_year: int | None):
    """三公 items as the narrative states them in 万元 (the unit of the tables they place), this
    year's and, from a stated change against a year, that year's."""
    paragraphs = [{"text": line, "position": n} for n, line in enumerate((text or "").splitlines())]
    for statement in parse(paragraphs, fiscal_year):
        concept = statement.concept
        if concept.family != "three" or concept.measure not in NARRATIVE_ITEMS:
            continue
        if statement.amount is None or statement.unit != "万元":
            continue
        current = Decimal(statement.amount.fen) / FEN_PER_WAN
        yield concept.measure, fiscal_year, current
        if statement.change is not None and statement.compared_to is not None:
            yield concept.measure, statement.compared_to, current - Decimal(statement.change.fen) / FEN_PER_WAN


def option_score(row: RowChoice, option, layout: Layout, kind: str, facts: Facts, names) -> int:
    score = 0
    for col, (owner, cell) in _cells_by_column(row, option, layout.specs).items():
        spec = layout.specs[col]
        value = parse_amount(cell)
        key = row.code or row_key(owner, names)
        score += facts.verdict(key, spec.year, spec.measure, value, layout.raw.index)
        if spec.measure in SOURCE_MEASURES and spec.measure in facts.zero_sources and value:
            score -= 1
        if kind == TableKind.THREE_PUBLIC_EXPENSES:
            score += facts.verdict(DEPARTMENT_WIDE, spec.year, spec.measure, value, layout.raw.index)
    return score


def place_with_evidence(layouts: list[Layout], kinds: list[str], narrative: str,
                        fiscal_year: int | None) -> None:
    """Narrow every still-ambiguous row by the rest of the disclosure, then propagate."""
    for _ in range(3):
        facts = collect(layouts, kinds, narrative, fiscal_year)
        names = subject_names(layouts)
        changed = False
        for layout, kind in zip(layouts, kinds):
            for row in layout.rows:
                if len(row.options) < 2:
                    continue
                scored = [(option_score(row, o, layout, kind, facts, names), o) for o in row.options]
                best = max(s for s, _ in scored)
                narrowed = [o for s, o in scored if s == best]
                if len(narrowed) < len(row.options):
                    row.options = narrowed
                    row.how = "other tables and the narrative of the disclosure"
                    changed = True
            resolve_rows(layout.rows, layout.specs)
        if not changed:
            break
    for layout in layouts:
        resolve_by_shape(layout.rows)
