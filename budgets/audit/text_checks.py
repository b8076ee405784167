"""The narrative against itself, sentence by sentence, the way an inspector reads it.

Each function is one check of `docs/AUDIT.md` (its name is the finding's `check`):

    stated_change     a stated percentage change against the two figures the sentence gives
    comparison_word   决算数大于/小于/等于预算数 against the two figures before it
    rate_base         a rate of a base of 0; an increase larger than the amount it led to
    year_mention      a heading naming another year, or another year or stage than its contents line; a final account's asset date not 12-31
    restated_figure   an item's opening amount against the current-year amount it restates
    stated_total      收入支出总计 against the 总计 row of the summary table; a total of 0 with a non-zero change
    empty_table       a fund's table without figures: its note says it is empty, of its own fund
    subject_name      a subject's name in the text (beside its code or as a 类/款/项 path) against the tables and the official name
    placeholder       XX局, 20XX年, （）万元, 主要原因是。 — the template left unfilled
    punctuation       。。 ，， and the like; a line of punctuation only; unmatched quotes

Figures are read by `extractors.narrative` and judged by `extractors.identities` (one unit of
slack per printed figure); nothing here parses amounts of its own.
"""
from __future__ import annotations

import re
from decimal import Decimal

from budgets.audit.figures import figures, names_match
from budgets.audit.model import Disclosure, Finding, judge, table_short, wan_text
from budgets.audit.name_variant import extraction_noise, same_name
from budgets.audit.narrative import percent_agrees, percent_range, read
from extractors.identities import Amount
from extractors.narrative import AMOUNT, Concept, CHANGE, DOWN, NUM, NUMBERED, PERCENT, TERMINAL, joined, sentences, stated
from extractors.vocabulary import (CLASS_NAMES, CONTENTS_LEADER, CONTENTS_TITLE, DEPARTMENT_SAYS_UNIT, HEADING_YEAR,
                                  PLACEHOLDERS, UNIT_SAYS_DEPARTMENT, plain, row_label, subject_key)


def where(paragraph: dict, sentence: str) -> str:
    page = paragraph.get("page")
    return f"text{f' p.{page}' if page else ''}: “{sentence.strip()}”"


def key(paragraph: dict, sentence: str, what: str) -> str:
    return f"{paragraph.get('id') or paragraph.get('position')}|{sentence}|{what}"


# ---- 1. stated change vs its two figures ---------------------------------------------------

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


