"""`year_mention`: a heading naming another year, or another year or stage than its contents line;
a final account's asset date not 12-31."""
from __future__ import annotations

import re

from budgets.audit.model import Disclosure, Finding
from budgets.audit.text_evidence import key, where
from extractors.constants import Stage
from extractors.narrative import AMOUNT, TERMINAL, sentences
from extractors.vocabulary import CONTENTS_LEADER, CONTENTS_TITLE, HEADING_YEAR

COMPARATIVE = re.compile(r"(?:与|比|较|同|和)$|^(?:相比|比较|对比|执行|数)")
AS_OF = re.compile(r"截[至止](20\d\d)年(\d{1,2})月(\d{1,2})日")
ASSETS = re.compile(r"资产|车辆|房屋|设备|占用")


def is_heading(text: str) -> bool:
    return len(text) <= 40 and not text.endswith(("。", "；", ";"))


LISTED_TITLE = re.compile(r"(20\d\d)年度?.{0,30}(?:预算|决算)|(?:预算|决算).{0,30}(20\d\d)年")


def lists_disclosures(paragraphs: list[dict]) -> bool:
    """A page that lists a department's disclosures ('…2025年部门预算公开 2025-02-08', '…2024年度部门
    决算', …) rather than being one: three or more short lines naming a year and a stage, of three or
    more years, and fewer lines of prose (a sentence or a figure) than titles."""
    titles, years, prose = 0, set(), 0
    for paragraph in paragraphs:
        text = re.sub(r"\s+", "", paragraph.get("text") or "")
        if AMOUNT.search(text) or (len(text) > 60 and text.endswith(TERMINAL)):
            prose += 1
            continue
        match = LISTED_TITLE.search(text) if len(text) <= 80 else None
        if match:
            titles += 1
            years.add(match.group(1) or match.group(2))
    return titles >= 3 and len(years) >= 3 and prose < titles


def check(disclosure: Disclosure) -> list[Finding]:
    """A heading 'YYYY年度部门预算' naming another year than the disclosure's (not '与2025年度部门
    预算相比') or another year or stage than its contents line; in a final account of year Y, assets 截至 a day other than Y-12-31.
    A page that lists the department's disclosures of several years names those years rightly."""
    year = disclosure.fiscal_year
    if not year or lists_disclosures(disclosure.paragraphs):
        return []
    found = []
    for paragraph in disclosure.paragraphs:
        text = re.sub(r"\s+", "", paragraph.get("text") or "")
        if not is_heading(text):
            continue
        for match in HEADING_YEAR.finditer(text):
            named = int(match.group(1))
            if named == year or COMPARATIVE.search(text[:match.start()]) or COMPARATIVE.search(text[match.end():]):
                continue
            found.append(Finding(
                check="year_mention", severity="error", evidence=where(paragraph, text),
                message=f"The heading names “{match.group(0)}” in the disclosure of {year}.",
                year=year, key=key(paragraph, text, f"heading|{match.start()}"),
            ))
    found += against_contents(disclosure)
    if disclosure.document.get("stage") != Stage.FINAL_ACCOUNT:
        return found
    for paragraph, sentence in sentences(disclosure.paragraphs):
        text = re.sub(r"\s+", "", sentence)
        if not ASSETS.search(text):
            continue
        for match in AS_OF.finditer(text):
            date = tuple(int(g) for g in match.groups())
            if date != (year, 12, 31):
                found.append(Finding(
                    check="year_mention", severity="error", evidence=where(paragraph, sentence),
                    message=f"The final account of {year} states its assets “{match.group(0)}”, not as of {year}年12月31日.",
                    year=year, key=key(paragraph, sentence, f"as-of|{match.start()}"),
                ))
    return found


def contents_lines(paragraphs: list[dict]) -> set:
    """The ids of the table-of-contents lines: those with a dot leader and a page number, and the
    lines below '目录' on its page."""
    lines, page = set(), None
    for paragraph in sorted(paragraphs, key=lambda p: (p.get("page") or 0, p.get("position") or 0)):
        text = re.sub(r"\s+", "", paragraph.get("text") or "")
        if CONTENTS_TITLE.search(text):
            page = paragraph.get("page")
            continue
        if CONTENTS_LEADER.search(text) or (page is not None and paragraph.get("page") == page):
            lines.add(paragraph.get("id") or paragraph.get("position"))
    return lines


def heading_key(text: str, match: re.Match) -> str:
    """A heading without its year and stage, dot leader and page number: what a contents line and
    its heading share ('第一部分…说明')."""
    return CONTENTS_LEADER.sub("", text[:match.start()] + "|" + text[match.end():])


def against_contents(disclosure: Disclosure) -> list[Finding]:
    """A heading 'YYYY年度(部门|单位)(预算|决算)' naming another year or stage than the contents line
    for it ('第一部分 2025年度部门决算说明' under the contents' '第一部分 2026年度部门预算说明……3')."""
    contents = contents_lines(disclosure.paragraphs)
    if not contents:
        return []
    listed: dict[str, tuple[str, re.Match]] = {}
    headings = []
    for paragraph in disclosure.paragraphs:
        text = re.sub(r"\s+", "", paragraph.get("text") or "")
        is_contents = (paragraph.get("id") or paragraph.get("position")) in contents
        if not is_contents and not is_heading(text):
            continue
        for match in HEADING_YEAR.finditer(text):
            if COMPARATIVE.search(text[:match.start()]) or COMPARATIVE.search(text[match.end():]):
                continue
            if is_contents:
                listed.setdefault(heading_key(text, match), (text, match))
            else:
                headings.append((paragraph, text, match))
    found = []
    for paragraph, text, match in headings:
        entry = listed.get(heading_key(text, match))
        if entry is None:
            continue
        line, listed_match = entry
        differs = [what for what, group in (("year", 1), ("部门/单位", 2), ("stage", 3))
                   if match.group(group) != listed_match.group(group)]
        if not differs:
            continue
        found.append(Finding(
            check="year_mention", severity="error", evidence=where(paragraph, text),
            message=(f"The heading names “{match.group(0)}” but the table of contents lists it as "
                     f"“{listed_match.group(0)}” (“{line}”): another {' and '.join(differs)}."),
            year=disclosure.fiscal_year, key=key(paragraph, text, f"contents|{match.start()}"),
        ))
    return found
