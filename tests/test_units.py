"""The units budgets are printed in, written once (extractors/units.py): 1 元 = 100 分,
1 万元 = 10 000 元, 1 亿元 = 10 000 万元."""
from __future__ import annotations

from decimal import Decimal

from extractors.identities import Amount, step_of
from extractors.narrative import stated
from extractors.numbers import to_fen
from extractors.units import DEFAULT_UNIT, FEN_DECIMALS, UNIT_STEP, fen_to_wan, fen_to_wan_sql, in_unit


def test_one_yi_yuan_is_ten_thousand_wan_yuan_in_every_reading():
    assert to_fen(Decimal("1"), "亿元") == to_fen(Decimal("10000"), "万元") == to_fen(Decimal("100000000"), "元")
    assert to_fen(Decimal("1"), "亿元") == 10_000_000_000


def test_a_sentence_in_yi_yuan_states_the_same_amount_as_one_in_wan_yuan():
    """'1.2亿元' in a 情况说明 is 12000万元, not 120万元."""
    assert stated("1.2", "亿元").fen == stated("12000", "万元").fen == 12_000 * 1_000_000


def test_a_yi_yuan_table_prints_two_decimals_as_a_wan_yuan_table_does():
    assert UNIT_STEP["亿元"] == step_of("亿元", 2) == 10_000 * UNIT_STEP["万元"]  # 0.01亿元 = 100万元
    assert Amount.of_line({"amount_fen": 123, "unit_printed": "亿元"}).step == 100_000_000


def test_the_decimals_down_to_the_fen():
    assert FEN_DECIMALS == {"元": 2, "万元": 6, "亿元": 10}


def test_a_table_shows_its_figures_in_the_unit_it_printed():
    fen = 123_456_000_000  # 12.3456亿元
    assert in_unit(fen, "亿元") == 12.3456
    assert in_unit(fen, "万元") == in_unit(fen, None) == 123456.0
    assert in_unit(fen, "元") == 1_234_560_000.0
    assert DEFAULT_UNIT == "万元"


def test_fen_as_wan_in_python_and_in_sql():
    assert fen_to_wan(578_000_000) == 578.0
    assert fen_to_wan_sql("amount_fen") == "amount_fen / 1000000.0"
