"""Amounts as printed → exact Decimals. Never float."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from extractors.units import FEN_PER_UNIT

_BLANKS = {"", "-", "--", "—", "——", "/", "－", "…", "……"}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")



class NumberError(ValueError):
    """Text that looks like an amount but is not one."""


def clean(text: str) -> str:
    return text.translate(_FULLWIDTH).replace("\u00a0", "").replace(" ", "").strip()


def is_blank(text: str) -> bool:
    return clean(text) in _BLANKS


def is_amount(text: str) -> bool:
    t = clean(text)
    if t.startswith("(") and t.endswith(")"):
        t = t[1:-1]
    return bool(_NUMBER.match(t))


def parse_amount(text: str) -> Decimal | None:
    """'1,207.84' → Decimal('1207.84'); blanks and dashes → None; '(3.5)' → -3.5."""
    t = clean(text)
    if t in _BLANKS:
        return None
    negative = t.startswith("(") and t.endswith(")")
    if negative:
        t = t[1:-1]
    if not _NUMBER.match(t):
        raise NumberError(f"not an amount: {text!r}")
    try:
        value = Decimal(t.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid numbers
        raise NumberError(f"not an amount: {text!r}") from exc
    return -value if negative else value


def to_fen(amount: Decimal, unit: str) -> int:
    """An amount in its printed unit → integer 分 (1 元 = 100 分), exactly."""
    fen = amount * FEN_PER_UNIT[unit]
    if fen != fen.to_integral_value():
        raise NumberError(f"{amount} {unit} is not a whole number of 分")
    return int(fen)
