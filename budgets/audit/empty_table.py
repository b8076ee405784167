"""`empty_table`: a fund's table without figures: its note says it is empty, of its own fund."""
from __future__ import annotations

import re

from budgets.audit.model import Disclosure, Finding, wan_text
from budgets.audit.narrative import read
from budgets.audit.text_evidence import key
from extractors.constants import TableKind

EMPTY_NOTE = re.compile(r"无数据|空表|此表为空|本表为空|无相关|无该项|无此项|没有|无.{0,20}(?:安排|支出|收入|预算)")
FUNDS = {TableKind.GOV_FUND_EXPENDITURE: "政府性基金", TableKind.STATE_CAPITAL_EXPENDITURE: "国有资本经营",
         TableKind.THREE_PUBLIC_EXPENSES: "三公"}


def check(disclosure: Disclosure) -> list[Finding]:
    """A fund's table printed with its headers and no figures: its note must say it is empty
    (`本表为空表`, `无…安排`), and name that table's own fund. A note is only what the extractor
    keeps below the table; a marker printed inside the body ('此表为空') may be missed, so an empty
    table with no note at all is `info`."""
    with_lines = {l.get("table_index") for l in disclosure.lines}
    found = []
    for table in disclosure.tables:
        fund = FUNDS.get(table.get("table_kind") or "")
        if not fund or table.get("table_index") in with_lines:
            continue
        notes = re.sub(r"\s+", "", table.get("notes") or "")
        page = table.get("page")
        title = re.sub(r"\s+", "", table.get("title") or "")
        name = f"{(table.get('label') or '').strip()} {title}".strip()
        where_ = f"table “{name}”{f', p.{page}' if page else ''}"
        others = [other for kind, other in FUNDS.items() if other != fund and other in notes]
        if not notes:
            found.append(Finding(
                check="empty_table", severity="info", evidence=where_, table_kind=table.get("table_kind") or "",
                message=f"The table “{name}” prints its headers and no figures, and no note below it says it is empty.",
                year=disclosure.fiscal_year, key=f"empty|{table.get('table_index')}",
            ))
        elif EMPTY_NOTE.search(notes) and others and fund not in notes:
            found.append(Finding(
                check="empty_table", severity="warning", evidence=f"{where_}: “{notes[:120]}”",
                table_kind=table.get("table_kind") or "",
                message=f"The empty table “{name}” is a {fund} table but its note speaks of {others[0]}.",
                year=disclosure.fiscal_year, key=f"empty-fund|{table.get('table_index')}",
            ))
    found += blanks_the_text_fills(disclosure, with_lines)
    return found


STATED_FUNDS = {"gov_fund": TableKind.GOV_FUND_EXPENDITURE, "state_capital": TableKind.STATE_CAPITAL_EXPENDITURE}


def blanks_the_text_fills(disclosure: Disclosure, with_lines: set) -> list[Finding]:
    """'政府性基金预算支出120.00万元' while the 政府性基金 table prints no figure at all."""
    empty = {t.get("table_kind"): t for t in disclosure.tables
             if t.get("table_kind") in STATED_FUNDS.values() and t.get("table_index") not in with_lines}
    if not empty:
        return []
    kinds_with_lines = {l.get("table_kind") for l in disclosure.lines}
    found = []
    for statement in read(disclosure.paragraphs, disclosure.fiscal_year):
        kind = STATED_FUNDS.get(statement.concept.measure)
        if kind not in empty or kind in kinds_with_lines or statement.amount is None or statement.amount.fen <= 0:
            continue
        table = empty[kind]
        title = re.sub(r"\s+", "", table.get("title") or "")
        found.append(Finding(
            check="empty_table", severity="error", evidence=statement.where, table_kind=kind,
            message=(f"The text states {statement.label} {wan_text(statement.amount)}万元 but the table “{title}”"
                     f"{f' (p.' + str(table['page']) + ')' if table.get('page') else ''} prints no figure."),
            year=statement.year, actual=statement.amount,
            key=key(statement.paragraph, statement.sentence, f"blank|{statement.label}"),
        ))
    return found
