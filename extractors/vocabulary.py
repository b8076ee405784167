"""Template knowledge as data: how provinces title their tables and label their columns.

A new province or template is new entries here, not new code. Labels are compared after
`label_key()` (no spaces, full-width brackets made half-width, quotes dropped).
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

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

# Measure ← column labels (exact, after label_key()).
MEASURE_LABELS: dict[str, tuple[str, ...]] = {
    "total": ("合计", "总计", "预算数", "决算数", "本年预算数", "年初预算数", "金额", "支出合计",
              "本年支出合计", "全年预算数", "预算金额", "本年收入合计", "本年支出", "支出总计", "收入总计",
              "本年预算", "预算", "执行数", "决算"),
    "basic": ("基本支出",),
    # 专项业务经费(支出): the older templates' name for what is now 项目支出
    "project": ("项目支出", "专项业务经费支出", "专项业务经费"),
    "personnel": ("人员经费", "人员支出", "工资福利支出", "人员经费支出"),
    "public_use": ("公用经费", "日常公用经费", "公用支出", "公用经费支出", "日常公用支出", "日常公用经费支出"),
    "general_budget": ("一般公共预算", "一般公共预算拨款", "一般公共预算拨款收入", "一般公共预算财政拨款",
                       "一般公共预算资金", "一般公共预算财政拨款收入", "公共预算财政拨款", "公共预算拨款"),
    "gov_fund": ("政府性基金预算", "政府性基金预算拨款", "政府性基金预算拨款收入", "政府性基金",
                 "政府性基金预算财政拨款", "政府性基金预算资金"),
    "state_capital": ("国有资本经营预算", "国有资本经营预算拨款", "国有资本经营预算拨款收入",
                      "国有资本经营预算财政拨款"),
    "carryover": ("上年结转", "上年结转结余资金", "上年结转结余", "上年结转资金", "用事业基金弥补收支差额"),
    "special_account": ("财政专户管理资金收入", "财政专户管理收入", "财政专户管理资金", "财政专户管理的资金收入",
                        "财政专户拨款", "财政专户拨款收入", "财政专户资金"),
    # what a unit brings beside its appropriations (广州 其他资金, 深圳 单位资金: 事业收入, 经营收入 …)
    "unit_funds": ("其他资金", "单位资金", "单位自有资金"),
    "business_income": ("事业收入",),
    "operating_income": ("事业单位经营收入", "经营收入"),
    "superior_subsidy": ("上级补助收入",),
    "subordinate_remit": ("附属单位上缴收入",),
    "other_income": ("其他收入",),
    "overseas_travel": ("因公出国(境)费用", "因公出国(境)费", "因公出国境费"),
    "vehicles": ("公务用车购置及运行费", "公务用车购置及运行维护费", "公务用车费"),
    "vehicle_purchase": ("公务用车购置费", "公务用车购置"),
    "vehicle_operation": ("公务用车运行费", "公务用车运行维护费", "公务用车运行"),
    "reception": ("公务接待费", "公务接待"),
    "meeting": ("会议费",),
    "training": ("培训费",),
    "admin_operating": ("机关运行经费", "机关运行经费预算数", "机关运行经费预算", "机关运行经费决算数"),
    "fiscal_appropriation": ("财政拨款", "财政拨款收入"),
    "carryover_end": ("年末结转和结余", "结转下年"),
    "procurement": ("政府采购", "政府采购预算", "政府采购项目"),
    # spending beside 基本支出 and 项目支出 in a department's 支出总表 (部门支出总表 of 深圳, 湖州 …)
    "operating_spending": ("事业单位经营支出", "经营支出"),
    "subordinate_subsidy": ("对附属单位补助支出", "对下级单位补助支出"),
    "remit_superior": ("上缴上级支出",),
    "initial_allocation": ("年初特定目标", "年初预算"),
    "superior_special": ("上级专项",),
    # a final account's 收入支出决算表: what came in during the year, beside 年初结转和结余 and 本年支出
    "income": ("本年收入",),
}
MEASURE_LABELS["carryover"] += ("年初结转和结余", "年初结转结余", "年初结转", "年初结余", "上年结余、结转",
                                "上年结余结转", "上年结转和结余")
MEASURE_LABELS["carryover_end"] += ("年末结转结余", "年末结转", "年末结余")

# Labels that some templates print truncated (the cell is too narrow); only read as a measure
# when a sibling column makes the meaning plain.
TRUNCATED_MEASURE_LABELS: dict[str, tuple[str, str]] = {
    # label: (measure, a sibling label that must be present under the same parent)
    "公务用车": ("vehicle_operation", "公务用车购置"),
    "公务": ("reception", "因公出国(境)费用"),
    "购置费": ("vehicle_purchase", "运行费"),  # under 公务用车购置及运行费
    "运行费": ("vehicle_operation", "购置费"),
}

SUBTOTAL_LABELS = ("小计",)

# ---- measures read from a column's group, a pattern, or a row --------------------------------
# A leaf that says only "how much" (合计, 小计, 预算数, 决算数, 2025年预算数 …: a `total` label or no
# measure at all) takes its measure from the nearest group label above it that names one:
# 财政拨款“三公”经费/因公出国(境)费/预算数 is overseas_travel, 年初结转和结余/合计 carryover,
# 本年收入/合计 income, 本年支出/合计 total, 年末结转和结余/合计 carryover_end, 机关运行经费/合计
# admin_operating. A group that names only a fund (一般公共预算/合计) or a part of spending
# (2026年基本支出/总计, the 基本支出 table's own total) does not decide: 小计 under it does.
GROUP_MEASURES = ("overseas_travel", "vehicles", "vehicle_purchase", "vehicle_operation", "reception",
                  "meeting", "training", "admin_operating", "carryover", "carryover_end", "income", "total")
# Under a carryover group, 基本支出结转 / 项目支出结转和结余 are the carryover's own parts.
CARRYOVER_PART_SUFFIX = re.compile(r"(结转和结余|结转结余|结转|结余)$")
CARRYOVER_PARTS = {("carryover", "basic"): "carryover_basic", ("carryover", "project"): "carryover_project",
                   ("carryover_end", "basic"): "carryover_end_basic",
                   ("carryover_end", "project"): "carryover_end_project"}
# Labels no list can hold exactly (after label_key(), a leading year dropped): pattern → measure.
MEASURE_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"机关运行经费"), "admin_operating"),
    (re.compile(r"^(财政拨款)?三公经费(支出)?(预算|决算)?(支出)?数?(合计|总计|小计|总额)?$"), "total"),
    (re.compile(r"^公务用车购置及运行(维护)?费?(小计|合计)?$"), "vehicles"),
    (re.compile(r"^公务用?车辆?(费|费用|经费)(小计|合计)?$"), "vehicles"),
    (re.compile(r"^公务用?车辆?购置(费|费用)?$"), "vehicle_purchase"),
    (re.compile(r"^公务用?车辆?运行(维护)?(费|费用)?$"), "vehicle_operation"),
    (re.compile(r"^因公出国\(?境\)?(费|费用|经费)?(\(\))?$"), "overseas_travel"),  # '因公出国 境 费( )'
    (re.compile(r"^(比上年)?增减(额|数)?$"), "change"),
    (re.compile(r"^公务接待(费|费用)?$"), "reception"),
    # 其中：2026年政府采购项目中预留给中小企业（小型、微型企业）的项目资金规模: parts of 政府采购 that
    # are reserved, not parts that add up to it
    (re.compile(r"^(20\d\d年)?(政府采购)?(项目)?中?预留给?中小企业"), "procurement_sme"),
    (re.compile(r"^(20\d\d年)?(政府采购)?(项目)?中?预留给?小型.?微型企业"), "procurement_small_micro"),
]
# '其中：基本支出' names 基本支出; '预算数（万元）' names 预算数
PART_OF_PREFIX = re.compile(r"^(其中|含)[:：]?")
UNIT_SUFFIX = re.compile(r"\((万元|元|亿元)\)$")
LEADING_YEAR = re.compile(r"^20\d\d年度?")
# 三公 tables that print the items as rows ('其中：运行维护费' under 公务用车购置及运行维护费):
# what a row label names once its numbering and 其中 are dropped.
ROW_PART_PREFIX = re.compile(r"^(其中|含)[:：]?")
THREE_PUBLIC_ROW_PARTS = {"运行维护费": "vehicle_operation", "运行费": "vehicle_operation",
                          "购置费": "vehicle_purchase"}
# … and where it calls the item a spending ('因公出国（境）支出', '公务接待费支出'): read as the 费.
THREE_PUBLIC_ROW_SPENDING = re.compile(r"费?支出$")
# A leaf that names no quantity of its own, only how much and when: 预算数, 2025年决算数, 金额, 合计.
AMOUNT_ONLY_LABEL = re.compile(r"^(20\d\d年度?)?(上年|本年|全年|年初|调整|调整后)?(预算|决算|执行|实际|支出)?(数|金额|额)?$"
                               r"|^(合计|小计|总计)$")
# 合计 and 总计 under a group still decide for the group's leaves (财政拨款“三公”经费/合计/预算数).
GRAND_TOTAL_LABELS = ("合计", "总计")
# 本年收入合计 is `income`, not the row's total, in a table that also has 本年支出 columns.
INCOME_TOTAL_LABEL, SPENDING_WORD = "本年收入合计", "本年支出"
THREE_PUBLIC_MEASURE_SET = {"overseas_travel", "vehicles", "vehicle_purchase", "vehicle_operation", "reception"}
# Rows that total a table's expenditure side, most specific first; income-side totals after.
EXPENDITURE_TOTALS = ["本年支出合计", "本年支出", "合计", "总计", "支出合计", "支出总计"]
INCOME_TOTALS = ["本年收入合计", "本年收入", "收入合计", "收入总计"]
TOTAL_ROW_LABELS = tuple(dict.fromkeys(["合计", "总计", "小计", "总合计"] + EXPENDITURE_TOTALS + INCOME_TOTALS))
TOTAL_LABELS = set(TOTAL_ROW_LABELS)
# The totals a table closes with (a 小计 or 本年收入合计 may be followed by more rows overleaf).
CLOSING_TOTALS = {"合计", "总计", "总合计", "收入总计", "支出总计"}

# Column roles ← labels. Anything not here that names a measure is an amount column.
CODE_LABELS = ("科目编码", "功能分类科目编码", "经济分类科目编码", "科目代码", "编码", "代码",
               "功能科目编码", "功能科目代码", "经济科目编码", "经济科目代码", "部门预算经济分类科目编码")
CODE_PART_LABELS = {"类": 0, "款": 1, "项": 2}
# the line under a code column's label that names its parts (类 款 项), after label_key()
CODE_PARTS_LINE = re.compile(r"^类款项?$")
# Code columns the lists above do not name: 支出功能分类科目编码, 科目编码(类款项), 预算科目代码 …
# (after label_key()); a unit's or a project's code is no subject code.
UNIT_CODE_LABEL = re.compile(r"(单位|部门)(编码|代码|编号)")
PROJECT_CODE_LABEL = re.compile(r"项目(编码|代码|编号)")
CODE_LABEL = re.compile(r"(科目|分类)(编码|代码|编号)|^(编码|代码)|(编码|代码)\((类|款|项|/)+\)$")
SUBJECT_NAME_LABELS = ("科目名称", "功能分类科目名称", "经济分类科目名称", "名称",
                       "功能科目名称", "经济科目名称", "部门经济分类科目名称", "政府经济分类科目名称",
                       "部门预算经济分类科目名称", "政府预算经济分类科目名称")
ITEM_LABELS = ("项目", "支出科目", "收入项目", "支出项目", "科目", "支出功能分类科目", "收入", "支出")
PROJECT_LABELS = ("项目名称", "项目类别", "专项名称")
UNIT_LABELS = ("部门名称", "单位名称", "预算单位", "单位", "部门(单位)名称", "单位名称(科目)")
UNIT_CODE_LABELS = ("部门编码", "单位编码", "单位代码", "部门代码")
SEQUENCE_LABELS = ("序号", "行次", "栏次")
TEXT_LABELS = ("指标名称", "计量单位", "指标性质", "指标值", "指标权重", "备注", "说明", "绩效指标",
               "一级指标", "二级指标", "三级指标", "采购品目", "采购项目")

# Group headers over code/name columns.
CLASSIFICATION_GROUP_LABELS = ("功能分类科目", "经济分类科目", "科目", "支出功能分类科目", "部门经济分类科目",
                               "政府经济分类科目", "功能分类", "经济分类", "项目")

# Measures whose sum is the row's total on the income side (部门收入总表, 政府采购 tables).
INCOME_SOURCES = [
    "carryover", "general_budget", "gov_fund", "state_capital", "special_account",
    "business_income", "operating_income", "superior_subsidy", "subordinate_remit", "other_income", "unit_funds",
]
# What a department spends beside 基本支出 and 项目支出: the row's total is their sum with these.
OTHER_SPENDING = ("operating_spending", "subordinate_subsidy", "remit_superior")

# Components that a total is the sum of, within one year and one row (row identities).
DECOMPOSITIONS: list[tuple[str, tuple[str, ...]]] = [
    ("total", ("basic", "project")),
    ("total", ("personnel", "public_use")),
    ("total", ("basic", "project", *OTHER_SPENDING)),
    ("total", ("personnel", "public_use", "project", *OTHER_SPENDING)),
    ("total", ("general_budget", "gov_fund", "state_capital")),
    ("total", tuple(INCOME_SOURCES)),
    ("total", ("fiscal_appropriation", "special_account", "unit_funds")),
    ("total", ("overseas_travel", "vehicles", "reception")),
    ("vehicles", ("vehicle_purchase", "vehicle_operation")),
    ("total", ("initial_allocation", "superior_special")),
    ("carryover", ("carryover_basic", "carryover_project")),
    ("carryover_end", ("carryover_end_basic", "carryover_end_project")),
]
# A part of a row's total that is itself the sum of parts the row prints (a 小计 whose group label
# was lost, beside 人员经费 and 公用经费, is 基本支出).
PART_TOTALS: list[tuple[str, tuple[str, ...]]] = [
    ("basic", ("personnel", "public_use")),
    ("vehicles", ("vehicle_purchase", "vehicle_operation")),
    ("fiscal_appropriation", ("general_budget", "gov_fund", "state_capital")),
]
# A final account's fund flow within one row (收入支出决算表, 财政拨款收入支出决算表): what the year
# started with and received equals what it spent and ended with (年初结转和结余 + 本年收入 =
# 本年支出 + 年末结转和结余).
BALANCES: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("carryover", "income"), ("total", "carryover_end")),
]

# Row labels on the expenditure side of a two-sided summary table.
EXPENDITURE_SIDE = re.compile(r"支出|结转下年|年末结转|结余")

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

_NUM_CN = "一二三四五六七八九十"
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

ITEM_HEADING = re.compile(rf"^[{_NUM_CN}]+[、.．]")
ITEM_SUBHEADING = re.compile(rf"^[(（][{_NUM_CN}]+[)）]")
# Numbering before a row label: '一、', '(八)', '（3）', '2.', '①'.
ITEM_NUMBERING = re.compile(
    rf"^(?:[{_NUM_CN}]+[、.．]|[(（][{_NUM_CN}\d]+[)）]|\d+[、.．]|[①-⑳])\s*")

_BRACKETS = str.maketrans({"（": "(", "）": ")", "“": "", "”": "", '"': "", "：": ":", "\u3000": ""})
_SPACES = re.compile(r"\s+")


def label_key(label: str) -> str:
    """A label as the vocabulary compares it: no spaces, half-width brackets and colon, no quotes."""
    return _SPACES.sub("", label or "").translate(_BRACKETS)


@lru_cache(maxsize=65536)
def plain(label: str | None) -> str:
    """A row label as printed, without spaces and leading numbering:
    '(八)社会保障和就业支出' → '社会保障和就业支出'."""
    text = _SPACES.sub("", label or "").replace("（", "(").replace("）", ")")
    return ITEM_NUMBERING.sub("", text)


def _index(mapping: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {label_key(label): key for key, labels in mapping.items() for label in labels}


MEASURE_BY_LABEL = _index(MEASURE_LABELS)


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


# ---- basis of an amount -------------------------------------------------------------------------

_FUND_NAMES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算")


def basis_of(text: str, stage: str | None = None, column: bool = False) -> str | None:
    """What an amount is, from the words of its column header or its sentence: 'budget'
    (年初预算), 'adjusted_budget' (调整预算, 调整后预算, and 全年预算 in a final account) or
    'actual' (决算, 执行数, 实际支出). A fund's name (一般公共预算) says nothing.

    In a sentence other words say nothing (None: '政府采购预算总额' names the document, not a
    basis). A column header always has a basis (`column=True`): a bare 预算数 is the budget,
    and a header without such words carries the document's own (a final account's are actuals).

    全年预算数 is the budget for the whole year as it stood at the year's end. In a final account
    (printed after the year) it sits beside 年初预算数 and 决算数 and is the budget after the
    year's adjustments (调整预算); in a budget, printed before any adjustment, it is the budget.

    A monthly or quarterly execution page (stage `execution`; columns 本月/本期/累计支出数) prints
    what was spent to date: `actual`.
    """
    text = _FUND_NAMES.sub("", text or "")
    if "年初预算" in text:
        return "budget"
    if re.search("调整预算|调整后预算", text):
        return "adjusted_budget"
    if "全年预算" in text:
        return "budget" if stage == "budget" else "adjusted_budget"
    if re.search("决算|执行|实际支出", text):
        return "actual"
    if not column:
        return None
    if "预算" in text:
        return "budget"
    if stage == "execution" or EXECUTION_COLUMN.search(text):
        return "actual"  # 本月/本期/累计支出数 of a monthly or quarterly execution page
    return "actual" if stage == "final_account" else "budget"


# ---- the functional classification's 类 by name ------------------------------------------------

SUBJECTS_CSV = Path(__file__).with_name("data") / "subjects.csv"


def _class_names() -> dict[str, str]:
    """Every name a functional 类 has had (data/subjects.csv, by year), current names first."""
    with SUBJECTS_CSV.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["classification"] == "functional" and r["level"] == "1"]
    rows.sort(key=lambda r: (r["code"], -(int(r["valid_to"]) if r["valid_to"] else 9999)))
    return {r["name"]: r["code"] for r in rows}


CLASS_NAMES: dict[str, str] = _class_names()
_CLASS_BY_KEY = {label_key(name): code for name, code in CLASS_NAMES.items()}


# A row label ending …支出 that names no spending subject: the income side of a two-sided summary
# table, carry-overs, totals, a unit's own row (一般公共预算拨款收入, 本年支出合计, …局（本级）)
NOT_A_SPENDING_SUBJECT = re.compile(r"收入|拨款|结转|结余|合计|总计|小计|本级[)）]?$")


def class_code(name: str) -> str:
    """A functional class (类) printed by name only, as summary tables do: '农林水事务支出' → '213'."""
    return _CLASS_BY_KEY.get(label_key(plain(name)), "")


# ---- rows of budget lines (the audit reads lines as the contract stores them) -------------------

def row_label(line: dict) -> str:
    """A row's own label: the subject name for a coded row, else the item (whose '/' path,
    e.g. '一、本年支出/(八)社会保障和就业支出', ends with the row's own label)."""
    if line.get("subject_code") and line.get("subject_name"):
        return plain(line["subject_name"])
    return plain((line.get("item") or line.get("subject_name") or "").split("/")[-1])


