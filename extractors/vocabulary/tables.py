"""Tables and their captions: what a title says of a table's kind, how captions print the unit,
the table's label, notes and title, how subject codes are printed, and which tables a disclosure
must publish."""
from __future__ import annotations

import re

from extractors.vocabulary.labels import _NUM_CN, _SPACES

# Table kind ← phrases in the title, most specific first (the 三公 title also says 一般公共预算支出).
TABLE_KIND_TITLES: list[tuple[str, tuple[str, ...]]] = [
    ("project_performance", ("项目绩效目标", "绩效目标申报表", "项目支出绩效")),
    ("overall_performance", ("整体绩效目标", "部门整体绩效", "整体绩效", "整体支出绩效")),
    ("project_performance", ("绩效目标表",)),  # a project's own: '信访业务培训绩效目标表'
    ("three_public_expenses", ("三公",)),
    ("admin_operating_expenditure", ("机关运行经费",)),
    ("fiscal_appropriation_summary", ("财政拨款收支总表", "财政拨款收支预算总表", "财政拨款收支决算总表",
                                       "财政拨款收入支出决算总表", "财政拨款收支总体情况表")),
    ("general_budget_basic_expenditure", ("一般公共预算财政拨款基本支出", "一般公共预算基本支出",
                                          "一般公共预算拨款基本支出")),
    ("fiscal_appropriation_basic_expenditure", ("财政拨款基本支出表", "财政拨款基本支出预算表",
                                                 "财政拨款基本支出决算表")),
    ("general_budget_project_expenditure", ("一般公共预算项目支出", "一般公共预算财政拨款项目支出")),
    # a fund's own table, never the department-wide one: '一般公共预算拨款支出预算表' (Fujian)
    ("general_budget_expenditure", ("一般公共预算财政拨款支出", "一般公共预算支出", "一般公共预算拨款支出")),
    ("gov_fund_expenditure", ("政府性基金预算支出", "政府性基金预算财政拨款支出", "政府性基金支出",
                              "政府性基金预算财政拨款收入支出", "政府性基金预算拨款支出")),
    ("state_capital_expenditure", ("国有资本经营预算支出", "国有资本经营预算财政拨款支出",
                                   "国有资本经营预算财政拨款收入支出", "国有资本经营预算拨款支出")),
    ("procurement", ("政府采购",)),
    ("project_expenditure", ("项目支出明细", "项目支出表", "项目支出预算表", "项目支出决算表", "项目支出总表",
                             "项目支出及其他支出预算表")),
    ("fiscal_appropriation_expenditure", ("财政拨款支出表", "财政拨款支出预算表", "财政拨款支出决算表")),
    # '…总体情况表' is Chongqing's and Hubei's name for the same tables
    ("dept_summary", ("收支总表", "收支预算总表", "收支决算总表", "收入支出决算总表", "收支总体情况表")),
    ("dept_income", ("收入总表", "收入预算表", "收入决算表", "收入预算总表", "收入总体情况表")),
    ("dept_expenditure", ("支出总表", "支出预算表", "支出决算表", "支出预算总表", "支出总体情况表")),
]

# Kinds whose rows carry no amounts worth a budget line (targets, indicators).
TEXT_TABLE_KINDS = {"project_performance", "overall_performance"}
# An untitled table with a column naming one of these states targets (深圳's 重点项目绩效目标 in
# the text, 重庆's 当年绩效目标).
PERFORMANCE_COLUMN_WORDS = ("绩效目标", "绩效指标")


# ---- how tables print their captions ---------------------------------------------------------
# Every reader (HTML, text dump, XLSX/XLS, DOCX/DOC, PDF) and the audit use these patterns; a
# template that prints its captions another way is a change here, nowhere else.

# The unit line: '单位：万元', '单位 ：元' (a space before the full-width colon), '金额单位:元',
# '单 位：万元' (a PDF's letter-spaced heading), not '编制单位：元宝山区…'. Group 1 is the unit.
UNIT_LINE = re.compile(r"(?:金额)?单\s*位\s*[:：]\s*(万元|元|亿元)(?![\u4e00-\u9fff]{2})")
# '单位：万' with '元' wrapped onto the next printed line (a narrow PDF caption box)
UNIT_LINE_CUT = re.compile(r"单\s*位\s*[:：]\s*万\s*$")
# A unit printed in a header cell or at the end of a title: '（元）', '(万元)', '金额（万元）'.
UNIT_IN_BRACKETS = re.compile(r"[(（]\s*(万元|元|亿元)\s*[)）]\s*$")
# A cell that is only the unit: '（元）', '金额(万元)'.
UNIT_ALONE = re.compile(r"(金额)?[(（](万元|元|亿元)[)）]")
UNITS = ("万元", "元", "亿元")

