"""A stated amount and the parts a text lists for it, wherever prose is printed.

    '一是区数建办运转费用28.16万元。(技术支撑团队6人*660*12=47520元);举办…培训费用15万元(…);
     组织…会议经费8.16万元(…);二是…'
        → 28.16万元 listed as 47520元 + 15万元 + 8.16万元

    '政府采购预算总额0万元，其中：政府采购货物预算3456.6万元、政府采购服务预算4683.6万元。'
        → 0万元, of which 3456.6万元 + 4683.6万元

Two shapes, both the text's own word that what follows is the amount's breakdown:
- an item of a numbered list (一是, （一）, 1.) that opens with a label and its amount closed by 。
  or ：, and goes on in clauses separated by ；, each giving one amount: the clauses are the whole
  of it ('一是A75万元；B120万元；C150万元', the amount closed by ；, lists three things side by side);
- an amount followed by 其中 / 包括 / 主要用于 … and its parts: 其中 and 主要 list some parts
  only, so there the parts may not exceed the amount; 包括, 分别为, 具体为 list all.

A part gives one amount outside parentheses, or, when its words give none, the result of the
computation in its parenthesis ('(技术支撑团队6人*660*12=47520元)'). A list in which any part gives
no amount or several is not read: what it adds up to is not known. Pure parsing: the audit judges
the sums with `extractors.identities`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.identities import Amount
from extractors.narrative import AMOUNT, CHANGE, COMPARE, stated
from extractors.vocabulary import CJK_CHARACTER

# the start of an item: '一是', '（一）', '(1)', '1、', '①'
ITEM = re.compile(r"[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]{1,2}[)）]|(?<![\d.])\d{1,2}[、．](?!\d)|[①-⑳]")
# words that open a breakdown: some parts (其中, 主要) or all of them
SOME_PARTS = re.compile(r"^[，,:：]?(?:其中|主要用于|主要包括|主要是|主要为)[:：，,]?")
ALL_PARTS = re.compile(r"^[，,:：]?(?:包括|分别为|分别是|具体为|具体包括|明细如下|构成如下)[:：，,]?")
PART_MARKS = "；;，,、"
ITEM_MARKS = "；;"
# a clause that compares the part before it with another year
COMPARISON = re.compile(r"^[，,]?(?:" + COMPARE.pattern + r"|同比|增幅|降幅)")
RESULT = re.compile(r"=\s*" + AMOUNT.pattern)
# a label that is not the amount's own thing: a change, a share, an estimate, a standard
NOT_A_HEAD = re.compile(r"增加|减少|增长|下降|比上年|较上年|同比|占|约|不超过|以内|以上|≤|≥|<|>|标准|每|平均|累计|总投资")


@dataclass
class Listed:
    """An amount and the parts the text lists for it."""

    head: Amount
    head_words: str  # '区数建办运转费用28.16万元'
    parts: list[Amount]
    complete: bool  # False: 其中 / 主要 name some parts only
    text: str  # the item or sentence it was read from


def top_level(text: str, marks: str) -> list[str]:
    """`text` split at `marks` outside parentheses."""
    pieces, depth, start = [], 0, 0
    for at, char in enumerate(text):
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth = max(depth - 1, 0)
        elif char in marks and depth == 0:
            pieces.append(text[start:at])
            start = at + 1
    pieces.append(text[start:])
    return [p for p in pieces if p.strip("。 ")]


def outside_parentheses(text: str) -> str:
    """The text with what stands in parentheses blanked (same length, so positions hold)."""
    out, depth = [], 0
    for char in text:
        if char in "（(":
            depth += 1
        if depth:
            out.append(" ")
        else:
            out.append(char)
        if char in "）)":
            depth = max(depth - 1, 0)
    return "".join(out)


# '100万元以上设备': a threshold, not an amount
THRESHOLD = re.compile(r"以上|以下|以内|及以上")


def part_amount(segment: str) -> Amount | None:
    """The one amount a part gives: outside parentheses, or the result of its parenthesis."""
    plain = CHANGE.sub(lambda m: " " * len(m.group(0)), outside_parentheses(segment))
    found = [m for m in AMOUNT.finditer(plain) if not THRESHOLD.match(plain, m.end())]
    if len(found) == 1:
        return stated(found[0].group(1), found[0].group(2))
    if found:
        return None
    results = list(RESULT.finditer(segment))
    if len(results) == 1:
        return stated(results[0].group(1), results[0].group(2))
    return None


def head_of(text: str) -> re.Match | None:
    """The amount a text opens with, after a label of its own words, not qualified as a change,
    a share or a limit."""
    plain = outside_parentheses(text)
    match = AMOUNT.search(plain)
    if not match:
        return None
    label = plain[:match.start()]
    if len(CJK_CHARACTER.findall(label)) < 2 or NOT_A_HEAD.search(label) or re.search(r"[\d%％]", label.replace(" ", "")[-1:]):
        return None
    return match


def parts_of(rest: str, marks: str) -> list[Amount] | None:
    """One amount per part, a clause that only compares the part before with last year aside
    ('财政拨款收入833万元，比2025年预算减少136万元；事业收入0万元'); None when a part gives none or several."""
    amounts = []
    for segment in top_level(rest, marks):
        amount = part_amount(segment)
        if amount is None and not COMPARISON.match(segment):
            return None
        if amount is not None:
            amounts.append(amount)
    return amounts if len(amounts) >= 2 else None


def list_of(tail: str) -> list[Amount] | None:
    """The parts listed after 其中 / 包括, up to the end of the sentence: split at ；, or, where
    a part so split gives more than one amount, the list up to the first ； split at 、 or ，
    ('…45万元、…12万元；单价100万元以上设备0台' lists two)."""
    plain = outside_parentheses(tail)
    tail = tail[:next((at for at, c in enumerate(plain) if c == "。"), len(tail))]
    for marks in ("；;", "、", "，,"):
        scope = tail if marks == "；;" else tail[:next((at for at, c in enumerate(outside_parentheses(tail))
                                                          if c in "；;"), len(tail))]
        parsed = parts_of(scope, marks)
        if parsed is not None:
            return parsed
    return None


def listed(text: str) -> list[Listed]:
    """Every amount in `text` whose parts the text lists (see the module's docstring)."""
    text = re.sub(r"\s+", "", text)
    found = []
    for item in items(text):
        head = head_of(item)
        if head is None:
            continue
        rest = item[head.end():]
        rest = rest.rstrip("。")
        some, every = SOME_PARTS.match(rest), ALL_PARTS.match(rest)
        opener = some or every
        if opener:
            parsed = list_of(rest[opener.end():])
            complete = bool(every)
        elif rest[:1] in ("。", "：", ":"):
            if not ITEM.match(item):
                continue  # only an item of a numbered list is its clauses' whole without saying so
            parsed = parts_of(rest[1:], ITEM_MARKS)
            complete = True
        else:
            continue
        if parsed is None:
            continue
        found.append(Listed(stated(head.group(1), head.group(2)), item[:head.end()], parsed, complete, item))
    return found


def items(text: str) -> list[str]:
    """The items of a numbered list ('一是…；二是…'), each from its marker to the next; a text
    without markers is one item per sentence."""
    starts = [m.start() for m in ITEM.finditer(outside_parentheses(text))]
    if not starts:
        return [s for s in re.split(r"(?<=。)", text) if s]
    pieces = [text[:starts[0]]] if starts[0] else []
    pieces += [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    return [re.sub(r"[；;。，,]+$", "", p) for p in pieces if p]