def is_total_row(line: dict) -> bool:
    return not line.get("subject_code") and row_label(line) in TOTAL_LABELS


def is_expenditure_total(line: dict) -> bool:
    return not line.get("subject_code") and row_label(line) in EXPENDITURE_TOTALS


def subject_key(line: dict) -> str:
    """The subject code of a row, also for summary tables that print only the 类 name."""
    return line.get("subject_code") or class_code(line.get("subject_name") or line.get("item") or "")


def line_classification(line: dict) -> str:
    """'functional' | 'economic' | '' for a budget line, from its classification or its code."""
    cls = line.get("classification") or ""
    if cls in ("functional", "economic"):
        return cls
    code = subject_key(line)
    if code[:1] == "2":
        return "functional"
    if code[:1] in ("3", "5"):
        return "economic"
    return ""


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


MEASURE_NAMES = {
    "total": "合计", "basic": "基本支出", "project": "项目支出", "personnel": "人员经费",
    "public_use": "公用经费", "general_budget": "一般公共预算", "gov_fund": "政府性基金预算",
    "state_capital": "国有资本经营预算", "carryover": "上年结转", "special_account": "财政专户管理资金",
    "business_income": "事业收入", "operating_income": "经营收入", "superior_subsidy": "上级补助收入",
    "subordinate_remit": "附属单位上缴收入", "other_income": "其他收入",
    "overseas_travel": "因公出国(境)费", "vehicles": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费",
    "reception": "公务接待费", "meeting": "会议费", "training": "培训费",
    "admin_operating": "机关运行经费", "fiscal_appropriation": "财政拨款", "carryover_end": "年末结转和结余",
    "procurement": "政府采购",
    "income": "本年收入", "carryover_basic": "年初基本支出结转", "carryover_project": "年初项目支出结转和结余",
    "carryover_end_basic": "年末基本支出结转", "carryover_end_project": "年末项目支出结转和结余",
    "unit_funds": "单位资金", "operating_spending": "事业单位经营支出", "subordinate_subsidy": "对附属单位补助支出",
    "remit_superior": "上缴上级支出", "procurement_sme": "政府采购预留中小企业",
    "procurement_small_micro": "政府采购预留小型微型企业", "change": "增减额",
}


