"""`punctuation`: 。。 ，， and the like; a line of punctuation only; unmatched quotes."""
from __future__ import annotations

import re

from budgets.audit.model import Disclosure, Finding
from budgets.audit.text_evidence import key, where
from extractors.narrative import TERMINAL, joined

DOUBLED = re.compile(r"[。，；、：,;][。，；、,;]")
ONLY_PUNCTUATION = re.compile(r"^[。，；、：,;.！？!?]+$")
# the same sentence mark twice in prose: '…配套经费支出。。', '人员经费，，公用经费'
REPEATED = re.compile(r"(?<=[\u4e00-\u9fff\w）)%％”])([。，；！？])\1(?![。，；、：,;.！？!?])")
SCATTERED = 5
CLUSTER = re.compile(r"[。，；、：,;！？!?]{2,}|[(（][)）]|“”")


def clean_prose(text: str) -> bool:
    """Text whose marks sit between words, one at a time (but for the one run judged): not a page
    whose punctuation the reader laid out apart from its words ('工作,,。', '、、关部门', '()()、、、')."""
    return len(CLUSTER.findall(text)) <= 1


def check(disclosure: Disclosure) -> list[Finding]:
    """Two marks in a row (。。 ，， ；。 、、) or a line that is only punctuation, on the text as
    printed (…… and —— are marks of their own); quotes opened and not closed in a paragraph.
    The same sentence mark twice in clean prose is the document's (a warning), also where the
    reader split it after the first ('…支出。' then '。'); marks among scattered marks are info."""
    found = []
    before = ""
    ordered = sorted(disclosure.paragraphs, key=lambda p: (p.get("page") or 0, p.get("position") or 0))
    # a reader that lays the marks out apart from the words leaves runs of marks all over the
    # document (90 and more in such a PDF, 0 to 2 in others): there no run is the document's
    scattered = sum(len(CLUSTER.findall(re.sub(r"\s+", "", p.get("text") or ""))) for p in ordered) > SCATTERED
    for paragraph in ordered:
        text = re.sub(r"\s+", "", paragraph.get("text") or "")
        match = DOUBLED.search(text)
        if not match and ONLY_PUNCTUATION.search(text) and before.endswith(tuple("。，；、：,;")):
            match = ONLY_PUNCTUATION.search(text)  # after a line that ended with a mark; else a wrapped line's end
        previous, before = before, text or before
        if match:
            if scattered:
                repeated = False
            elif match.re is ONLY_PUNCTUATION:
                repeated = (text == previous[-1:] and text in "。，；！？" and clean_prose(previous + text)
                            and bool(REPEATED.search(previous + text)))
            else:
                repeated = bool(REPEATED.search(text)) and clean_prose(text)
            found.append(Finding(
                check="punctuation", severity="warning" if repeated else "info", evidence=where(paragraph, text),
                message=f"The text prints “{match.group(0)}”: " + (
                    f"a line of punctuation only, after “{previous[-20:]}”" if match.re is ONLY_PUNCTUATION
                    else "two marks in a row") + (": the same mark twice in the prose." if repeated else "."),
                year=disclosure.fiscal_year, key=key(paragraph, text, f"punctuation|{match.start()}"),
            ))
    for paragraph in joined(disclosure.paragraphs):
        text = paragraph.get("text") or ""
        # a paragraph cut off (at a page or a table) may close its quote further on
        if text.endswith(TERMINAL) and text.count("“") != text.count("”"):
            found.append(Finding(
                check="punctuation", severity="info", evidence=where(paragraph, text[:120]),
                message=f"The paragraph opens {text.count('“')} quotation mark(s) “ and closes {text.count('”')}.",
                year=disclosure.fiscal_year, key=key(paragraph, text, "quotes"),
            ))
    return found
