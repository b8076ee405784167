"""`stated_total`: 收入支出总计 against the 总计 row of the summary table; a total of 0 with a non-zero
change."""
from __future__ import annotations

import re

from budgets.audit.model import Disclosure, Finding, judge, table_short, wan_text
from budgets.audit.text_evidence import key, where
from extractors.constants import TableKind
from extractors.identities import Amount
from extractors.narrative import CHANGE, NUM, sentences, stated

STATED_TOTAL = re.compile(r"(财政拨款)?收入支出总计(?:为|是)?" + NUM + r"\s*(万元|元|亿元)")
TOTAL_TABLE = {"": TableKind.DEPT_SUMMARY, "财政拨款": TableKind.FISCAL_APPROPRIATION_SUMMARY}


def check(disclosure: Disclosure) -> list[Finding]:
    """'收入支出总计X万元' is the 总计 row of the 收支总表; '财政拨款收入支出总计X万元' that of the
    财政拨款收支总表 (结转 included), not 财政拨款 spending. A total of 0 stated with a non-zero change
    ('收入支出总计0万元，比上年增加120.00万元') contradicts itself, whatever the tables print."""
    year = disclosure.fiscal_year
    found = []
    for paragraph, sentence in sentences(disclosure.paragraphs):
        text = re.sub(r"\s+", "", sentence)
        for match in STATED_TOTAL.finditer(text):
            if "一般公共预算" in text[:match.start()]:
                continue  # a narrower scope than either table
            said = stated(match.group(2), match.group(3))
            change = CHANGE.search(text, match.end())
            if said.fen == 0 and change and stated(change.group(2), change.group(3)).fen != 0:
                found.append(Finding(
                    check="stated_total", severity="error", evidence=where(paragraph, sentence),
                    message=(f"The text states {match.group(1) or ''}收入支出总计 as 0万元 and in the same sentence "
                             f"a change of {change.group(0)}, which a total of nothing cannot have."),
                    measure="total", year=year, actual=said, key=key(paragraph, sentence, f"zero-total|{match.start()}"),
                ))
                continue
            kind = TOTAL_TABLE[match.group(1) or ""]
            cells = [l for l in disclosure.lines if l.get("table_kind") == kind and l.get("year") == year
                     and "总计" in (l.get("item") or l.get("subject_name") or "") and l.get("measure") == "total"]
            if not cells:
                continue
            verdicts = [judge(Amount.of_line(c), said) for c in cells]
            if None in verdicts:
                continue
            severity = "info" if "info" in verdicts else "error"
            cell = cells[0]
            found.append(Finding(
                check="stated_total", severity=severity, evidence=where(paragraph, sentence),
                message=(f"The text states {match.group(1) or ''}收入支出总计 as {wan_text(said)}万元 but the 总计 row of "
                         f"{table_short(disclosure, cell)} prints {wan_text(Amount.of_line(cell))}万元"
                         + (" — a rounding gap." if severity == "info" else ".")),
                table_kind=kind, measure="total", year=year, expected=Amount.of_line(cell), actual=said,
                key=key(paragraph, sentence, f"total|{match.start()}"),
            ))
    return found