def measure_name(measure: str) -> str:
    return MEASURE_NAMES.get(measure, measure)


# Template text a disclosure left unfilled (the audit's `placeholder` check): pattern, what it is.
# The template's own "增加（或减少）" left in place is the `narrative` check's TEMPLATE_LEFTOVER.
TEMPLATE_LEFTOVER = re.compile(r"(增加|减少|增长|下降)[（(]或(增加|减少|增长|下降)[)）]")
PLACEHOLDERS = [
    (re.compile(r"(?:XX|xx|ＸＸ|××|╳╳|＊＊|\*\*)(?:[\u4e00-\u9fff])|20(?:XX|xx|××)年|某(?:局|单位|部门|委|办|街道|镇)"),
     "a placeholder name"),
    (re.compile(r"[（(]\s*[)）]\s*(?:万元|元|%|％)"), "an empty blank before its unit"),
    (re.compile(r"(增加|减少|增长|下降)[（(](增加|减少|增长|下降)[)）]"), "both directions without 或"),
    (re.compile(r"(?:主要原因是|主要用于|原因是)[：:]?[。；;]"), "a reason left empty"),
    (re.compile(r"增加持平|减少持平|增长持平|下降持平"), "a change and 持平 at once"),
]
UNIT_SAYS_DEPARTMENT = "部门预算安排"
DEPARTMENT_SAYS_UNIT = "单位预算安排"

