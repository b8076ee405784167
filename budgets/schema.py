"""The database, defined in one place: every table, view, index and trigger, which copy of a
disclosure counts, and how a database made by an older version becomes this one.

Two layers, both idempotent:

    ensure_schema(db)     what loading needs (budgets.db.connect runs it): the contract's tables,
                          their indexes, the settle queue, current_budget_lines; then MIGRATIONS
    ensure_published(db)  what publishing adds (budgets.publish.prepare runs it): the audit's
                          completeness, the lookup tables, the tables of the copies that count,
                          the summary table, their indexes; `ensure_views` then makes the views

A new table, column, index or view needs no migration: it is declared here and `ensure_*` adds
it to an older database (a column goes at the end of its table). A change that is more than
adding something (filling a new table from old rows, rebuilding a table, renaming a code) is a
named step appended to MIGRATIONS, in the manner of sqlite-utils' migrations: steps run in order,
once each, and `schema_migrations` records which ran. A new database records every step as run.
The full-text search tables and their triggers are budgets/fulltext.py's.
"""
from __future__ import annotations

import fcntl
import sqlite3
import sys
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from typing import Callable, NamedTuple

import sqlite_utils

from budgets.transaction import transaction
from extractors.constants import Stage, TableKind, own_basis_sql
from extractors.units import fen_to_wan_sql

# ---- which revision of a URL is current (budgets/revisions.py marks them) ---------------------
# A revision is a document with bytes fetched from a URL. Of the revisions at one URL, the
# current one is never one marked superseded (budgets.revisions.observe marks them), and among
# the rest it is the one seen there last, then the one fetched last: a URL that went back to bytes
# it served before has those current again, and a run killed between loading new bytes and marking
# the old ones leaves the new ones current. A document that is no revision (a failed fetch, which has no
# bytes; a local file, which has no URL) stands alone: current unless marked superseded.
REVISION = "bytes IS NOT NULL AND coalesce(url, '') != ''"
NOT_SUPERSEDED = "superseded_by IS NULL"
NEWEST_FIRST = "coalesce(last_seen_at, fetched_at) DESC, fetched_at DESC, id"

# the ids of the current documents, as a subquery any view or query can use
CURRENT_IDS = f"""SELECT id FROM (
    SELECT id, row_number() OVER (PARTITION BY url ORDER BY {NEWEST_FIRST}) AS newest
    FROM documents WHERE {NOT_SUPERSEDED} AND {REVISION})
  WHERE newest = 1
  UNION ALL
  SELECT id FROM documents WHERE {NOT_SUPERSEDED} AND NOT ({REVISION})"""

OLDER_REVISIONS_SQL = f"SELECT * FROM documents WHERE id NOT IN ({CURRENT_IDS})"


# ---- the contract's tables (docs/CONTRACT.md) --------------------------------------------------

DOCUMENT_COLUMNS = {
    "id": str, "url": str, "site": str, "district": str, "department": str, "title": str,
    "fiscal_year": int, "stage": str, "format": str, "bytes": int, "fetched_at": str,
    "parent_id": str, "status": str, "error": str, "raw_path": str,
    "pages": int, "tables": int, "lines": int, "content_type": str, "http_headers": str,
    # revisions (budgets/revisions.py): the newer document at the same URL, when this one was
    # replaced, when a crawl last found these bytes at `url`, when the site stopped linking it
    "superseded_by": str, "superseded_at": str, "last_seen_at": str, "withdrawn_at": str,
}
# set by budgets/revisions.py only: reading the same bytes again leaves them as they are
REVISION_COLUMNS = ("superseded_by", "superseded_at", "last_seen_at", "withdrawn_at")
# set by the audit (budgets/audit): added when it first runs, never written by the loader
AUDIT_DOCUMENT_COLUMNS = {"audit_flag": str}

LINE_COLUMNS = {
    "id": str, "document_id": str, "district": str, "department": str, "department_raw": str,
    "fiscal_year": int, "stage": str, "table_kind": str, "table_title": str,
    "classification": str, "subject_code": str, "subject_name": str, "level": int,
    "parent_code": str, "gov_economic_code": str, "code_source": str, "item": str, "measure": str, "year": int, "basis": str,
    "amount_wan": float, "amount_fen": int, "unit_printed": str, "page": int,
    "table_index": int, "row_index": int, "column_index": int, "column_label": str,
    "source_text": str, "url": str,
}

