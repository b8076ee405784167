"""`row_identity`: figures in one row that must add up (合计 = 基本 + 项目, 三公 = its parts, …),
and a summary table whose 收入合计 is not its 支出合计."""
from __future__ import annotations

from collections import defaultdict

import re

from budgets.audit.model import (SEVERITY, Disclosure, Finding, amount, cell_name, figures, judge, printed_tables,
                                 wan_text)
from extractors.constants import Stage, TableKind
from extractors.identities import Amount, best_agreement, total
from extractors.vocabulary import (BALANCES, DECOMPOSITIONS, EXPENDITURE_TOTALS, INCOME_SOURCES, INCOME_TOTALS,
                                   OTHER_SPENDING, ROW_PART_PREFIX, measure_name, plain, row_label, subject_key)

CHECK = "row_identity"
FUNDS = ["general_budget", "gov_fund", "state_capital"]


def identities(measures: set[str], table_kind: str, columns: set[str]) -> list[tuple[str, list[str]]]:
    """(whole, parts) pairs that hold in a row carrying these measures, in a table with these
    columns (a blank cell in a column the table has is a zero)."""
    found: list[tuple[str, list[str]]] = []
    # a column the normaliser could not name (单位预留机动经费, 事业单位经营支出 …) may be part of
    # the total: the spending identities cannot be judged in such a row
    unknown = "other" in measures
    basic_side = ["basic"] if "basic" in columns else [m for m in ("personnel", "public_use") if m in columns]
    if not unknown and basic_side and "project" in columns and table_kind != TableKind.THREE_PUBLIC_EXPENSES \
            and measures & {"basic", "personnel", "public_use", "project"}:
        found.append(("total", basic_side + ["project"] + [m for m in OTHER_SPENDING if m in columns]))
    if "basic" in measures and measures & {"personnel", "public_use"}:
        found.append(("basic", ["personnel", "public_use"]))
    three = {"overseas_travel", "vehicles", "vehicle_purchase", "vehicle_operation", "reception"}
    if measures & three and (table_kind == TableKind.THREE_PUBLIC_EXPENSES
                             or measures & {"overseas_travel", "reception"}) \
            and not (unknown and "overseas_travel" not in measures):  # 因公出国 under a header not read
        vehicles = ["vehicles"] if "vehicles" in measures else ["vehicle_purchase", "vehicle_operation"]
        found.append(("total", ["overseas_travel", *vehicles, "reception"]))
        if "vehicles" in measures and measures & {"vehicle_purchase", "vehicle_operation"} and not unknown:
            found.append(("vehicles", ["vehicle_purchase", "vehicle_operation"]))
    sources = [m for m in INCOME_SOURCES if m in measures]
    if "fiscal_appropriation" in measures:
        if measures & set(FUNDS):
            found.append(("fiscal_appropriation", FUNDS))
        else:
            sources.append("fiscal_appropriation")
    # in a fund-flow row 本年收入 stands beside the spending total: 上年结转 is no part of it
    if sources and not unknown and not measures & {"basic", "project", "personnel", "public_use", "income"}:
        found.append(("total", sources))
    # the vocabulary's other decompositions (年末结转和结余 = 基本支出结转 + 项目支出结转和结余 …),
    # where the table has a column for every part
    judged_above = {"total", "vehicles"}
    for whole, parts in DECOMPOSITIONS:
        if whole not in judged_above and not unknown and measures & set(parts) and set(parts) <= columns:
            found.append((whole, list(parts)))
    return [(whole, parts) for whole, parts in found if whole in measures]


def balances(measures: set[str], columns: set[str]) -> list[tuple[str, list[str], list[str]]]:
    """(printed, added, subtracted): the vocabulary's balances (年初结转和结余 + 本年收入 = 本年支出 +
    年末结转和结余) in a row whose table has all their columns, each judged on the figure the flow
    ends with: 年末结转和结余 against 年初结转和结余 + 本年收入 − 本年支出."""
    found = []
    if "other" in measures:  # 结余分配, 使用非财政拨款结余 … the balance cannot be judged
        return found
    for left, right in BALANCES:
        if set(left) | set(right) <= columns and right[-1] in measures and measures & (set(left) | set(right[:-1])):
            found.append((right[-1], list(left), list(right[:-1])))
    return found


SUBTOTAL = "小计"


def group_subtotal(cells: dict[str, list[dict]]) -> bool:
    """Whether the row's `total` is a group's 小计 read as the row's total: a column labelled only
    小计 that is exactly the 基本支出 group's parts (人员经费 + 公用经费) beside a 项目支出 column.
    Then the row's own total was not read, and 合计 = 基本支出 + 项目支出 cannot be judged."""
    wholes = [w for w in cells.get("total", []) if plain(w.get("column_label") or "") == SUBTOTAL]
    parts = [cells[m][0] for m in ("personnel", "public_use") if m in cells]
    if not wholes or len(parts) < 2 or "project" not in cells:
        return False
    basic = total(amount(p) for p in parts)
    return any(judge(basic, amount(w)) is None for w in wholes)