# The words the crawler reads in link texts and breadcrumbs are in crawler/navigation.py.

# ---- document metadata: titles, issuers and stages ----------------------------------------------
# What titles.py reads a disclosure's department, district, year and stage from, when the title
# alone does not say (a CMS <title> that is the column and site name, a title that starts with
# its year, a monthly 三公 page).

# A CMS's own title fields: <meta name="ArticleTitle">, then the article's title element
# (Hanweb/大汉 .article-title, TRS #title / .bt, and the generic .title, h1), before <title>.
ARTICLE_TITLE_META = ("ArticleTitle", "articletitle", "title", "og:title")
ARTICLE_TITLE_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-title ')]",
    "//*[@id='title' or @id='articleTitle' or @id='ArticleTitle' or @id='con_title']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' bt ')]",
    "//h1",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' title ')]",
    "//h2",
)
# A title naming its fiscal year: '2019年…', '24年预算'.
NAMES_A_YEAR = re.compile(r"20\d\d\s*年|(?<!\d)\d\d\s*年度?(?:部门|单位)?(?:预算|决算)")
# A <title> in parts, the article's and the site's: '某局2016年部门预算_某县人民政府',
# '某局2016年部门预算 - 某县政府网', '某局2016年部门预算｜某县人民政府'.
TITLE_PARTS = re.compile(r"\s*(?:[_｜|]|\s[-—–]\s|--|——)\s*")
# A line naming who issued the document: '部门（单位）：某县财政局', '来源：某县财政局', a PDF
# cover's '部门：中共某省委办公厅', '单位名称：…'. Group 1 is the name (up to a space or the unit).
ISSUER_LINE = re.compile(
    r"(?:部门\s*[(（]\s*单位\s*[)）]|编制部门|编制单位|填报单位|预算单位|主管部门|部门名称|单位名称|部门|来\s*源|发布机构|信息来源)"
    r"(?:名称)?\s*[:：]\s*([^\s:：|]{2,40}?)(?=\s|$|单\s*位\s*[:：]|[|]|发布|时间|日期|浏览|点击|20\d\d\s*年"
    r"|印制|监制)")
