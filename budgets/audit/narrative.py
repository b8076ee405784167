"""`narrative`: what the text states against what the tables print, and the text against itself
(a total and the parts the same passage breaks it into, a change stated once as 增加 and once as
减少, a percentage that does not follow from the amounts, a template phrase left unfilled)."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal

from budgets.audit.cross_table import SCOPES, single_fund
from budgets.audit.figures import EXPENDITURE_KINDS, figures, year_pairs
from budgets.audit.model import Disclosure, Finding, judge, table_short, wan_text
from extractors.constants import TableKind
from extractors.vocabulary import (CLASS_NAMES, CONCEPT_NARROWED_BEFORE, CONCEPT_WHOLE_AFTER, REASON_MARKER,
                                   POSSESSED, TEMPLATE_LEFTOVER, USE_MARKER, measure_name,
                                   subject_key)
from extractors.enumeration import listed
from extractors.identities import Amount, at_finest, total
from extractors.narrative import (
    AMOUNT, CHANGE as CHANGE_STATED, CHILDREN, COMPARE, COMPLETION, DOWN, FLAT, PERCENT, UNITLESS, UNKNOWN, Concept, Statement,
    clean_label, concept_of, group_parts, joined, parse, sentences, stated,
)

CHECK = "narrative"


def concept_words(concept: Concept) -> str:
    """A concept in the words a finding uses: 卫生健康支出 (210), “三公”经费, 基本支出 …"""
    if concept.measure == "class":
        name = next((n for n, c in CLASS_NAMES.items() if c == concept.subject), "")
        return f"{name} ({concept.subject})" if name else f"subject {concept.subject}"
    if concept.measure == "path":
        return "-".join(concept.subject.split("|")[1:])
    names = {"goods": "政府采购货物", "works": "政府采购工程", "services": "政府采购服务", "fiscal": "财政拨款",
             "general_budget": "一般公共预算拨款政府采购" if concept.family == "procurement" else "一般公共预算",
             "total": {"three": "“三公”经费", "procurement": "政府采购"}.get(concept.family, "支出合计")}
    return names.get(concept.measure) or measure_name(concept.measure)


# ---- what a sentence states, as the audit holds it --------------------------------------------

# The words that name a fund's scope; a figure is that scope's only when nothing else in its label
# narrows it.
SCOPE_WORDS = {"general_budget": "一般公共预算", "fiscal": "财政拨款", "gov_fund": "政府性基金",
               "state_capital": "国有资本经营"}
NARROWED_BEFORE, WHOLE_AFTER = CONCEPT_NARROWED_BEFORE, CONCEPT_WHOLE_AFTER
# '比上年1.43万元，增加0.68%': the amount after the comparison is the change, its direction in the
# percentage that follows
ELLIPTICAL = re.compile(COMPARE.pattern + r"(" + AMOUNT.pattern + r")[，,]?" + r"(?=" + PERCENT.pattern + ")")


# a label that holds a figure of its own or opens a part ('国内公务接待支出0.39万（含外宾接待支出'):
# the amount after it is the part's, not the label's concept
SUB_PART = re.compile(r"\d\.\d|[（(]含")


def narrowed(statement: Statement) -> bool:
    """Whether the label qualifies its concept into a narrower thing: 上年结转结余的一般公共预算收入
    is not the general-budget total, nor is 一般公共预算安排委托业务费, nor '（含外宾接待支出' 公务接待费."""
    if SUB_PART.search(statement.label):
        return True
    word = SCOPE_WORDS.get(statement.concept.measure) if statement.concept.family == "expenditure" else None
    label = re.sub(r"[（()）“”\"]", "", statement.label)
    at = label.rfind(word) if word else -1
    if at < 0:
        return False
    return bool(NARROWED_BEFORE.search(label[:at]) or not WHOLE_AFTER.match(label[at + len(word):]))


def explains(statement: Statement, head: Statement) -> bool:
    """Whether a figure is a narrower thing than the concept its label names, which the tables print
    for the whole department: in its sentence's cause (after 主要原因是), a thing belonging to the
    concept ('因公出国（境）工作的国内服务费'); in a sentence about one subject, among that subject's
    uses (after 主要用于). The parts of a change a cause states ('主要是基本支出减少90.59万元') stay."""
    at = statement.sentence.find(statement.label) if statement.label else -1
    if statement is head or at <= 0:
        return False
    before = statement.sentence[:at]
    if REASON_MARKER.search(before) and POSSESSED.search(statement.label):
        return True  # '…主要原因是…因公出国（境）工作的国内服务费3.2万元': a thing of the concept, in a cause
    return bool(USE_MARKER.search(before)) and head.concept is not UNKNOWN and head.concept.measure in ("class", "path")


def restore_stated_change(statement: Statement) -> None:
    """Two ways the parser's clause-by-clause reading loses the change a sentence states:
    '比上年减少0.3万元，…主要原因是基本与上年持平': a 持平 in the reason does not undo the amount;
    '210.30万元，比上年1.43万元，增加0.68%': the amount after 比上年 is the change, its direction
    in the percentage after it."""
    text = re.sub(r"\s+", "", statement.sentence)
    start = max(text.rfind(statement.label), 0) if statement.label else 0
    if statement.change is not None and statement.change.fen == 0 and FLAT.fullmatch(statement.change_words or ""):
        flat_at = text.rfind(statement.change_words)
        explicit = [m for m in CHANGE_STATED.finditer(text, start, max(flat_at, start)) if stated(m.group(2), m.group(3)).fen]
        if explicit:
            m = explicit[0]
            value = stated(m.group(2), m.group(3))
            statement.change = -value if m.group(1) in DOWN else value
            statement.change_words = m.group(0)
    figure = AMOUNT.search(text, start)
    ellipsis = ELLIPTICAL.match(text, figure.end() + 1) if figure else None
    if ellipsis and statement.change is None and text[figure.end()] in "，,":
        value = stated(ellipsis.group(3), ellipsis.group(4))
        direction = PERCENT.match(text, ellipsis.end())
        statement.change = -value if direction.group(1) in DOWN else value
        statement.change_words = ellipsis.group(0) + direction.group(0)
        named = ellipsis.group(1)
        statement.compared_to = int(named) if named else (statement.year - 1 if statement.year else None)


def read(paragraphs: list[dict], fiscal_year: int | None, keep_unknown: bool = False) -> list[Statement]:
    """The parser's statements, with the change each sentence states restored and a figure whose
    label narrows its scope word known as what it is: an amount of a subject we do not name."""
    statements = parse(paragraphs, fiscal_year, keep_unknown=True)
    heads: dict[str, Statement] = {}
    for statement in statements:
        head = heads.setdefault(statement.sentence, statement)
        if statement.concept is UNKNOWN:
            continue
        restore_stated_change(statement)
        if narrowed(statement) or explains(statement, head):
            statement.concept = UNKNOWN
    return statements if keep_unknown else [s for s in statements if s.concept is not UNKNOWN]


def check(disclosure: Disclosure) -> list[Finding]:
    every = read(disclosure.paragraphs, disclosure.fiscal_year, keep_unknown=True)
    statements = [s for s in every if s.concept is not UNKNOWN]
    heads = group_parts(every)
    return (against_tables(disclosure, statements) + parts(disclosure, heads)
            + shares(heads) + opposite_directions(statements) + percentages(disclosure, statements)
            + completion_rates(disclosure) + template_leftovers(disclosure) + listed_parts(disclosure))


def finding(statement: Statement, severity: str, message: str, what: str, subject_code: str = "",
            **amounts) -> Finding:
    concept = statement.concept
    subject = concept.measure in ("class", "path")
    return Finding(
        check=CHECK, severity=severity, message=message, evidence=statement.where,
        subject_code=subject_code or (concept.subject if concept.measure == "class" else ""),
        measure="total" if subject else concept.measure,
        table_kind={"three": TableKind.THREE_PUBLIC_EXPENSES,
                    "procurement": TableKind.PROCUREMENT}.get(concept.family, ""),
        year=statement.year,
        key=f"{statement.paragraph.get('id') or statement.paragraph.get('position')}|{statement.sentence}|{concept}|{what}",
        **amounts,
    )


PROCUREMENT_FUNDS = {"一般公共预算": "general_budget", "政府性基金": "gov_fund"}


def fund_named_before(statement: Statement) -> str | None:
    """'其中一般公共预算拨款政府采购50,106.43万元：政府采购货物…、工程…': the parts a sentence lists after
    naming one fund's procurement are that fund's too."""
    if statement.concept.family != "procurement" or statement.concept.measure not in ("goods", "works", "services"):
        return None
    text = re.sub(r"\s+", "", statement.sentence)
    before = text[:max(text.find(statement.label), 0)]
    named = [measure for word, measure in PROCUREMENT_FUNDS.items() if word in before]
    return named[0] if len(named) == 1 else None


def against_tables(disclosure: Disclosure, statements: list[Statement]) -> list[Finding]:
    found = []
    merged = single_fund(disclosure.lines)
    for statement in statements:
        if statement.amount is None or statement.concept.generic:
            continue
        cells = figures(disclosure, statement.concept, statement.year, statement.basis)
        fund = fund_named_before(statement)
        if fund:
            cells = [c for c in cells if c["measure"] == fund]
        if not cells:
            continue
        verdicts = [judge(Amount.of_line(c), statement.amount) for c in cells]
        if None in verdicts:
            continue
        severity = "info" if "info" in verdicts else "error"
        if severity == "error" and not certain(statement, cells, merged):
            severity = "warning"
        counts = Counter(c["amount_fen"] for c in cells)
        fen = counts.most_common(1)[0][0]
        witnesses = [c for c in cells if c["amount_fen"] == fen]
        expected = Amount.of_line(witnesses[0])
        printed = "; ".join(
            f"{wan_text(Amount.of_line(group[0]))}万元 in " + ", ".join(dict.fromkeys(table_short(disclosure, c) for c in group))
            for group in ([c for c in cells if c["amount_fen"] == value] for value, _ in counts.most_common()))
        found.append(finding(
            statement, severity,
            f"The text states {concept_words(statement.concept)} as {wan_text(statement.amount)}万元 but the tables print "
            f"{printed}" + (" — a rounding gap." if severity == "info" else "."),
            "amount", subject_code=subject_key(witnesses[0]) if statement.concept.measure == "path" else "",
            expected=expected, actual=statement.amount,
        ))
    return found


NARROW_SCOPES = {"gb", "fiscal", "gf", "sc"}


def certain(statement: Statement, cells: list[dict], merged: bool) -> bool:
    """Whether the cells surely print what the sentence states. 机关运行经费 is the 公用经费 only of
    administrative units; 基本支出 of a department with other funds is more than its
    general-budget 基本支出."""
    concept = statement.concept
    if concept.family == "admin" and all(c["measure"] != "admin_operating" for c in cells):
        return False
    if concept.family == "expenditure" and not merged and not re.search("一般公共预算|财政拨款", statement.label):
        # the sentence may speak of the department's money or of its general-budget money:
        # sure only when it matches neither
        scopes = {SCOPES.get(c.get("table_kind") or "", {}).get(c["measure"], ("all",))[0] for c in cells}
        if not (scopes & NARROW_SCOPES and "all" in scopes):
            return False
    return True


def table_classes(disclosure: Disclosure) -> set[str]:
    return {subject_key(l) for l in disclosure.lines
            if len(subject_key(l)) == 3 and subject_key(l)[0] == "2" and l["amount_fen"]
            and l.get("table_kind") in EXPENDITURE_KINDS and l.get("year") in (None, disclosure.fiscal_year)}


def parts(disclosure: Disclosure, heads: list[Statement]) -> list[Finding]:
    """A total and the parts the same passage breaks it into (of the same basis: a 年初预算 is not
    the sum of 决算 figures)."""
    found = []
    for head in heads:
        for members in CHILDREN[(head.concept.family, head.concept.measure)]:
            listed = [p for p in head.parts if p.concept.measure in members and p.basis == head.basis]
            if not listed:
                continue
            if members == {"class"}:
                printed = table_classes(disclosure)  # complete when it names every 类 the tables print
                complete = bool(printed) and {p.concept.subject for p in listed} >= printed
            else:
                complete = {p.concept.measure for p in listed} >= members
            complete = complete and not head.incomplete
            names = "、".join(concept_words(p.concept) for p in listed)
            if head.amount is not None and all(p.amount is not None for p in listed):
                summed = total(p.amount for p in listed)
                severity = judge(summed, head.amount)
                if severity and (complete or summed.fen > head.amount.fen):
                    found.append(finding(
                        head, severity,
                        f"The text states {concept_words(head.concept)} as {wan_text(head.amount)}万元 but the parts it lists "
                        f"({names}) add up to {wan_text(summed)}万元.",
                        f"parts:{sorted(members)}", expected=summed, actual=head.amount,
                    ))
            if head.change is not None and complete and all(p.change is not None for p in listed):
                summed = total(p.change for p in listed)
                severity = judge(summed, head.change)
                if severity:
                    steps = ", ".join(f"{concept_words(p.concept)} {signed(p.change)}" for p in listed)
                    found.append(finding(
                        head, severity,
                        f"The text states the change in {concept_words(head.concept)} as {signed(head.change)}万元 but "
                        f"the changes it gives for its parts ({steps}) add up to {signed(summed)}万元.",
                        f"change-parts:{sorted(members)}", expected=summed, actual=head.change,
                    ))
    return found


def prose(disclosure: Disclosure) -> list[tuple[dict, str]]:
    """Every place prose is printed, with where it stands: the narrative's paragraphs, and the
    prose cells of tables (a performance table's 项目概况) by table, page and row."""
    found = []
    for paragraph in joined(disclosure.paragraphs):
        page = paragraph.get("page")
        found.append((paragraph, f"text{f' p.{page}' if page else ''}"))
    for cell in disclosure.cells:
        table = disclosure.table_info(cell.get("table_index"))
        name = (table.get("label") or "").strip() or re.sub(r"\s+", "", table.get("title") or "") or "table"
        page = cell.get("page") or table.get("page")
        found.append((cell, f"{name}{f' p.{page}' if page else ''} row {(cell.get('row_index') or 0) + 1}"))
    return found


def listed_parts(disclosure: Disclosure) -> list[Finding]:
    """An amount and the parts the text lists for it (extractors.enumeration), in the narrative
    and in the prose cells of tables: '区数建办运转费用28.16万元。(…=47520元);…15万元(…);…8.16万元'.
    A list of some parts only (其中, 主要) contradicts its amount only by exceeding it, beyond
    what the rounding of its printed figures explains. An amount whose concept the
    narrative names and breaks down itself (`parts`) is left to that rule."""
    found = []
    for place, where in prose(disclosure):
        for item in listed(place.get("text") or ""):
            label = clean_label(re.sub(r"[\d.,]+(?:亿元|万元|元)$", "", item.head_words))
            concept = concept_of(label) if label else None
            if concept is not None and CHILDREN.get((concept.family, concept.measure)):
                continue
            # a whole list was summed into its amount, so its parts are known at least as finely as
            # it prints ('15万元' beside 28.16万元 is 15.00); a list of some parts proves nothing of the kind
            head, *parts = at_finest([item.head, *item.parts]) if item.complete else [item.head, *item.parts]
            summed = total(parts)
            severity = judge(summed, head)
            if not severity or not (item.complete or summed.fen > head.fen):
                continue
            words = " + ".join(wan_text(p) for p in parts)
            found.append(Finding(
                check=CHECK, severity=severity, evidence=f"{where}: “{item.text}”",
                message=(f"The text states “{item.head_words}” and lists its parts as {words}万元, which add up to "
                         f"{wan_text(summed)}万元" + (" — a rounding gap." if severity == "info" else ".")),
                year=disclosure.fiscal_year, expected=summed, actual=head,
                key=f"{place.get('id') or place.get('position')}|{item.text}|listed",
            ))
    return found


def ratio_range(part: Amount, whole: Amount) -> tuple[Decimal, Decimal] | None:
    """The percentages part / whole × 100 that the rounded amounts allow."""
    low_whole, high_whole = whole.fen - whole.slack, whole.fen + whole.slack
    if low_whole <= 0:
        return None
    return (Decimal(max(part.fen - part.slack, 0)) / high_whole * 100,
            Decimal(part.fen + part.slack) / low_whole * 100)


def percent_agrees(stated: Decimal, allowed: tuple[Decimal, Decimal]) -> bool:
    """Rounded (within half a unit of its last digit) or cut (up to one unit below), either will do."""
    unit = Decimal(1).scaleb(min(stated.as_tuple().exponent, 0))
    low, high = allowed
    if stated < 0 or high < 0:  # cut towards zero: compare magnitudes
        stated, low, high = -stated, -high, -low
    return low - unit <= stated <= high + unit / 2


def shares(heads: list[Statement]) -> list[Finding]:
    """'…支出9746.50万元，主要用于：社会保障和就业支出（类）754.75万元，占7.74%': 754.75 / 9746.50."""
    found = []
    for head in heads:
        if head.amount is None:
            continue
        for part in head.parts:
            if part.share is None or part.amount is None:
                continue
            allowed = ratio_range(part.amount, head.amount)
            if allowed is None or percent_agrees(part.share, allowed):
                continue
            computed = Decimal(part.amount.fen) / head.amount.fen * 100
            found.append(finding(
                part, "error",
                f"The text gives {concept_words(part.concept)} {wan_text(part.amount)}万元 as “{part.share_words}” of "
                f"{wan_text(head.amount)}万元, but it is {computed:.2f}%.",
                "share",
            ))
    return found


def completion_rates(disclosure: Disclosure) -> list[Finding]:
    """'年初预算为452.40万元，支出决算为446.11万元，完成年初预算的98.61%': 446.11 / 452.40."""
    found = []
    for paragraph, sentence in sentences(disclosure.paragraphs):
        for match in COMPLETION.finditer(re.sub(r"\s+", "", sentence)):
            budget, actual = stated(match.group(1), "万元"), stated(match.group(2), "万元")
            rate = Decimal(match.group(3))
            allowed = ratio_range(actual, budget)
            if allowed is None or percent_agrees(rate, allowed):
                continue
            computed = Decimal(actual.fen) / budget.fen * 100
            page = paragraph.get("page")
            found.append(Finding(
                check=CHECK, severity="error",
                message=(f"The text says {wan_text(actual)}万元 spent of a {wan_text(budget)}万元 budget is "
                         f"{rate}% of it, but it is {computed:.2f}%."),
                evidence=f"text{f' p.{page}' if page else ''}: “{sentence.strip()}”",
                year=disclosure.fiscal_year, key=f"{paragraph.get('id')}|{sentence}|completion|{match.start()}",
            ))
    return found


def signed(amount: Amount) -> str:
    return ("+" if amount.fen > 0 else "") + wan_text(amount)


def opposite_directions(statements: list[Statement]) -> list[Finding]:
    """The same change stated as an increase in one place and a decrease in another."""
    by_concept: dict = defaultdict(list)
    for statement in statements:
        if statement.change is not None and statement.change.fen:
            by_concept[statement.concept].append(statement)
    found = []
    for concept, said in by_concept.items():
        by_sign = defaultdict(list)
        for statement in said:
            by_sign[statement.change.fen > 0].append(statement)
        if len(by_sign) < 2:
            continue
        ups, downs = by_sign[True], by_sign[False]
        majority, minority = (ups, downs) if len(ups) >= len(downs) else (downs, ups)
        for statement in minority:
            other = majority[0]
            if abs(other.change.fen) != abs(statement.change.fen):
                continue  # different figures: possibly different scopes, not a direction conflict
            found.append(finding(
                statement, "error",
                f"The text says {concept_words(concept)} {'rose' if statement.change.fen > 0 else 'fell'} by "
                f"{wan_text(abs(statement.change.fen))}万元 here (“{statement.change_words}”) but "
                f"{'fell' if statement.change.fen > 0 else 'rose'} by the same amount in "
                f"{len(majority)} other place(s) (“{other.change_words}” in “{other.sentence.strip()}”).",
                "direction", expected=other.change, actual=statement.change,
            ))
    return found


def percentages(disclosure: Disclosure, statements: list[Statement]) -> list[Finding]:
    """'增加X万元, 增长Y%': Y must follow from X and the amount it changed from."""
    found = []
    for statement in statements:
        if statement.percent is None or statement.change is None:
            continue
        if (statement.percent > 0) != (statement.change.fen > 0) and statement.change.fen and statement.percent:
            found.append(finding(
                statement, "error",
                f"The text gives {concept_words(statement.concept)} a change of {signed(statement.change)}万元 but calls it "
                f"“{statement.percent_words}”: the direction contradicts itself.",
                "percent-direction", actual=statement.change,
            ))
            continue
        # the tables' two years are more precise than the text's rounded figures
        pairs = year_pairs(disclosure, statement.concept) if disclosure.fiscal_year else []
        if pairs:
            current = Amount.of_line(pairs[0][0])
            change = current - Amount.of_line(pairs[0][1])
        else:
            current, change = statement.amount, statement.change
        if current is None:
            continue
        low, high = percent_range(current, change)
        if low is None:
            continue
        if percent_agrees(statement.percent, (low, high)):  # rounded or cut, as for shares and rates
            continue
        computed = (low + high) / 2
        found.append(finding(
            statement, "error",
            f"The text says {concept_words(statement.concept)} changed by {signed(statement.change)}万元 to "
            f"{wan_text(current)}万元, which is {computed:+.2f}% of the year before, but it states "
            f"“{statement.percent_words}”.",
            "percent",
        ))
    return found


def percent_range(current: Amount, change: Amount) -> tuple[Decimal | None, Decimal | None]:
    """The percentages the rounded amounts allow: change / (current − change) × 100."""
    values = []
    for dc in (-change.slack, change.slack):
        for dn in (-current.slack, current.slack):
            base = Decimal(current.fen + dn - change.fen - dc)
            if base <= 0:
                return None, None
            values.append(Decimal(change.fen + dc) / base * 100)
    return min(values), max(values)


def template_leftovers(disclosure: Disclosure) -> list[Finding]:
    """Wording left unfinished: '减少(或增加)', a change given without its unit ('增长13.95。')."""
    found = []
    for paragraph, sentence in sentences(disclosure.paragraphs):
        page = paragraph.get("page")
        where = f"text{f' p.{page}' if page else ''}: “{sentence.strip()}”"
        match = TEMPLATE_LEFTOVER.search(sentence)
        if match:
            found.append(Finding(
                check=CHECK, severity="info", evidence=where,
                message=f"The text keeps the template's alternative “{match.group(0)}” instead of stating one direction.",
                key=f"{paragraph.get('id') or paragraph.get('position')}|{sentence}|template",
            ))
        match = UNITLESS.search(re.sub(r"\s+", "", sentence))
        if match:
            found.append(Finding(
                check=CHECK, severity="info", evidence=where,
                message=f"The text gives a change as “{match.group(0)}” without its unit (% or 万元).",
                key=f"{paragraph.get('id') or paragraph.get('position')}|{sentence}|unitless",
            ))
    return found
