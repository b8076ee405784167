"""`cross_table`: the same subject, measure and year printed differently in two tables of one
disclosure. The figure most tables print is taken as expected; each table that prints another
one gets a finding."""
from __future__ import annotations

import re
from collections import defaultdict

from budgets.audit.model import (Disclosure, Finding, amount, cell_name, judge, printed_tables, promise, table_name,
                                 table_short, wan_text)
from extractors.constants import Stage, TableKind
from extractors.identities import quantize
from extractors.vocabulary import EXPENDITURE_TOTALS, INCOME_SOURCES, OTHER_SPENDING, measure_name, row_label, subject_key

CHECK = "cross_table"

# (table_kind, measure) → (fund scope, measure) the cell reports. Scopes: gb 一般公共预算,
# gf 政府性基金, sc 国有资本经营, fiscal 财政拨款 (gb+gf+sc), all 部门 (every source).
SCOPES = {
    TableKind.GENERAL_BUDGET_EXPENDITURE: {"total": ("gb", "total"), "basic": ("gb", "basic"),
                                           "project": ("gb", "project")},
    TableKind.FISCAL_APPROPRIATION_SUMMARY: {"general_budget": ("gb", "total"), "total": ("fiscal", "total"),
                                             "gov_fund": ("gf", "total"), "state_capital": ("sc", "total")},
    TableKind.FISCAL_APPROPRIATION_EXPENDITURE: {"total": ("fiscal", "total"), "basic": ("fiscal", "basic"),
                                                 "project": ("fiscal", "project")},
    TableKind.GOV_FUND_EXPENDITURE: {"total": ("gf", "total"), "basic": ("gf", "basic"), "project": ("gf", "project")},
    TableKind.STATE_CAPITAL_EXPENDITURE: {"total": ("sc", "total"), "basic": ("sc", "basic"),
                                          "project": ("sc", "project")},
    TableKind.DEPT_EXPENDITURE: {"total": ("all", "total"), "basic": ("all", "basic"), "project": ("all", "project")},
    TableKind.DEPT_SUMMARY: {"total": ("all", "total")},
    TableKind.DEPT_INCOME: {"total": ("all", "total"), "general_budget": ("gb", "total"), "gov_fund": ("gf", "total"),
                            "state_capital": ("sc", "total")},
    TableKind.GENERAL_BUDGET_BASIC_EXPENDITURE: {"total": ("gb", "total"), "personnel": ("gb", "personnel"),
                                                 "public_use": ("gb", "public_use")},
    TableKind.FISCAL_APPROPRIATION_BASIC_EXPENDITURE: {"total": ("fiscal", "total"),
                                                       "personnel": ("fiscal", "personnel"),
                                                       "public_use": ("fiscal", "public_use")},
    TableKind.PROJECT_EXPENDITURE: {"total": ("all", "project")},
}
BASIC_BY_ECONOMIC = {TableKind.GENERAL_BUDGET_BASIC_EXPENDITURE, TableKind.FISCAL_APPROPRIATION_BASIC_EXPENDITURE}
# What a table's title (or a column's group) says it covers, whatever kind the reader gave the
# table: 一般公共预算拨款支出预算表 is general-budget money even when read as the department's
# 支出总表, 一般公共预算基本支出经济分类情况表 basic spending only. The most specific word first.
FUND_WORDS = [("一般公共预算", "gb"), ("政府性基金", "gf"), ("国有资本经营", "sc"), ("财政拨款", "fiscal")]
PART_WORDS = [("基本支出", "basic"), ("项目支出", "project")]
# Columns that hold a share of the row, not its spending by fund or part: never compared.
NOT_A_SCOPE = ("政府采购", "财政专户", "单位资金", "其他资金", "上年结转", "结转下年")
# Measures that name their own fund (a 收入总表's 一般公共预算 column): the title does not change them.
SOURCE_MEASURES = {"general_budget", "gov_fund", "state_capital", "fiscal_appropriation"}
_SPACE = re.compile(r"\s+")


def words_scope(text: str) -> tuple[str | None, str | None]:
    """(fund, part) a title or column label names, None where it names none."""
    text = _SPACE.sub("", text or "")
    fund = next((f for word, f in FUND_WORDS if word in text), None)
    parts = [p for word, p in PART_WORDS if word in text]
    return fund, parts[0] if len(parts) == 1 else None  # 基本支出和项目支出: the whole


