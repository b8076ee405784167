"""A table's own arithmetic: parents = sum of children, total = basic + project.

Used to choose between extraction methods for one table (the grid whose identities hold is
the right one) and by scripts/self_consistency.py to report over a corpus. A check that fails
is either an extraction bug or a real inconsistency in the published document; whether a gap
is the document's rounding is decided by `extractors.identities`, as everywhere else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.identities import EXACT, ROUNDING, holds_printed
from extractors.model import Table
from extractors.numbers import NumberError, parse_amount
from extractors.subjects import carry_code_parts
from extractors.vocabulary import CODE_PART_LABELS

_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_TOTAL_LABELS = {"合计", "总计"}
_TOTAL_COLUMNS = {"合计", "本年支出合计", "小计", "总计", "支出合计"}
_IDENTITIES = (("基本支出", "项目支出"), ("人员经费", "公用经费"))
# columns that also add up to the total when a template prints them beside basic and project
_OTHER_PARTS = ("单位预留机动经费", "结转下年资金", "上缴上级支出", "经营支出", "对附属单位补助支出")


@dataclass
class Check:
    kind: str  # hierarchy | identity
    table: str
    row: str
    column: str
    expected: Decimal  # the printed total
    actual: Decimal  # the sum of its printed parts
    parts: tuple[Decimal, ...] = ()
    unit: str | None = None

    @property
    def verdict(self) -> str:
        """EXACT, ROUNDING or MISMATCH, as `extractors.identities` judges every table."""
        return holds_printed(self.expected, list(self.parts) or [self.actual], self.unit)

    @property
    def ok(self) -> bool:
        return self.verdict == EXACT

    @property
    def rounding(self) -> bool:
        """The gap is one the rounding of the printed figures explains."""
        return self.verdict == ROUNDING


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)

    def share(self, kind: str, allow_rounding: bool = False) -> tuple[int, int]:
        """(rows whose checks all hold, rows checked) for one kind of check."""
        rows: dict[tuple[str, str], bool] = {}
        for c in self.checks:
            if c.kind == kind:
                key = (c.table, c.row)
                rows[key] = rows.get(key, True) and (c.ok or (allow_rounding and c.rounding))
        return sum(rows.values()), len(rows)


def amount(text: str) -> Decimal | None:
    try:
        return parse_amount(text)
    except NumberError:
        return None


def _leaf_labels(table: Table) -> list[str]:
    return [re.sub(r"\s+", "", path[-1]) if path else "" for path in table.column_paths()]


def row_codes(table: Table) -> list[str]:
    """Each body row's subject code: one 科目编码 column, or 类/款/项 columns joined (a 类 or 款
    left blank below the row that printed it carried down, as the normaliser reads it)."""
    labels = _leaf_labels(table)
    split = [i for i, lab in enumerate(labels) if lab in CODE_PART_LABELS]
    rows = carry_code_parts(table.rows, {i: CODE_PART_LABELS[labels[i]] for i in split})
    codes = []
    for row in rows:
        if split:
            # 款/项 are two digits; a template that lost the leading zero prints '2' for '02'
            parts = [row[i].strip() for i in split if row[i].strip().isdigit()]
            code = "".join(p if n == 0 else p.zfill(2) for n, p in enumerate(parts))
        else:
            code = next((c.replace(" ", "") for c in row if c.strip()), "")
        codes.append(code if _CODE.match(code) else "")
    return codes


_LABEL_COLUMN = re.compile(r"^(类|款|项|项目|项目名称|序号)$|编码|代码|名称|^科目$")


def amount_columns(table: Table) -> list[int]:
    labels = _leaf_labels(table)
    return [
        k for k in range(table.width)
        if not _LABEL_COLUMN.search(labels[k]) and any(amount(r[k]) is not None for r in table.rows)
    ]


def check_table(table: Table) -> list[Check]:
    checks: list[Check] = []
    name = f"p{table.page} {table.title or '(untitled)'}"

    def _check(kind, table_name, row, column, whole, parts) -> Check:
        return Check(kind, table_name, row, column, whole, sum(parts, Decimal(0)), tuple(parts), table.unit)
    codes = row_codes(table)
    columns = amount_columns(table)
    labels = _leaf_labels(table)

    def value(r: int, k: int) -> Decimal:
        return amount(table.rows[r][k]) or Decimal(0)

    # hierarchy: parent = sum of children; 合计 = sum of 类
    index = {c: i for i, c in enumerate(codes) if c}
    for r, code in enumerate(codes):
        if not code or len(code) >= 7:
            continue
        children = [i for c, i in index.items() if len(c) == len(code) + 2 and c.startswith(code)]
        if not children:
            continue
        for k in columns:
            checks.append(_check("hierarchy", name, code, labels[k], value(r, k), [value(i, k) for i in children]))
    tops = [i for c, i in index.items() if len(c) == 3]
    for r, row in enumerate(table.rows):
        label = next((c.replace(" ", "") for c in row if c.strip()), "")
        if label in _TOTAL_LABELS and tops and not codes[r]:
            for k in columns:
                checks.append(_check("hierarchy", name, label, labels[k], value(r, k), [value(i, k) for i in tops]))

    # row identity: 合计 = 基本支出 + 项目支出 (人员经费 + 公用经费)
    paths = [tuple(re.sub(r"\s+", "", p) for p in path) for path in table.column_paths()]
    for parts in _IDENTITIES:
        if parts[0] == "基本支出" and "基本支出" not in labels:
            # 基本支出 printed as its two sub-columns 人员经费 | 公用经费
            first = [k for k in range(table.width) if "基本支出" in paths[k][:-1]]
            if not first or "项目支出" not in labels:
                continue
            a, b = first[0], labels.index("项目支出")
            basic = first
        else:
            try:
                a, b = labels.index(parts[0]), labels.index(parts[1])
            except ValueError:
                continue
            basic = [a]
            if parts[0] == "人员经费" and "基本支出" in paths[a][:-1]:
                continue  # the basic-spending halves of a wider row: checked with 项目支出 above
        totals = [k for k in range(table.width) if labels[k] in _TOTAL_COLUMNS and k < a]
        if not totals:
            continue
        t = totals[-1]
        parts_at = basic + [b] + [k for k in range(t + 1, table.width) if labels[k] in _OTHER_PARTS]
        for r, row in enumerate(table.rows):
            if all(amount(row[k]) is None for k in [t] + parts_at):
                continue
            label = codes[r] or next((c for c in row if c.strip()), "")
            checks.append(_check("identity", name, f"{r}:{label}", labels[t], value(r, t),
                                 [value(r, k) for k in parts_at]))
    return checks


def check_extraction(extraction) -> Report:
    report = Report()
    for table in extraction.tables:
        report.checks.extend(check_table(table))
    return report
