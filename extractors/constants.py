"""The domain's words, each written once: the kinds of table a disclosure prints (the contract's
`table_kind` vocabulary, docs/CONTRACT.md). Code compares, stores and queries these names, never
the bare strings; the titles that decide a kind are vocabulary data (extractors/vocabulary.py).

A `StrEnum`: a member is the string the database stores (`TableKind.OTHER == "other"`, it hashes
as the string, binds as SQL text and serialises as JSON text) and renders as it in f-strings, so
SQL written in Python can interpolate it; iterating the class gives the whole vocabulary.
"""
from __future__ import annotations

from enum import StrEnum


class TableKind(StrEnum):
    FISCAL_APPROPRIATION_SUMMARY = "fiscal_appropriation_summary"  # 财政拨款收支总表
    GENERAL_BUDGET_EXPENDITURE = "general_budget_expenditure"  # 一般公共预算财政拨款支出表
    GENERAL_BUDGET_BASIC_EXPENDITURE = "general_budget_basic_expenditure"  # 一般公共预算财政拨款基本支出表
    GENERAL_BUDGET_PROJECT_EXPENDITURE = "general_budget_project_expenditure"  # 一般公共预算项目支出表
    THREE_PUBLIC_EXPENSES = "three_public_expenses"  # “三公”经费支出表
    GOV_FUND_EXPENDITURE = "gov_fund_expenditure"  # 政府性基金预算支出表
    STATE_CAPITAL_EXPENDITURE = "state_capital_expenditure"  # 国有资本经营预算支出表
    DEPT_SUMMARY = "dept_summary"  # 部门收支总表
    DEPT_INCOME = "dept_income"  # 部门收入总表
    DEPT_EXPENDITURE = "dept_expenditure"  # 部门支出总表
    PROCUREMENT = "procurement"  # 政府采购预算明细表
    PROJECT_EXPENDITURE = "project_expenditure"  # 项目支出(明细)表
    OVERALL_PERFORMANCE = "overall_performance"  # 部门整体绩效目标表
    PROJECT_PERFORMANCE = "project_performance"  # 项目绩效目标表
    FISCAL_APPROPRIATION_EXPENDITURE = "fiscal_appropriation_expenditure"  # 财政拨款支出表(功能科目)
    FISCAL_APPROPRIATION_BASIC_EXPENDITURE = "fiscal_appropriation_basic_expenditure"  # 财政拨款基本支出表(经济科目)
    ADMIN_OPERATING_EXPENDITURE = "admin_operating_expenditure"  # 机关运行经费支出表
    OTHER = "other"  # a table whose kind the title and columns do not decide
