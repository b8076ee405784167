"""`row_identity`: figures in one row that must add up (合计 = 基本 + 项目, 三公 = its parts, …),
and a summary table whose 收入合计 is not its 支出合计."""
from __future__ import annotations

from collections import defaultdict

from budgets.audit.model import Amount, Disclosure, Finding, cell_name, judge, total, wan_text
from budgets.audit.vocabulary import INCOME_SOURCES, measure_name, row_label, subject_key

CHECK = "row_identity"
FUNDS = ["general_budget", "gov_fund", "state_capital"]


def identities(measures: set[str], table_kind: str) -> list[tuple[str, list[str]]]:
    """(whole, parts) pairs that hold in a row carrying these measures."""
    found: list[tuple[str, list[str]]] = []
    if measures & {"basic", "project"}:
        found.append(("total", ["basic", "project"]))
    if measures & {"personnel", "public_use"}:
        found.append(("basic" if "basic" in measures else "total", ["personnel", "public_use"]))
    three = {"overseas_travel", "vehicles", "vehicle_purchase", "vehicle_operation", "reception"}
    if measures & three and (table_kind == "three_public_expenses" or measures & {"overseas_travel", "reception"}):
        vehicles = ["vehicles"] if "vehicles" in measures else ["vehicle_purchase", "vehicle_operation"]
        found.append(("total", ["overseas_travel", *vehicles, "reception"]))
        if "vehicles" in measures and measures & {"vehicle_purchase", "vehicle_operation"}:
            found.append(("vehicles", ["vehicle_purchase", "vehicle_operation"]))
    sources = [m for m in INCOME_SOURCES if m in measures]
    if "fiscal_appropriation" in measures:
        if measures & set(FUNDS):
            found.append(("fiscal_appropriation", FUNDS))
        else:
            sources.append("fiscal_appropriation")
    if sources and not measures & {"basic", "project"}:
        found.append(("total", sources))
    return [(whole, parts) for whole, parts in found if whole in measures]


def check(disclosure: Disclosure) -> list[Finding]:
    rows: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for line in disclosure.lines:
        # a two-sided summary table holds an income row and an expenditure row in one printed row
        key = (line.get("table_index"), line.get("row_index"), line.get("subject_code") or "",
               row_label(line), line.get("year"), line.get("basis") or "")
        rows[key].setdefault(line["measure"], line)
    findings = []
    for key, cells in rows.items():
        any_line = next(iter(cells.values()))
        for whole, parts in identities(set(cells), any_line.get("table_kind") or ""):
            printed = cells[whole]
            present = [p for p in parts if p in cells]
            expected = total(Amount.of_line(cells[p]) for p in present)
            actual = Amount.of_line(printed)
            severity = judge(expected, actual)
            if severity is None:
                continue
            terms = " + ".join(f"{measure_name(p)} {wan_text(Amount.of_line(cells[p]))}" for p in present)
            findings.append(Finding(
                check=CHECK, severity=severity,
                message=(f"{measure_name(whole)} is printed as {wan_text(actual)}万元 but "
                         f"{terms} = {wan_text(expected)}万元"
                         + (" (a rounding gap)" if severity == "info" else "") + "."),
                evidence=cell_name(disclosure, printed),
                table_kind=printed.get("table_kind") or "", subject_code=subject_key(printed),
                measure=whole, year=printed.get("year"), expected=expected, actual=actual,
                key=f"{key}|{whole}={'+'.join(present)}",
            ))
    findings += balance(disclosure)
    return findings


PAIRS = [("收入总计", "支出总计"), ("收入合计", "支出合计"), ("本年收入合计", "本年支出合计"), ("本年收入", "本年支出")]


def balance(disclosure: Disclosure) -> list[Finding]:
    """A summary table's income total equals its expenditure total."""
    by_table: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for line in disclosure.lines:
        if line.get("table_kind") not in ("fiscal_appropriation_summary", "dept_summary"):
            continue
        label = row_label(line)
        key = (line.get("table_index"), line.get("year"), line.get("basis") or "")
        current = by_table[key].get(label)
        if current is None or (line["measure"] == "total" and current["measure"] != "total"):
            by_table[key][label] = line
    findings = []
    for key, labels in by_table.items():
        for income_label, spending_label in PAIRS:
            if disclosure.document.get("stage") == "final_account" and income_label != "收入总计":
                continue  # a final account's income and spending differ by what is carried over
            income, spending = labels.get(income_label), labels.get(spending_label)
            if not income or not spending:
                continue
            expected, actual = Amount.of_line(income), Amount.of_line(spending)
            severity = judge(expected, actual)
            if severity is None:
                continue
            findings.append(Finding(
                check=CHECK, severity=severity,
                message=(f"{spending_label} {wan_text(actual)}万元 does not equal "
                         f"{income_label} {wan_text(expected)}万元 in a summary table that must balance."),
                evidence=f"{cell_name(disclosure, spending)}; {income_label} in the same table",
                table_kind=spending.get("table_kind") or "", measure="total",
                year=spending.get("year"), expected=expected, actual=actual,
                key=f"{key}|{income_label}={spending_label}",
            ))
    return findings
