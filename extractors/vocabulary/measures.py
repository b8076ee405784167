"""Columns and measures: the labels that name a column's measure or its role (code, name, item),
the totals a table prints, the identities a row's measures keep, the basis of an amount, and the
names the checks print for measures."""
from __future__ import annotations

import re

from extractors.vocabulary.labels import _index

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


MEASURE_BY_LABEL = _index(MEASURE_LABELS)


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

EXECUTION_COLUMN = re.compile(r"本月|本期|累计|截至|截止")
