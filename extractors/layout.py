"""Rebuild a table's columns when its text lost them.

A web page copied as text keeps each row's non-empty cells in order but drops empty cells and
merged-cell structure, so a row can have fewer cells than the table has columns. This module
puts every cell back in its column using only what the table itself proves:

1. the header: which group label stands over which leaf labels (a classification group over
   科目编码/科目名称, a year over 总计/基本支出/项目支出), checked by the body;
2. the kind of each cell (a code, a name, an amount) and of each column;
3. the table's accounting identities: within a row (合计 = 基本支出 + 项目支出, 小计 = its
   siblings), down a column (a parent code = the sum of its children, 合计 = the sum of the
   类 rows);
4. the layout of rows of the same shape that were placed with certainty.

A cell that none of these places with certainty is reported in `Table.unplaced`, not guessed.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractors import vocabulary as v
from extractors.columns import ColumnSpec, interpret_columns, leaf_role, row_identities
from extractors.identities import EXACT, MISMATCH, ROUNDING, holds_printed
from extractors.model import Table, Unplaced
from extractors.numbers import is_amount, parse_amount

MAX_PLACEMENTS = 20000
MAX_COMBINATIONS = 4096
_DIGITS = re.compile(r"^\d+$")


@dataclass
class RawTable:
    """A table as a text dump gives it: rows of non-empty cells, positions lost."""

    title: str
    header_rows: list[list[str]]
    body_rows: list[list[str]]
    unit: str | None = None
    label: str = ""
    notes: list[str] = field(default_factory=list)
    source_rows: list[str] = field(default_factory=list)
    index: int = 0


# ---------------------------------------------------------------- header

def header_candidates(header_rows: list[list[str]], min_width: int) -> list[list[tuple[str, ...]]]:
    """The ways the header's labels can stand over one another, as leaf paths, likeliest first.

    Each row's labels are cut into runs (a run of code/name labels, a run of measures starting
    at its 小计/总计 or where a sequence repeats), and runs are handed, in order, to the labels
    above that can head them (科目 over codes, a year or a measure group over measures)."""
    if not header_rows:
        return [[("",)] * min_width] if min_width else [[]]
    frontier = [(0.0, [[(label,), False] for label in header_rows[0]])]
    for row in header_rows[1:]:
        runs = _runs(row)
        grown = []
        for score, nodes in frontier:
            open_idx = [i for i, (path, closed) in enumerate(nodes) if not closed]
            for extra, assignment in _hand_out(runs, [nodes[i][0] for i in open_idx]):
                taken = {open_idx[k]: kids for k, kids in assignment.items()}
                new_nodes = []
                for i, (path, closed) in enumerate(nodes):
                    kids = taken.get(i)
                    if kids:
                        new_nodes.extend([[path + (kid,), False] for kid in kids])
                    else:
                        new_nodes.append([path, True])
                grown.append((score + extra, new_nodes))
        grown.sort(key=lambda item: -item[0])
        frontier = grown[:12] or frontier
    candidates = [[tuple(path) for path, _ in nodes] for _, nodes in frontier]
    fitting = [c for c in candidates if len(c) >= min_width]
    return fitting or candidates


def _is_label_run(label: str) -> bool:
    return leaf_role(label) in ("code", "code_part", "name", "unit", "unit_code", "project", "seq", "item")


def _runs(row: list[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    for label in row:
        key = v.label_key(label)
        if runs:
            run = runs[-1]
            same_kind = _is_label_run(label) == _is_label_run(run[0])
            repeats = key == v.label_key(run[0]) or key in {v.label_key(x) for x in run}
            starts_total = key in v.TOTAL_ROW_LABELS and not _is_label_run(label)
            if same_kind and not repeats and not starts_total:
                run.append(label)
                continue
        runs.append([label])
    return runs


def _can_head(parent_path, run) -> float | None:
    """How well a label heads a run of labels below it; None when it cannot."""
    parent = parent_path[-1]
    key = v.label_key(parent)
    role = leaf_role(parent)
    groups_of_labels = {v.label_key(g) for g in v.CLASSIFICATION_GROUP_LABELS}
    if role in ("code", "code_part", "name", "project", "unit", "unit_code", "seq", "text"):
        return None
    if key in v.TOTAL_ROW_LABELS:
        return None
    if key in ("收入", "支出"):
        return 1.0
    if _is_label_run(run[0]):
        return 2.0 if key in groups_of_labels else None
    if key in groups_of_labels and key != "项目":
        return None
    score = 0.5
    if re.search(r"20\d\d年|本年|上年", parent):
        score += 1
    score += sum(0.5 * _common_prefix(v.label_key(child), key) for child in run)
    return score


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n if n >= 2 else 0


def _hand_out(runs, parents):
    """Assign runs in order to parents in order, each chosen parent taking consecutive runs
    (a parent may take several only when it heads a side, 收入 or 支出, whose first run is
    its label column)."""
    results = []

    def rec(r, p, acc, score):
        if r == len(runs):
            results.append((score, dict(acc)))
            return
        if p == len(parents) or len(results) > 200:
            return
        rec(r, p + 1, acc, score)  # parent p takes nothing: it spans down
        for end in range(r + 1, len(runs) + 1):
            chunk = runs[r:end]
            if end - r > 1 and not (v.label_key(parents[p][-1]) in ("收入", "支出") and _is_label_run(chunk[0][0])):
                break
            fit = [_can_head(parents[p], run) for run in chunk]
            if any(f is None for f in fit):
                break
            acc[p] = [label for run in chunk for label in run]
            rec(end, p + 1, acc, score + sum(fit))
            del acc[p]

    rec(0, 0, {}, 0.0)
    results.sort(key=lambda item: -item[0])
    return results[:12]


# ---------------------------------------------------------------- body

def _fits(cell: str, spec: ColumnSpec) -> bool:
    text = cell.strip()
    role = spec.role
    if role == "amount":
        return is_amount(text)
    if role == "code":
        return bool(v.SUBJECT_CODE.match(text.replace(" ", ""))) or v.label_key(text) in v.TOTAL_ROW_LABELS
    if role == "code_part":
        return bool(re.match(r"^\d{2,3}$", text))
    if role in ("seq", "unit_code"):
        return bool(_DIGITS.match(text))
    if role in ("name", "item", "project", "unit"):
        return not is_amount(text) and _on_its_side(text, spec)
    return True  # free text


def _on_its_side(text: str, spec: ColumnSpec) -> bool:
    """In a two-sided summary table an expenditure row label cannot sit in the income half."""
    side = spec.label.split("/")[0]
    if side == "收入":
        return not (v.EXPENDITURE_SIDE.search(text) and "收入" not in text)
    if side == "支出":
        return not (re.search(r"收入|拨款|上年结转", text) and "支出" not in text)
    return True


def placements(cells: list[str], specs: list[ColumnSpec]):
    """Every order-preserving way to put a row's cells in columns that can hold them."""
    width = len(specs)
    count = 0

    def rec(i, col, acc):
        nonlocal count
        if count > MAX_PLACEMENTS:
            return
        if i == len(cells):
            count += 1
            yield tuple(acc)
            return
        for c in range(col, width - (len(cells) - i) + 1):
            if _fits(cells[i], specs[c]):
                acc.append(c)
                yield from rec(i + 1, c + 1, acc)
                acc.pop()

    yield from rec(0, 0, [])


