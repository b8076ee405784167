"""What the checks see and what they return.

A check is a pure function ``check(disclosure) -> list[Finding]``. The disclosure is one loaded
document (its row, its budget lines, its paragraphs, its tables) plus what the database knows
around it (the previous year's disclosure of the same department, the official subject names).

Amounts are compared by `extractors.identities` (exact 分 with the slack of their printed
precision), the same arithmetic the extractors use: two figures that agree once rounded to the
coarser printed precision agree; a gap no larger than the rounding of the figures involved is
`info`; anything larger is `error`.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.constants import TableKind
from extractors.framing import is_column_number_text
from extractors.identities import EXACT, MISMATCH, ROUNDING, Amount, compare, step_of
from extractors.units import DEFAULT_UNIT, FEN_DECIMALS, FEN_PER_WAN, UNIT_STEP, fen_per, fen_to_wan
from extractors.vocabulary import is_expenditure_total, row_label

THREE_PUBLIC_MEASURES = ("overseas_travel", "vehicles", "reception")

# How serious a gap is: what `extractors.identities` calls a rounding gap is `info`, anything
# larger an `error` (a check may lower an error it is not sure of to `warning`).
SEVERITY = {EXACT: None, ROUNDING: "info", MISMATCH: "error"}


def judge(expected: Amount, actual: Amount) -> str | None:
    """None when the two figures agree, 'info' for a rounding gap, 'error' for a contradiction."""
    return SEVERITY[compare(expected, actual)]


def wan_text(amount: Amount | int | None) -> str:
    fen = amount.fen if isinstance(amount, Amount) else amount
    if fen is None:
        return "—"
    value = Decimal(fen) / FEN_PER_WAN
    text = f"{value:.6f}".rstrip("0")
    if text.endswith("."):
        text += "00"
    elif len(text.split(".")[1]) < 2:
        text += "0"
    return text


# A contradiction that appears only once a table whose reading is doubtful is let in: ours to fix,
# not the document's (budgets/audit/__init__.py run_checks).
READING = "reading"


@dataclass
class Finding:
    check: str
    severity: str
    message: str
    evidence: str
    table_kind: str = ""
    subject_code: str = ""
    measure: str = ""
    year: int | None = None
    expected: Amount | None = None
    actual: Amount | None = None
    key: str = ""  # what makes this finding unique within its document and check

    def row(self, document: dict) -> dict:
        diff = None
        if self.expected is not None and self.actual is not None:
            diff = fen_to_wan(self.actual.fen - self.expected.fen)
        ident = "|".join([document["id"], self.check, self.key or self.evidence])
        return {
            "id": hashlib.sha1(ident.encode("utf-8")).hexdigest()[:20],
            "document_id": document["id"],
            "district": document.get("district"),
            "department": document.get("department"),
            "fiscal_year": document.get("fiscal_year"),
            "check": self.check,
            "severity": self.severity,
            "table_kind": self.table_kind or None,
            "subject_code": self.subject_code or None,
            "measure": self.measure or None,
            "year": self.year,
            "expected_wan": self.expected.wan if self.expected is not None else None,
            "actual_wan": self.actual.wan if self.actual is not None else None,
            "difference_wan": diff,
            "message": self.message,
            "evidence": self.evidence,
        }


@dataclass
class Disclosure:
    """One document as the checks see it."""

    document: dict
    lines: list[dict] = field(default_factory=list)
    paragraphs: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)  # rows of the `tables` table
    previous: "Disclosure | None" = None  # same department, previous fiscal year, same stage
    subjects: dict = field(default_factory=dict)  # (classification, code) -> official name this year
    # table kinds present across every document of this disclosure (narrative and tables are
    # sometimes published as separate files); None: just this document's
    disclosure_kinds: set | None = None
    reports_completeness: bool = True  # one document per disclosure carries the missing-table findings
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # derived views, computed once
    # the prose cells of tables (rows of `paragraphs` with a table_index): read only by the checks
    # that hold a text against itself wherever it is printed, never taken for the narrative
    cells: list[dict] = field(default_factory=list)

    def __post_init__(self):
        if any(p.get("table_index") is not None for p in self.paragraphs):
            self.cells = self.cells + [p for p in self.paragraphs if p.get("table_index") is not None]
            self.paragraphs = [p for p in self.paragraphs if p.get("table_index") is None]

    @property
    def fiscal_year(self) -> int | None:
        return self.document.get("fiscal_year")

    def kinds_present(self) -> set:
        if self.disclosure_kinds is not None:
            return set(self.disclosure_kinds)
        kinds = {t.get("table_kind") for t in self.tables} | {l.get("table_kind") for l in self.lines}
        if any(l.get("measure") in THREE_PUBLIC_MEASURES for l in self.lines):
            kinds.add(TableKind.THREE_PUBLIC_EXPENSES)  # printed under a title the normaliser did not know
        return {k for k in kinds if k}

    def table_info(self, table_index) -> dict:
        for table in self.tables:
            if table.get("table_index") == table_index:
                return table
        return {}


# ---- where a figure was printed, in words a researcher can follow ---------------------------

_SPACES = re.compile(r"\s+")


def table_name(disclosure: Disclosure, line: dict) -> str:
    info = disclosure.table_info(line.get("table_index"))
    label = (info.get("label") or "").strip()
    title = _SPACES.sub("", info.get("title") or line.get("table_title") or "")
    kind = line.get("table_kind") or info.get("table_kind") or ""
    name = title or kind or f"table {line.get('table_index')}"
    if label and not name.startswith(label):
        name = f"{label} {name}"
    return name


def table_short(disclosure: Disclosure, line: dict) -> str:
    """附件2 when the document numbers its tables, else the title."""
    info = disclosure.table_info(line.get("table_index"))
    return (info.get("label") or "").strip() or table_name(disclosure, line)


def row_name(line: dict) -> str:
    code = line.get("subject_code") or ""
    name = _SPACES.sub("", line.get("subject_name") or line.get("item") or "")
    return f"{code} {name}".strip() or f"row {line.get('row_index')}"


def cell_name(disclosure: Disclosure, line: dict) -> str:
    column = _SPACES.sub("", line.get("column_label") or "") or line.get("measure") or ""
    page = f", p.{line['page']}" if line.get("page") else ""
    year = line.get("year")
    year_text = f" {year}" if year and year != disclosure.fiscal_year else ""
    return f"{table_name(disclosure, line)}: row “{row_name(line)}”, column “{column}”{year_text}{page}"


def table_groups(lines: list[dict], labels: dict | None = None) -> list[list[dict]]:
    """Lines per printed table; a table continued on the next page is joined to the part before
    it: a part of the same kind that prints the same table label (表1 over two pages, its total at
    the foot of the second), or, where no label tells, a part with no total row of its own."""
    labels = labels or {}
    by_index: dict = defaultdict(list)
    for line in lines:
        by_index[line.get("table_index")].append(line)
    groups: list[list[dict]] = []
    previous_kind, previous_label = None, ""
    for index in sorted(by_index, key=lambda i: (i is None, i if i is not None else 0)):
        part = by_index[index]
        kind = part[0].get("table_kind")
        label = _SPACES.sub("", labels.get(index) or "")
        if label and previous_label:
            continued = label == previous_label
        else:
            continued = not any(is_expenditure_total(l) for l in part)
        if groups and kind == previous_kind and kind != TableKind.OTHER and continued:
            groups[-1].extend(part)
        else:
            groups.append(list(part))
        previous_kind, previous_label = kind, label
    return groups


def printed_tables(disclosure: Disclosure) -> list[list[dict]]:
    """`table_groups` of the disclosure's figures (column-number rows left out), with the labels
    its tables print."""
    if "printed_tables" not in disclosure.memo:
        labels = {t.get("table_index"): t.get("label") for t in disclosure.tables}
        disclosure.memo["printed_tables"] = table_groups(figures(disclosure), labels)
    return disclosure.memo["printed_tables"]


# ---- what the tables say, and how far the audit may trust it ----------------------------------

def column_number_rows(lines: list[dict]) -> set[tuple]:
    """(table_index, row_index) of the rows that number the columns (栏次 1 2 3 …, ** ** 1 2 3, 行次):
    structure, never amounts, by the framing's rule (`extractors.framing.is_column_number_row`) on
    the row as printed, or on its labels and figures where the printed text was not kept. The
    readers skip such rows; this keeps them out of a database loaded before they did."""
    rows: dict[tuple, list[dict]] = defaultdict(list)
    for line in lines:
        rows[(line.get("table_index"), line.get("row_index"))].append(line)
    found = set()
    for key, cells in rows.items():
        printed = next((c["source_text"] for c in cells if c.get("source_text")), None)
        if printed is None:
            cells = sorted(cells, key=lambda c: c.get("column_index") or 0)
            labels = list(dict.fromkeys(row_label(c) for c in cells if not c.get("subject_code") and row_label(c)))
            figures = [_printed_figure(Decimal(c["amount_fen"]) / fen_per(c.get("unit_printed")))
                       for c in cells if c.get("amount_fen") is not None]
            printed = " ".join(labels + figures)
        if is_column_number_text(printed):
            found.add(key)
    return found


def _printed_figure(value: Decimal) -> str:
    """10 as '10', 2.5 as '2.5': a figure without the zeros its unit's precision adds."""
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