def scope_of(line: dict, title: str) -> tuple[str, str] | None:
    """(fund, measure) a cell reports: the kind's scope (SCOPES), narrowed by what the title and
    the column's group print. None when the column is a share the scopes do not know."""
    column = line.get("column_label") or ""
    if any(word in _SPACE.sub("", column) for word in NOT_A_SCOPE):
        return None
    scoped = SCOPES.get(line.get("table_kind") or "", {}).get(line["measure"])
    if not scoped:
        return None
    fund, measure = scoped
    if line["measure"] in SOURCE_MEASURES:
        return fund, measure
    title_fund, title_part = words_scope(title)
    group = column.rsplit("/", 1)[0] if "/" in column else ""
    column_fund, _ = words_scope(group)
    fund = column_fund or title_fund or fund
    if line.get("table_kind") in BASIC_BY_ECONOMIC:
        title_part = title_part or "basic"
    if title_part and measure == "total":
        measure = title_part  # the whole of a basic-expenditure table is basic spending
    return fund, measure


# Which table is believed when two tables disagree and neither has more company.
TRUST = [TableKind.GENERAL_BUDGET_EXPENDITURE, TableKind.DEPT_EXPENDITURE, TableKind.DEPT_INCOME,
         TableKind.FISCAL_APPROPRIATION_EXPENDITURE, TableKind.GENERAL_BUDGET_BASIC_EXPENDITURE,
         TableKind.GOV_FUND_EXPENDITURE, TableKind.STATE_CAPITAL_EXPENDITURE, TableKind.DEPT_SUMMARY,
         TableKind.FISCAL_APPROPRIATION_SUMMARY, TableKind.PROJECT_EXPENDITURE]


def single_fund(lines: list[dict]) -> bool:
    """True when everything the department spends is general-budget money: then the 一般公共预算,
    财政拨款 and 部门 figures of a subject are one and the same."""
    other = set(INCOME_SOURCES) - {"general_budget"} | {"fiscal_appropriation"}
    if any(l["measure"] in other and l["amount_fen"] for l in lines
           if l.get("table_kind") in (TableKind.DEPT_INCOME, TableKind.FISCAL_APPROPRIATION_SUMMARY,
                                      TableKind.DEPT_SUMMARY, TableKind.PROCUREMENT)):
        return False
    return any(l["measure"] == "general_budget"
               and l.get("table_kind") in (TableKind.DEPT_INCOME, TableKind.FISCAL_APPROPRIATION_SUMMARY)
               for l in lines)


def concept(line: dict, merged: bool, stage: str | None = None, title: str = "") -> tuple | None:
    kind = line.get("table_kind") or ""
    if kind == TableKind.DEPT_INCOME and stage == Stage.FINAL_ACCOUNT:
        return None  # a final account's income by subject is not its spending by subject
    scoped = scope_of(line, title)
    if not scoped:
        return None
    scope, measure = scoped
    if line.get("subject_code") or subject_key(line):
        subject = subject_key(line)
        if kind == TableKind.PROJECT_EXPENDITURE:
            return None
    elif line.get("_total"):
        subject = "合计"
    else:
        return None
    if merged and scope in ("gb", "fiscal", "all"):
        scope = "gb"
    return (scope, measure, subject, line.get("year"), line.get("basis") or "")


def mark_totals(group: list[dict]) -> None:
    """Flag the one row per table that totals its expenditure side."""
    labels = {row_label(l) for l in group if not l.get("subject_code")}
    chosen = next((label for label in EXPENDITURE_TOTALS if label in labels), None)
    for line in group:
        line["_total"] = chosen is not None and not line.get("subject_code") and row_label(line) == chosen


def check(disclosure: Disclosure) -> list[Finding]:
    merged = single_fund(disclosure.lines)
    figures: dict[tuple, dict[int, dict]] = defaultdict(dict)  # concept → table group → first line
    repeated: set[tuple] = set()
    for number, group in enumerate(printed_tables(disclosure)):
        group = [dict(l) for l in group]
        mark_totals(group)
        columns: dict[tuple, set] = defaultdict(set)
        for line in group:
            title = disclosure.table_info(line.get("table_index")).get("title") or line.get("table_title") or ""
            key = concept(line, merged, disclosure.document.get("stage"), title)
            if key is not None:
                figures[key].setdefault(number, line)
                columns[(key, line.get("column_index"))].add(line.get("row_index"))
        # a table that prints one subject in one column on several rows lists it per 预算单位 (深圳's
        # 支出总表): no row of it is the department's figure, so the table is no witness for it
        repeated |= {(key, number) for (key, _), rows in columns.items() if len(rows) > 1}
    for key, number in repeated:
        figures[key].pop(number, None)
    findings = []
    for key, by_table in figures.items():
        if len(by_table) < 2:
            continue
        findings += disagreements(disclosure, key, list(by_table.values()))
    findings += admin_operating(disclosure)
    return findings