def _values(cells, placement, specs) -> dict[int, Decimal]:
    return {col: parse_amount(cells[i]) for i, col in enumerate(placement) if specs[col].is_amount}


# A placement's score for one identity: exact beats a rounding gap beats a contradiction.
AGREEMENT = {EXACT: 1, ROUNDING: 0.5, MISMATCH: -1}


def agreement(total: Decimal, parts: list[Decimal]) -> float:
    """1 when the parts add up to the total, 0.5 when they differ only by what rounding the
    printed figures explains, -1 otherwise (`extractors.identities`)."""
    return AGREEMENT[holds_printed(total, parts)]


def sum_check(total: Decimal | None, parts: list[Decimal]) -> float:
    """How a printed total and its printed parts agree. Parts all blank say nothing (tables often
    print only the subtotal); parts without a total count against."""
    if total is None:
        return -1 if parts else 0
    return agreement(total, parts) if parts else 0


def identity_score(values: dict[int, Decimal], identities) -> float:
    """The row's identities (合计 = 基本支出 + 项目支出 …) summed by `sum_check`."""
    return sum(sum_check(values.get(total_col), [values[p] for p in parts if p in values])
               for total_col, parts in identities)


def _affinity(cells, placement, specs) -> float:
    """Small preferences from what a label says (a unit name in 预算单位, a code's own name)."""
    bonus = 0.0
    for i, col in enumerate(placement):
        role = specs[col].role
        text = cells[i]
        if role == "unit" and re.match(r"^\d+-|.*(局|委|院|中心|办公室|所|站|队|校)(\(本级\))?$", text):
            bonus += 0.01
        if role == "project" and not re.match(r"^\d+-", text):
            bonus += 0.005
        if role in ("code", "name", "item") and v.label_key(text) in v.TOTAL_ROW_LABELS:
            bonus += 0.01 if role == "code" else 0.005
    return bonus


