"""The published face of the database: each figure once, with readable labels.

One disclosure often arrives several times (the page and its attachments as XLSX, XLS, DOCX,
DOC, PDF, a download-servlet copy of one of them). `budget_lines` keeps every copy's rows for
provenance; what the site shows, the README's examples, the facets, the canned queries, the
charts and the exports read the published views below, which count each figure once.

Which copy supplies a table (`published_tables`), for each district, department, fiscal year,
stage and table kind, among the current revisions (budgets/revisions.py):

1. status `ok` before `partial` (a partial reading left cells unplaced);
2. the most structured format (FORMAT_PREFERENCE): a spreadsheet holds each amount in its own
   cell as typed, so nothing is guessed; an HTML table and a DOCX table have explicit cells but
   their numbers are text; a DOC is read through a converter; a PDF's columns are rebuilt from
   the positions of characters, and a text dump from spacing. The same numbers, read with the
   fewest guesses;
3. then the most lines of that kind (a reading that found more of the table), the page before
   its attachments, the newest fetch, and the id, so the choice is total and stable.

A disclosure split over several attachments keeps every table kind. `prepare`
(budgets/publish.py) calls `refresh(db)` after every load; it is idempotent.

Lookup tables (`table_kinds`, `measures`, `stages`, `bases`) give each identifier a Chinese and
an English label; `published_lines` carries them as `*_label` columns, and `published_tables`
declares foreign keys to them so Datasette shows the label beside the code.
"""
from __future__ import annotations

import sqlite3

import sqlite_utils

from budgets import revisions
from budgets.db import FINDING_COLUMNS
from budgets.transaction import transaction
from extractors.vocabulary import MEASURE_NAMES, TABLE_NAMES

# most structured first; anything else (zip, unknown) after these
FORMAT_PREFERENCE = ["xlsx", "xls", "html", "docx", "doc", "pdf", "text"]