FINDING_COLUMNS = {
    "id": str, "document_id": str, "district": str, "department": str, "fiscal_year": int,
    "check": str, "severity": str, "table_kind": str, "subject_code": str, "measure": str,
    "year": int, "expected_wan": float, "actual_wan": float, "difference_wan": float,
    "message": str, "evidence": str,
}

# the narrative, and the prose cells of tables (a project's 项目概况) with the table and row they stand in
PARAGRAPH_COLUMNS = {"id": str, "document_id": str, "page": int, "position": int, "text": str,
                     "table_index": int, "row_index": int}

UNPLACED_COLUMNS = {
    "id": str, "document_id": str, "table_index": int, "table_title": str, "row_index": int,
    "text": str, "candidates": str, "reason": str,
}

TABLE_COLUMNS = {
    "id": str, "document_id": str, "table_index": int, "label": str, "title": str,
    "table_kind": str, "unit": str, "page": int, "rows": int, "lines": int, "notes": str,
    # how sure the reading is (extractors/reading.py): its identities, where its columns' meanings
    # came from, its unplaced cells, and confident | doubtful | unchecked with the reason
    "identities_checked": int, "identities_held": int, "columns_vocabulary": int, "columns_arithmetic": int,
    "columns_content": int, "columns_unknown": int, "unplaced": int, "confidence": str, "confidence_reason": str,
}

CRAWL_RUN_COLUMNS = {
    "id": int, "site": str, "started_at": str, "finished_at": str, "pages": int,
    "documents_new": int, "documents_changed": int, "documents_unchanged": int,
    "documents_same_bytes": int,  # URLs first seen, serving bytes read at another URL
    "documents_withdrawn": int, "documents_failed": int, "bytes": int, "status": str,
    "message": str,
    # what a run cost and what needs a person (budgets nightly)
    "requests": int, "responses_not_modified": int, "bytes_downloaded": int, "errors": int,
    "documents_extracted": int, "duration_s": float, "resumed": int, "alerts": str,
}

SUBJECT_COLUMNS = {
    "code": str, "name": str, "level": int, "parent": str, "classification": str,
    "valid_from": int, "valid_to": int, "source": str,
}

# the crosswalk of subjects across editions (extractors/data/subject_changes.csv and the class
# renamings of the reference list): extractors.subject_changes
SUBJECT_CHANGE_COLUMNS = {
    "classification": str, "old_code": str, "new_code": str, "old_name": str, "new_name": str,
    "old_until": int, "from_year": int, "kind": str, "source": str, "evidence": str,
}

DEPARTMENT_COLUMNS = {
    "id": str, "district": str, "department": str, "variants": str, "codes": str,
    "documents": int, "lines": int,
}

# 预算/决算 columns a crawl found on a site (crawler/columns.py): nightly runs start from them and
# notice new and vanished ones
COLUMN_COLUMNS = {
    "site": str, "url": str, "unit": str, "stage": str, "found_from": str,
    "first_seen_at": str, "last_seen_at": str, "vanished_at": str,
}

# Where every document was seen: the same bytes at two URLs are one document (its id is the hash
# of its bytes) whose row keeps the URL and parent it was first seen at; every URL it was seen at
# is a row here, with when it was first and last seen there (docs/CONTRACT-EXTENSIONS.md).
DOCUMENT_URL_COLUMNS = {
    "url": str, "document_id": str, "parent_id": str, "site": str,
    "first_seen_at": str, "last_seen_at": str,
}


class Table(NamedTuple):
    columns: dict
    pk: str | tuple
    foreign_keys: list | None = None


# Foreign keys to documents let Datasette link every line to its document and list a document's
# lines and findings; load_document inserts the document row first.
TO_DOCUMENT = [("document_id", "documents", "id")]