@dataclass
class RowChoice:
    cells: list[str]
    options: list[tuple[int, ...]]  # best placements, all equally good by the row alone
    code: str = ""
    label: str = ""
    how: str = ""
    _values: dict = field(default_factory=dict, repr=False)

    @property
    def fixed(self) -> bool:
        return len(self.options) == 1

    def values(self, option, specs) -> dict[int, Decimal]:
        """The amounts an option puts in amount columns (cached: solving asks many times)."""
        found = self._values.get(option)
        if found is None:
            found = self._values[option] = _values(self.cells, option, specs)
        return found


def rank_row(cells, specs, identities) -> RowChoice:
    scored = []
    for p in placements(cells, specs):
        values = _values(cells, p, specs)
        scored.append((identity_score(values, identities) + _affinity(cells, p, specs), p))
    if not scored:
        return RowChoice(cells, [])
    best = max(s for s, _ in scored)
    options = [p for s, p in scored if s == best]
    choice = RowChoice(cells, options, how="row identities" if len(options) == 1 else "")
    choice.code = _row_code(cells)
    choice.label = next((c for c in cells if not is_amount(c)), "")
    return choice


def _row_code(cells) -> str:
    first = cells[0].replace(" ", "") if cells else ""
    return first if v.SUBJECT_CODE.match(first) else ""


# ---------------------------------------------------------------- columns of rows

def _relations(rows: list[RowChoice]) -> list[tuple[int, list[int]]]:
    """(parent row, child rows) pairs whose amounts must add up down each column."""
    by_code = {r.code: i for i, r in enumerate(rows) if r.code}
    relations = []
    for code, i in by_code.items():
        kids = [j for c, j in by_code.items() if len(c) == len(code) + 2 and c.startswith(code)]
        if kids:
            relations.append((i, sorted(kids)))
    top = sorted(j for c, j in by_code.items() if len(c) == 3)
    for i, r in enumerate(rows):
        if not r.code and v.label_key(r.label) in v.TOTAL_ROW_LABELS and i == _first_total(rows):
            kids = top or [j for j, other in enumerate(rows)
                           if j != i and not other.code and v.label_key(other.label) not in v.TOTAL_ROW_LABELS
                           and not v.ITEM_NUMBERING.match(other.label)]
            if kids and not any(v.ITEM_NUMBERING.match(rows[j].label) for j in kids if not rows[j].code):
                relations.append((i, kids))
    return relations


def _first_total(rows):
    return next((i for i, r in enumerate(rows) if not r.code and v.label_key(r.label) in v.TOTAL_ROW_LABELS), -1)


