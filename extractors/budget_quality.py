"""Does what was read say a budget's figures? Judged by what a budget needs, not by script.

A text layer can be garbled in ways `extractors.text_quality` cannot see by its characters: every
glyph mapped to some other Chinese character (tables are found, their cells hold no digit), or
the digits mapped to other digits with the years left alone (every amount reads, none is right).
A budget's tables print amounts, and its amounts add up; so:

- `no_amounts`: tables were found but not one cell, and not one sentence, holds a digit, and the
  text is not made of the words budgets are written in (a garbled layer maps glyphs to characters
  at random); where it is, the document is readable and simply prints no figure (`no_figures`: a
  form, a guide served under a budget's name), which is not a disclosure rather than unreadable;
- `sums_fail`: the sums that involve two or more nonzero amounts (a total and its parts in a row,
  a parent subject and its children) fail throughout. A sum of one nonzero part holds whatever
  the digits are, so only the others count; a document's own slips fail a few of them, a misread
  column one table's, wrong digits nearly all.

Pure functions: what was read in, None or a sentence saying why its figures cannot be trusted.
"""
from __future__ import annotations

import re
from functools import lru_cache

from extractors.model import Extraction
from extractors.reading import Reading
from extractors.subjects import printed_catalogue
from extractors.vocabulary import CJK_CHARACTER

DIGIT = re.compile(r"[0-9０-９]")
# sums of two or more nonzero amounts a document must print before its digits are judged by them,
# and the share of them that must hold (the corpus's documents: 88% and more)
MIN_SUMS = 10
MIN_HELD_SHARE = 0.5
# the share of a text's Chinese characters found in the subject catalogue's names above which the
# text reads as words: real disclosures and forms 0.6 and more, a layer mapped at random about 0.03
MIN_WORDS_SHARE = 0.3


@lru_cache(maxsize=1)
def budget_characters() -> frozenset[str]:
    """The Chinese characters a budget's words are written in: those of every subject name the
    catalogue knows (extractors.subjects.printed_catalogue)."""
    return frozenset(c for name in printed_catalogue() for c in CJK_CHARACTER.findall(name))


def reads_as_words(texts: list[str]) -> bool:
    """The text is written in the characters of a budget's words, not in characters at random."""
    characters = [c for text in texts for c in CJK_CHARACTER.findall(text or "")]
    known = budget_characters()
    return bool(characters) and sum(c in known for c in characters) >= MIN_WORDS_SHARE * len(characters)


def _digitless_texts(extraction: Extraction) -> list[str] | None:
    """The cells and sentences of a document that found tables and printed not one digit in
    them (None otherwise)."""
    if not extraction.tables:
        return None
    texts = [cell for table in extraction.tables for row in [*table.header, *table.rows] for cell in row]
    texts += [paragraph.text for paragraph in extraction.paragraphs]
    return None if any(DIGIT.search(text or "") for text in texts) else texts


def no_figures(extraction: Extraction) -> str | None:
    """Why a readable document is not a disclosure: its tables and text read as words, and not one
    of them holds a digit (a form or a guide the site served under a budget's name)."""
    texts = _digitless_texts(extraction)
    if texts is None or not reads_as_words(texts):
        return None
    return (f"not a disclosure: its {len(extraction.tables)} tables and its text read, but not one holds a digit "
            "(no amount, no year): a form or a guide, not a budget's figures; no tables or text loaded")


def no_amounts(extraction: Extraction) -> str | None:
    """Why the tables read cannot be a budget's: none of their cells, and none of the text, holds
    a digit, and the text does not read as words."""
    texts = _digitless_texts(extraction)
    if texts is None or reads_as_words(texts):
        return None
    return (f"its {len(extraction.tables)} tables hold no amount (not one digit in any cell or sentence): the "
            "text layer is garbled or the figures are pictures; OCR is needed")


def sums(readings: list[Reading]) -> tuple[int, int]:
    """(sums of two or more nonzero amounts checked, sums that held), over the tables' readings
    (`extractors.reading`'s identities, as the reading judged them)."""
    judged = [check for reading in readings for check in reading.checks
              if sum(1 for part in check.parts if part.get("amount_fen")) >= 2]
    return len(judged), sum(check.held for check in judged)


def sums_fail(readings: list[Reading]) -> str | None:
    """Why the amounts read cannot be published as figures: they do not add up throughout."""
    checked, held = sums(readings)
    if checked < MIN_SUMS or held >= MIN_HELD_SHARE * checked:
        return None
    return (f"its amounts do not add up: of {checked} sums of two or more amounts its tables print, {held} hold; "
            "its digits are probably wrong (a text layer whose fonts map digits to other digits); its tables "
            "and text are not loaded, OCR is needed")