# 表一 but not 表一般公共预算…: a Chinese numeral after 表 is a number only when 般 does not follow.
_TABLE_NO = rf"(?:\d+(?:\s*[-－—]\s*\d+)?|[{_NUM_CN}]+(?!般))"
_LABEL_BODY = (rf"(?:附件|附表)\s*\d+(?:\s*[-－—]\s*\d+)?"
               rf"|公开\s*\d+\s*表|公开表\s*{_TABLE_NO}|表\s*{_TABLE_NO}")
# What a document numbers a table, at the start of a caption: 附件2-1, 附表3, 表1-2, 表一, 公开03表,
# 公开表一. Group 1 is the label; the match also takes the punctuation after it ('附件1：').
TABLE_LABEL = re.compile(rf"^\s*({_LABEL_BODY})(?![\d{_NUM_CN}])\s*[:：、.．]?\s*")
# The same label anywhere in a printed line ('上海市普陀区司法局 公开03表'); 表N only at the start.
TABLE_LABEL_IN_LINE = re.compile(
    rf"((?:附件|附表)\s*\d+(?:\s*[-－—]\s*\d+)?|公开\s*\d+\s*表|公开表\s*{_TABLE_NO}|^表\s*{_TABLE_NO})"
    rf"(?![\d{_NUM_CN}])")
# Remarks printed with a table: '注：', '备注：', '说明：', '（备注：…）', and the words templates use
# for an empty table ('本表无数据', '本部门无政府性基金预算…').
TABLE_NOTE = re.compile(r"^\s*[(（]?\s*(?:注|说明|备注)|本表无数据|为空表|故本表|本部门无|本单位无")
# '编制单位：XX局', '部门（单位）：XX局', '预算单位：…' beside the unit on a caption row.
PREPARER = re.compile(r"^\s*(?:编制|填报|预算|主管)?(?:单位|部门)(?:名称)?(?:[(（]\s*单位\s*[)）])?(?:名称)?\s*[:：]")
# A title ends in 表, perhaps with a bracket after it ('…支出表（按功能分类）', '…总表（续）').
TITLE_END = re.compile(r"表\s*(?:[(（][^()（）]{0,20}[)）])?\s*(?:[(（]续[)）])?\s*$")
# A printed title line as a whole: 2–60 characters ending in 表.
TITLE_LINE = re.compile(r"^.{2,60}?表(?:[（(][^）)]{0,20}[）)])?(?:[（(]续[）)])?$")
# A title printed inside a table's frame (a PDF's merged top row).
TITLE_IN_FRAME = re.compile(r"表\s*$|表[（(].*[）)]\s*$|^公开\s*\d+\s*表|^公开表")
# Lines that end like a title but are not one: a contents page, a sentence, dot leaders.
_PART = r"第[一二三四五六七八九十]+部分"  # '第三部分': a part of a disclosure
TITLE_BLOCKERS = re.compile(rf"^(注|说明|备注|目录|{_PART})|[。；，,]|…|\.{{4}}")
# '1.', '一、' printed before a title in a contents-like list of tables.
TITLE_NUMBER = re.compile(r"^(?:\d+\s*[.．、]\s*|[一二三四五六七八九十]+\s*、\s*)")
# A part of a disclosure begins: '第三部分 某局2024年度部门决算情况说明' (never a row of a table).
PART_HEADING = re.compile(rf"^{_PART}|(20\d\d)年度?(?:部门|单位)(?:预算|决算)(?:情况)?说明")
# A heading in a PDF's narrative: '一、', '（二）', '3.', '第一部分'.
NARRATIVE_HEADING = re.compile(
    rf"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[、.．]|{_PART})")
PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,3}[-—–\s]*$|^第\s*\d+\s*页")
# A cover's issuer and kind: '预算单位：上海市普陀区司法局', '2026年部门预算'.
COVER_ISSUER = re.compile(r"(预算主管部门|预算单位|主管部门|部门名称|单位名称)\s*[：:]\s*(\S+)")
COVER_KIND = re.compile(r"(20\d\d)\s*年\S*?(部门|单位)(预算|决算)")
# a heading or contents line naming the disclosure: '2026年度部门预算'
HEADING_YEAR = re.compile(r"(20\d\d)年度?(部门|单位)(预算|决算)")
# a table-of-contents line: '第一部分 2026年度部门预算说明……………3' (or any line below '目录' on its page:
# '目 录', '某局2017年度部门预算目录', '目 录序号 报表名称')
CONTENTS_TITLE = re.compile(r"^目录|目录$")
CONTENTS_LEADER = re.compile(r"(?:…{4,}|\.{4,}|·{4,}|[-－—]{4,})\s*\d{0,3}\s*$")
YEAR_AND_STAGE = re.compile(r"20\d\d.*(预算|决算)|(预算|决算).*20\d\d")
# The only text an empty mandated table prints in its body.
EMPTY_BODY_MARKERS = (("无",), ("合计",), ("总计",))

SUBJECT_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
SUBJECT_CODE_SPACED = re.compile(r"^\d{3}(\s*\d{2}){0,2}$")
# A code printed in the same cell as its name: '2010501-行政运行', '2010501 行政运行',
# '[2010501]行政运行', '【301】工资福利支出', '30101基本工资'. Functional (2…) and economic (3…, 5…)
# codes only, of a 类 that exists (201…233, 301…399, 501…599): a bare number before a name is
# otherwise a count ('300个…') or a project number.
CODE_AND_NAME = re.compile(
    r"^[\[【(（]?\s*(?P<code>(?!\d00)(?:2[0-3]\d|3[01]\d|399|5[01]\d|599)(?:\s?\d{2}){0,2})\s*[\]】)）]?\s*[-－—–_:：]?\s*"
    r"(?P<name>[\u4e00-\u9fff（(“\"].*)$")
# The government economic classification (政府预算支出经济分类, 50x) printed beside the department
# one (部门预算支出经济分类, 30x): a column labelled so, or a 5… code in a row that has a code already.
GOV_ECONOMIC_LABEL = re.compile(r"政府(预算)?(支出)?经济分类")
GOV_ECONOMIC_CODE_START = "5"
# A row that numbers the columns (栏次 | 1 | 2 | 3, ** | ** | 1 | 2, 行次 …) is structure, not
# amounts: the integers 1, 2, 3 … with nothing beside them but these markers.
COLUMN_NUMBER_MARKERS = {"栏次", "行次", "栏号", "序号", "甲", "乙", "丙", "*", "**", "***"}


# ---- captions read ------------------------------------------------------------------------------

def unit_in(text: str) -> str | None:
    """The unit a caption line states: '单位 ：元' → '元'; '单位：万' (cut) → '万元'."""
    m = UNIT_LINE.search(text or "")
    if m:
        return m.group(1)
    if UNIT_LINE_CUT.search(text or ""):
        return "万元"
    return None


def unit_in_brackets(text: str) -> str | None:
    """The unit a header cell or title prints in brackets: '金额（元）' → '元'."""
    m = UNIT_IN_BRACKETS.search(text or "")
    return m.group(1) if m else None


def normal_label(text: str) -> str:
    """A table label as the contract stores it: no spaces, one kind of dash ('附件 2－1' → '附件2-1')."""
    return re.sub(r"[－—]", "-", _SPACES.sub("", text or ""))


def split_label(text: str) -> tuple[str, str]:
    """'附件2-1：一般公共预算支出表' → ('附件2-1', '一般公共预算支出表'); no label → ('', text)."""
    m = TABLE_LABEL.match(text or "")
    if not m:
        return "", (text or "").strip()
    return normal_label(m.group(1)), text[m.end():].strip()


def label_in_line(text: str) -> str:
    """The label anywhere in a printed line ('普陀区司法局 公开03表' → '公开03表')."""
    m = TABLE_LABEL_IN_LINE.search(_SPACES.sub("", text or ""))
    return normal_label(m.group(1)) if m else ""


def is_note(text: str) -> bool:
    return bool(TABLE_NOTE.search(_SPACES.sub("", text or "")))

# ---- what a disclosure must publish, and the names the checks print ----------------------------

