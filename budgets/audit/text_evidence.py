"""Where a finding about the narrative points: the sentence it quotes, and a key that stays the
same when the audit runs again.

The checks of the text (stated_change, comparison_word, rate_base, restated_figure, stated_total,
empty_table, subject_name, year_mention, placeholder, punctuation) read the narrative against
itself, sentence by sentence, the way an inspector reads it. Figures are read by
`extractors.narrative` and judged by `extractors.identities` (one unit of slack per printed
figure); none of them parses amounts of its own."""
from __future__ import annotations


def where(paragraph: dict, sentence: str) -> str:
    page = paragraph.get("page")
    return f"text{f' p.{page}' if page else ''}: “{sentence.strip()}”"


def key(paragraph: dict, sentence: str, what: str) -> str:
    return f"{paragraph.get('id') or paragraph.get('position')}|{sentence}|{what}"