def _relation_score(parent, kids, choice_of, rows, specs) -> float:
    """A parent row against the sum of its child rows, column by column."""
    pv = rows[parent].values(choice_of[parent], specs)
    kid_values = [rows[k].values(choice_of[k], specs) for k in kids]
    return sum(sum_check(pv.get(col), [kv[col] for kv in kid_values if col in kv])
               for col in _amount_columns(specs))


def _amount_columns(specs) -> list[int]:
    return [col for col, spec in enumerate(specs) if spec.is_amount]


def resolve_rows(rows: list[RowChoice], specs: list[ColumnSpec]) -> None:
    """Narrow each ambiguous row's options with the column identities until nothing changes."""
    relations = _relations(rows)
    changed = True
    while changed:
        changed = False
        for parent, kids in relations:
            members = [parent] + kids
            open_members = [m for m in members if len(rows[m].options) > 1]
            if not open_members or any(not rows[m].options for m in members):
                continue
            keep = _best_choices(parent, kids, open_members, rows, specs)
            for m in open_members:
                narrowed = [o for o in rows[m].options if o in keep[m]]
                if narrowed and len(narrowed) < len(rows[m].options):
                    rows[m].options = narrowed
                    if len(narrowed) == 1:
                        rows[m].how = "column sums"
                    changed = True


def _best_choices(parent, kids, open_members, rows, specs) -> dict[int, set]:
    """The options of each open row that appear in a best-scoring combination."""
    members = [parent] + kids
    fixed = {m: rows[m].options[0] for m in members if len(rows[m].options) == 1}
    if _product([len(rows[m].options) for m in open_members]) <= MAX_COMBINATIONS:
        combos = itertools.product(*(rows[m].options for m in open_members))
    else:
        combos = _uniform_combos(open_members, rows)
    best, keep = None, {m: set(rows[m].options) for m in open_members}
    scored = []
    for combo in combos:
        choice_of = dict(fixed)
        choice_of.update(zip(open_members, combo))
        scored.append((_relation_score(parent, kids, choice_of, rows, specs), combo))
    if not scored:
        return keep
    best = max(score for score, _ in scored)
    winners = [combo for score, combo in scored if score == best]
    if _product([len(rows[m].options) for m in open_members]) > MAX_COMBINATIONS and (
            len(winners) > 1 or best <= 0):
        return keep  # too many combinations to prove one best: leave them open
    return {m: {combo[k] for combo in winners} for k, m in enumerate(open_members)}


def _uniform_combos(open_members, rows):
    """Where rows are too many to try every combination: every row takes the same column
    pattern, and each row alone departs from it (enough to prove a unique best, since a second
    departure only moves further from a sum the uniform pattern already meets)."""
    patterns = {}
    for m in open_members:
        for k, option in enumerate(rows[m].options):
            patterns.setdefault(k, None)
    for k in patterns:
        base = [rows[m].options[min(k, len(rows[m].options) - 1)] for m in open_members]
        yield tuple(base)
        for i, m in enumerate(open_members):
            for option in rows[m].options:
                if option != base[i]:
                    yield tuple(base[:i] + [option] + base[i + 1:])


def _product(sizes):
    out = 1
    for s in sizes:
        out *= s
    return out


def resolve_by_shape(rows: list[RowChoice]) -> None:
    """A row still open takes the layout that every row of the same cell kinds, placed with
    certainty in this table, has (when they all agree and it is one of its options)."""
    settled: dict[tuple, dict[tuple, int]] = {}
    for row in rows:
        if row.fixed and not row.how.startswith("same layout"):
            counts = settled.setdefault(_kinds(row.cells), {})
            counts[row.options[0]] = counts.get(row.options[0], 0) + 1
    for row in rows:
        if len(row.options) > 1:
            seen = settled.get(_kinds(row.cells), {})
            agreeing = {p: n for p, n in seen.items() if p in row.options}
            if len(agreeing) == 1 and len(seen) == 1:
                (choice, n), = agreeing.items()
                row.options = [choice]
                row.how = f"same layout as {n} rows placed with certainty"


def _kinds(cells) -> tuple:
    return tuple("n" if is_amount(c) else "c" if v.SUBJECT_CODE.match(c.replace(" ", "")) else "t" for c in cells)