# A cover's printer after the issuer: '部门:中共某省委办公厅某省财政厅印制' (dropped from the name).
# The printer's place is the issuer's own ('江苏省'), so only a place printed before is dropped too.
PRINTER_SUFFIX = re.compile(r"财政(?:厅|局)$")

# Where a title that starts with its year stops naming its department: '2018年某乡1月份…',
# '2014年某局“三公”经费…', '2016年某局部门预算'.
AFTER_DEPARTMENT = re.compile(
    r"(?:省|市|县|区)级(?:部门|单位)|(?:部门|单位)?(?:预算|决算)|[“”\"]?三公|因公出国|财政拨款|一般公共预算|公共预算|政府性基金|\d{1,2}\s*[-—~至]?\s*\d{0,2}\s*月份?"
    r"|第?[一二三四1-4]\s*季度|上半年|前三季度|收支|收入|支出|经费|公开|公示|情况|信息|报表|表$")

# Not a department: a table's title ('收入决算表'), a table label ('附件2'), a file name
# ('2019.pdf', 'P020190315.xls'), a CMS column ('部门预决算', '信息公开').
NOT_A_DEPARTMENT = re.compile(
    r"表\s*(?:[(（][^()（）]{0,20}[)）])?$|^(?:附件|附表|表)\s*\d|\.[A-Za-z0-9]{2,5}$|^[\x00-\x7f]+$"
    r"|[:：]|^(?:省|市|县|区|镇|乡)级$|(?:预算|决算)(?:公开|信息|情况|说明|报告)?$|三公|公开$|公示$|目录|栏目|首页|政府网|门户网")