TABLES = {
    "documents": Table(DOCUMENT_COLUMNS, "id"),
    "budget_lines": Table(LINE_COLUMNS, "id", TO_DOCUMENT),
    "findings": Table(FINDING_COLUMNS, "id", TO_DOCUMENT),
    "departments": Table(DEPARTMENT_COLUMNS, "id"),
    "subjects": Table(SUBJECT_COLUMNS, ("code", "classification", "valid_from")),
    "subject_changes": Table(SUBJECT_CHANGE_COLUMNS, ("classification", "old_code", "new_code", "from_year")),
    "crawl_runs": Table(CRAWL_RUN_COLUMNS, "id"),
    "paragraphs": Table(PARAGRAPH_COLUMNS, "id", TO_DOCUMENT),
    "tables": Table(TABLE_COLUMNS, "id", TO_DOCUMENT),
    "unplaced_cells": Table(UNPLACED_COLUMNS, "id", TO_DOCUMENT),
    "columns": Table(COLUMN_COLUMNS, ("site", "url")),
    "document_urls": Table(DOCUMENT_URL_COLUMNS, ("url", "document_id"), TO_DOCUMENT),
}
# the tables whose rows belong to one document (and go with it)
DOCUMENT_CHILDREN = ["budget_lines", "findings", "paragraphs", "tables", "unplaced_cells"]

LOADING_INDEXES = [
    ("budget_lines", ["document_id"]),
    ("budget_lines", ["department", "fiscal_year"]),
    ("budget_lines", ["district", "fiscal_year", "table_kind"]),
    ("findings", ["document_id"]),
    ("paragraphs", ["document_id"]),
    ("tables", ["document_id"]),
    ("unplaced_cells", ["document_id"]),
    ("documents", ["url"]),
    ("documents", ["superseded_by"]),
    ("document_urls", ["document_id"]),
]

# Every document row inserted (loaded, loaded again, merged) waits here until
# budgets.afterload.settle has audited it; a new token each time, so a document loaded again
# while it was being audited stays queued.
SETTLE_QUEUE = [
    "CREATE TABLE IF NOT EXISTS settle_queue (document_id TEXT PRIMARY KEY, token BLOB)",
    "CREATE TRIGGER IF NOT EXISTS settle_queue_on_load AFTER INSERT ON documents BEGIN "
    "INSERT OR REPLACE INTO settle_queue (document_id, token) VALUES (new.id, randomblob(8)); END",
    # a URL gone back to bytes it served before loads nothing, but both revisions change their
    # standing (budgets/revisions.py): the audit's completeness must follow
    "CREATE TRIGGER IF NOT EXISTS settle_queue_on_revision AFTER UPDATE OF superseded_by, withdrawn_at "
    "ON documents WHEN old.superseded_by IS NOT new.superseded_by OR old.withdrawn_at IS NOT new.withdrawn_at "
    "BEGIN INSERT OR REPLACE INTO settle_queue (document_id, token) VALUES (new.id, randomblob(8)); END",
]

# Views over the revision history. A document whose URL later served other bytes keeps its
# row and its lines; this view shows only what is current (budgets/revisions.py decides).
# A withdrawn document (no longer linked by its site) stays current: it is the last version the
# government published, and documents.withdrawn_at says it was taken down.
LOADING_VIEWS = {
    "current_budget_lines": f"SELECT l.* FROM budget_lines l WHERE l.document_id IN ({CURRENT_IDS})",
    # the economic classifications by code, beside the functional one: 部门预算支出经济分类 (3…) and
    # 政府预算支出经济分类 (5…, a row's gov_economic_code)
    "economic_subjects": "SELECT code, name, CASE substr(code, 1, 1) WHEN '5' THEN 'government' ELSE 'department' END "
                         "AS scheme, level, parent, valid_from, valid_to, source FROM subjects "
                         "WHERE classification = 'economic' ORDER BY code, valid_from",
}

# ---- which copy of a disclosure counts ---------------------------------------------------------
# One disclosure often arrives several times: the page and its attachments as XLSX, XLS, DOCX, DOC,
# PDF, a text dump, a download-servlet copy of one of them, an older revision at the same URL.
# Comparisons count each figure once, so for every district, department, fiscal year, stage and
# table kind one copy supplies the lines, chosen among the current revisions (budgets/revisions.py)
# whose reading is ok or partial:
#   1. status `ok` before `partial` (a partial reading left cells unplaced);
#   2. the most structured format (FORMAT_PREFERENCE): a spreadsheet holds each amount in its own
#      cell as typed, so nothing is guessed; an HTML table and a DOCX table have explicit cells but
#      their numbers are text; a DOC is read through a converter; a PDF's columns are rebuilt from
#      the positions of characters, and a text dump's from spacing;
#   3. the most lines of that kind (a reading that found more of the table), the page before its
#      attachments, the newest fetch, and the id, so the choice is total and stable.
# A disclosure split over several attachments keeps every table kind. `published_tables` holds the
# choice, `current_tables` the same choice without format and copies; every view that counts
# figures (current_*, published_*, superseded_documents, search, charts, exports) reads them.
FORMAT_PREFERENCE = ["xlsx", "xls", "html", "docx", "doc", "pdf", "textdump"]  # anything else after
COUNTED_STATUSES = ("ok", "partial")


