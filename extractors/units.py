"""The units budgets are printed in (元, 万元, 亿元) and what each is worth in 分, the integer unit
every amount is kept in (1 元 = 100 分). Every factor between them is written here once: reading
(extractors/numbers.py), the tables' arithmetic (extractors/identities.py), the audit and the web
pages (plugins/budgets_site.py) use these.
"""
from __future__ import annotations

from decimal import Decimal

YUAN = "元"
WAN = "万元"
YI = "亿元"

# 1 亿元 = 10 000 万元 = 100 000 000 元 = 10 000 000 000 分 (until this module two of the four tables
# that held these factors said 100 000 000 分, a hundredth of it)
FEN_PER_UNIT = {YUAN: 100, WAN: 1_000_000, YI: 10_000_000_000}
FEN_PER_WAN = FEN_PER_UNIT[WAN]
# a table that does not say its unit is read in 万元, the unit nearly every disclosure prints
DEFAULT_UNIT = WAN
# One unit of the last digit a table in this unit customarily prints, in 分: 万元 and 亿元 tables
# print two decimals, 元 tables whole 元 (the few that print 分 are then judged a little loosely).
UNIT_STEP = {WAN: FEN_PER_UNIT[WAN] // 100, YUAN: FEN_PER_UNIT[YUAN], YI: FEN_PER_UNIT[YI] // 100}
# the decimals down to the 分 in each unit (元: 2, 万元: 6, 亿元: 10): finer is no amount of money
FEN_DECIMALS = {unit: len(str(fen)) - 1 for unit, fen in FEN_PER_UNIT.items()}


def fen_per(unit: str | None) -> int:
    """分 in one `unit`; a unit not known (or not printed) is 万元."""
    return FEN_PER_UNIT.get(unit or DEFAULT_UNIT, FEN_PER_WAN)


def fen_to_wan(fen: int) -> float:
    """分 → 万元, for the amount_wan columns (exact in Decimal, then rounded once to a float)."""
    return float(Decimal(fen) / FEN_PER_WAN)


def fen_to_wan_sql(expression: str) -> str:
    """SQL: an expression in 分 as 万元 (a real)."""
    return f"{expression} / {FEN_PER_WAN}.0"


def in_unit(fen: int, unit: str | None) -> float:
    """An amount in 分 as a number in the unit a table printed (元, 万元, 亿元; 万元 when not known):
    a page shows a table's figures as the table printed them, under its 单位."""
    return fen / fen_per(unit)
