"""What each column of a table means, from its header labels.

`interpret_columns` turns each column's header path (('2026年预算数', '基本支出')) into a
`ColumnSpec`: its role (a code, a name, a row label, an amount) and, for amounts, the measure,
the year the amount refers to and its basis. Pure functions over data in `vocabulary`.

The header is the first guess; the table's own arithmetic confirms or corrects it
(`confirm_by_arithmetic`): a row's total is the sum of its parts, so the column that is the sum
of 基本支出 and 项目支出 on every row is the row's total whatever its header says.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from extractors import vocabulary as v
from extractors.identities import MISMATCH, holds_printed
from extractors.numbers import NumberError, is_amount, parse_amount

_YEAR = re.compile(r"(20\d\d)\s*年")
_PRIOR_YEAR = re.compile(r"^上年(度)?(预算|决算|执行)?数?$|^上年(预算|决算)")
_LABEL_ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("code", v.CODE_LABELS),
    ("unit_code", v.UNIT_CODE_LABELS),
    ("name", v.SUBJECT_NAME_LABELS),
    ("project", v.PROJECT_LABELS),
    ("unit", v.UNIT_LABELS),
    ("seq", v.SEQUENCE_LABELS),
    ("text", v.TEXT_LABELS),
    ("item", v.ITEM_LABELS),
]
ROLE_BY_LABEL = {v.label_key(label): role for role, labels in _LABEL_ROLES for label in labels}
LABEL_ROLES = {"code", "code_part", "name", "item", "project", "unit", "unit_code", "seq", "text"}


@dataclass(frozen=True)
class ColumnSpec:
    role: str  # code | code_part | name | item | project | unit | unit_code | seq | text | amount
    label: str = ""  # the header path, joined with '/'
    measure: str | None = None
    year: int | None = None
    basis: str | None = None
    part: int | None = None  # 类 0, 款 1, 项 2 for code_part columns
    group: tuple[str, ...] = ()  # the header path above the leaf
    # where an amount column's reading came from: 'vocabulary' (its header named it),
    # 'arithmetic' (the table's identities decided or corrected it), 'content' (its cells did),
    # 'unknown' (nothing did: measure 'other')
    source: str = "vocabulary"

    @property
    def is_amount(self) -> bool:
        return self.role == "amount"

    @property
    def is_label(self) -> bool:
        return self.role in LABEL_ROLES


def leaf_role(label: str) -> str | None:
    key = v.label_key(label)
    if key in v.CODE_PART_LABELS:
        return "code_part"
    role = ROLE_BY_LABEL.get(key)
    if role is not None:
        return role
    if v.UNIT_CODE_LABEL.search(key):
        return "unit_code"
    if v.PROJECT_CODE_LABEL.search(key):
        return "text"  # a project's code: the project's name column says which project
    if v.CODE_LABEL.search(key):
        return "code"
    return None


def measure_of(label: str) -> str | None:
    """The measure a label names: exactly (`vocabulary.MEASURE_LABELS`), else by a pattern
    (`vocabulary.MEASURE_PATTERNS`), a leading year ('2025年“三公”经费支出合计') dropped."""
    key = v.UNIT_SUFFIX.sub("", v.PART_OF_PREFIX.sub("", v.label_key(label)))
    measure = v.MEASURE_BY_LABEL.get(key)
    if measure:
        return measure
    bare = v.LEADING_YEAR.sub("", key)
    measure = v.MEASURE_BY_LABEL.get(bare) if bare != key and not v.AMOUNT_ONLY_LABEL.match(bare) else None
    if measure:
        return measure
    return next((m for pattern, m in v.MEASURE_PATTERNS if pattern.search(bare)), None)


def is_amount_only(label: str) -> bool:
    """A leaf that says how much and when but not what: 合计, 小计, 预算数, 2025年决算数."""
    key = v.label_key(label)
    return bool(key) and (bool(v.AMOUNT_ONLY_LABEL.match(key)) or v.MEASURE_BY_LABEL.get(key) == "total")


def group_measure(groups: tuple[str, ...]) -> str | None:
    """The measure the nearest group label above a leaf names, among those a group decides
    (`vocabulary.GROUP_MEASURES`); labels that only say how much (合计 under 合计) are passed over
    unless nothing nearer names one."""
    for label in reversed(groups):
        if is_amount_only(label) and v.label_key(label) not in v.GRAND_TOTAL_LABELS:
            continue
        measure = measure_of(label)
        if measure in v.GROUP_MEASURES:
            return measure
    return None


def row_measure(label: str) -> str | None:
    """What a 三公 table's row names when it prints the items as rows: '1.因公出国(境)费用' →
    overseas_travel, '其中：运行维护费' → vehicle_operation; None for any other row."""
    text = v.ROW_PART_PREFIX.sub("", v.plain(label))
    text = v.ITEM_NUMBERING.sub("", text)
    measure = measure_of(text) or v.THREE_PUBLIC_ROW_PARTS.get(v.label_key(text))
    return measure if measure in v.THREE_PUBLIC_MEASURE_SET else None


def year_of(path: tuple[str, ...], fiscal_year: int | None) -> int | None:
    for label in path:
        m = _YEAR.search(label)
        if m:
            return int(m.group(1))
    for label in path:
        key = v.label_key(label)
        if fiscal_year and _PRIOR_YEAR.match(key):
            return fiscal_year - 1
    return fiscal_year


def basis_of(path: tuple[str, ...], stage: str | None) -> str:
    """The basis the column's labels name (`vocabulary.basis_of`, the rule the audit applies to
    sentences too), else the document's own: a final account's amounts are actuals."""
    return v.basis_of("".join(path), stage, column=True)


def interpret_columns(paths: list[tuple[str, ...]], fiscal_year: int | None = None,
                      stage: str | None = None) -> list[ColumnSpec]:
    specs = []
    for col, path in enumerate(paths):
        specs.append(interpret_column(path, fiscal_year, stage, siblings=_siblings(paths, col)))
    return _group_totals_beside_the_row_total(_income_beside_spending(specs))


def _group_totals_beside_the_row_total(specs: list[ColumnSpec]) -> list[ColumnSpec]:
    """Wide tables print groups (2026年政府采购项目 / 小计 | 货物 | 工程; 财政拨款 / 合计 | 一般公共预算 …)
    beside the row's own total (支出总计, 总计, 合计). A group's 小计 or 合计 is that group's total:
    the measure its group names, else unknown; the row's total is the one under the fewest groups."""
    out = list(specs)
    for group in amount_groups(specs):
        totals = [c for c in group if specs[c].measure == "total"]
        if len(totals) < 2:
            continue
        depth = min(len(specs[c].group) for c in totals)
        row_total = any(len(specs[c].group) == depth and not _is_subtotal(specs[c]) for c in totals)
        for col in totals:
            spec = specs[col]
            leaf = spec.label.split("/")[-1]
            # a 小计 beside a 合计 or 总计 is some group's, whether or not its group label was read
            if (len(spec.group) > depth and is_amount_only(leaf)) or (row_total and _is_subtotal(spec)):
                named = next((m for m in map(measure_of, reversed(spec.group)) if m and m != "total"), None)
                out[col] = replace(spec, measure=named or "other", source="vocabulary" if named else "unknown")
    return out


