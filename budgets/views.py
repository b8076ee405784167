"""The published face of the database: each figure once, with readable labels.

One disclosure often arrives several times (the page and its attachments as XLSX, XLS, DOCX,
DOC, PDF, a download-servlet copy of one of them). `budget_lines` keeps every copy's rows for
provenance; what the site shows, the README's examples, the facets, the canned queries, the
charts and the exports read the published views below, which count each figure once.

Which copy supplies a table is one rule, `budgets.schema.counted_copies_sql`: of the current
revisions whose reading is ok or partial, status `ok` first, then the most structured format
(schema.FORMAT_PREFERENCE), then the most lines of that kind, the page before its attachments,
the newest fetch and the id. `refresh` stores the choice in `published_tables`, and the same
choice in `current_tables` (without format and copies); every view that counts figures reads
one of them. `prepare` (budgets/publish.py) calls `refresh(db)` after every load; it is idempotent.

Lookup tables (`table_kinds`, `measures`, `stages`, `bases`) give each identifier a Chinese and
an English label; `published_lines` carries them as `*_label` columns, and `published_tables`
declares foreign keys to them so Datasette shows the label beside the code.
"""
from __future__ import annotations

import sqlite3

import sqlite_utils

from budgets import schema
from budgets.schema import FORMAT_PREFERENCE, WIDE_VIEW, counted_copies_sql
from budgets.transaction import transaction
from extractors.constants import Basis, Stage, TableKind
from extractors.vocabulary import MEASURE_NAMES, TABLE_NAMES

TABLE_KIND_EN = {
    TableKind.FISCAL_APPROPRIATION_SUMMARY: "Fiscal appropriations: revenue and expenditure summary",
    TableKind.GENERAL_BUDGET_EXPENDITURE: "General public budget appropriations: expenditure",
    TableKind.GENERAL_BUDGET_BASIC_EXPENDITURE: "General public budget appropriations: basic expenditure",
    TableKind.GENERAL_BUDGET_PROJECT_EXPENDITURE: "General public budget appropriations: project expenditure",
    TableKind.THREE_PUBLIC_EXPENSES: "“Three public” expenses (overseas travel, vehicles, reception)",
    TableKind.GOV_FUND_EXPENDITURE: "Government fund budget: expenditure",
    TableKind.STATE_CAPITAL_EXPENDITURE: "State capital operating budget: expenditure",
    TableKind.DEPT_SUMMARY: "Department revenue and expenditure summary",
    TableKind.DEPT_INCOME: "Department revenue",
    TableKind.DEPT_EXPENDITURE: "Department expenditure",
    TableKind.PROCUREMENT: "Government procurement",
    TableKind.PROJECT_EXPENDITURE: "Project expenditure detail",
    TableKind.OVERALL_PERFORMANCE: "Department performance targets",
    TableKind.PROJECT_PERFORMANCE: "Project performance targets",
    TableKind.FISCAL_APPROPRIATION_EXPENDITURE: "Fiscal appropriations: expenditure",
    TableKind.FISCAL_APPROPRIATION_BASIC_EXPENDITURE: "Fiscal appropriations: basic expenditure",
    TableKind.ADMIN_OPERATING_EXPENDITURE: "Administrative operating costs",
    TableKind.OTHER: "Other table",
}

MEASURE_EN = {
    "total": "Total", "basic": "Basic expenditure", "project": "Project expenditure",
    "personnel": "Personnel", "public_use": "Public use (running costs)",
    "general_budget": "General public budget", "gov_fund": "Government funds",
    "state_capital": "State capital operating budget", "carryover": "Carried over from last year",
    "special_account": "Fiscal special account", "business_income": "Business income",
    "operating_income": "Operating income", "superior_subsidy": "Subsidy from above",
    "subordinate_remit": "Remitted by subordinate units", "other_income": "Other income",
    "overseas_travel": "Overseas travel", "vehicles": "Official vehicles (purchase and running)",
    "vehicle_purchase": "Vehicle purchase", "vehicle_operation": "Vehicle running",
    "reception": "Official reception", "meeting": "Meetings", "training": "Training",
    "admin_operating": "Administrative operating costs", "fiscal_appropriation": "Fiscal appropriation",
    "carryover_end": "Carried over to next year", "procurement": "Government procurement",
    "initial_allocation": "Initial allocation", "superior_special": "Special transfer from above",
    "operating_spending": "Operating expenditure of public institutions",
    "subordinate_subsidy": "Subsidies to subordinate units", "remit_superior": "Remitted to the level above",
    "unit_funds": "Unit's own funds", "procurement_sme": "Procurement reserved for SMEs",
    "procurement_small_micro": "Procurement reserved for small and micro enterprises", "change": "Change",
    "other": "Other column",
}

