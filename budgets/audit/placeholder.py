"""`placeholder`: XX局, 20XX年, （）万元, 主要原因是。 — the template left unfilled."""
from __future__ import annotations

import re

from budgets.audit.model import Disclosure, Finding
from budgets.audit.text_evidence import key, where
from extractors.narrative import sentences
from extractors.vocabulary import DEPARTMENT_SAYS_UNIT, PLACEHOLDERS, UNIT_SAYS_DEPARTMENT

def captions(disclosure: Disclosure) -> list[tuple[dict, str]]:
    """The text kept with each table (label, title, notes), as (where, text) like a sentence."""
    found = []
    for table in disclosure.tables:
        for part in ("label", "title", "notes"):
            if table.get(part):
                found.append(({"id": f"table{table.get('table_index')}-{part}", "page": table.get("page")}, table[part]))
    return found


def check(disclosure: Disclosure) -> list[Finding]:
    """Template text left unfilled, anywhere the text is kept (headings and captions too)."""
    title = disclosure.document.get("title") or ""
    is_unit = "单位预算" in title or "单位决算" in title
    is_department = "部门预算" in title or "部门决算" in title
    found = []
    for paragraph, sentence in list(sentences(disclosure.paragraphs)) + captions(disclosure):
        text = re.sub(r"\s+", "", sentence)
        problems = [(m.group(0), what) for pattern, what in PLACEHOLDERS for m in [pattern.search(text)] if m]
        if is_unit and not is_department and UNIT_SAYS_DEPARTMENT in text:
            problems.append((UNIT_SAYS_DEPARTMENT, "a department's wording in a unit's budget"))
        if is_department and not is_unit and DEPARTMENT_SAYS_UNIT in text:
            problems.append((DEPARTMENT_SAYS_UNIT, "a unit's wording in a department's budget"))
        for words, what in problems:
            found.append(Finding(
                check="placeholder", severity="warning", evidence=where(paragraph, sentence),
                message=f"The text keeps the template's “{words}” ({what}).",
                year=disclosure.fiscal_year, key=key(paragraph, sentence, f"placeholder|{words}"),
            ))
    return found