def _income_beside_spending(specs: list[ColumnSpec]) -> list[ColumnSpec]:
    """本年收入合计 is a row's total in an income table, but beside 本年支出(合计) (a final
    account's 收入支出决算表) it is what came in: `income`, not a second `total`."""
    if not any(v.SPENDING_WORD in s.label for s in specs if s.is_amount):
        return specs
    return [replace(s, measure="income") if s.is_amount and s.measure == "total" and
            v.label_key(s.label.split("/")[-1]) == v.INCOME_TOTAL_LABEL else s for s in specs]


def _siblings(paths, col) -> set[str]:
    group = paths[col][:-1]
    return {v.label_key(p[-1]) for p in paths if p and p[:-1] == group}


def interpret_column(path: tuple[str, ...], fiscal_year: int | None, stage: str | None,
                     siblings: set[str] = frozenset()) -> ColumnSpec:
    label = "/".join(path)
    if len(path) > 1 and v.CODE_PARTS_LINE.match(v.label_key(path[-1])):
        path = path[:-1]  # 合计 / 类款项: the code's 类 款 项 line printed across the amounts' cells too
    if not path:
        return ColumnSpec("text", label)
    leaf = path[-1]
    role = leaf_role(leaf)
    if role == "item" and len(path) > 1 and _wrapped_label(path):
        role = None  # 日常公用 / 支出: the label's last word on a header line of its own
    if role == "code_part":
        return ColumnSpec("code_part", label, part=v.CODE_PART_LABELS[v.label_key(leaf)])
    if role is not None and not (role == "item" and len(path) == 1 and measure_of(leaf)):
        return ColumnSpec(role, label)
    if role is None and is_amount_only(leaf):
        # 功能分类科目编码/合计: a code column whose first body row (合计) was read into the header
        above = next((leaf_role(p) for p in reversed(path[:-1]) if leaf_role(p) in ("code", "name")), None)
        if above:
            return ColumnSpec(above, label)
    measure = _measure_for_path(path, siblings) or _unwrapped_measure(path)
    return ColumnSpec("amount", label, measure=measure or "other", year=year_of(path, fiscal_year),
                      basis=basis_of(path, stage), group=tuple(path[:-1]),
                      source="vocabulary" if measure else "unknown")


