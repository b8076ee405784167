"""`stated_change`: a stated percentage change against the two figures the sentence gives."""
from __future__ import annotations

import re
from decimal import Decimal

from budgets.audit.model import Disclosure, Finding, wan_text
from budgets.audit.narrative import percent_agrees, percent_range
from budgets.audit.text_evidence import key, where
from extractors.narrative import AMOUNT, CHANGE, DOWN, PERCENT, sentences, stated

PREVIOUS_MARK = r"上年|去年|上一年"
COMPARED = re.compile(r"(?:比|较|与)(?:上年度?|去年|上一年度?|(20\d\d)年度?)")


def year_marks(prefix: str, fiscal_year: int | None) -> tuple[bool, int | None]:
    """Whether the words before an amount mark it as the year before, and the year they name."""
    years = [int(y) for y in re.findall(r"(20\d\d)年", prefix)]
    named = years[-1] if years else None
    if re.search(PREVIOUS_MARK, prefix):
        return True, fiscal_year - 1 if fiscal_year else named
    if named is not None and fiscal_year and named < fiscal_year:
        return True, named
    return False, named


def check(disclosure: Disclosure) -> list[Finding]:
    """'2025年预算数为A万元，2026年预算数为B万元，比上年增长P%': P must be (B−A)/A at the printed
    precision of A, B and P. A change stated in 万元 beside P is `narrative`'s (percent) check."""
    year = disclosure.fiscal_year
    found = []
    for paragraph, sentence in sentences(disclosure.paragraphs):
        text = re.sub(r"\s+", "", sentence)
        changes = [m.span() for m in CHANGE.finditer(text)]
        start = 0
        for percent in PERCENT.finditer(text):
            segment = text[start:percent.start()]
            offset = start
            start = percent.end()
            if any(0 <= percent.start() - b <= 1 for _, b in changes):
                continue  # '增加X万元，增长P%': the 万元 change is judged against the percentage elsewhere
            previous = current = None
            cut = 0
            for amount in AMOUNT.finditer(segment):
                if any(a <= offset + amount.start() < b for a, b in changes):
                    continue
                prefix = segment[cut:amount.start()]
                cut = amount.end()
                is_previous, named = year_marks(prefix, year)
                figure = (stated(amount.group(1), amount.group(2)), named)
                if is_previous:
                    previous = figure
                elif named in (None, year):
                    current = figure
            if previous is None or current is None:
                continue
            (a, a_year), (b, _) = previous, current
            rate = Decimal(percent.group(2).replace(",", ""))
            if percent.group(1) in DOWN:
                rate = -rate
            compared = COMPARED.search(segment)
            against = int(compared.group(1)) if compared and compared.group(1) else None
            if against is not None and year and (against == year or (a_year and against != a_year)):
                found.append(Finding(
                    check="stated_change", severity="error", evidence=where(paragraph, sentence),
                    message=(f"The text compares with {against} (“{compared.group(0)}”) but the figure it compares "
                             f"with is {a_year}'s {wan_text(a)}万元 in a {year} disclosure."),
                    year=year, expected=a, actual=b, key=key(paragraph, sentence, f"change-year|{percent.start()}"),
                ))
            if a.fen == 0 and rate:
                # '增加100%' for a new item is a common convention, not a contradiction to show anyone
                convention = rate == 100 and b.fen > 0
                found.append(Finding(
                    check="rate_base", severity="warning" if convention else "error", evidence=where(paragraph, sentence),
                    message=(f"The text states “{percent.group(0)}” against the year before's 0万元 "
                             f"(now {wan_text(b)}万元), which has no rate"
                             + (" (100% for a new item is a common convention)." if convention else ".")),
                    year=year, expected=a, actual=b, key=key(paragraph, sentence, f"zero-base|{percent.start()}"),
                ))
            if a.fen <= 0:
                continue
            low, high = percent_range(b, b - a)
            if low is None:
                continue
            if (b.fen - a.fen) * rate < 0 and abs(b.fen - a.fen) > a.slack + b.slack:
                problem = f"says “{percent.group(0)}”, but {wan_text(b)}万元 is {'more' if b.fen > a.fen else 'less'} than"
            elif not percent_agrees(rate, (low, high)):
                problem = f"says “{percent.group(0)}”, but {(low + high) / 2:+.2f}% is what follows from {wan_text(b)}万元 against"
            else:
                continue
            found.append(Finding(
                check="stated_change", severity="error", evidence=where(paragraph, sentence),
                message=f"The text {problem} the {wan_text(a)}万元 of the year before that it states.",
                year=year, expected=a, actual=b, key=key(paragraph, sentence, f"change|{percent.start()}"),
            ))
    return found