# ---------------------------------------------------------------- whole table

@dataclass
class Layout:
    """A table's chosen header and, per body row, the placements still possible."""

    raw: RawTable
    paths: list[tuple[str, ...]]
    specs: list[ColumnSpec]
    rows: list[RowChoice]

    def to_table(self) -> Table:
        return _to_table(self.raw, self.paths, self.specs, self.rows)


def plan(raw: RawTable, fiscal_year: int | None = None, stage: str | None = None) -> Layout | None:
    """Choose the header that the body agrees with best, and place rows by the table's own
    identities. None when no header gives the rows enough columns."""
    min_width = max((len(r) for r in raw.body_rows), default=0)
    best = None
    for paths in header_candidates(raw.header_rows, min_width):
        specs = interpret_columns(paths, fiscal_year, stage)
        identities = row_identities(specs)
        rows = [rank_row(cells, specs, identities) for cells in raw.body_rows]
        if any(not r.options for r in rows):
            continue
        resolve_rows(rows, specs)
        score = sum(identity_score(_values(r.cells, r.options[0], specs), identities)
                    for r in rows if r.fixed) - sum(1 for r in rows if not r.fixed)
        if best is None or score > best[0]:
            best = (score, Layout(raw, paths, specs, rows))
    return best[1] if best else None


def rebuild(raw: RawTable, fiscal_year: int | None = None, stage: str | None = None) -> Table:
    """One table on its own: plan, then rows of the same shape (see module docstring)."""
    layout = plan(raw, fiscal_year, stage)
    if layout is None:
        return unplaceable(raw)
    resolve_by_shape(layout.rows)
    return layout.to_table()


def _to_table(raw, paths, specs, rows) -> Table:
    width = len(paths)
    depth = max(len(p) for p in paths) if paths else 0
    header = [[(p[level] if level < len(p) else p[-1]) for p in paths] for level in range(depth)]
    grid, unplaced = [], []
    for r, row in enumerate(rows):
        line = [""] * width
        certain = _certain_cells(row)
        for i, cell in enumerate(row.cells):
            col = certain.get(i)
            if col is None:
                cols = sorted({o[i] for o in row.options})
                unplaced.append(Unplaced(
                    r, cell, ["/".join(paths[c]) for c in cols],
                    "several columns fit this cell equally well by the table's identities, "
                    "the other tables and the narrative",
                ))
            else:
                line[col] = cell
        grid.append(line)
    return Table(title=raw.title, header=header, rows=grid, unit=raw.unit, index=raw.index,
                 label=raw.label, source_rows=raw.source_rows, notes=raw.notes, unplaced=unplaced)


def _certain_cells(row: RowChoice) -> dict[int, int]:
    """Cells whose column is the same in every remaining option."""
    if not row.options:
        return {}
    out = {}
    for i in range(len(row.cells)):
        cols = {o[i] for o in row.options}
        if len(cols) == 1:
            out[i] = cols.pop()
    return out


def unplaceable(raw: RawTable) -> Table:
    width = max((len(r) for r in raw.header_rows + raw.body_rows), default=0)
    unplaced = [Unplaced(r, cell, [], "the header does not give this row enough columns")
                for r, cells in enumerate(raw.body_rows) for cell in cells if is_amount(cell)]
    return Table(title=raw.title, header=[r + [""] * (width - len(r)) for r in raw.header_rows],
                 rows=[], unit=raw.unit, index=raw.index, label=raw.label, notes=raw.notes,
                 unplaced=unplaced)


def as_ragged_table(raw: RawTable) -> Table:
    """The rows as printed, padded to one width, for tables that hold text rather than amounts."""
    rows = raw.header_rows + raw.body_rows
    width = max((len(r) for r in rows), default=0)
    return Table(title=raw.title, header=[], rows=[r + [""] * (width - len(r)) for r in rows],
                 unit=raw.unit, index=raw.index, label=raw.label,
                 source_rows=[" | ".join(r) for r in rows], notes=raw.notes)
