"""A disclosure's narrative → statements: the figures its sentences state.

'其中:基本支出404.68万元,比2025年增加90.59万元' yields one statement: concept 基本支出 (basic
expenditure, whole department), amount 404.68万元 (an exact `Amount` with the slack of its printed
precision), change +90.59万元 against 2025. A clause that only states a change
('比2025年减少0.5万元') belongs to the subject of the clause before it.

One parser for everyone who reads the narrative: the text-dump reader uses the 三公 figures it
states to place cells (`extractors.evidence`), the audit holds every statement against the
tables and against the text itself (`budgets.audit.narrative`, `year_over_year`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator

from extractors.identities import Amount, decimals_of, step_of
from extractors.units import FEN_PER_UNIT
from extractors.vocabulary import CLASS_NAMES, basis_of

NUM = r"(\d[\d,]*(?:\.\d+)?)"
UNIT = r"(亿元|万元|元)"
AMOUNT = re.compile(NUM + r"\s*" + UNIT)
UP = ("增加", "增长", "上升", "提高")
DOWN = ("减少", "下降", "降低")
VERB = r"(增加|增长|上升|提高|减少|下降|降低)"
ALTERNATIVE = r"(?:[（(]或(?:增加|减少|增长|下降)[)）])"
CHANGE = re.compile(VERB + ALTERNATIVE + r"?\s*" + NUM + r"\s*" + UNIT)
PERCENT = re.compile(VERB + r"\s*" + NUM + r"\s*[%％]")
SHARE = re.compile(r"占[^0-9%％，,。；;]{0,12}?" + NUM + r"\s*[%％]")
# '年初预算为452.40万元，支出决算为446.11万元，完成年初预算的98.61%'
COMPLETION = re.compile(r"年初预算(?:数)?为?" + NUM + r"万元.{0,20}?决算(?:数)?为?" + NUM + r"万元.{0,12}?完成(?:年初)?预算的?"
                        + NUM + r"\s*[%％]")
# '增长13.95。': a change given without its unit
UNITLESS = re.compile(r"(?:增长|下降|增加|减少)(\d+(?:,\d{3})*(?:\.\d+)?)(?=[。；;，]|,(?!\d)|$)")
FLAT = re.compile(r"无增减|持平|无变化|没有变化|保持不变|与上年一致")
COMPARE = re.compile(r"(?:比|较|与)(?:上年度?|去年|上一年度?|(20\d\d)年度?)(?:预算数?|决算数?)?(?:相比)?")
SENTENCES = re.compile(r"(?<=[。;；!?！？])")
CLAUSES = re.compile(r"[,，:：、]")
LEADING = re.compile(r"^(?:其中|主要是|主要原因是|主要用于|包括|分别是|另外|此外|同时|以及|和|及|为|共计|共)+")
YEAR = re.compile(r"20\d\d年度?")

# Text where an amount is not a budget figure the tables print.
SKIP = re.compile(r"涉及|绩效|资产|指标|标准|\*")

# (pattern on the label, family, measure); first match wins, 类 names are tried in between.
CONCEPTS_BEFORE_CLASSES = [
    (r"三公", "three", "total"),
    (r"因公出国", "three", "overseas_travel"),
    (r"公务用车购置(?:及|和)运行", "three", "vehicles"),
    (r"公务用车运行|车辆运行", "three", "vehicle_operation"),
    (r"公务用车购置|购置公务用车|车辆购置", "three", "vehicle_purchase"),
    (r"公务接待", "three", "reception"),
    (r"机关运行经费|运行经费", "admin", "admin_operating"),
    (r"会议费", "three", "meeting"),
    (r"培训费", "three", "training"),
    (r"政府采购.*货物|货物.*政府采购|采购货物", "procurement", "goods"),
    (r"政府采购.*工程|工程.*政府采购|采购工程", "procurement", "works"),
    (r"政府采购.*服务|服务.*政府采购|采购服务", "procurement", "services"),
    (r"一般公共预算.*政府采购", "procurement", "general_budget"),
    (r"政府采购", "procurement", "total"),
]
CONCEPTS_AFTER_CLASSES = [
    (r"基本支出", "expenditure", "basic"),
    (r"项目支出", "expenditure", "project"),
    (r"人员经费", "expenditure", "personnel"),
    (r"公用经费", "expenditure", "public_use"),
    (r"政府性基金", "expenditure", "gov_fund"),
    (r"国有资本经营", "expenditure", "state_capital"),
    (r"一般公共预算", "expenditure", "general_budget"),
    (r"财政拨款", "expenditure", "fiscal"),
    (r"年初预算|预算总额|收入预算|支出预算|收支预算|收入总计|支出总计|收入合计|支出合计|^收入$|^支出$|^总收入$|^总支出$|^收支总",
     "expenditure", "total"),
]


# What a total the text states may be broken into, in the same passage.
CHILDREN = {
    ("three", "total"): [{"overseas_travel", "reception", "vehicles"},
                         {"overseas_travel", "reception", "vehicle_purchase", "vehicle_operation"}],
    ("three", "vehicles"): [{"vehicle_purchase", "vehicle_operation"}],
    ("procurement", "total"): [{"goods", "works", "services"}],
    ("procurement", "general_budget"): [{"goods", "works", "services"}],
    ("expenditure", "total"): [{"basic", "project"}, {"class"}],
    ("expenditure", "general_budget"): [{"basic", "project"}, {"class"}],
    ("expenditure", "fiscal"): [{"basic", "project"}, {"class"}],
}


@dataclass(frozen=True)
class Concept:
    family: str  # expenditure | three | admin | procurement
    measure: str  # total, basic, … ; 'class' for a subject code, 'path' for a subject named by its path
    subject: str = "合计"  # the code ('2080505'), or for a path '208|行政事业单位养老支出|行政单位离退休'
    # a bare 收入/支出/年初预算 whose scope only the sentence before tells: used for sums, never
    # held against one table on its own
    generic: bool = field(default=False, compare=False)


UNKNOWN = Concept("unknown", "unknown")


@dataclass
class Statement:
    concept: Concept
    label: str
    sentence: str
    paragraph: dict
    amount: Amount | None = None
    unit: str = ""  # the unit the amount is stated in
    change: Amount | None = None  # signed
    compared_to: int | None = None  # the year the change is measured against
    change_words: str = ""
    percent: Decimal | None = None
    percent_words: str = ""
    share: Decimal | None = None  # '占7.74%': its share of the total it is part of
    share_words: str = ""
    year: int | None = None
    basis: str | None = None
    parts: list["Statement"] = field(default_factory=list)
    incomplete: bool = False  # its list of parts holds amounts whose subject is not known

    @property
    def where(self) -> str:
        page = self.paragraph.get("page")
        return f"text{f' p.{page}' if page else ''}: “{self.sentence.strip()}”"


def stated(number: str, unit: str) -> Amount:
    """A figure as a sentence states it: '404.7', '万元' → 404.7万元, printed to 0.1万元."""
    value = Decimal(number.replace(",", ""))
    return Amount.printed(int(value * FEN_PER_UNIT[unit]), step_of(unit, decimals_of(value)))


# '公共安全支出（204类）司法（06款）行政运行（01项）' names the 项 2040601
CODED = re.compile(r"[（(](\d{3})类[)）](?:[^（(]*[（(](\d{2})款[)）](?:[^（(]*[（(](\d{2})项[)）])?)?")


CLASS_NAMES_LONGEST_FIRST = sorted(CLASS_NAMES.items(), key=lambda kv: -len(kv[0]))


def concept_of(label: str) -> Concept | None:
    if not label or SKIP.search(label):
        return None
    if re.search(VERB, label):
        return None  # '基本支出增加人员经费1408.29万元': a change described in words, not a figure
    coded = CODED.search(label)
    if coded:
        return Concept("expenditure", "class", "".join(part for part in coded.groups() if part))
    for pattern, family, measure in CONCEPTS_BEFORE_CLASSES:
        if re.search(pattern, label):
            return Concept(family, measure)
    for name, code in CLASS_NAMES_LONGEST_FIRST:
        if name in label:
            path = subject_path(label, name)
            if len(path) > 1:
                return Concept("expenditure", "path", "|".join([code] + path[1:]))
            return Concept("expenditure", "class", code)
    for pattern, family, measure in CONCEPTS_AFTER_CLASSES:
        if re.search(pattern, label):
            return Concept(family, measure, generic=measure == "total")
    return None


PATH_MARKS = re.compile(r"[（(][类款项][)）]|[-—－]")


def subject_path(label: str, class_name: str) -> list[str]:
    """'“一般公共服务支出（类）统计信息事务（款）统计管理（项）”科目' → the names from the 类 down."""
    text = label[label.index(class_name):]
    text = re.sub(r"[“”\"]|科目$|预算$", "", text)
    if not PATH_MARKS.search(text):
        return [class_name]
    return [part.strip() for part in PATH_MARKS.split(text) if part.strip()][:3]


def clean_label(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"^[（(][一二三四五六七八九十\d]+[)）]|^[一二三四五六七八九十\d]+[、.．]", "", text)
    text = COMPARE.sub("", text)
    text = YEAR.sub("", text)
    return LEADING.sub("", text).strip("“”\"")


TERMINAL = tuple("。!?！？")  # a list of items ending in ； goes on on the next line
NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、．]|\d{1,2}\.(?!\d)|第[一二三四五六七八九十]+)")


def joined(paragraphs: list[dict]) -> list[dict]:
    """Paragraphs in reading order, a sentence broken across lines (PDF text) joined again:
    '…完成年初预算的' + '100.00%。' is one sentence. A numbered line starts a new one."""
    result: list[dict] = []
    pieces: list[str] = []  # of the sentence being joined: joined once, so that joining stays linear
    for paragraph in sorted(paragraphs, key=lambda p: (p.get("page") or 0, p.get("position") or 0)):
        text = (paragraph.get("text") or "").strip()
        if not text:
            continue
        if result and not pieces[-1].endswith(TERMINAL) and not NUMBERED.match(text):
            pieces.append(text)
        else:
            if result:
                result[-1]["text"] = "".join(pieces)
            result.append({**paragraph})
            pieces = [text]
    if result:
        result[-1]["text"] = "".join(pieces)
    return result


def sentences(paragraphs: list[dict]) -> Iterator[tuple[dict, str]]:
    """(paragraph, sentence) in reading order, with sentences broken across lines joined again."""
    for paragraph in joined(paragraphs):
        for sentence in SENTENCES.split(paragraph.get("text") or ""):
            yield paragraph, sentence


def parse(paragraphs: list[dict], fiscal_year: int | None, keep_unknown: bool = False) -> list[Statement]:
    """Every statement in the text, in reading order (with keep_unknown, also the amounts whose
    subject is not known). Paragraphs are dicts with `text` (and `page`, `position`, `id`)."""
    statements: list[Statement] = []
    for paragraph, sentence in sentences(paragraphs):
        previous: Statement | None = None
        for clause in CLAUSES.split(sentence):
            statement = parse_clause(clause, sentence, paragraph, previous, fiscal_year)
            if statement is None:
                continue
            if statement is not previous:
                statements.append(statement)
            previous = statement
    return statements if keep_unknown else [s for s in statements if s.concept is not UNKNOWN]


def parse_clause(clause, sentence, paragraph, previous, fiscal_year) -> Statement | None:
    text = re.sub(r"\s+", "", clause)
    change = CHANGE.search(text)
    flat = FLAT.search(text) if not change else None
    compare = COMPARE.search(text)
    amount = AMOUNT.search(text)
    if amount and change and amount.start() >= change.start():
        amount = None  # the only amount is the change
    percent = PERCENT.search(text)
    share = SHARE.search(text)
    if not (amount or change or flat or percent):
        if share and previous is not None and previous.amount is not None and previous.share is None:
            previous.share = Decimal(share.group(1).replace(",", ""))  # '…754.75万元，占7.74%'
            previous.share_words = share.group(0)
            return previous
        return None
    cut = min(m.start() for m in (amount, change, flat, compare, percent) if m)
    label = clean_label(text[:cut])
    concept = concept_of(label) if label else None
    if concept is None:
        if amount and label:
            # an amount this module cannot name ('单位预留机动经费140.2万元'): kept so that a list of
            # parts it belongs to is known to be incomplete
            return Statement(concept=UNKNOWN, label=label, sentence=sentence, paragraph=paragraph,
                             amount=stated(amount.group(1), amount.group(2)), unit=amount.group(2),
                             year=fiscal_year)
        if label or previous is None or amount:
            return None
        statement = previous  # '比2025年增加90.59万元' continues the clause before
    else:
        statement = Statement(concept=concept, label=label, sentence=sentence, paragraph=paragraph,
                              year=fiscal_year, basis=basis_of(label))
    if amount:
        statement.amount = stated(amount.group(1), amount.group(2))
        statement.unit = amount.group(2)
    if compare and (change or flat):
        year = compare.group(1)
        statement.compared_to = int(year) if year else (fiscal_year - 1 if fiscal_year else None)
    if change:
        value = stated(change.group(2), change.group(3))
        statement.change = -value if change.group(1) in DOWN else value
        statement.change_words = change.group(0)
    elif flat:
        statement.change = Amount(0, 1, 0)
        statement.change_words = flat.group(0)
    if percent:
        statement.percent = Decimal(percent.group(2).replace(",", ""))
        if percent.group(1) in DOWN:
            statement.percent = -statement.percent
        statement.percent_words = percent.group(0)
    if share and amount:
        statement.share = Decimal(share.group(1).replace(",", ""))
        statement.share_words = share.group(0)
    return statement


def group_parts(statements: list[Statement]) -> list[Statement]:
    """Attach to each head (a total the text breaks down) the statements that break it down:
    those that follow it in the same paragraph and are its parts."""
    heads = []
    for index, head in enumerate(statements):
        sets = CHILDREN.get((head.concept.family, head.concept.measure))
        if not sets or head.concept.subject != "合计" or head.concept is UNKNOWN:
            continue
        allowed = set().union(*sets)
        head.parts = []
        head.incomplete = False
        # walked by index, never sliced: a slice copied the rest of the list for every head
        for following in range(index + 1, len(statements)):
            follower = statements[following]
            if follower.paragraph is not head.paragraph:
                break
            if follower.concept is UNKNOWN:
                head.incomplete = True  # an unnamed amount among the parts
                continue
            if follower.concept.family != head.concept.family and not (
                    head.concept.family == "expenditure" and follower.concept.family == "expenditure"):
                break
            if follower.concept.measure not in allowed:
                break
            head.parts.append(follower)
        if head.parts:
            heads.append(head)
    return heads