def disagreements(disclosure: Disclosure, key: tuple, lines: list[dict]) -> list[Finding]:
    step = max(amount(l).step for l in lines)
    clusters: dict[int, list[dict]] = defaultdict(list)
    for line in lines:
        clusters[quantize(line["amount_fen"], step)].append(line)
    if len(clusters) < 2:
        return []

    def trust(members):
        ranks = [TRUST.index(m.get("table_kind")) if m.get("table_kind") in TRUST else len(TRUST) for m in members]
        return (-len(members), min(ranks))

    ordered = sorted(clusters.values(), key=trust)
    majority = ordered[0]
    expected = amount(majority[0])
    witnesses = ", ".join(table_short(disclosure, l) for l in majority)
    scope, measure, subject, year, basis = key
    findings = []
    for cluster in ordered[1:]:
        for line in cluster:
            actual = amount(line)
            known = not (measure == "project" and project_table_beside_other_spending(disclosure, [line, *majority]))
            severity, why = promise(disclosure, judge(expected, actual), [line, *majority], known,
                                    "a project table may count the 对附属单位补助支出, 上缴上级支出 or 事业单位经营支出 "
                                    "the department's table prints beside its 项目支出")
            if severity is None:
                continue
            what = f"{subject} {row_label(line)}" if subject != "合计" else "the total"
            findings.append(Finding(
                check=CHECK, severity=severity,
                message=(f"{table_name(disclosure, line)} prints {what} ({measure_name(line['measure'])}"
                         f"{f', {year}' if year else ''}) as {wan_text(actual)}万元, while {witnesses} "
                         f"print{'s' if len(majority) == 1 else ''} {wan_text(expected)}万元; the same subject, measure, fund "
                         f"and year must be one figure in every table.{why}"),
                evidence=cell_name(disclosure, line),
                table_kind=line.get("table_kind") or "", subject_code=subject if subject != "合计" else "",
                measure=measure, year=year, expected=expected, actual=actual,
                key=f"{line.get('table_index')}|{line.get('row_index')}|{line['measure']}|{key}",
            ))
    return findings


def project_table_beside_other_spending(disclosure: Disclosure, lines: list[dict]) -> bool:
    """A project table's figures held against a 项目支出 column of a table that also prints other
    spending (湖州市交通运输局 2026: 表10's 合计 171,462.41 is 表03's 项目支出 171,262.41 and its
    对附属单位补助支出 200.00): the two scopes may differ by that other spending."""
    if not any(ln.get("table_kind") == TableKind.PROJECT_EXPENDITURE for ln in lines):
        return False
    tables = {ln.get("table_index") for ln in lines}
    return any(ln.get("measure") in OTHER_SPENDING and ln.get("amount_fen") for ln in disclosure.lines
               if ln.get("table_index") in tables)


def admin_operating(disclosure: Disclosure) -> list[Finding]:
    """The basic-expenditure table's 公用经费 total against a printed 机关运行经费 figure. They differ
    legitimately when the department has public institutions, so a gap is a warning."""
    public_use, operating = None, None
    for group in printed_tables(disclosure):
        group = [dict(l) for l in group]
        mark_totals(group)
        for line in group:
            if (line.get("table_kind") == TableKind.GENERAL_BUDGET_BASIC_EXPENDITURE and line["measure"] == "public_use"
                    and line["_total"] and line.get("year") in (None, disclosure.fiscal_year)):
                public_use = public_use or line
            if line["measure"] == "admin_operating" and line.get("year") in (None, disclosure.fiscal_year) \
                    and (line["_total"] or line.get("table_kind") == TableKind.THREE_PUBLIC_EXPENSES):
                operating = operating or line
    if not public_use or not operating:
        return []
    expected, actual = amount(public_use), amount(operating)
    severity = judge(expected, actual)
    if severity is None:
        return []
    return [Finding(
        check=CHECK, severity="warning" if severity == "error" else severity,
        message=(f"机关运行经费 is printed as {wan_text(actual)}万元 but the basic-expenditure table's "
                 f"公用经费 total is {wan_text(expected)}万元 (they differ legitimately only for public institutions)."),
        evidence=f"{cell_name(disclosure, operating)}; {cell_name(disclosure, public_use)}",
        table_kind=operating.get("table_kind") or "", measure="admin_operating",
        year=operating.get("year"), expected=expected, actual=actual, key="admin_operating|public_use",
    )]
