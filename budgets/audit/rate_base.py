"""`rate_base`: a rate of a base of 0; an increase larger than the amount it led to."""
from __future__ import annotations

import re

from budgets.audit.model import Disclosure, Finding, wan_text
from budgets.audit.narrative import read
from budgets.audit.text_evidence import key, where
from extractors.narrative import NUM, sentences

ZERO_BASE = re.compile(r"(?:年初|调整)?预算(?:数)?为?0(?:\.0+)?万元.{0,30}?完成(?:年初|调整)?预算的?" + NUM + r"\s*[%％]")


def check(disclosure: Disclosure) -> list[Finding]:
    """A completion rate of a budget of 0; '…0万元，比上年增加1421.25万元' (the year before would be
    negative)."""
    found = []
    for paragraph, sentence in sentences(disclosure.paragraphs):
        match = ZERO_BASE.search(re.sub(r"\s+", "", sentence))
        if match:
            found.append(Finding(
                check="rate_base", severity="error", evidence=where(paragraph, sentence),
                message=f"The text states a completion rate of {match.group(1)}% of a budget of 0万元, which has no rate.",
                year=disclosure.fiscal_year, key=key(paragraph, sentence, "zero-base"),
            ))
    for statement in read(disclosure.paragraphs, disclosure.fiscal_year):
        amount, change = statement.amount, statement.change
        if amount is None or change is None or amount.fen < 0 or change.fen <= 0:
            continue
        if change.fen - amount.fen > change.slack + amount.slack:
            found.append(Finding(
                check="rate_base", severity="error", evidence=statement.where,
                message=(f"The text says {statement.label or 'the amount'} is {wan_text(amount)}万元 after an increase of "
                         f"{wan_text(change)}万元 (“{statement.change_words}”): the year before would be "
                         f"{wan_text(amount - change)}万元."),
                year=statement.year, expected=change, actual=amount,
                key=key(statement.paragraph, statement.sentence, f"change-exceeds|{statement.label}"),
            ))
    return found