# Tables a disclosure of each stage must publish (财政部 templates since 2017; 国有资本经营预算
# for final accounts). A province's family adds its own; recognised by the document's district.
MANDATED = {
    "budget": [
        "dept_summary", "dept_income", "dept_expenditure", "fiscal_appropriation_summary",
        "general_budget_expenditure", "general_budget_basic_expenditure",
        "three_public_expenses", "gov_fund_expenditure",
    ],
    "final_account": [
        "dept_summary", "dept_income", "dept_expenditure", "fiscal_appropriation_summary",
        "general_budget_expenditure", "general_budget_basic_expenditure",
        "three_public_expenses", "gov_fund_expenditure", "state_capital_expenditure",
    ],
}
FAMILY_EXTRA = {
    # 重庆 district budgets add 政府采购, 项目支出 and 绩效 tables (附件9–12).
    ("重庆", "budget"): ["procurement", "project_expenditure", "overall_performance", "project_performance"],
    # 上海 budgets publish 国有资本经营预算 and 项目支出 tables too.
    ("上海", "budget"): ["state_capital_expenditure"],
}

TABLE_NAMES = {
    "fiscal_appropriation_summary": "财政拨款收支总表",
    "general_budget_expenditure": "一般公共预算财政拨款支出表",
    "general_budget_basic_expenditure": "一般公共预算财政拨款基本支出表",
    "general_budget_project_expenditure": "一般公共预算财政拨款项目支出表",
    "three_public_expenses": "“三公”经费支出表",
    "gov_fund_expenditure": "政府性基金预算支出表",
    "state_capital_expenditure": "国有资本经营预算支出表",
    "dept_summary": "部门收支总表",
    "dept_income": "部门收入总表",
    "dept_expenditure": "部门支出总表",
    "procurement": "政府采购预算明细表",
    "project_expenditure": "项目支出明细表",
    "overall_performance": "部门整体绩效目标表",
    "project_performance": "项目绩效目标表",
    "fiscal_appropriation_expenditure": "财政拨款支出表",
    "fiscal_appropriation_basic_expenditure": "财政拨款基本支出表",
    "admin_operating_expenditure": "机关运行经费支出表",
}


def mandated_tables(district: str | None, stage: str | None) -> list[str]:
    kinds = list(MANDATED.get(stage or "", []))
    for (place, family_stage), extra in FAMILY_EXTRA.items():
        if family_stage == stage and place in (district or ""):
            kinds += [k for k in extra if k not in kinds]
    return kinds


def family_name(district: str | None, stage: str | None) -> str:
    for place, family_stage in FAMILY_EXTRA:
        if family_stage == stage and place in (district or ""):
            return f"{place}-{stage}"
    return f"national-{stage}"

# ---- table kinds: title variants (issue 15) -------------------------------------------------------
# Words a title may carry that say nothing of its kind, and older names: '…决算批复表' is the
# approved final account's table; before 2015 '公共预算' is what is now '一般公共预算'.
TITLE_KEY_REWRITES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"批复"), ""),
    (re.compile(r"(?<!一般)公共预算"), "一般公共预算"),
]
# Title phrases read before TABLE_KIND_TITLES, each with the words that rule it out (a fund's
# '政府性基金预算财政拨款收入支出决算表' is no summary): '收入支出决算(批复)表' is the department's
# summary, '财政拨款收入支出决算(批复)表' the fiscal appropriation summary.
TABLE_KIND_VARIANTS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("fiscal_appropriation_summary", ("财政拨款收入支出决算表", "财政拨款收入支出预算表", "财政拨款收支决算表",
                                      "财政拨款收支预算表"), ("一般公共预算", "政府性基金", "国有资本")),
    ("dept_summary", ("收入支出决算表", "收入支出预算表", "收支决算表", "收支预算表"),
     ("财政拨款", "一般公共预算", "政府性基金", "国有资本", "三公")),
]
# A caption that names a table without the word 表: '某局2014年“三公”经费公示',
# '2016年部门预算公开情况'. Read only where a table has no other title.
TITLE_WITHOUT_TABLE = re.compile(
    r"(?:三公|经费|预算|决算|收支|支出|收入|财政拨款)[^。；;，,]{0,16}(?:公示|公开|情况|明细|统计|一览)$")
# Lines above a table that can hold its title when the table's own first row is only a label
# ('附件1-2'): how far up to look.
TITLE_LOOKBACK_LINES = 8
SENTENCE_END = re.compile(r"[。；;]")  # a sentence above a table ends the search for its title
# A caption cell that is only a year or a date beside the unit: '2014年', '2014年度'.
CAPTION_YEAR = re.compile(r"^\s*20\d\d\s*年度?\s*$|^\s*20\d\d\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*$")
