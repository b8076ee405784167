from decimal import Decimal

import pytest

from extractors.numbers import NumberError, parse_amount, to_fen


def test_thousands_separators_and_decimals_are_exact():
    assert parse_amount("1,117,285.07") == Decimal("1117285.07")


def test_blanks_and_dashes_are_no_amount():
    for text in ("", " ", "-", "—", "\u00a0"):
        assert parse_amount(text) is None


def test_wan_and_yuan_become_exact_fen():
    assert to_fen(Decimal("1207.84"), "万元") == 1207840000
    assert to_fen(Decimal("1207.84"), "元") == 120784


def test_text_is_not_an_amount():
    with pytest.raises(NumberError):
        parse_amount("合计")