# The end of an organisation's name ('…办公厅', '…财政局', '…街道办事处', '…人民法院'): how a folder
# of downloaded files named after its department is told from one named 'corpus' or '2017'.
ORGANISATION_NAME = re.compile(
    r"[\u4e00-\u9fff][\u4e00-\u9fff（）()]*(?:局|委员会|委|办公厅|办公室|办|厅|院|会|处|中心|所|部|街道|镇|乡|"
    r"政府|馆|站|队|社|团|校|园|署|室|公司)$")

# Pages that report a year's execution month by month or quarter by quarter, neither a budget
# nor a final account: stage 'execution' (their amounts are actuals to date, basis 'actual').
EXECUTION_TITLE = re.compile(
    r"\d{1,2}\s*月份|\d{1,2}\s*[-—~至]\s*\d{1,2}\s*月|第?[一二三四1-4]\s*季度|上半年|前三季度|本月|月度")
EXECUTION_COLUMN = re.compile(r"本月|本期|累计|截至|截止")
STAGES = ("budget", "final_account", "execution")
STAGE_NAMES = {"budget": "预算", "final_account": "决算", "execution": "执行（月度/季度）"}

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


# A stated figure's concept (the audit's narrative checks): before the scope word, what narrows it
# ('上年结转结余的一般公共预算收入' is what is carried over, '委托业务费财政拨款总额' an expense of the
# scope, 'X的一般公共预算'); after it, only words that still name the whole scope (收入, 当年拨款,
# 收支总预算 …): anything else is a thing paid from it ('一般公共预算安排委托业务费').
CONCEPT_NARROWED_BEFORE = re.compile(r"结转|结余|(?:的|费)$")
CONCEPT_WHOLE_AFTER = re.compile(
    r"^(?:收入|支出|收支|拨款|当年|本年|年初|财政|预算|资金|经费|总额|总计|合计|总数|总|数|金额|共计|共|为|安排)*$")
# Within a sentence, what follows these explains or spends the figure before it: after a reason
# marker, an amount whose label names a thing of a concept ('…主要原因是…因公出国（境）工作的国内服务费
# 3.2万元') is part of the cause, not the concept's total; after a use marker in a sentence about one
# subject, the figures are that subject's parts ('“农林水支出”科目83万元，主要用于人员经费18万元').
REASON_MARKER = re.compile(r"主要原因|原因是|主要是|系因|由于")
USE_MARKER = re.compile(r"主要用于|用于")
# a label naming a thing that belongs to the concept before it ('因公出国（境）工作的国内服务费')
POSSESSED = re.compile(r"的[\u4e00-\u9fff]{2,}$")
