"""Make a loaded database ready to publish with Datasette.

`prepare(db)` runs after every load, after `budgets.reference.refresh` (ingest, crawl). It is
idempotent and only adds derived things next to the contract's tables: full-text search tables
kept in sync by triggers, views of the current copy of every disclosure, indexes for the
published queries, and foreign keys to documents on databases created before they existed.
"""
from __future__ import annotations

import sys

import sqlite_utils

from budgets import fulltext, revisions
from budgets import views as published
from budgets.audit import ensure_schema as audit_schema
from budgets.fulltext import FTS_COLUMNS
from budgets.transaction import transaction

DOCUMENT_CHILDREN = ["budget_lines", "findings", "paragraphs", "tables", "unplaced_cells"]

# One disclosure often arrives several times: the page and its attachments in several formats
# (HTML, DOC, DOCX, XLS, PDF), a text dump and an HTML copy, an older revision at the same URL.
# Comparisons must count each figure once, so for every district, department, year, stage and
# table kind one document supplies the lines: the current revision of its URL, status ok first,
# then the most lines of that kind, then the page itself before an attachment. A disclosure split
# over several attachments keeps every table kind. The choice is stored in `current_tables` by
# prepare (a small table; computing it per query would read every line).
CURRENT_TABLES_SQL = f"""
    insert into current_tables (district, department, fiscal_year, stage, table_kind, document_id, lines)
    select district, department, fiscal_year, stage, table_kind, document_id, lines from (
      select d.district, d.department, d.fiscal_year, d.stage, k.table_kind, k.document_id, k.lines,
             row_number() over (
               partition by coalesce(nullif(d.department, ''), d.id), d.district,
                            coalesce(cast(d.fiscal_year as text), d.id), d.stage, k.table_kind
               order by d.status = 'ok' desc, k.lines desc, d.parent_id is null desc,
                        d.fetched_at desc, d.id) as pick
      from (select document_id, coalesce(table_kind, '') as table_kind, count(*) as lines
            from budget_lines group by document_id, coalesce(table_kind, '')) k
      join documents d on d.id = k.document_id
      where d.id in ({revisions.CURRENT_IDS}))
    where pick = 1
"""

# current_lines reads budget_lines first (CROSS JOIN fixes the order) so that a query's filters
# use the indexes of budget_lines; current_tables is a small list checked per line (the unary +
# keeps the planner from walking every current document's lines through that list instead).
VIEWS = {
    "older_revisions": revisions.OLDER_REVISIONS_SQL,
    "superseded_documents": """
        select * from documents d
        where id in (select id from older_revisions)
           or (exists (select 1 from budget_lines l where l.document_id = d.id)
               and not exists (select 1 from current_tables c where c.document_id = d.id))
    """,
    "current_documents": """
        select * from documents where id not in (select id from superseded_documents)
    """,
    "current_lines": """
        select l.*, d.title as document_title
        from budget_lines l cross join documents d on d.id = l.document_id
        where (+l.document_id, coalesce(l.table_kind, '')) in (select document_id, table_kind from current_tables)
    """,
}

SUBJECT_YEARS_INDEX = ("budget_lines", ["subject_code", "year"])
# Indexes of budget_lines that prepare drops where an older database has them: every line loaded
# pays for each index of budget_lines (some 2.5 µs of CPU per index per line into a published
# copy, and the pages it dirties are written at COMMIT), so only those a canned query or a
# filter of the table pages is planned with are kept.
REPLACED_INDEXES = [
    # the covering index subject_over_years read before it read SUMMARY_TABLE: thirteen columns
    # of every line
    ("budget_lines", ["subject_code", "year", "table_kind", "measure", "stage", "basis", "district",
                      "department", "fiscal_year", "amount_fen", "subject_name", "item", "document_id"]),
    # single low-cardinality columns, for facet counts over the whole unfiltered table (no facet
    # of budget_lines is configured; the published views' facets never read them)
    ("budget_lines", ["stage"]),
    ("budget_lines", ["measure"]),
    ("budget_lines", ["year"]),
    # a year's lines: (department, fiscal_year) answers ?fiscal_year= by a skip-scan
    ("budget_lines", ["fiscal_year"]),
    # what budgets.db.ensure_schema's (district, fiscal_year, table_kind) answers, by a skip-scan
    # where no district is named; with it, SQLite's planner chose it over (subject_code, year) for
    # subject_across_departments and read ten times the lines at 10M
    ("budget_lines", ["table_kind", "measure", "fiscal_year"]),
    # (subject_code, year) answers what it answered
    ("budget_lines", ["subject_code", "fiscal_year"]),
]

INDEXES = [
    # one subject across departments and year by year (metadata.yml subject_across_departments;
    # subject_over_years reads SUMMARY_TABLE)
    SUBJECT_YEARS_INDEX,
    # one department year by year (department_year_over_year)
    ("budget_lines", ["district", "department", "year"]),
    ("documents", ["district", "department", "fiscal_year"]),
    ("documents", ["fiscal_year", "stage"]),
    ("findings", ["severity"]),
]


# One subject year by year (metadata.yml subject_over_years) reads only the 合计 column of the
# published 一般公共预算财政拨款支出表, and of each stage only its own basis (预算数 of a budget,
# 决算数 of a final account). Those lines are kept in a small table refreshed by prepare, so that at
# 10M lines the query reads one index range instead of checking every line of the subject against
# the published copies.
SUMMARY_TABLE = "subject_year_totals"
SUMMARY_COLUMNS = {"id": str, "district": str, "department": str, "stage": str, "basis": str, "year": int,
                   "fiscal_year": int, "subject_code": str, "item": str, "amount_fen": int,
                   "subject_name": str, "document_id": str}
