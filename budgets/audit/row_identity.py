"""`row_identity`: figures in one row that must add up (合计 = 基本 + 项目, 三公 = its parts, …),
and a summary table whose 收入合计 is not its 支出合计."""
from __future__ import annotations

from collections import defaultdict

from budgets.audit.model import Disclosure, Finding, cell_name, judge, wan_text
from extractors.identities import Amount, total
from extractors.vocabulary import (BALANCES, DECOMPOSITIONS, EXPENDITURE_TOTALS, INCOME_SOURCES, INCOME_TOTALS,
                                   OTHER_SPENDING, ROW_PART_PREFIX, measure_name, row_label, subject_key)

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
    if not unknown and basic_side and "project" in columns and table_kind != "three_public_expenses" \
            and measures & {"basic", "personnel", "public_use", "project"}:
        found.append(("total", basic_side + ["project"] + [m for m in OTHER_SPENDING if m in columns]))
    if "basic" in measures and measures & {"personnel", "public_use"}:
        found.append(("basic", ["personnel", "public_use"]))
    three = {"overseas_travel", "vehicles", "vehicle_purchase", "vehicle_operation", "reception"}
    if measures & three and (table_kind == "three_public_expenses" or measures & {"overseas_travel", "reception"}):
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


# 三公 tables often print 会议费 and 培训费 beside the three, and a 合计 over all five
ALSO_IN_TOTAL = ["meeting", "training"]


def check(disclosure: Disclosure) -> list[Finding]:
    rows: dict[tuple, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for line in disclosure.lines:
        # a two-sided summary table holds an income row and an expenditure row in one printed row
        key = (line.get("table_index"), line.get("row_index"), line.get("subject_code") or "",
               row_label(line), line.get("year"), line.get("basis") or "")
        rows[key][line["measure"]].append(line)
    columns: dict = defaultdict(set)
    for line in disclosure.lines:
        columns[line.get("table_index")].add(line["measure"])
    findings = []
    for key, cells in rows.items():
        any_line = next(iter(cells.values()))[0]
        measures = {m for m, lines in cells.items() if m != "other" or any(l["amount_fen"] for l in lines)}
        for whole, parts in identities(measures, any_line.get("table_kind") or "", columns[key[0]]):
            present = [p for p in parts if p in cells]
            expected = total(Amount.of_line(cells[p][0]) for p in present)
            candidates = [expected]
            if whole == "total" and ("overseas_travel" in parts or "reception" in parts):
                extra = [m for m in ALSO_IN_TOTAL if m in cells]
                if extra:
                    candidates.append(expected + total(Amount.of_line(cells[m][0]) for m in extra))
            if whole == "total" and set(OTHER_SPENDING) & set(present):
                # some departments' 支出总计 leaves out the 事业单位经营支出 they print beside it
                candidates.append(total(Amount.of_line(cells[p][0]) for p in present if p not in OTHER_SPENDING))
            # a row may print two totals (合计 and “三公”经费小计): one of them must agree
            verdicts = [(judge(c, Amount.of_line(w)), c, w) for w in cells[whole] for c in candidates]
            if any(v is None for v, _, _ in verdicts):
                continue
            severity, expected, printed = min(verdicts, key=lambda v: (v[0] != "info", abs(v[1].fen - v[2]["amount_fen"])))
            terms = " + ".join(f"{measure_name(p)} {wan_text(Amount.of_line(cells[p][0]))}" for p in present)
            findings.append(misprinted(disclosure, printed, measure_name(whole), terms, expected, severity,
                                       key=f"{key}|{whole}={'+'.join(present)}", measure=whole,
                                       subject_code=subject_key(printed)))
        for whole, added, subtracted in balances(measures, columns[key[0]]):
            if len(cells[whole]) > 1 or any(len(cells[m]) > 1 for m in added + subtracted if m in cells):
                continue  # two columns of one measure in the row: which one the flow takes is not known
            plus = [m for m in added if m in cells]
            minus = [m for m in subtracted if m in cells]
            expected = total(Amount.of_line(cells[m][0]) for m in plus) \
                - total(Amount.of_line(cells[m][0]) for m in minus)
            printed = cells[whole][0]
            severity = judge(expected, Amount.of_line(printed))
            if severity is None:
                continue
            terms = " + ".join(f"{measure_name(m)} {wan_text(Amount.of_line(cells[m][0]))}" for m in plus) + "".join(
                f" − {measure_name(m)} {wan_text(Amount.of_line(cells[m][0]))}" for m in minus)
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
    if disclosure.document.get("stage") != "final_account":
        return []
    columns: dict[tuple, list[dict]] = defaultdict(list)
    for line in disclosure.lines:
        if line.get("table_kind") == "dept_summary" and not line.get("subject_code"):
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
        expected, printed = total(Amount.of_line(l) for l in parts), lines[grand]
        severity = judge(expected, Amount.of_line(printed))
        if severity is None:
            continue
        terms = " + ".join(f"{row_label(l)} {wan_text(Amount.of_line(l))}" for l in parts)
        findings.append(misprinted(disclosure, printed, GRAND_TOTAL, terms, expected, severity,
                                   key=f"{key}|{GRAND_TOTAL}={labels[start]}+…", measure=printed["measure"]))
    return findings


def misprinted(disclosure: Disclosure, printed: dict, name: str, terms: str, expected: Amount, severity: str, *,
               key: str, measure: str, subject_code: str = "") -> Finding:
    """The finding for a printed figure its parts do not add up to ('合计 is printed as … but … = …')."""
    actual = Amount.of_line(printed)
    return Finding(
        check=CHECK, severity=severity,
        message=(f"{name} is printed as {wan_text(actual)}万元 but {terms} = {wan_text(expected)}万元"
                 + (" (a rounding gap)" if severity == "info" else "") + "."),
        evidence=cell_name(disclosure, printed),
        table_kind=printed.get("table_kind") or "", subject_code=subject_code, measure=measure,
        year=printed.get("year"), expected=expected, actual=actual, key=key,
    )


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
