"""The domain's words, each written once: the kinds of table a disclosure prints (the contract's
`table_kind` vocabulary, docs/CONTRACT.md), the stages of a disclosure and the basis of an amount.
Code compares, stores and queries these names, never the bare strings; the words that decide them
(titles, column labels) are vocabulary data (extractors/vocabulary.py).

Each vocabulary is a class of plain `str` names, not an Enum: the words leave through dicts of
lines into SQLite (sqlite-utils picks a column's type by a value's exact type and knows no Enum),
JSON, pickles between processes and templates, which must all see exactly the stored string;
an f-string interpolates one into SQL as it is. `words()` lists a vocabulary.
"""
from __future__ import annotations


def words(vocabulary: type) -> tuple[str, ...]:
    """A vocabulary's words, in the order the class writes them."""
    return tuple(value for name, value in vars(vocabulary).items() if name.isupper())


class TableKind:
    """A table's kind (`budget_lines.table_kind`, `findings.table_kind`), decided from its title,
    then its columns (extractors/tablekinds.py)."""
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


class Stage:
    """A disclosure's stage (`documents.stage`, `budget_lines.stage`)."""
    BUDGET = "budget"  # 预算
    FINAL_ACCOUNT = "final_account"  # 决算
    EXECUTION = "execution"  # a monthly or quarterly 三公 execution page


class Basis:
    """What an amount is (`budget_lines.basis`): final accounts print budget and actual side by side."""
    BUDGET = "budget"  # 预算数
    ADJUSTED_BUDGET = "adjusted_budget"  # 调整预算数
    ACTUAL = "actual"  # 决算数, 执行数


def own_basis_sql(stage: str = "stage") -> str:
    """SQL: the basis of a disclosure's own figures, for its `stage` column: a budget's 预算数, a
    final account's 决算数 (not the budget it prints beside them)."""
    return f"case {stage} when '{Stage.BUDGET}' then '{Basis.BUDGET}' else '{Basis.ACTUAL}' end"
