"""`restated_figure`: an item's opening amount against the current-year amount it restates."""
from __future__ import annotations

import re

from budgets.audit.figures import figures
from budgets.audit.model import Disclosure, Finding, judge, wan_text
from budgets.audit.narrative import read
from budgets.audit.text_evidence import key, where
from extractors.constants import Basis, Stage
from extractors.identities import Amount
from extractors.narrative import NUM, NUMBERED, joined, stated

RESTATED_BUDGET = r"(20\d\d)年(?:预算安排|预算数为|预算为)(?:为)?" + NUM + r"\s*(万元|元|亿元)"
RESTATED_ACTUAL = re.compile(r"支出决算(?:数)?为" + NUM + r"\s*(万元|元|亿元)")


def items(disclosure: Disclosure) -> list[list[dict]]:
    """The text's numbered items: a numbered line and the lines after it up to the next one."""
    found: list[list[dict]] = []
    for paragraph in joined(disclosure.paragraphs):
        if NUMBERED.match(paragraph.get("text") or ""):
            found.append([paragraph])
        elif found:
            found[-1].append(paragraph)
    return found


def check(disclosure: Disclosure) -> list[Finding]:
    """'（3）住房保障支出（类）住房改革支出（款）购房补贴（项）207万元。…2026年预算安排170.03万元，…':
    the item's opening amount X and the current-year amount it restates, on the same basis, must
    agree; the tables say which of the two is wrong."""
    year = disclosure.fiscal_year
    final = disclosure.document.get("stage") == Stage.FINAL_ACCOUNT
    found = []
    for item in items(disclosure):
        opening = [s for s in read(item[:1], year) if s.concept.measure in ("class", "path") and s.amount is not None]
        if not opening:
            continue
        head = opening[0]
        if final and head.basis != Basis.ACTUAL or not final and head.basis not in (None, Basis.BUDGET):
            continue  # never compare 年初预算 or 全年预算 with 决算
        for paragraph in item[1:]:
            text = re.sub(r"\s+", "", paragraph.get("text") or "")
            if final:
                match = RESTATED_ACTUAL.search(text)
                number, unit = (match.group(1), match.group(2)) if match else (None, None)
            else:
                match = re.search(RESTATED_BUDGET, text)
                if match and int(match.group(1)) != year:
                    match = None
                number, unit = (match.group(2), match.group(3)) if match else (None, None)
            if not match:
                continue
            again = stated(number, unit)
            verdict = judge(head.amount, again)
            if verdict is None:
                break
            cells = [c for c in figures(disclosure, head.concept, year, head.basis)]
            printed = sorted({c["amount_fen"] for c in cells})
            confirms = [name for name, amount in (("the first", head.amount), ("the second", again))
                        if any(judge(Amount.printed(fen, amount.step), amount) is None for fen in printed)]
            verdict_text = (f"; the tables print {', '.join(wan_text(f) + '万元' for f in printed)}, "
                            f"so {'the second' if confirms == ['the first'] else 'the first'} is wrong"
                            if len(confirms) == 1 else "")
            found.append(Finding(
                check="restated_figure", severity=verdict, evidence=where(paragraph, text),
                message=(f"The item opens with {head.label} {wan_text(head.amount)}万元 and later restates it as "
                         f"{wan_text(again)}万元 (“{match.group(0)}”){verdict_text}."
                         + (" — a rounding gap." if verdict == "info" else "")),
                subject_code=head.concept.subject if head.concept.measure == "class" else "",
                year=year, expected=head.amount, actual=again, key=key(paragraph, text, f"restated|{head.label}"),
            ))
            break
    return found
