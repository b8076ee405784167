"""How the vocabulary compares labels (`label_key`, `plain`) and the numbering printed before a
row label ('一、', '(八)', '2.')."""
from __future__ import annotations

import re
from functools import lru_cache

_NUM_CN = "一二三四五六七八九十"
# one Chinese character (the CJK Unified Ideographs block labels and prose are printed in)
CJK_CHARACTER = re.compile(r"[\u4e00-\u9fff]")


ITEM_HEADING = re.compile(rf"^[{_NUM_CN}]+[、.．]")
ITEM_SUBHEADING = re.compile(rf"^[(（][{_NUM_CN}]+[)）]")
# Numbering before a row label: '一、', '(八)', '（3）', '2.', '①'.
ITEM_NUMBERING = re.compile(
    rf"^(?:[{_NUM_CN}]+[、.．]|[(（][{_NUM_CN}\d]+[)）]|\d+[、.．]|[①-⑳])\s*")

_BRACKETS = str.maketrans({"（": "(", "）": ")", "“": "", "”": "", '"': "", "：": ":", "\u3000": ""})
_SPACES = re.compile(r"\s+")


def label_key(label: str) -> str:
    """A label as the vocabulary compares it: no spaces, half-width brackets and colon, no quotes."""
    return _SPACES.sub("", label or "").translate(_BRACKETS)


@lru_cache(maxsize=65536)
def plain(label: str | None) -> str:
    """A row label as printed, without spaces and leading numbering:
    '(八)社会保障和就业支出' → '社会保障和就业支出'."""
    text = _SPACES.sub("", label or "").replace("（", "(").replace("）", ")")
    return ITEM_NUMBERING.sub("", text)


def _index(mapping: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {label_key(label): key for key, labels in mapping.items() for label in labels}
