"""Template knowledge the checks share, as data: how rows are labelled and what is mandated."""
from __future__ import annotations

import re
from functools import lru_cache

# Functional classification 类, current names and the names they had before (summary tables
# print the name without the code).
CLASS_NAMES = {
    "一般公共服务支出": "201", "外交支出": "202", "国防支出": "203", "公共安全支出": "204",
    "教育支出": "205", "科学技术支出": "206", "文化旅游体育与传媒支出": "207",
    "文化体育与传媒支出": "207", "社会保障和就业支出": "208", "社会保险基金支出": "209",
    "卫生健康支出": "210", "医疗卫生与计划生育支出": "210", "医疗卫生支出": "210",
    "节能环保支出": "211", "城乡社区支出": "212", "城乡社区事务支出": "212", "农林水支出": "213",
    "农林水事务支出": "213", "交通运输支出": "214", "资源勘探工业信息等支出": "215",
    "资源勘探信息等支出": "215", "资源勘探电力信息等支出": "215", "商业服务业等支出": "216",
    "金融支出": "217", "金融监管等事务支出": "217", "援助其他地区支出": "219",
    "自然资源海洋气象等支出": "220", "国土海洋气象等支出": "220", "国土资源气象等支出": "220",
    "住房保障支出": "221", "粮油物资储备支出": "222", "粮油物资储备事务支出": "222",
    "国有资本经营预算支出": "223", "灾害防治及应急管理支出": "224", "预备费": "227",
    "其他支出": "229", "转移性支出": "230", "债务还本支出": "231", "债务付息支出": "232",
    "债务发行费用支出": "233", "抗疫特别国债安排的支出": "234",
}

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|[①-⑳])\s*"
)
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def plain(label: str | None) -> str:
    """A row label without spaces and leading numbering: '(八)社会保障和就业支出' → '社会保障和就业支出'."""
    text = _SPACES.sub("", label or "")
    text = text.replace("（", "(").replace("）", ")")
    return _NUMBERING.sub("", text)


# Rows that total a table's expenditure side, most specific first; income-side totals after.
EXPENDITURE_TOTALS = ["本年支出合计", "本年支出", "合计", "总计", "支出合计", "支出总计"]
INCOME_TOTALS = ["本年收入合计", "本年收入", "收入合计", "收入总计"]
TOTAL_LABELS = set(EXPENDITURE_TOTALS) | set(INCOME_TOTALS) | {"小计"}


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
    code = line.get("subject_code") or ""
    if code:
        return code
    return CLASS_NAMES.get(plain(line.get("subject_name") or line.get("item") or ""), "")


def classification_of(line: dict) -> str:
    cls = line.get("classification") or ""
    if cls in ("functional", "economic"):
        return cls
    code = subject_key(line)
    if code[:1] == "2":
        return "functional"
    if code[:1] in ("3", "5"):
        return "economic"
    return ""


# Measures whose sum is the row's total on the income side (部门收入总表, 政府采购 tables).
INCOME_SOURCES = [
    "carryover", "general_budget", "gov_fund", "state_capital", "special_account",
    "business_income", "operating_income", "superior_subsidy", "subordinate_remit", "other_income",
]

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
}


def measure_name(measure: str) -> str:
    return MEASURE_NAMES.get(measure, measure)