def _is_subtotal(spec: ColumnSpec) -> bool:
    return v.label_key(spec.label.split("/")[-1]) in v.SUBTOTAL_LABELS


def _wrapped_label(path: tuple[str, ...]) -> bool:
    """Whether the last two labels are one label wrapped (日常公用 / 支出): joined they name a
    measure, while the upper alone names nothing."""
    upper = path[-2]
    return bool(measure_of(upper + path[-1])) and not measure_of(upper) and leaf_role(upper) is None


def _unwrapped_measure(path: tuple[str, ...]) -> str | None:
    """A label printed over two or more header lines (事业单位 / 经营支出, 日常公用 / 支出) reads
    as a path of labels that name nothing; joined again, its pieces name the measure."""
    for pieces in range(2, len(path) + 1):
        measure = measure_of("".join(path[-pieces:]))
        if measure:
            return measure
    return None


def _measure_for_path(path: tuple[str, ...], siblings: set[str]) -> str | None:
    leaf = v.label_key(path[-1])
    truncated = v.TRUNCATED_MEASURE_LABELS.get(leaf)
    if truncated and v.label_key(truncated[1]) in siblings:
        return truncated[0]
    # a group over a label column of its own (本年收入: 项目 | 预算数) is one side of a two-sided
    # table, not a measure
    side = any(leaf_role(label) in LABEL_ROLES for label in siblings)
    group = None if side else group_measure(path[:-1])
    if group in ("carryover", "carryover_end"):
        # 年末结转和结余/基本支出结转, …/项目支出结转和结余: the carryover's parts, not this year's spending
        part = measure_of(v.CARRYOVER_PART_SUFFIX.sub("", leaf))
        if (group, part) in v.CARRYOVER_PARTS:
            return v.CARRYOVER_PARTS[(group, part)]
    if leaf in v.SUBTOTAL_LABELS:
        for label in reversed(path[:-1]):
            measure = measure_of(label)
            if measure:
                return measure
        return "total"
    if group and is_amount_only(path[-1]):
        return group  # 财政拨款“三公”经费/因公出国(境)费/预算数, 年初结转和结余/合计
    measure = measure_of(path[-1])
    if measure:
        return measure
    if len(path) > 1 and not _YEAR.search(path[-1]):
        return None  # an unnamed part of a group (A, B, C): not the group's own measure
    label = path[-1]
    if _YEAR.search(label) and ("预算" in label or "决算" in label or "数" in label or "支出" in label):
        return "total"
    return None