TABLE_KIND_EN = {
    "fiscal_appropriation_summary": "Fiscal appropriations: revenue and expenditure summary",
    "general_budget_expenditure": "General public budget appropriations: expenditure",
    "general_budget_basic_expenditure": "General public budget appropriations: basic expenditure",
    "general_budget_project_expenditure": "General public budget appropriations: project expenditure",
    "three_public_expenses": "“Three public” expenses (overseas travel, vehicles, reception)",
    "gov_fund_expenditure": "Government fund budget: expenditure",
    "state_capital_expenditure": "State capital operating budget: expenditure",
    "dept_summary": "Department revenue and expenditure summary",
    "dept_income": "Department revenue",
    "dept_expenditure": "Department expenditure",
    "procurement": "Government procurement",
    "project_expenditure": "Project expenditure detail",
    "overall_performance": "Department performance targets",
    "project_performance": "Project performance targets",
    "fiscal_appropriation_expenditure": "Fiscal appropriations: expenditure",
    "fiscal_appropriation_basic_expenditure": "Fiscal appropriations: basic expenditure",
    "admin_operating_expenditure": "Administrative operating costs",
    "other": "Other table",
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

STAGES = {"budget": ("预算", "Budget"), "final_account": ("决算", "Final account")}
BASES = {"budget": ("预算数", "Budget"), "adjusted_budget": ("调整预算数", "Adjusted budget"),
         "actual": ("决算数", "Actual (final account)")}


def lookup_rows() -> dict[str, list[dict]]:
    """The rows of each lookup table: code, zh, en and label ("zh · en")."""
    def rows(pairs):
        return [{"code": code, "zh": zh, "en": en, "label": f"{zh} · {en}"} for code, (zh, en) in pairs]

    kinds = {**{k: (TABLE_NAMES.get(k, k), TABLE_KIND_EN.get(k, k)) for k in TABLE_NAMES},
             "other": ("其他表", TABLE_KIND_EN["other"])}
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


_FORMAT_RANK = "case d.format " + " ".join(
    f"when '{f}' then {i + 1}" for i, f in enumerate(FORMAT_PREFERENCE)) + f" else {len(FORMAT_PREFERENCE) + 1} end"

PUBLISHED_TABLES_SQL = f"""
    insert into published_tables (district, department, fiscal_year, stage, table_kind, document_id,
                                  format, lines, copies)
    select district, department, fiscal_year, stage, table_kind, document_id, format, lines, copies from (
      select d.district, d.department, d.fiscal_year, d.stage, k.table_kind, k.document_id, d.format, k.lines,
             count(*) over w as copies,
             row_number() over (w order by d.status = 'ok' desc, d.status = 'partial' desc,
                                {_FORMAT_RANK}, k.lines desc, d.parent_id is null desc,
                                d.fetched_at desc, d.id) as pick
      from (select document_id, coalesce(table_kind, '') as table_kind, count(*) as lines
            from budget_lines group by document_id, coalesce(table_kind, '')) k
      join documents d on d.id = k.document_id
      where d.id in ({revisions.CURRENT_IDS}) and d.status in ('ok', 'partial')
      window w as (partition by coalesce(nullif(d.department, ''), d.id), d.district,
                                coalesce(cast(d.fiscal_year as text), d.id), d.stage, k.table_kind))
    where pick = 1
"""

_FINDING_COLUMNS = ", ".join(f'"{c}"' for c in FINDING_COLUMNS)

_LABELS = """
    left join table_kinds tk on tk.code = l.table_kind
    left join measures m on m.code = l.measure
    left join stages s on s.code = l.stage
    left join bases b on b.code = l.basis
"""

VIEWS = {
    # the documents that supply at least one published table: one row per copy that counts
    "published_documents": """
        select d.id, d.district, d.department, d.fiscal_year, d.stage, s.label as stage_label, d.title,
               d.format, d.status, d.url, d.parent_id, d.pages, p.tables as tables_counted,
               p.lines as lines_counted, p.copies, d.fetched_at, d.withdrawn_at
        from (select document_id, count(*) as tables, sum(lines) as lines, max(copies) as copies
              from published_tables group by document_id) p
        join documents d on d.id = p.document_id
        left join stages s on s.code = d.stage
        order by d.district, d.department, d.fiscal_year, d.stage, d.id
    """,
    # every current copy of every disclosure, and whether its tables are the ones counted
    "disclosure_copies": f"""
        select d.id, d.district, d.department, d.fiscal_year, d.stage, d.title, d.format, d.status, d.lines,
               d.url, d.parent_id, d.id in (select document_id from published_tables) as counted
        from documents d where d.id in ({revisions.CURRENT_IDS})
    """,
    # budget_lines of the published tables, with labels (CROSS JOIN: budget_lines' indexes first)
    "published_lines": f"""
        select l.id, l.rowid as line_rowid, l.document_id, l.district, l.department, l.fiscal_year, l.stage, s.label as stage_label,
               l.table_kind, tk.label as table_kind_label, l.table_title, l.classification,
               l.subject_code, l.subject_name, l.level, l.parent_code, l.gov_economic_code, l.item, l.measure,
               m.label as measure_label, l.year, l.basis, b.label as basis_label,
               l.amount_wan, l.amount_fen, l.unit_printed, l.page, l.table_index, l.row_index,
               l.column_index, l.column_label, l.source_text, l.url, d.title as document_title,
               d.format as document_format, t.confidence as table_confidence
        from budget_lines l cross join documents d on d.id = l.document_id
        left join tables t on t.id = substr(l.document_id, 1, 16) || ':t' || l.table_index
        {_LABELS}
        where (+l.document_id, coalesce(l.table_kind, '')) in (select document_id, table_kind from published_tables)
    """,
    # each finding once per disclosure: the copies of one disclosure repeat the same findings (the
    # same table read five times); of identical findings the one about the published copy is kept.
    # Findings only one copy can have (the narrative is on the page) stay, once.
    "published_findings": f"""
        select {_FINDING_COLUMNS}, stage from (
          select f.*, d.stage, row_number() over (
                   partition by coalesce(d.district, ''), coalesce(nullif(d.department, ''), d.id),
                                coalesce(d.fiscal_year, ''), coalesce(d.stage, ''), f."check",
                                coalesce(f.table_kind, ''), coalesce(f.subject_code, ''), coalesce(f.measure, ''),
                                coalesce(f.year, ''), f.message
                   order by exists (select 1 from published_tables p where p.document_id = f.document_id) desc,
                            d.parent_id is null desc, f.id) as pick
          from findings f join documents d on d.id = f.document_id
          where f.document_id in ({revisions.CURRENT_IDS}))
        where pick = 1
        union all
        select {_FINDING_COLUMNS}, null as stage from findings where document_id is null
    """,
}

# The subject × department × year view is generated from the years loaded (one budget column and
# one final-account column per year), so it is rebuilt by refresh.
WIDE_VIEW = "subject_department_year"


def wide_view_sql(years: list[int]) -> str:
    """One row per district, department and subject of the 一般公共预算财政拨款支出表 (合计 column);
    `budget_<year>` and `final_<year>` in 万元. Each year's figure comes from the newest
    disclosure of that stage that prints it (a 2026 budget also prints its 2025 column)."""
    columns = []
    for year in years:
        for stage, prefix in (("budget", "budget"), ("final_account", "final")):
            columns.append(f"max(case when year = {int(year)} and stage = '{stage}' then amount_fen end) "
                           f"/ 1000000.0 as {prefix}_{int(year)}")
    columns_sql = ",\n               ".join(columns) or "null as no_years"
    return f"""
        with lines as (
          select district, department, subject_code, subject_name, level, year, stage, amount_fen,
                 row_number() over (partition by district, department, subject_code, year, stage
                                    order by fiscal_year desc, id) as pick
          from published_lines
          where table_kind = 'general_budget_expenditure' and measure = 'total' and subject_code != ''
            and basis = case stage when 'budget' then 'budget' else 'actual' end
        )
        select district || '|' || department || '|' || subject_code as id, district, department,
               subject_code, max(subject_name) as subject_name, max(level) as level,
               {columns_sql}
        from lines where pick = 1
        group by district, department, subject_code
        order by subject_code, district, department
    """


def ensure_lookups(db: sqlite_utils.Database) -> None:
    """The lookup tables, updated in place (published_tables refers to them). A code the loaded
    data uses that has no label yet gets a row labelled with the code itself, so that every
    foreign key holds."""
    for table, rows in lookup_rows().items():
        if not db[table].exists():
            db[table].create({k: type(v) for k, v in rows[0].items()}, pk="code")
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
    """Lookup tables, the published choice of copies and the published views; safe to run again."""
    ensure_lookups(db)
    if not db["published_tables"].exists():
        db["published_tables"].create(
            {"district": str, "department": str, "fiscal_year": int, "stage": str, "table_kind": str,
             "document_id": str, "format": str, "lines": int, "copies": int},
            foreign_keys=[("document_id", "documents", "id"), ("stage", "stages", "code"),
                          ("table_kind", "table_kinds", "code"), ("format", "formats", "code")])
        db["published_tables"].create_index(["document_id", "table_kind"], if_not_exists=True)
    with transaction(db.conn) as conn:
        conn.execute("DELETE FROM published_tables")
        conn.execute(PUBLISHED_TABLES_SQL)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)
    years = [row[0] for row in db.execute(
        "select distinct year from budget_lines where year is not null and table_kind = 'general_budget_expenditure' "
        "order by year")]
    db.create_view(WIDE_VIEW, wide_view_sql(years).strip(), replace=True)


def wide_years(conn: sqlite3.Connection) -> list[int]:
    """The years the subject × department × year view has columns for."""
    names = [row[1] for row in conn.execute(f"pragma table_info([{WIDE_VIEW}])")]
    return sorted({int(n.split("_", 1)[1]) for n in names if n.startswith(("budget_", "final_"))})