def format_rank_sql(column: str = "d.format") -> str:
    """SQL: the rank of a document's format in FORMAT_PREFERENCE (1 is preferred)."""
    return (f"case {column} " + " ".join(f"when '{f}' then {i + 1}" for i, f in enumerate(FORMAT_PREFERENCE))
            + f" else {len(FORMAT_PREFERENCE) + 1} end")


def counted_copies_sql() -> str:
    """SELECT of the copy that counts for each table of each disclosure (the rule above): district,
    department, fiscal_year, stage, table_kind, document_id, format, lines (of that kind in that
    copy) and copies (how many current copies print that table)."""
    statuses = ", ".join(f"'{s}'" for s in COUNTED_STATUSES)
    return f"""
    select district, department, fiscal_year, stage, table_kind, document_id, format, lines, copies from (
      select d.district, d.department, d.fiscal_year, d.stage, k.table_kind, k.document_id, d.format, k.lines,
             count(*) over w as copies,
             row_number() over (w order by d.status = 'ok' desc, d.status = 'partial' desc,
                                {format_rank_sql()}, k.lines desc, d.parent_id is null desc,
                                d.fetched_at desc, d.id) as pick
      from (select document_id, coalesce(table_kind, '') as table_kind, count(*) as lines
            from budget_lines group by document_id, coalesce(table_kind, '')) k
      join documents d on d.id = k.document_id
      where d.id in ({CURRENT_IDS}) and d.status in ({statuses})
      window w as (partition by coalesce(nullif(d.department, ''), d.id), d.district,
                                coalesce(cast(d.fiscal_year as text), d.id), d.stage, k.table_kind))
    where pick = 1
"""


# ---- what publishing adds ------------------------------------------------------------------------

COMPLETENESS_COLUMNS = {
    "id": str, "district": str, "department": str, "fiscal_year": int, "stage": str, "family": str,
    "mandated": int, "present": int, "missing": str, "score": float, "documents": str,
}
LOOKUP_COLUMNS = {"code": str, "zh": str, "en": str, "label": str}
LOOKUP_TABLES = ("table_kinds", "measures", "stages", "bases")
FORMAT_COLUMNS = {"code": str, "rank": int, "label": str}
CURRENT_TABLE_COLUMNS = {"district": str, "department": str, "fiscal_year": int, "stage": str, "table_kind": str,
                         "document_id": str, "lines": int}
PUBLISHED_TABLE_COLUMNS = {"district": str, "department": str, "fiscal_year": int, "stage": str, "table_kind": str,
                           "document_id": str, "format": str, "lines": int, "copies": int}

# One subject year by year (metadata.yml subject_over_years) reads only the 合计 column of the
# published 一般公共预算财政拨款支出表, and of each stage only its own basis (预算数 of a budget,
# 决算数 of a final account). Those lines are kept in a small table refreshed by prepare, so that at
# 10M lines the query reads one index range instead of checking every line of the subject against
# the published copies. No foreign key: a document replaced by a later load must not be held back
# by its old lines here (the next prepare rebuilds the table).
SUMMARY_TABLE = "subject_year_totals"
SUMMARY_COLUMNS = {"id": str, "district": str, "department": str, "stage": str, "basis": str, "year": int,
                   "fiscal_year": int, "subject_code": str, "item": str, "amount_fen": int,
                   "subject_name": str, "document_id": str}

# What was loaded when prepare last ran, so that `budgets serve` can tell whether a loader that
# does not call prepare (or reference.refresh) has changed the database since.
STATE_TABLE = "publish_state"
STATE_COLUMNS = {"id": int, "loaded": str}

