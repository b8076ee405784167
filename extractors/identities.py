"""A table's arithmetic, and what rounding means, defined once.

Every printed figure is a true amount shown to the last digit its table prints. Publishers round
half up, and some cut (上海普陀 财政局 2025 states 877,080元 as 87.70万元), so a printed figure is
taken to lie within one unit of its last digit of the true amount: that unit is its *slack*. A
sum of figures carries the sum of their slacks.

Two figures of one quantity (a total and the sum of its parts, a cell and the same figure in
another table or in the text) then stand in one of three relations:

- ``EXACT``: equal, or equal once the finer is rounded to the coarser one's precision
  (404.68 stated as 404.7);
- ``ROUNDING``: different by no more than their slacks together: what rounding each printed
  figure can explain (100.00 against 25.01 + 25.01 + 25.00 + 25.00: 0.02 apart, while five
  figures of 0.01 each may be 0.05 apart);
- ``MISMATCH``: further apart than rounding can explain.

Column reconstruction (`extractors.layout`), the PDF second opinion (`extractors.pdf_checks`,
`scripts/self_consistency.py`) and the audit (`budgets.audit`) all judge with `compare` and
`holds`; each maps the three relations to its own scale (a placement score, ok / within the
document's rounding / miss, no finding / info / error).

A figure's precision is the table's: a table in 万元 prints 2 decimals, one in 元 whole 元, and a
cell printed with fewer digits than its neighbours dropped trailing zeros (5 beside 2.50 is
5.00). Where the printed digits are known (a table's cells) the finest of them gives the
precision (`printed`); where only the amount and unit are (a stored budget line) the unit's
custom does (`UNIT_STEP`).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Sequence

from extractors.numbers import NumberError, to_fen
from extractors.units import DEFAULT_UNIT, FEN_PER_UNIT, UNIT_STEP, fen_per, fen_to_wan

EXACT = "exact"
ROUNDING = "rounding"
MISMATCH = "mismatch"



@dataclass(frozen=True)
class Amount:
    """An exact amount in 分 and how much rounding it may carry (slack, in 分)."""

    fen: int
    step: int = 1  # one unit of the last printed digit
    slack: int = 0  # the largest rounding error the figure may carry

    @classmethod
    def printed(cls, fen: int, step: int) -> "Amount":
        """A figure printed to `step`: rounded half up or cut, it is within one step of the truth."""
        return cls(fen, step, step)

    @classmethod
    def of_line(cls, line: dict) -> "Amount":
        """A stored budget line (amount_fen, unit_printed): its precision is its unit's custom."""
        return cls.printed(int(line["amount_fen"]), UNIT_STEP.get(line.get("unit_printed") or "", UNIT_STEP[DEFAULT_UNIT]))

    def __add__(self, other: "Amount") -> "Amount":
        return Amount(self.fen + other.fen, max(self.step, other.step), self.slack + other.slack)

    def __sub__(self, other: "Amount") -> "Amount":
        return Amount(self.fen - other.fen, max(self.step, other.step), self.slack + other.slack)

    def __neg__(self) -> "Amount":
        return Amount(-self.fen, self.step, self.slack)

    @property
    def wan(self) -> float:
        return fen_to_wan(self.fen)


ZERO = Amount(0, 1, 0)


def total(amounts: Iterable[Amount]) -> Amount:
    result = ZERO
    for amount in amounts:
        result = result + amount
    return result


def step_of(unit: str | None, decimals: int) -> int:
    """One unit of the last digit of a figure printed with `decimals` decimals, in 分 (at least 1)."""
    return max(fen_per(unit) // 10 ** max(decimals, 0), 1)


def decimals_of(value: Decimal) -> int:
    return max(-value.as_tuple().exponent, 0)


def printed(values: Sequence[Decimal], unit: str | None = None) -> list[Amount]:
    """Figures printed in one table (in its unit; 万元 when not known — the relation of figures
    all in one unit does not depend on which), each at the finest precision any of them shows.
    Raises NumberError for a figure finer than 分."""
    unit = unit if unit in FEN_PER_UNIT else DEFAULT_UNIT
    decimals = max((decimals_of(v) for v in values), default=0)
    step = step_of(unit, decimals)
    return [Amount.printed(to_fen(v, unit), step) for v in values]


def at_finest(amounts: Sequence[Amount]) -> list[Amount]:
    """Figures printed together (a text's amount and the parts it lists), each at the finest
    precision any of them shows, as `printed` takes a table's cells: '15万元' beside '8.16万元' is
    15.00万元."""
    step = min((a.step for a in amounts), default=1)
    return [Amount.printed(a.fen, step) for a in amounts]


def quantize(fen: int, step: int) -> int:
    """`fen` rounded half up to a multiple of `step`."""
    if step <= 1:
        return fen
    return int((Decimal(fen) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step


def compare(expected: Amount, actual: Amount) -> str:
    """EXACT, ROUNDING or MISMATCH (see the module docstring)."""
    step = max(expected.step, actual.step)
    if quantize(expected.fen, step) == quantize(actual.fen, step):
        return EXACT
    if abs(expected.fen - actual.fen) <= expected.slack + actual.slack:
        return ROUNDING
    return MISMATCH


RANK = {EXACT: 0, ROUNDING: 1, MISMATCH: 2}


def best_agreement(wholes: Sequence[Amount], sums: Sequence[Amount]) -> tuple[str, int, int]:
    """How a row's printed totals stand to the sums its parts may make (合计 and a group's 小计
    printed side by side; the parts with or without an amount no column names): the relation of
    the pair that agrees best (EXACT, then ROUNDING, then the smallest gap; the first such pair in
    order), with the indexes of its whole and its sum. The reading's row checks and the audit's
    row identity judge a row with it."""
    pairs = [(compare(s, w), abs(s.fen - w.fen), i, j) for i, w in enumerate(wholes) for j, s in enumerate(sums)]
    relation, _, i, j = min(pairs, key=lambda p: (RANK[p[0]], p[1]))
    return relation, i, j


def holds(whole: Amount, parts: Iterable[Amount]) -> str:
    """Whether a printed total is the sum of its printed parts: EXACT, ROUNDING or MISMATCH."""
    return compare(total(parts), whole)


def holds_printed(whole: Decimal, parts: Sequence[Decimal], unit: str | None = None) -> str:
    """`holds` for figures as a table prints them (Decimals in the table's unit)."""
    try:
        amounts = printed([whole, *parts], unit)
    except NumberError:  # finer than 分: not an amount a table prints
        return MISMATCH
    return holds(amounts[0], amounts[1:])