SUMMARY_SQL = f"""
    insert into {SUMMARY_TABLE} ({', '.join(SUMMARY_COLUMNS)})
    select {', '.join(SUMMARY_COLUMNS)} from published_lines
    where table_kind = 'general_budget_expenditure' and measure = 'total'
      and basis = case stage when 'budget' then 'budget' else 'actual' end
"""
SUMMARY_INDEXES = [(SUMMARY_TABLE, ["subject_code", "stage", "district", "department", "year", "fiscal_year",
                                    "item", "amount_fen", "subject_name", "id"]),
                   # the department a query names: an exact name is one lookup (the published
                   # departments are those of published_tables, as published_documents lists them)
                   ("published_tables", ["department"])]


# What was loaded when prepare last ran, so that `budgets serve` can tell whether a loader that
# does not call prepare (or reference.refresh) has changed the database since.
STATE_TABLE = "publish_state"


def prepare(db: sqlite_utils.Database) -> None:
    """Foreign keys, full-text search, views and indexes; safe to run again."""
    add_document_foreign_keys(db)
    audit_schema(db)  # the audit's completeness table, which a published query reads
    for table in FTS_COLUMNS:
        fulltext.ensure(db, table)
    refresh_current_tables(db)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)
    published.refresh(db)  # the published views: each figure once, with labels (budgets/views.py)
    refresh_summaries(db)
    ensure_indexes(db)
    db[STATE_TABLE].insert({"id": 1, "loaded": loaded_state(db)}, pk="id", replace=True)
    db.analyze()
    checkpoint(db.conn)


def index_name(table: str, columns: list[str]) -> str:
    """The name sqlite-utils gives the index (create_index)."""
    return f"idx_{table}_{'_'.join(columns)}"


def ensure_indexes(db: sqlite_utils.Database) -> None:
    """The publishing indexes, built where missing (a bulk load drops those of budget_lines,
    budgets/db.py DEFER_INDEXES_SHARE)."""
    for table, columns in INDEXES:
        db[table].create_index(columns, if_not_exists=True)
    for table, columns in REPLACED_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS [{index_name(table, columns)}]")


def refresh_current_tables(db: sqlite_utils.Database) -> None:
    """Which document supplies each table kind of each disclosure (see CURRENT_TABLES_SQL)."""
    db["current_tables"].create(
        {"district": str, "department": str, "fiscal_year": int, "stage": str, "table_kind": str,
         "document_id": str, "lines": int},
        foreign_keys=[("document_id", "documents", "id")], if_not_exists=True)
    db["current_tables"].create_index(["document_id", "table_kind"], if_not_exists=True)
    with transaction(db.conn) as conn:
        conn.execute("DELETE FROM current_tables")
        conn.execute(CURRENT_TABLES_SQL)


def refresh_summaries(db: sqlite_utils.Database) -> None:
    """The summary table of the published lines (SUMMARY_TABLE), rebuilt from published_lines;
    run after budgets.views.refresh, which chooses the published copies."""
    # no foreign key: a document replaced by a later load must not be held back by its old lines
    # here (the next prepare rebuilds the table)
    db[SUMMARY_TABLE].create(SUMMARY_COLUMNS, pk="id", if_not_exists=True)
    with transaction(db.conn) as conn:
        conn.execute(f"DELETE FROM [{SUMMARY_TABLE}]")
        conn.execute(SUMMARY_SQL)
    for table, columns in SUMMARY_INDEXES:
        db[table].create_index(columns, if_not_exists=True)


def is_prepared(db: sqlite_utils.Database) -> bool:
    """True when nothing was loaded or replaced since the last prepare."""
    if not set(VIEWS) <= set(db.view_names()):
        return False
    if not all(db[f"{table}_fts"].exists() for table in FTS_COLUMNS) or not db[STATE_TABLE].exists():
        return False
    row = db.execute(f"select loaded from [{STATE_TABLE}] where id = 1").fetchone()
    return bool(row) and row[0] == loaded_state(db)


def loaded_state(db: sqlite_utils.Database) -> str:
    """Row counts and highest rowids of the loaded tables: a load or a replacement changes them.
    Cheap on a big database (count(*) walks an index; max(rowid) is one lookup)."""
    return ";".join(
        "{}:{}".format(*db.execute(f"select count(*), coalesce(max(rowid), 0) from [{table}]").fetchone())
        for table in ("documents", "budget_lines", "findings", "paragraphs", "subjects", "departments")
    )


def checkpoint(conn) -> None:
    """Move everything from the write-ahead log into the database file: Datasette opens the file
    immutable, and an immutable reader does not look at the -wal file."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def add_document_foreign_keys(db: sqlite_utils.Database) -> None:
    """Databases created before the schema declared them get document_id → documents.id.
    A table holding rows whose document is gone is left as it is (with a note): the site then
    shows its ids without links, and nothing is deleted."""
    missing = []
    for table in DOCUMENT_CHILDREN:
        if not db[table].exists() or any(fk.column == "document_id" for fk in db[table].foreign_keys):
            continue
        orphans = db.execute(
            f"select count(*) from [{table}] where document_id is not null "
            "and document_id not in (select id from documents)").fetchone()[0]
        if orphans:
            print(f"publish: {table} keeps no foreign key to documents: {orphans} rows name a document "
                  "that is not loaded", file=sys.stderr)
            continue
        missing.append((table, "document_id", "documents", "id"))
    if missing:
        db.add_foreign_keys(missing)
        for table, *_ in missing:  # the tables were rebuilt: rowids changed, triggers are gone
            if db[f"{table}_fts"].exists():
                db[f"{table}_fts"].drop()
