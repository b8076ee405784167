"""Is a text layer readable? A plausibility measure for the text of a Chinese disclosure.

A PDF's text is only what its fonts' ToUnicode maps say each glyph is. Publishing tools that
embed subset fonts without a map leave glyph codes (`(cid:123)` in pdfminer's text), tools that
map glyphs to the Private Use Area leave code points no reader can interpret, and a map that is
wrong for the digits turns every amount, and every year, into other digits. Such a layer reads
"fine" to a parser: tables are found, cells are filled, nothing raises. `measure` counts what a
Chinese disclosure is made of (CJK characters, digits, common punctuation) and what garbled
layers are made of; `garbled` says, in words, why a text must be read from the page images
instead. Pure functions: text in, numbers and a sentence out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_CID = re.compile(r"\(cid:\d+\)")
_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年(?!\d)")
_PUNCTUATION = set("，。、；：？！“”‘’（）《》【】〔〕—…·％%．.,;:?!()[]<>「」『』-+/*=～~·")

# a layer is garbled when at least this share of its characters are glyph codes / private use
MAX_CID_SHARE = 0.25
MAX_PRIVATE_SHARE = 0.25
# ... or when fewer than this share are CJK, digits, punctuation or Latin letters, over at least
MIN_PLAUSIBLE_SHARE = 0.5
MIN_CHARACTERS = 200
# a Chinese disclosure names its fiscal year: year-like numbers, none of them in this range, mean
# the digits are mapped wrong (counted when the text has at least MIN_YEARS of them)
YEARS = range(1990, 2100)
MIN_YEARS = 3


@dataclass(frozen=True)
class TextQuality:
    characters: int  # characters other than white space; a `(cid:N)` code counts as one
    cid: int  # glyph codes without a Unicode meaning
    private: int  # Private Use Area code points
    cjk: int  # CJK ideographs
    digits: int
    punctuation: int
    latin: int  # ASCII letters
    years: int  # four-digit numbers followed by 年
    plausible_years: int  # ... of them in YEARS

    def share(self, count: int) -> float:
        return count / self.characters if self.characters else 0.0

    @property
    def plausible(self) -> float:
        """Share of the characters a Chinese disclosure is made of."""
        return self.share(self.cjk + self.digits + self.punctuation + self.latin)


def measure(text: str) -> TextQuality:
    cid = len(_CID.findall(text))
    rest = _CID.sub("", text)
    counts = {"private": 0, "cjk": 0, "digits": 0, "punctuation": 0, "latin": 0}
    characters = cid
    for ch in rest:
        if ch.isspace():
            continue
        characters += 1
        o = ord(ch)
        if 0xE000 <= o <= 0xF8FF or 0xF0000 <= o <= 0x10FFFD:
            counts["private"] += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
            counts["cjk"] += 1
        elif ch.isdigit():
            counts["digits"] += 1
        elif ch in _PUNCTUATION or 0xFF01 <= o <= 0xFF5E:  # full-width forms
            counts["punctuation"] += 1
        elif ch.isascii() and ch.isalpha():
            counts["latin"] += 1
    years = [int(y) for y in _YEAR.findall(rest)]
    return TextQuality(characters, cid, plausible_years=sum(y in YEARS for y in years), years=len(years),
                       **counts)


def garbled(quality: TextQuality) -> str | None:
    """Why the text cannot be taken as printed, or None when it reads like a disclosure."""
    if not quality.characters:
        return None
    pct = lambda count: f"{100 * quality.share(count):.0f}%"  # noqa: E731
    if quality.share(quality.cid) >= MAX_CID_SHARE:
        return (f"{pct(quality.cid)} of its {quality.characters} characters are glyph codes (cid:N) "
                "that its fonts do not map to Unicode")
    if quality.share(quality.private) >= MAX_PRIVATE_SHARE:
        return (f"{pct(quality.private)} of its {quality.characters} characters are private-use code "
                "points that its fonts map to no real character")
    if quality.characters >= MIN_CHARACTERS and quality.plausible < MIN_PLAUSIBLE_SHARE:
        return (f"only {100 * quality.plausible:.0f}% of its {quality.characters} characters are Chinese, "
                "digits, letters or punctuation: the text layer does not say what the page shows")
    if quality.years >= MIN_YEARS and not quality.plausible_years:
        return (f"none of its {quality.years} years (NNNN年) is a year from {YEARS.start} to "
                f"{YEARS.stop - 1}: its fonts map the digits to other digits")
    return None