def stated_changes(disclosure: Disclosure) -> list[Finding]:
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
                found.append(Finding(
                    check="rate_base", severity="error", evidence=where(paragraph, sentence),
                    message=(f"The text states “{percent.group(0)}” against the year before's 0万元 "
                             f"(now {wan_text(b)}万元), which has no rate."),
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


# ---- 4. comparison words -------------------------------------------------------------------

# the budget figure nearest the 决算 one ('年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元')
BUDGET_ACTUAL = re.compile(r"(?:年初|调整|全年)?预算(?:数)?为?" + NUM + r"万元(?:(?!预算).){0,30}?决算(?:数)?为?" + NUM + r"万元")
COMPLETION_CLAUSE = re.compile(r"^[，,]?完成(?:年初|调整|全年)?预算的?" + NUM + r"\s*[%％][。；;，,]?")
WORD = re.compile(r"决算数?(大于|多于|高于|超过|小于|少于|低于|等于|与)(?:年初)?预算数?(基本持平|持平|一致)?"
                  r"|(?<!增加)(基本持平|持平)")
MORE, LESS = ("大于", "多于", "高于", "超过"), ("小于", "少于", "低于")


def comparison_words(disclosure: Disclosure) -> list[Finding]:
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


# ---- 10. completion rates and changes ------------------------------------------------------

ZERO_BASE = re.compile(r"(?:年初|调整)?预算(?:数)?为?0(?:\.0+)?万元.{0,30}?完成(?:年初|调整)?预算的?" + NUM + r"\s*[%％]")


def rate_bases(disclosure: Disclosure) -> list[Finding]:
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


# ---- 6. years and dates --------------------------------------------------------------------

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


def year_mentions(disclosure: Disclosure) -> list[Finding]:
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
    if disclosure.document.get("stage") != "final_account":
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


# ---- 7. placeholders and template leftovers ------------------------------------------------



def captions(disclosure: Disclosure) -> list[tuple[dict, str]]:
    """The text kept with each table (label, title, notes), as (where, text) like a sentence."""
    found = []
    for table in disclosure.tables:
        for part in ("label", "title", "notes"):
            if table.get(part):
                found.append(({"id": f"table{table.get('table_index')}-{part}", "page": table.get("page")}, table[part]))
    return found


def placeholders(disclosure: Disclosure) -> list[Finding]:
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


# ---- 8. punctuation ------------------------------------------------------------------------

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


def punctuation(disclosure: Disclosure) -> list[Finding]:
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


# ---- 2. a restated figure within one item --------------------------------------------------

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


def restated_figures(disclosure: Disclosure) -> list[Finding]:
    """'（3）住房保障支出（类）住房改革支出（款）购房补贴（项）207万元。…2026年预算安排170.03万元，…':
    the item's opening amount X and the current-year amount it restates, on the same basis, must
    agree; the tables say which of the two is wrong."""
    year = disclosure.fiscal_year
    final = disclosure.document.get("stage") == "final_account"
    found = []
    for item in items(disclosure):
        opening = [s for s in read(item[:1], year) if s.concept.measure in ("class", "path") and s.amount is not None]
        if not opening:
            continue
        head = opening[0]
        if final and head.basis != "actual" or not final and head.basis not in (None, "budget"):
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


# ---- 5. totals the text states -------------------------------------------------------------

STATED_TOTAL = re.compile(r"(财政拨款)?收入支出总计(?:为|是)?" + NUM + r"\s*(万元|元|亿元)")
TOTAL_TABLE = {"": "dept_summary", "财政拨款": "fiscal_appropriation_summary"}


def stated_totals(disclosure: Disclosure) -> list[Finding]:
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


# ---- 9. empty and blank tables -------------------------------------------------------------

EMPTY_NOTE = re.compile(r"无数据|空表|此表为空|本表为空|无相关|无该项|无此项|没有|无.{0,20}(?:安排|支出|收入|预算)")
FUNDS = {"gov_fund_expenditure": "政府性基金", "state_capital_expenditure": "国有资本经营",
         "three_public_expenses": "三公"}


def empty_tables(disclosure: Disclosure) -> list[Finding]:
    """A fund's table printed with its headers and no figures: its note must say it is empty
    (`本表为空表`, `无…安排`), and name that table's own fund. A note is only what the extractor
    keeps below the table; a marker printed inside the body ('此表为空') may be missed, so an empty
    table with no note at all is `info`."""
    with_lines = {l.get("table_index") for l in disclosure.lines}
    found = []
    for table in disclosure.tables:
        fund = FUNDS.get(table.get("table_kind") or "")
        if not fund or table.get("table_index") in with_lines:
            continue
        notes = re.sub(r"\s+", "", table.get("notes") or "")
        page = table.get("page")
        title = re.sub(r"\s+", "", table.get("title") or "")
        name = f"{(table.get('label') or '').strip()} {title}".strip()
        where_ = f"table “{name}”{f', p.{page}' if page else ''}"
        others = [other for kind, other in FUNDS.items() if other != fund and other in notes]
        if not notes:
            found.append(Finding(
                check="empty_table", severity="info", evidence=where_, table_kind=table.get("table_kind") or "",
                message=f"The table “{name}” prints its headers and no figures, and no note below it says it is empty.",
                year=disclosure.fiscal_year, key=f"empty|{table.get('table_index')}",
            ))
        elif EMPTY_NOTE.search(notes) and others and fund not in notes:
            found.append(Finding(
                check="empty_table", severity="warning", evidence=f"{where_}: “{notes[:120]}”",
                table_kind=table.get("table_kind") or "",
                message=f"The empty table “{name}” is a {fund} table but its note speaks of {others[0]}.",
                year=disclosure.fiscal_year, key=f"empty-fund|{table.get('table_index')}",
            ))
    found += blanks_the_text_fills(disclosure, with_lines)
    return found


STATED_FUNDS = {"gov_fund": "gov_fund_expenditure", "state_capital": "state_capital_expenditure"}


def blanks_the_text_fills(disclosure: Disclosure, with_lines: set) -> list[Finding]:
    """'政府性基金预算支出120.00万元' while the 政府性基金 table prints no figure at all."""
    empty = {t.get("table_kind"): t for t in disclosure.tables
             if t.get("table_kind") in STATED_FUNDS.values() and t.get("table_index") not in with_lines}
    if not empty:
        return []
    kinds_with_lines = {l.get("table_kind") for l in disclosure.lines}
    found = []
    for statement in read(disclosure.paragraphs, disclosure.fiscal_year):
        kind = STATED_FUNDS.get(statement.concept.measure)
        if kind not in empty or kind in kinds_with_lines or statement.amount is None or statement.amount.fen <= 0:
            continue
        table = empty[kind]
        title = re.sub(r"\s+", "", table.get("title") or "")
        found.append(Finding(
            check="empty_table", severity="error", evidence=statement.where, table_kind=kind,
            message=(f"The text states {statement.label} {wan_text(statement.amount)}万元 but the table “{title}”"
                     f"{f' (p.' + str(table['page']) + ')' if table.get('page') else ''} prints no figure."),
            year=statement.year, actual=statement.amount,
            key=key(statement.paragraph, statement.sentence, f"blank|{statement.label}"),
        ))
    return found


# ---- 3. subject names in the text ----------------------------------------------------------

NAMED_LEVEL = re.compile(r"([^\s（()）,，。；;、:：“”\"0-9]{2,40})[（(](\d{2,3})(类|款|项)[)）]")


def text_subject_names(disclosure: Disclosure) -> list[Finding]:
    """'卫生健康支出（210类）…' : each level's name the text gives beside its code, against the name the
    tables print for that code and the official name valid in the fiscal year. A former official
    name or a name the tables do not print is a warning."""
    printed: dict[str, set] = {}
    for line in disclosure.lines:
        if line.get("subject_code") and line.get("subject_name"):
            printed.setdefault(line["subject_code"], set()).add(plain(line["subject_name"]))
    year = disclosure.fiscal_year
    found, seen = [], set()
    for paragraph, sentence in sentences(disclosure.paragraphs):
        text = re.sub(r"\s+", "", sentence)
        code = ""
        for match in NAMED_LEVEL.finditer(text):
            name, digits, level = match.groups()
            code = digits if level == "类" and len(digits) == 3 else (code + digits if code and len(digits) == 2 else "")
            if not code:
                continue
            official = disclosure.subjects.get(("functional", code))
            names = ({official} if official else set()) | printed.get(code, set())
            if not names or any(plain(name).endswith(plain(n)) or same_name(name, n) or extraction_noise(plain(name), plain(n))
                                for n in names):
                continue
            former = level == "类" and CLASS_NAMES.get(plain(name)) == code
            if (code, name) in seen:
                continue
            seen.add((code, name))
            expected = official or sorted(printed[code])[0]
            found.append(Finding(
                check="subject_name", severity="warning", evidence=where(paragraph, sentence), subject_code=code,
                message=(f"The text names {code} “{name}”" + (", a former name;" if former else ";")
                         + f" {'its official name for ' + str(year) + ' is' if official else 'the tables print'} “{expected}”."),
                year=year, key=key(paragraph, sentence, f"subject|{code}|{name}"),
            ))
    return found + path_names(disclosure)


def children(disclosure: Disclosure, code: str, depth: int) -> dict[str, str]:
    """The codes under `code` the tables print at `depth` digits, with the name they print."""
    return {subject_key(l): row_label(l) for l in disclosure.lines
            if len(subject_key(l)) == depth and subject_key(l).startswith(code) and row_label(l)}


def agrees_with_tables(disclosure: Disclosure, code: str, statement) -> bool:
    cells = figures(disclosure, Concept("expenditure", "class", code), statement.year, statement.basis)
    return any(judge(Amount.of_line(c), statement.amount) is None for c in cells)


def path_names(disclosure: Disclosure) -> list[Finding]:
    """'住房保障支出（类）住房改革支出（款）购房补贴（项）207万元' names its subject without codes: the
    类 resolves by name (a former official name is a warning), then each 款 and 项 among the children
    the tables print. A level that does not resolve, while the amount equals exactly one child's (at
    the path's last level), names that child as expected (warning)."""
    year = disclosure.fiscal_year
    found, seen = [], set()
    for statement in read(disclosure.paragraphs, year):
        if statement.concept.measure != "path":
            continue
        code, *names = statement.concept.subject.split("|")
        written = next((n for n in sorted(CLASS_NAMES, key=len, reverse=True) if n in statement.label), "")
        official = disclosure.subjects.get(("functional", code))
        problems = []
        if official and written and not same_name(written, official):
            problems.append(f"names {code} “{written}”, a former name; its official name for {year} is “{official}”")
        depth_of_last = len(code) + 2 * len(names)
        for level, name in zip(("款", "项"), names):
            under = children(disclosure, code, len(code) + 2)
            match = [c for c, printed in under.items() if names_match(printed, name) or same_name(printed, name)]
            if len(match) == 1:
                code = match[0]
                continue
            if match or statement.amount is None:
                break
            candidates = {c[:len(code) + 2] for c in children(disclosure, code, depth_of_last)
                          if agrees_with_tables(disclosure, c, statement)}
            if len(candidates) == 1:
                expected = candidates.pop()
                problems.append(f"names the {level} “{name}”, which the tables do not print under {code}; "
                                f"the {wan_text(statement.amount)}万元 it states is that of {expected} "
                                f"“{under.get(expected, '')}”")
            break
        what = (statement.concept.subject, statement.sentence)
        if not problems or what in seen:
            continue
        seen.add(what)
        found.append(Finding(
            check="subject_name", severity="warning", evidence=statement.where, subject_code=code,
            message=f"The text {'; and '.join(problems)}.", year=year, actual=statement.amount,
            key=key(statement.paragraph, statement.sentence, f"path|{statement.concept.subject}"),
        ))
    return found
