"""Template knowledge as data: how provinces title their tables and label their columns.

A new province or template is new entries here, not new code. Labels are compared after
`label_key()` (no spaces, full-width brackets made half-width, quotes dropped).
"""
from __future__ import annotations

import re

# Table kind ← phrases in the title, most specific first (the 三公 title also says 一般公共预算支出).
TABLE_KIND_TITLES: list[tuple[str, tuple[str, ...]]] = [
    ("project_performance", ("项目绩效目标", "绩效目标申报表", "项目支出绩效")),
    ("overall_performance", ("整体绩效目标", "部门整体绩效", "整体绩效")),
    ("three_public_expenses", ("三公",)),
    ("admin_operating_expenditure", ("机关运行经费",)),
    ("fiscal_appropriation_summary", ("财政拨款收支总表", "财政拨款收支预算总表", "财政拨款收支决算总表",
                                       "财政拨款收入支出决算总表")),
    ("general_budget_basic_expenditure", ("一般公共预算财政拨款基本支出", "一般公共预算基本支出")),
    ("fiscal_appropriation_basic_expenditure", ("财政拨款基本支出表", "财政拨款基本支出预算表",
                                                 "财政拨款基本支出决算表")),
    ("general_budget_expenditure", ("一般公共预算财政拨款支出", "一般公共预算支出")),
    ("gov_fund_expenditure", ("政府性基金预算支出", "政府性基金预算财政拨款支出", "政府性基金支出",
                              "政府性基金预算财政拨款收入支出")),
    ("state_capital_expenditure", ("国有资本经营预算支出", "国有资本经营预算财政拨款支出",
                                   "国有资本经营预算财政拨款收入支出")),
    ("procurement", ("政府采购",)),
    ("project_expenditure", ("项目支出明细", "项目支出表", "项目支出预算表", "项目支出决算表")),
    ("fiscal_appropriation_expenditure", ("财政拨款支出表", "财政拨款支出预算表", "财政拨款支出决算表")),
    ("dept_summary", ("收支总表", "收支预算总表", "收支决算总表", "收入支出决算总表")),
    ("dept_income", ("收入总表", "收入预算表", "收入决算表", "收入预算总表")),
    ("dept_expenditure", ("支出总表", "支出预算表", "支出决算表", "支出预算总表")),
]

# Kinds whose rows carry no amounts worth a budget line (targets, indicators).
TEXT_TABLE_KINDS = {"project_performance", "overall_performance"}

# Measure ← column labels (exact, after label_key()).
MEASURE_LABELS: dict[str, tuple[str, ...]] = {
    "total": ("合计", "总计", "预算数", "决算数", "本年预算数", "年初预算数", "金额", "支出合计",
              "本年支出合计", "全年预算数", "预算金额", "本年收入合计"),
    "basic": ("基本支出",),
    "project": ("项目支出",),
    "personnel": ("人员经费", "人员支出", "工资福利支出"),
    "public_use": ("公用经费", "日常公用经费", "公用支出"),
    "general_budget": ("一般公共预算", "一般公共预算拨款", "一般公共预算拨款收入", "一般公共预算财政拨款",
                       "一般公共预算资金", "一般公共预算财政拨款收入"),
    "gov_fund": ("政府性基金预算", "政府性基金预算拨款", "政府性基金预算拨款收入", "政府性基金",
                 "政府性基金预算财政拨款", "政府性基金预算资金"),
    "state_capital": ("国有资本经营预算", "国有资本经营预算拨款", "国有资本经营预算拨款收入",
                      "国有资本经营预算财政拨款"),
    "carryover": ("上年结转", "上年结转结余资金", "上年结转结余", "上年结转资金", "用事业基金弥补收支差额"),
    "special_account": ("财政专户管理资金收入", "财政专户管理收入", "财政专户管理资金", "财政专户管理的资金收入"),
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
    "procurement": ("政府采购", "政府采购预算"),
    "initial_allocation": ("年初特定目标", "年初预算"),
    "superior_special": ("上级专项",),
}

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
TOTAL_ROW_LABELS = ("合计", "总计", "小计", "收入合计", "支出合计", "收入总计", "支出总计",
                    "本年收入合计", "本年支出合计", "总合计")