# A figure as a table prints it: 1,234.5 or 12.3456 or 1,234 (the row's text, `source_text`).
_PRINTED = re.compile(r"(?<![\d.])-?\d[\d,]*(?:\.(\d+))?(?![\d.%])")


def printed_steps(disclosure: Disclosure) -> None:
    """Each line's precision as printed (`_step`, in 分, `extractors.identities.step_of`): the finest
    its table prints (5 beside 2.50 is 5.00, `extractors.identities`), except that a figure whose
    own digits (in its row's text, `source_text`) stop at the unit's custom is taken at that
    custom: 12,604,173 beside 79,189,400.34 in a 元 table is within one 元, while 5 beside 2.5 in a
    万元 table is 5.0. 1260.4173万元 is compared in 元. A table whose text is not kept keeps its
    unit's custom (`Amount.of_line`)."""
    if disclosure.memo.get("printed_steps"):
        return
    finest: dict = {}
    shown: dict = {}
    for line in disclosure.lines:
        unit = line.get("unit_printed") or DEFAULT_UNIT
        text = line.get("source_text") or ""
        if text not in shown:
            tokens = []
            for match in _PRINTED.finditer(text):
                places = len(match.group(1) or "")
                if places <= FEN_DECIMALS.get(unit, 2):
                    tokens.append((Decimal(match.group(0).replace(",", "")), places))
            shown[text] = tokens
        for _, places in shown[text]:
            key = (line.get("table_index"), unit)
            finest[key] = max(finest.get(key, 0), places)
    for line in disclosure.lines:
        if "_step" in line or line.get("amount_fen") is None:
            continue
        unit = line.get("unit_printed") or DEFAULT_UNIT
        value = Decimal(line["amount_fen"]) / fen_per(unit)
        table = finest.get((line.get("table_index"), unit))
        if table is None:
            continue
        own = [places for number, places in shown.get(line.get("source_text") or "", []) if number == value]
        step = step_of(unit, table)
        if own:
            custom = UNIT_STEP.get(unit, UNIT_STEP[DEFAULT_UNIT])
            step = max(step, min(step_of(unit, min(own)), custom))
        line["_step"] = step
    disclosure.memo["printed_steps"] = True