SUBJECT_YEARS_INDEX = ("budget_lines", ["subject_code", "year"])
# The publishing indexes, built where missing (a bulk load drops those of budget_lines,
# budgets/db.py DEFER_INDEXES_SHARE).
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
# Indexes of budget_lines dropped where an older database has them: every line loaded pays for
# each index of budget_lines (some 2.5 µs of CPU per index per line into a published copy, and the
# pages it dirties are written at COMMIT), so only those a canned query or a filter of the table
# pages is planned with are kept.
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
    # what LOADING_INDEXES' (district, fiscal_year, table_kind) answers, by a skip-scan where no
    # district is named; with it, SQLite's planner chose it over (subject_code, year) for
    # subject_across_departments and read ten times the lines at 10M
    ("budget_lines", ["table_kind", "measure", "fiscal_year"]),
    # (subject_code, year) answers what it answered
    ("budget_lines", ["subject_code", "fiscal_year"]),
]
# the indexes of the tables prepare fills
DERIVED_INDEXES = [
    ("current_tables", ["document_id", "table_kind"]),
    ("published_tables", ["document_id", "table_kind"]),
]
SUMMARY_INDEXES = [(SUMMARY_TABLE, ["subject_code", "stage", "district", "department", "year", "fiscal_year",
                                    "item", "amount_fen", "subject_name", "id"]),
                   # the department a query names: an exact name is one lookup (the published
                   # departments are those of published_tables, as published_documents lists them)
                   ("published_tables", ["department"])]


def index_name(table: str, columns: list[str]) -> str:
    """The name sqlite-utils gives the index (create_index)."""
    return f"idx_{table}_{'_'.join(columns)}"