# Column roles ← labels. Anything not here that names a measure is an amount column.
CODE_LABELS = ("科目编码", "功能分类科目编码", "经济分类科目编码", "科目代码", "编码", "代码",
               "功能科目编码", "功能科目代码", "经济科目编码", "经济科目代码", "部门预算经济分类科目编码")
CODE_PART_LABELS = {"类": 0, "款": 1, "项": 2}
SUBJECT_NAME_LABELS = ("科目名称", "功能分类科目名称", "经济分类科目名称", "名称",
                       "功能科目名称", "经济科目名称")
ITEM_LABELS = ("项目", "支出科目", "收入项目", "支出项目", "科目", "支出功能分类科目", "收入", "支出")
PROJECT_LABELS = ("项目名称", "项目类别")
UNIT_LABELS = ("部门名称", "单位名称", "预算单位", "单位", "部门(单位)名称", "单位名称(科目)")
UNIT_CODE_LABELS = ("部门编码", "单位编码", "单位代码", "部门代码")
SEQUENCE_LABELS = ("序号", "行次", "栏次")
TEXT_LABELS = ("指标名称", "计量单位", "指标性质", "指标值", "指标权重", "备注", "说明", "绩效指标",
               "一级指标", "二级指标", "三级指标", "采购品目", "采购项目")

# Group headers over code/name columns.
CLASSIFICATION_GROUP_LABELS = ("功能分类科目", "经济分类科目", "科目", "支出功能分类科目", "部门经济分类科目",
                               "政府经济分类科目", "功能分类", "经济分类", "项目")

# Components that a total is the sum of, within one year and one row (row identities).
DECOMPOSITIONS: list[tuple[str, tuple[str, ...]]] = [
    ("total", ("basic", "project")),
    ("total", ("personnel", "public_use")),
    ("total", ("general_budget", "gov_fund", "state_capital")),
    ("total", ("carryover", "general_budget", "gov_fund", "state_capital", "special_account",
               "business_income", "superior_subsidy", "subordinate_remit", "operating_income",
               "other_income")),
    ("total", ("overseas_travel", "vehicles", "reception")),
    ("vehicles", ("vehicle_purchase", "vehicle_operation")),
    ("total", ("initial_allocation", "superior_special")),
]

# Row labels on the expenditure side of a two-sided summary table.
EXPENDITURE_SIDE = re.compile(r"支出|结转下年|年末结转|结余")

# How tables print their unit, their number and their notes, and what a subject code looks like.
UNIT_LINE = re.compile(r"单位[:：]\s*(万元|元|亿元)")
TABLE_LABEL = re.compile(r"^(附件\s*\d+(?:-\d+)?|附表\s*\d+|表\s*\d+|公开\s*\d+\s*表)")
TABLE_NOTE = re.compile(r"^[(（]?(备注|注)[:：]")
SUBJECT_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")

_CN_NUMERAL = "一二三四五六七八九十"
ITEM_HEADING = re.compile(rf"^[{_CN_NUMERAL}]+[、.．]")
ITEM_SUBHEADING = re.compile(rf"^[(（][{_CN_NUMERAL}]+[)）]")
ITEM_NUMBERING = re.compile(rf"^(?:[{_CN_NUMERAL}]+[、.．]|[(（][{_CN_NUMERAL}]+[)）]|\d+[、.．])\s*")

_BRACKETS = str.maketrans({"（": "(", "）": ")", "“": "", "”": "", '"': "", "：": ":", "\u3000": ""})


def label_key(label: str) -> str:
    return re.sub(r"\s+", "", label or "").translate(_BRACKETS)


def _index(mapping: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {label_key(label): key for key, labels in mapping.items() for label in labels}


MEASURE_BY_LABEL = _index(MEASURE_LABELS)