def amount(line: dict) -> Amount:
    """A line's amount at the precision its table prints (`printed_steps`), else its unit's custom."""
    step = line.get("_step")
    return Amount.printed(int(line["amount_fen"]), step) if step else Amount.of_line(line)


def figures(disclosure: Disclosure) -> list[dict]:
    """The disclosure's lines without its column-number rows, each with its printed precision."""
    if "figures" not in disclosure.memo:
        printed_steps(disclosure)
        skip = column_number_rows(disclosure.lines)
        disclosure.memo["figures"] = [l for l in disclosure.lines
                                      if (l.get("table_index"), l.get("row_index")) not in skip]
    return disclosure.memo["figures"]


def promise(disclosure: Disclosure, severity: str | None, lines, scope_known: bool = True,
            reason: str = "the two figures may not cover the same scope in this layout") -> tuple[str | None, str]:
    """The severity a finding keeps, and why it was lowered. An `error` is a promise: figures from
    tables whose reading is not doubtful (`run_checks` lets no doubtful table in; an `unchecked`
    table, one with no identity of its own to check, is believed, for the audit's identity is then
    the first check of it), a rule whose scope fits the layout, a gap beyond the printed precision
    (`judge`). A rule whose scope is not known here gives a `warning`, and so does a figure whose
    款 or 项 code the document did not print (placed from the catalogue by the rows above it)."""
    if severity == "error" and not scope_known:
        return "warning", f" Not an error: {reason}."
    # a 类 is placed by its name, which is unique in the official list; a 款 or 项 by its context
    placed = next((ln for ln in lines if ln.get("code_source") == "catalogue" and len(ln.get("subject_code") or "") > 3),
                  None)
    if severity == "error" and placed is not None:
        return "warning", (f" Not an error: the document prints “{placed.get('subject_name') or placed.get('item')}” "
                           f"without a code; {placed.get('subject_code')} is this tool's placing of it.")
    return severity, ""