def row_identities(specs: list[ColumnSpec]) -> list[tuple[int, tuple[int, ...]]]:
    """(total column, component columns) pairs that must add up within a row.

    Columns are grouped by the label column that owns them (a two-sided summary table has two
    owners) and by year; within a group, every decomposition in the vocabulary whose total and
    at least two parts are present is an identity, and so is every 小计 over its siblings.
    """
    identities = []
    for group in amount_groups(specs):
        by_measure: dict[str, list[int]] = {}
        for col in group:
            by_measure.setdefault(specs[col].measure, []).append(col)
        for total, parts in v.DECOMPOSITIONS:
            if total not in by_measure:
                continue
            present = [by_measure[p][0] for p in parts if p in by_measure and len(by_measure[p]) == 1]
            if len(present) >= 2 and len(by_measure[total]) == 1:
                identities.append((by_measure[total][0], tuple(present)))
        for col in group:
            if v.label_key(specs[col].label.split("/")[-1]) in v.SUBTOTAL_LABELS and specs[col].measure in (
                    None, "other", "total", "initial_allocation", "superior_special"):
                parts = tuple(c for c in group if c != col and specs[c].group == specs[col].group)
                if len(parts) >= 2 and not any(i[0] == col for i in identities):
                    identities.append((col, parts))
    return identities


def amount_groups(specs: list[ColumnSpec]) -> list[list[int]]:
    """Runs of amount columns that share an owner (the label columns to their left) and a year."""
    groups: list[list[int]] = []
    owner = 0
    current: dict[tuple, list[int]] = {}
    for col, spec in enumerate(specs):
        if spec.is_label:
            if current:
                groups.extend(current.values())
                current = {}
            owner += 1
            continue
        if spec.is_amount:
            current.setdefault((owner, spec.year), []).append(col)
    groups.extend(current.values())
    return groups


def is_data_row(cells: list[str]) -> bool:
    """Whether a row's non-empty cells (in order) are body rather than column labels: it holds
    an amount or begins with a subject code, or it is a total row (合计 with no labels beside it;
    a row of column labels can begin with 总计 too)."""
    if not cells:
        return False
    if any(is_amount(c) and not v.SUBJECT_CODE.match(c) for c in cells):
        return True
    first = v.label_key(cells[0])
    if v.SUBJECT_CODE.match(first):
        return True
    known = sum(1 for c in cells if measure_of(c) or leaf_role(c) or v.label_key(c) in v.SUBTOTAL_LABELS)
    return first in v.TOTAL_ROW_LABELS and not (len(cells) >= 3 and known * 2 >= len(cells))


def labels_by_content(specs: list[ColumnSpec], rows: list[list[str]]) -> list[ColumnSpec]:
    """A column whose header names nothing and whose cells are all words, never an amount
    (部门预算支出经济科目, 支出项目类别（资金使用单位）: the row labels under a template's own name)
    labels the rows: an item column, read from its content."""
    out = list(specs)
    first_named = next((c for c, s in enumerate(specs) if s.is_amount and s.measure not in (None, "other")),
                       len(specs))
    for col, spec in enumerate(specs[:first_named]):  # row labels stand before the amounts
        if not spec.is_amount:
            continue
        cells = [row[col].strip() for row in rows if col < len(row) and row[col].strip()]
        if cells and not any(is_amount(c) for c in cells) and any(_has_words(c) for c in cells):
            out[col] = ColumnSpec("item", spec.label, source="content")
    return out