# ---- the views ---------------------------------------------------------------------------------
# current_lines and published_lines read budget_lines first (CROSS JOIN fixes the order) so that a
# query's filters use the indexes of budget_lines; the tables of counted copies are small lists
# checked per line (the unary + keeps the planner from walking every counted document's lines
# through that list instead).
CURRENT_VIEWS = {
    "older_revisions": OLDER_REVISIONS_SQL,
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

_FINDING_NAMES = ", ".join(f'"{c}"' for c in FINDING_COLUMNS)

_LABELS = """
    left join table_kinds tk on tk.code = l.table_kind
    left join measures m on m.code = l.measure
    left join stages s on s.code = l.stage
    left join bases b on b.code = l.basis
"""

PUBLISHED_VIEWS = {
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
        from documents d where d.id in ({CURRENT_IDS})
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
        select {_FINDING_NAMES}, stage from (
          select f.*, d.stage, row_number() over (
                   partition by coalesce(d.district, ''), coalesce(nullif(d.department, ''), d.id),
                                coalesce(d.fiscal_year, ''), coalesce(d.stage, ''), f."check",
                                coalesce(f.table_kind, ''), coalesce(f.subject_code, ''), coalesce(f.measure, ''),
                                coalesce(f.year, ''), f.message
                   order by exists (select 1 from published_tables p where p.document_id = f.document_id) desc,
                            d.parent_id is null desc, f.id) as pick
          from findings f join documents d on d.id = f.document_id
          where f.document_id in ({CURRENT_IDS}))
        where pick = 1
        union all
        select {_FINDING_NAMES}, null as stage from findings where document_id is null
    """,
}

# The subject × department × year view is generated from the years loaded (one budget column and
# one final-account column per year), so it is made again by every prepare.
WIDE_VIEW = "subject_department_year"


def wide_view_sql(years: list[int]) -> str:
    """One row per district, department and subject of the 一般公共预算财政拨款支出表 (合计 column);
    `budget_<year>` and `final_<year>` in 万元. Each year's figure comes from the newest
    disclosure of that stage that prints it (a 2026 budget also prints its 2025 column)."""
    columns = []
    for year in years:
        for stage, prefix in ((Stage.BUDGET, "budget"), (Stage.FINAL_ACCOUNT, "final")):
            columns.append(fen_to_wan_sql(f"max(case when year = {int(year)} and stage = '{stage}' then amount_fen end)")
                           + f" as {prefix}_{int(year)}")
    columns_sql = ",\n               ".join(columns) or "null as no_years"
    return f"""
        with lines as (
          select district, department, subject_code, subject_name, level, year, stage, amount_fen,
                 row_number() over (partition by district, department, subject_code, year, stage
                                    order by fiscal_year desc, id) as pick
          from published_lines
          where table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' and measure = 'total' and subject_code != ''
            and basis = {own_basis_sql()}
        )
        select district || '|' || department || '|' || subject_code as id, district, department,
               subject_code, max(subject_name) as subject_name, max(level) as level,
               {columns_sql}
        from lines where pick = 1
        group by district, department, subject_code
        order by subject_code, district, department
    """


def wide_view_years(db: sqlite_utils.Database) -> list[int]:
    """The years the loaded 一般公共预算财政拨款支出表 lines print (the wide view's columns)."""
    return [row[0] for row in db.execute(
        "select distinct year from budget_lines where year is not null "
        f"and table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' "
        "order by year")]


# ---- migrations --------------------------------------------------------------------------------
MIGRATIONS_TABLE = "schema_migrations"


class Migration(NamedTuple):
    """A named step from an older database to this one. `apply(db)` is idempotent and returns
    False when it could not finish (it runs again the next time the database is opened)."""
    name: str
    apply: Callable[[sqlite_utils.Database], bool | None]


def _fill_document_urls(db: sqlite_utils.Database) -> None:
    """A database made before document_urls existed: each document's own URL is where it was
    first seen."""
    if db.execute("SELECT 1 FROM document_urls LIMIT 1").fetchone():
        return
    with transaction(db.conn) as conn:
        conn.execute(
            "INSERT OR IGNORE INTO document_urls (url, document_id, parent_id, site, first_seen_at, last_seen_at) "
            "SELECT url, id, parent_id, site, fetched_at, coalesce(last_seen_at, fetched_at) FROM documents "
            "WHERE coalesce(url, '') != '' AND bytes IS NOT NULL")


def _add_document_foreign_keys(db: sqlite_utils.Database) -> bool:
    """Tables made before the schema declared them get document_id → documents.id. A table holding
    rows whose document is gone is left as it is (with a note, and the step runs again next time):
    the site then shows its ids without links, and nothing is deleted."""
    missing, finished = [], True
    for table in DOCUMENT_CHILDREN:
        if not db[table].exists() or any(fk.column == "document_id" for fk in db[table].foreign_keys):
            continue
        orphans = db.execute(
            f"select count(*) from [{table}] where document_id is not null "
            "and document_id not in (select id from documents)").fetchone()[0]
        if orphans:
            print(f"schema: {table} keeps no foreign key to documents: {orphans} rows name a document "
                  "that is not loaded", file=sys.stderr)
            finished = False
            continue
        missing.append((table, "document_id", "documents", "id"))
    if missing:
        db.add_foreign_keys(missing)
        for table, *_ in missing:  # the tables were rebuilt: rowids changed, triggers are gone
            if db[f"{table}_fts"].exists():  # prepare builds the index again (budgets/fulltext.py)
                db[f"{table}_fts"].drop()
    return finished


def _rename_text_format(db: sqlite_utils.Database) -> None:
    """The formats lookup of an older version ranked `text`, a format no document has (text dumps
    are `textdump`); its row goes where nothing refers to it."""
    if db["formats"].exists():
        db.execute("DELETE FROM formats WHERE code = 'text' AND NOT EXISTS "
                   "(SELECT 1 FROM documents WHERE format = 'text')"
                   + (" AND NOT EXISTS (SELECT 1 FROM published_tables WHERE format = 'text')"
                      if db["published_tables"].exists() else ""))


MIGRATIONS = [
    Migration("document_urls_from_documents", _fill_document_urls),
    Migration("document_foreign_keys", _add_document_foreign_keys),
    Migration("format_text_is_textdump", _rename_text_format),
]


def applied_migrations(db: sqlite_utils.Database) -> set[str]:
    if not db[MIGRATIONS_TABLE].exists():
        return set()
    return {row[0] for row in db.execute(f"SELECT name FROM [{MIGRATIONS_TABLE}]")}


def migrate(db: sqlite_utils.Database, new: bool = False) -> list[str]:
    """Run the migrations this database has not run, in order (a new database only records
    them); returns the names of those that ran. Processes opening an older database together
    (the workers of one crawl) take turns, and each runs only what the others have not."""
    if {m.name for m in MIGRATIONS} <= applied_migrations(db):
        return []
    with one_migrator(db) if not new else nullcontext():
        done = applied_migrations(db)
        ran = []
        for step in MIGRATIONS:
            if step.name in done:
                continue
            if not new:
                if step.apply(db) is False:
                    continue
                ran.append(step.name)
            db.execute(f"INSERT OR REPLACE INTO [{MIGRATIONS_TABLE}] (name, applied_at) VALUES (?, ?)",
                       [step.name, datetime.now(timezone.utc).isoformat(timespec="seconds")])
    return ran


@contextmanager
def one_migrator(db: sqlite_utils.Database):
    """A lock beside the database file while migrations run (none for an in-memory database)."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    if not path:
        yield
        return
    with open(f"{path}.migrate.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


# ---- making it so ------------------------------------------------------------------------------

def ensure_table(db: sqlite_utils.Database, name: str, table: Table) -> None:
    """The table, or the columns an older one lacks (added at its end)."""
    if not db[name].exists():
        db[name].create(table.columns, pk=table.pk, not_null=None, foreign_keys=table.foreign_keys)
        return
    present = db[name].columns_dict
    for column, kind in table.columns.items():
        if column not in present:
            db[name].add_column(column, kind)


def ensure_indexes(db: sqlite_utils.Database, indexes) -> None:
    for table, columns in indexes:
        db[table].create_index(columns, if_not_exists=True)


def drop_indexes(conn: sqlite3.Connection, indexes) -> None:
    for table, columns in indexes:
        conn.execute(f"DROP INDEX IF EXISTS [{index_name(table, columns)}]")


def ensure_views(conn: sqlite3.Connection, views: dict[str, str]) -> None:
    """Create the views, and replace one a database made by an older version defines otherwise."""
    for name, sql in views.items():
        wanted = f"CREATE VIEW [{name}] AS {sql.strip()}"
        found = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?", [name]).fetchone()
        if found and found[0] == wanted:
            continue
        with transaction(conn):
            conn.execute(f"DROP VIEW IF EXISTS [{name}]")
            conn.execute(wanted)


def ensure_schema(db: sqlite_utils.Database) -> None:
    """What loading needs, and the migrations of an older database (budgets.db.connect)."""
    new = not db["documents"].exists()
    for name, table in TABLES.items():
        ensure_table(db, name, table)
    db.execute(f"CREATE TABLE IF NOT EXISTS [{MIGRATIONS_TABLE}] (name TEXT PRIMARY KEY, applied_at TEXT)")
    migrate(db, new=new)
    ensure_indexes(db, LOADING_INDEXES)
    ensure_views(db.conn, LOADING_VIEWS)
    for sql in SETTLE_QUEUE:
        db.execute(sql)


def ensure_audit(db: sqlite_utils.Database) -> None:
    """The audit's `completeness` table beside `findings` (disclosures ranked by errors are the
    published query disclosures_by_audit_errors), and documents.audit_flag."""
    ensure_table(db, "completeness", Table(COMPLETENESS_COLUMNS, "id"))
    ensure_table(db, "documents", Table(AUDIT_DOCUMENT_COLUMNS, "id"))


def ensure_published(db: sqlite_utils.Database) -> None:
    """The tables publishing fills (budgets.publish.prepare, budgets.views.refresh) and their
    indexes; the lookup tables before published_tables, which refers to them."""
    ensure_audit(db)
    for name in LOOKUP_TABLES:
        ensure_table(db, name, Table(LOOKUP_COLUMNS, "code"))
    ensure_table(db, "formats", Table(FORMAT_COLUMNS, "code"))
    ensure_table(db, "current_tables", Table(CURRENT_TABLE_COLUMNS, None, TO_DOCUMENT))
    ensure_table(db, "published_tables", Table(PUBLISHED_TABLE_COLUMNS, None, TO_DOCUMENT + [
        ("stage", "stages", "code"), ("table_kind", "table_kinds", "code"), ("format", "formats", "code")]))
    ensure_table(db, SUMMARY_TABLE, Table(SUMMARY_COLUMNS, "id"))
    ensure_table(db, STATE_TABLE, Table(STATE_COLUMNS, "id"))
    ensure_indexes(db, DERIVED_INDEXES)


def ensure_published_views(db: sqlite_utils.Database) -> None:
    """The views over the counted copies, the wide view for the years loaded last."""
    ensure_views(db.conn, {**CURRENT_VIEWS, **PUBLISHED_VIEWS, WIDE_VIEW: wide_view_sql(wide_view_years(db))})


def ensure_publishing_indexes(db: sqlite_utils.Database) -> None:
    """The publishing indexes where missing, without those an older database kept for nothing."""
    ensure_indexes(db, INDEXES + SUMMARY_INDEXES)
    drop_indexes(db.conn, REPLACED_INDEXES)