# 三公 tables often print 会议费 and 培训费 beside the three, and a 合计 over all five
ALSO_IN_TOTAL = ["meeting", "training"]


def check(disclosure: Disclosure) -> list[Finding]:
    rows: dict[tuple, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    lines = figures(disclosure)
    for line in lines:
        # a two-sided summary table holds an income row and an expenditure row in one printed row
        key = (line.get("table_index"), line.get("row_index"), line.get("subject_code") or "",
               row_label(line), line.get("year"), line.get("basis") or "")
        rows[key][line["measure"]].append(line)
    columns: dict = defaultdict(set)
    for line in lines:
        columns[line.get("table_index")].add(line["measure"])
    findings = []
    for key, cells in rows.items():
        any_line = next(iter(cells.values()))[0]
        measures = {m for m, lines in cells.items() if m != "other" or any(l["amount_fen"] for l in lines)}
        for whole, parts in identities(measures, any_line.get("table_kind") or "", columns[key[0]]):
            if whole == "total" and group_subtotal(cells):
                continue
            present = [p for p in parts if p in cells]
            expected = total(amount(cells[p][0]) for p in present)
            candidates = [expected]
            if whole == "total" and ("overseas_travel" in parts or "reception" in parts):
                extra = [m for m in ALSO_IN_TOTAL if m in cells]
                if extra:
                    candidates.append(expected + total(amount(cells[m][0]) for m in extra))
            if whole == "total" and set(OTHER_SPENDING) & set(present):
                # some departments' 支出总计 leaves out the 事业单位经营支出 they print beside it
                candidates.append(total(amount(cells[p][0]) for p in present if p not in OTHER_SPENDING))
            # a row may print two totals (合计 and “三公”经费小计): one of them must agree
            relation, w, c = best_agreement([amount(w) for w in cells[whole]], candidates)
            severity, expected, printed = SEVERITY[relation], candidates[c], cells[whole][w]
            if severity is None:
                continue
            terms = " + ".join(f"{measure_name(p)} {wan_text(amount(cells[p][0]))}" for p in present)
            findings.append(misprinted(disclosure, printed, measure_name(whole), terms, expected, severity,
                                       key=f"{key}|{whole}={'+'.join(present)}", measure=whole,
                                       subject_code=subject_key(printed)))
        for whole, added, subtracted in balances(measures, columns[key[0]]):
            if len(cells[whole]) > 1 or any(len(cells[m]) > 1 for m in added + subtracted if m in cells):
                continue  # two columns of one measure in the row: which one the flow takes is not known
            plus = [m for m in added if m in cells]
            minus = [m for m in subtracted if m in cells]
            expected = total(amount(cells[m][0]) for m in plus) \
                - total(amount(cells[m][0]) for m in minus)
            printed = cells[whole][0]
            severity = judge(expected, amount(printed))
            if severity is None:
                continue
            terms = " + ".join(f"{measure_name(m)} {wan_text(amount(cells[m][0]))}" for m in plus) + "".join(
                f" − {measure_name(m)} {wan_text(amount(cells[m][0]))}" for m in minus)
            findings.append(misprinted(disclosure, printed, measure_name(whole), terms, expected, severity,
                                       key=f"{key}|{whole}={'+'.join(added)}-{'-'.join(subtracted)}",
                                       measure=whole, subject_code=subject_key(printed)))
    findings += balance(disclosure) + carried_totals(disclosure)
    return findings


GRAND_TOTAL = "总计"


def carried_totals(disclosure: Disclosure) -> list[Finding]:
    """A final account's 收入支出决算总表 prints each side's flow as rows: 总计 is 本年收入合计 and
    the rows between (使用非财政拨款结余, 年初结转和结余), and on the other side 本年支出合计 and the
    rows between (结余分配, 年末结转和结余) — the row form of the vocabulary's BALANCES."""
    if disclosure.document.get("stage") != Stage.FINAL_ACCOUNT:
        return []
    columns: dict[tuple, list[dict]] = defaultdict(list)
    for line in figures(disclosure):
        if line.get("table_kind") == TableKind.DEPT_SUMMARY and not line.get("subject_code"):
            columns[(line.get("table_index"), line.get("column_index"), line.get("year"),
                     line.get("basis") or "")].append(line)
    findings = []
    for key, lines in columns.items():
        lines.sort(key=lambda l: l.get("row_index") or 0)
        labels = [row_label(l) for l in lines]
        start = next((i for i, lab in enumerate(labels) if lab in (INCOME_TOTALS[0], EXPENDITURE_TOTALS[0])), None)
        grand = next((i for i, lab in enumerate(labels) if lab == GRAND_TOTAL and start is not None and i > start), None)
        if grand is None:
            continue
        parts = [lines[i] for i in range(start, grand) if not ROW_PART_PREFIX.match(labels[i])]
        expected, printed = total(amount(l) for l in parts), lines[grand]
        severity = judge(expected, amount(printed))
        if severity is None:
            continue
        terms = " + ".join(f"{row_label(l)} {wan_text(amount(l))}" for l in parts)
        findings.append(misprinted(disclosure, printed, GRAND_TOTAL, terms, expected, severity,
                                   key=f"{key}|{GRAND_TOTAL}={labels[start]}+…", measure=printed["measure"]))
    return findings


def misprinted(disclosure: Disclosure, printed: dict, name: str, terms: str, expected: Amount, severity: str, *,
               key: str, measure: str, subject_code: str = "") -> Finding:
    """The finding for a printed figure its parts do not add up to ('合计 is printed as … but … = …')."""
    actual = amount(printed)
    return Finding(
        check=CHECK, severity=severity,
        message=(f"{name} is printed as {wan_text(actual)}万元 but {terms} = {wan_text(expected)}万元"
                 + (" (a rounding gap)" if severity == "info" else "") + "."),
        evidence=cell_name(disclosure, printed),
        table_kind=printed.get("table_kind") or "", subject_code=subject_code, measure=measure,
        year=printed.get("year"), expected=expected, actual=actual, key=key,
    )


PAIRS = [("收入总计", "支出总计"), ("收入合计", "支出合计"), ("本年收入合计", "本年支出合计"), ("本年收入", "本年支出")]
GRAND_PAIR = PAIRS[0]
# What a summary table carries over: into this year on the income side (上年结转, 上年结余、结转,
# 年初结转和结余), to the next on the spending side (结转下年, 年末结转和结余). The year's income
# and spending balance only with them: 本年收入合计 + 上年结转 = 本年支出合计 + 结转下年.
CARRIED_IN = re.compile(r"^(上年|年初)(结转|结余)")
CARRIED_OUT = re.compile(r"^(结转下年|年末结转|年末结余)")


def place(line: dict) -> tuple:
    return line.get("table_index") or 0, line.get("row_index") or 0


def carried(labels: dict[str, dict], pattern: re.Pattern) -> dict | None:
    """The first (top-level) carry-over row of one side, in the order printed."""
    rows = sorted((line for label, line in labels.items() if pattern.search(label)), key=place)
    return rows[0] if rows else None


def balance(disclosure: Disclosure) -> list[Finding]:
    """A summary table's income total equals its expenditure total: 收入总计 = 支出总计, and the
    year's own totals once what is carried over is added on each side. A carry-over row counts
    where it is printed below the total it adjusts (本年收入合计, 上年结转, then 收入合计: the last
    is the grand total). A summary table printed over two pages is one table."""
    by_table: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for group in printed_tables(disclosure):
        first = group[0].get("table_index")
        for line in group:
            if line.get("table_kind") not in (TableKind.FISCAL_APPROPRIATION_SUMMARY, TableKind.DEPT_SUMMARY):
                continue
            label = row_label(line)
            key = (first, line.get("year"), line.get("basis") or "")
            current = by_table[key].get(label)
            if current is None or (line["measure"] == "total" and current["measure"] != "total"):
                by_table[key][label] = line
    findings = []
    for key, labels in by_table.items():
        carried_in, carried_out = carried(labels, CARRIED_IN), carried(labels, CARRIED_OUT)
        for income_label, spending_label in PAIRS:
            if disclosure.document.get("stage") == Stage.FINAL_ACCOUNT and income_label != "收入总计":
                continue  # a final account's income and spending differ by what is carried over
            income, spending = labels.get(income_label), labels.get(spending_label)
            if not income or not spending:
                continue
            expected, actual = amount(income), amount(spending)
            terms = f"{income_label} {wan_text(expected)}万元"
            if (income_label, spending_label) != GRAND_PAIR:
                if carried_in and place(carried_in) > place(income):
                    expected = expected + amount(carried_in)
                    terms += f" + {row_label(carried_in)} {wan_text(amount(carried_in))}万元"
                if carried_out and place(carried_out) > place(spending):
                    expected = expected - amount(carried_out)
                    terms += f" − {row_label(carried_out)} {wan_text(amount(carried_out))}万元"
            severity = judge(expected, actual)
            if severity is None:
                continue
            findings.append(Finding(
                check=CHECK, severity=severity,
                message=(f"{spending_label} {wan_text(actual)}万元 does not equal {terms}"
                         f"{f' = {wan_text(expected)}万元' if expected.fen != amount(income).fen else ''}"
                         " in a summary table: what comes in and is carried in equals what is spent and "
                         "carried to the next year."),
                evidence=f"{cell_name(disclosure, spending)}; {income_label} in the same table",
                table_kind=spending.get("table_kind") or "", measure="total",
                year=spending.get("year"), expected=expected, actual=actual,
                key=f"{key}|{income_label}={spending_label}",
            ))
    return findings