def labels_by_position(paths: list[tuple[str, ...]], rows: list[list[str]]) -> list[tuple[str, ...]]:
    """Header paths moved onto the columns their amounts were printed in, where the reader set a
    header's labels a column off its body (an unruled header over a ruled body: 湖州's
    政府性基金预算支出表 prints 合计 | 基本支出 | 项目支出 over amounts that land in the blank columns
    between them), so that no labelled column holds an amount. An unlabelled column holding amounts takes the label of the nearest column that
    is labelled but blank in every body row, one column away at most (the left one on a tie); a
    label is taken once, and the blank column keeps it (so it is no row label: it gives no line)."""
    width = len(paths)
    filled = [any(col < len(row) and is_amount(row[col].strip()) for row in rows) for col in range(width)]
    blank = [not any(col < len(row) and row[col].strip() for row in rows) for col in range(width)]
    # a blank column under a group label only (本年收入 over 项目 | | 预算数, where a converted page
    # kept the merged cell's width) is no column of its own
    paths = [() if blank[c] and paths[c] and any(
        0 <= n < width and len(paths[n]) > len(paths[c]) and paths[n][:len(paths[c])] == paths[c]
        for n in (c - 1, c + 1)) else paths[c] for c in range(width)]
    unlabelled = [c for c in range(width) if not paths[c] and filled[c]]
    free = [c for c in range(width) if paths[c] and not filled[c] and leaf_role(paths[c][-1]) is None]
    labelled_amounts = [c for c in range(width) if paths[c] and filled[c] and leaf_role(paths[c][-1]) is None]
    if not unlabelled or not free or labelled_amounts:
        return paths  # only a header set off its body as a whole: no labelled column holds amounts
    out = list(paths)
    for col in unlabelled:
        near = [c for c in (col - 1, col + 1) if c in free]
        if near:
            free.remove(near[0])
            out[col] = paths[near[0]]  # the blank column keeps its label: it gives no line
    return out


def amounts_by_content(specs: list[ColumnSpec], rows: list[list[str]], fiscal_year: int | None = None,
                       stage: str | None = None) -> list[ColumnSpec]:
    """A column the header makes a code (功能分类科目编码 / 合计 read as one path; 合计 / 类 where the
    类 款 项 line runs on under the amounts) whose cells are all money (1,260.37, 326,658,710), never
    a code, is an amount column: its measure is what the rest of its header names."""
    out = list(specs)
    for col, spec in enumerate(specs):
        if spec.role not in ("code", "code_part"):
            continue
        cells = [row[col].strip() for row in rows if col < len(row) and row[col].strip()]
        if not cells or not all(is_amount(c) and not v.SUBJECT_CODE_SPACED.match(c) for c in cells) \
                or not any("." in c or "," in c for c in cells):
            continue
        words = tuple(p for p in spec.label.split("/") if leaf_role(p) not in ("code", "code_part")
                      and not v.CODE_PARTS_LINE.match(v.label_key(p)))
        measure = _measure_for_path(words, set()) if words else None
        out[col] = ColumnSpec("amount", spec.label, measure=measure or "other", year=year_of(words, fiscal_year),
                              basis=basis_of(words, stage), group=words[:-1],
                              source="content" if measure else "unknown")
    return out


def _has_words(cell: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in cell)


# ---- the table's arithmetic confirms or corrects the header's reading ------------------------

# Share of a table's rows on which a reading must hold for arithmetic to adopt it (a row or two
# may be misprinted or split by a page break); a header's own reading is kept while it holds on
# at least KEEP of them.
ADOPT, KEEP = Decimal("0.95"), Decimal("0.8")
_TOTAL_DECOMPOSITIONS = [parts for whole, parts in v.DECOMPOSITIONS if whole == "total"]


def confirm_by_arithmetic(specs: list[ColumnSpec], rows: list[list[str]],
                          unit: str | None = None) -> list[ColumnSpec]:
    """The specs with each amount group's row total settled by the table's rows.

    Within each group of amount columns (one owner, one year), the header's reading is kept
    where its total is the sum of its parts (基本支出 + 项目支出 …) on the rows. Where the header
    named no total, or its total does not add up while another column does, the column that is
    the sum of the parts on every row is the row's total (source 'arithmetic') and the header's
    total, which did not add up, is left unknown. A table whose header names no parts at all
    (its labels lost) gets its total where one unlabelled column is the sum of the unlabelled
    columns after it."""
    out = list(specs)
    for group in amount_groups(specs):
        values = {col: _column_values(rows, col) for col in group}
        out = _name_part_totals(_settle_row_total(out, group, values, unit), group, values, unit)
    return out


