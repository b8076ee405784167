"""`comparison_word`: 决算数大于/小于/等于预算数 against the two figures before it."""
from __future__ import annotations

import re

from budgets.audit.model import Disclosure, Finding, wan_text
from budgets.audit.text_evidence import key, where
from extractors.narrative import NUM, joined, stated

# the budget figure nearest the 决算 one ('年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元')
BUDGET_ACTUAL = re.compile(r"(?:年初|调整|全年)?预算(?:数)?为?" + NUM + r"万元(?:(?!预算).){0,30}?决算(?:数)?为?" + NUM + r"万元")
COMPLETION_CLAUSE = re.compile(r"^[，,]?完成(?:年初|调整|全年)?预算的?" + NUM + r"\s*[%％][。；;，,]?")
WORD = re.compile(r"决算数?(大于|多于|高于|超过|小于|少于|低于|等于|与)(?:年初)?预算数?(基本持平|持平|一致)?"
                  r"|(?<!增加)(基本持平|持平)")
MORE, LESS = ("大于", "多于", "高于", "超过"), ("小于", "少于", "低于")


def check(disclosure: Disclosure) -> list[Finding]:
    """'年初预算为A万元，支出决算为B万元。决算数大于预算数': the word must agree with B − A. Read on
    whole joined paragraphs, so the comparison may come in the next sentence."""
    found = []
    paragraphs = joined(disclosure.paragraphs)
    for index, paragraph in enumerate(paragraphs):
        text = re.sub(r"\s+", "", paragraph.get("text") or "")
        following = "".join(re.sub(r"\s+", "", p.get("text") or "") for p in paragraphs[index + 1:index + 2])
        for pair in BUDGET_ACTUAL.finditer(text):
            tail = (text + following)[pair.end():pair.end() + 60]
            tail = COMPLETION_CLAUSE.sub("", tail)  # '，完成年初预算的98.61%。决算数小于预算数'
            word = WORD.search(tail)
            if not word or re.search(r"\d", tail[:word.start()]):
                continue  # another figure comes first: the word is about something else
            a, b = stated(pair.group(1), "万元"), stated(pair.group(2), "万元")
            said = word.group(1) if word.group(1) != "与" else word.group(2)
            said = said or word.group(3)
            gap = b.fen - a.fen
            within = abs(gap) <= a.slack + b.slack
            if said in MORE:
                wrong = gap < 0 and not within
            elif said in LESS:
                wrong = gap > 0 and not within
            elif said == "基本持平":
                wrong = abs(gap) * 20 > max(a.fen, 1)  # more than 5 % apart is not 基本持平
            else:  # 等于, 持平, 一致
                wrong = gap != 0
            if not wrong:
                continue
            rest = (text + following)[pair.end():]
            sentence = (text + following)[pair.start():pair.end() + rest.find(word.group(0)) + len(word.group(0))]
            found.append(Finding(
                check="comparison_word", severity="warning" if said == "基本持平" else "error",
                evidence=where(paragraph, sentence),
                message=(f"The text calls the {wan_text(b)}万元 actual “{word.group(0)}” the {wan_text(a)}万元 budget, "
                         f"but it is {wan_text(abs(gap))}万元 {'more' if gap > 0 else 'less'}."),
                year=disclosure.fiscal_year, expected=a, actual=b, key=key(paragraph, sentence, "comparison"),
            ))
    return found
