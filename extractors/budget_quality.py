"""Does what was read say a budget's figures? Judged by what a budget needs, not by script.

A text layer can be garbled in ways `extractors.text_quality` cannot see by its characters: every
glyph mapped to some other Chinese character (tables are found, their cells hold no digit), or
the digits mapped to other digits with the years left alone (every amount reads, none is right).
A budget's tables print amounts, and its amounts add up; so:

- `no_amounts`: tables were found but not one cell, and not one sentence, holds a digit;
- `sums_fail`: the sums that involve two or more nonzero amounts (a total and its parts in a row,
  a parent subject and its children) fail throughout. A sum of one nonzero part holds whatever
  the digits are, so only the others count; a document's own slips fail a few of them, a misread
  column one table's, wrong digits nearly all.

Pure functions: what was read in, None or a sentence saying why its figures cannot be trusted.
"""
from __future__ import annotations

import re
from collections import defaultdict

from extractors.model import Extraction
from extractors.reading import parent_checks, row_checks

DIGIT = re.compile(r"[0-9０-９]")
# sums of two or more nonzero amounts a document must print before its digits are judged by them,
# and the share of them that must hold (the corpus's documents: 88% and more)
MIN_SUMS = 10
MIN_HELD_SHARE = 0.5


def no_amounts(extraction: Extraction) -> str | None:
    """Why the tables read cannot be a budget's: none of their cells, and none of the text, holds
    a digit."""
    if not extraction.tables:
        return None
    texts = [cell for table in extraction.tables for row in [*table.header, *table.rows] for cell in row]
    texts += [paragraph.text for paragraph in extraction.paragraphs]
    if any(DIGIT.search(text or "") for text in texts):
        return None
    return (f"its {len(extraction.tables)} tables hold no amount (not one digit in any cell or sentence): the "
            "text layer is garbled or the figures are pictures; OCR is needed")


def sums(lines: list[dict]) -> tuple[int, int]:
    """(sums of two or more nonzero amounts checked, sums that held), table by table
    (`extractors.reading`'s identities)."""
    by_table: dict[int, list[dict]] = defaultdict(list)
    for line in lines:
        if line.get("amount_fen") is not None and line.get("measure") is not None:
            by_table[line.get("table_index")].append(line)
    checked = held = 0
    for table in by_table.values():
        for check in row_checks(table) + parent_checks(table):
            if sum(1 for part in check.parts if part.get("amount_fen")) >= 2:
                checked += 1
                held += check.held
    return checked, held


def sums_fail(lines: list[dict]) -> str | None:
    """Why the amounts read cannot be published as figures: they do not add up throughout."""
    checked, held = sums(lines)
    if checked < MIN_SUMS or held >= MIN_HELD_SHARE * checked:
        return None
    return (f"its amounts do not add up: of {checked} sums of two or more amounts its tables print, {held} hold; "
            "its digits are probably wrong (a text layer whose fonts map digits to other digits); its tables "
            "and text are not loaded, OCR is needed")