def _name_part_totals(specs, group, values, unit) -> list[ColumnSpec]:
    """An unknown column that is, on the rows, the sum of parts the vocabulary knows a whole of
    (`vocabulary.PART_TOTALS`: 小计 beside 人员经费 and 公用经费 is 基本支出) is that whole."""
    out = list(specs)
    for whole, parts in v.PART_TOTALS:
        if any(out[c].measure == whole for c in group):
            continue
        cols = [c for c in group if out[c].measure in parts]
        if len(cols) < 2 or len({out[c].measure for c in cols}) < len(cols):
            continue
        for col in (c for c in group if c < min(cols) and out[c].measure in (None, "other")):
            if _holding(values[col], [values[c] for c in cols], unit, informative=True) >= ADOPT:
                out[col] = replace(out[col], measure=whole, source="arithmetic")
                break
    return out


def _column_values(rows: list[list[str]], col: int) -> list[Decimal | None]:
    values = []
    for row in rows:
        try:
            values.append(parse_amount(row[col]) if col < len(row) else None)
        except NumberError:
            values.append(None)
    return values


def _settle_row_total(specs, group, values, unit) -> list[ColumnSpec]:
    by_measure: dict[str, list[int]] = {}
    for col in group:
        by_measure.setdefault(specs[col].measure, []).append(col)
    printed = [cols for cols in (
        [by_measure[m][0] for m in parts if len(by_measure.get(m, ())) == 1] for parts in _TOTAL_DECOMPOSITIONS)
        if len(cols) >= 2]
    # the fullest reading the table prints: 人员经费 + 公用经费 alone make up 基本支出 (a 小计), not
    # the 合计 beside 项目支出
    part_sets = sorted((cols for cols in printed if not any(set(cols) < set(other) for other in printed)),
                       key=len, reverse=True)
    unknown = [c for c in group if specs[c].measure in (None, "other") and not specs[c].label.strip("/ ")]
    if not part_sets and len(unknown) >= 3:
        part_sets = [unknown[i + 1:] for i in range(len(unknown) - 2)]
    current = next((c for c in group if specs[c].measure == "total"), None)
    for parts in part_sets:
        figures = [values[p] for p in parts]
        if current is not None and _holding(values[current], figures, unit) >= KEEP:
            return specs  # the header's total adds up
        # a row's total is printed before its parts
        candidates = [c for c in group if c < min(parts) and c != current
                      and specs[c].measure in (None, "other", "total")]
        for col in candidates:
            if _holding(values[col], figures, unit, informative=True) >= ADOPT:
                out = list(specs)
                out[col] = replace(specs[col], measure="total", source="arithmetic")
                if current is not None:
                    out[current] = replace(specs[current], measure="other", source="unknown")
                return out
    return specs


def _holding(whole: list, parts: list[list], unit: str | None, informative: bool = False) -> Decimal:
    """The share of rows on which `whole` is the sum of `parts` (a blank part is nothing); 0
    where no row can tell, or (`informative`) where no row has two parts that are not zero, as
    a total beside one part and zeros is equal to that part by coincidence."""
    checked = held = told = 0
    for r, total in enumerate(whole):
        figures = [p[r] for p in parts]
        if total is None or all(f is None for f in figures):
            continue
        present = [f or Decimal(0) for f in figures]
        if total == 0 and not any(present):
            continue
        checked += 1
        told += sum(1 for f in present if f) >= 2
        held += holds_printed(total, present, unit) != MISMATCH
    if not checked or (informative and not told):
        return Decimal(0)
    return Decimal(held) / checked