STAGES = {Stage.BUDGET: ("预算", "Budget"), Stage.FINAL_ACCOUNT: ("决算", "Final account")}
BASES = {Basis.BUDGET: ("预算数", "Budget"), Basis.ADJUSTED_BUDGET: ("调整预算数", "Adjusted budget"),
         Basis.ACTUAL: ("决算数", "Actual (final account)")}


def lookup_rows() -> dict[str, list[dict]]:
    """The rows of each lookup table: code, zh, en and label ("zh · en")."""
    def rows(pairs):
        return [{"code": code, "zh": zh, "en": en, "label": f"{zh} · {en}"} for code, (zh, en) in pairs]

    kinds = {**{k: (TABLE_NAMES.get(k, k), TABLE_KIND_EN.get(k, k)) for k in TABLE_NAMES},
             TableKind.OTHER: ("其他表", TABLE_KIND_EN[TableKind.OTHER])}
    measures = {k: (MEASURE_NAMES.get(k, k), MEASURE_EN.get(k, k)) for k in {**MEASURE_NAMES, **MEASURE_EN}}
    measures["initial_allocation"] = ("年初预算", MEASURE_EN["initial_allocation"])
    measures["superior_special"] = ("上级专项", MEASURE_EN["superior_special"])
    measures["other"] = ("其他列", MEASURE_EN["other"])
    return {
        "table_kinds": rows(sorted(kinds.items())),
        "measures": rows(sorted(measures.items())),
        "stages": rows(STAGES.items()),
        "bases": rows(BASES.items()),
        "formats": [{"code": f, "rank": i + 1, "label": f} for i, f in enumerate(FORMAT_PREFERENCE)],
    }


PUBLISHED_TABLES_SQL = f"""
    insert into published_tables ({', '.join(schema.PUBLISHED_TABLE_COLUMNS)})
    {counted_copies_sql()}
"""
# the same choice: current_lines and published_lines count the same copies
CURRENT_TABLES_SQL = f"""
    insert into current_tables ({', '.join(schema.CURRENT_TABLE_COLUMNS)})
    select {', '.join(schema.CURRENT_TABLE_COLUMNS)} from published_tables
"""


def ensure_lookups(db: sqlite_utils.Database) -> None:
    """The lookup tables, updated in place (published_tables refers to them). A code the loaded
    data uses that has no label yet gets a row labelled with the code itself, so that every
    foreign key holds."""
    for table, rows in lookup_rows().items():
        columns = list(rows[0])
        with transaction(db.conn) as conn:
            conn.executemany(
                f"INSERT INTO [{table}] ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
                f"ON CONFLICT(code) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in columns[1:]),
                [[row[c] for c in columns] for row in rows])
    used = [("table_kinds", "coalesce(table_kind, '')", "budget_lines", "zh, en, label", "x, x, x"),
            ("stages", "stage", "documents", "zh, en, label", "x, x, x"),
            ("formats", "format", "documents", "rank, label", "99, x")]
    with transaction(db.conn) as conn:
        for table, expression, source, columns, values in used:
            conn.execute(f"INSERT OR IGNORE INTO [{table}] (code, {columns}) SELECT x, {values} "
                         f"FROM (SELECT DISTINCT {expression} AS x FROM [{source}]) WHERE x IS NOT NULL")


def refresh(db: sqlite_utils.Database) -> None:
    """Lookup tables, the copies that count (published_tables, current_tables) and the views over
    them; safe to run again."""
    schema.ensure_published(db)
    ensure_lookups(db)
    with transaction(db.conn) as conn:
        conn.execute("DELETE FROM published_tables")
        conn.execute(PUBLISHED_TABLES_SQL)
        conn.execute("DELETE FROM current_tables")
        conn.execute(CURRENT_TABLES_SQL)
    schema.ensure_published_views(db)


def wide_years(conn: sqlite3.Connection) -> list[int]:
    """The years the subject × department × year view has columns for."""
    names = [row[1] for row in conn.execute(f"pragma table_info([{WIDE_VIEW}])")]
    return sorted({int(n.split("_", 1)[1]) for n in names if n.startswith(("budget_", "final_"))})
