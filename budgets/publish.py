"""Make a loaded database ready to publish with Datasette.

`prepare(db)` runs after every load (ingest, crawl). It is idempotent and only adds derived
things next to the contract's tables: the departments and subjects lists, full-text search
tables kept in sync by triggers, views of the current revision of every document, indexes for
the published queries, and foreign keys to documents on databases created before they existed.
"""
from __future__ import annotations

import json

import sqlite_utils

# Full-text search: table → indexed columns. The trigram tokenizer matches any run of three or
# more characters, which is what Chinese text without spaces needs (the default tokenizer would
# treat a whole sentence as one word). Shorter queries fall back to LIKE in the search query.
FTS_COLUMNS = {
    "departments": ["department", "variants", "district"],
    "subjects": ["name", "code"],
    "budget_lines": ["item", "subject_name"],
    "paragraphs": ["text"],
}

DOCUMENT_CHILDREN = ["budget_lines", "findings", "paragraphs", "tables", "unplaced_cells"]

# A document fetched again with changed bytes is a new row at the same URL; the newest is current.
# current_lines reads budget_lines first (CROSS JOIN fixes the order) so that a query's filters use
# the indexes of budget_lines; the few superseded documents are a small list checked per line.
VIEWS = {
    "superseded_documents": """
        select d.* from documents d
        where coalesce(d.url, '') != ''
          and exists (select 1 from documents n where n.url = d.url and n.fetched_at > d.fetched_at)
    """,
    "current_documents": """
        select * from documents where id not in (select id from superseded_documents)
    """,
    "current_lines": """
        select l.*, d.title as document_title
        from budget_lines l cross join documents d on d.id = l.document_id
        where l.document_id not in (select id from superseded_documents)
    """,
}

INDEXES = [
    # single columns that the table pages facet and sort on
    ("budget_lines", ["fiscal_year"]),
    ("budget_lines", ["stage"]),
    ("budget_lines", ["measure"]),
    ("budget_lines", ["year"]),
    ("budget_lines", ["table_kind", "measure", "fiscal_year"]),
    ("budget_lines", ["subject_code", "year"]),
    ("budget_lines", ["district", "department", "year"]),
    ("documents", ["district", "department", "fiscal_year"]),
    ("documents", ["fiscal_year", "stage"]),
    ("findings", ["severity"]),
]


def prepare(db: sqlite_utils.Database) -> None:
    """Derived lists, foreign keys, full-text search, views and indexes; safe to run again."""
    add_document_foreign_keys(db)
    refresh_departments(db)
    add_printed_subjects(db)
    for table, columns in FTS_COLUMNS.items():
        ensure_fts(db, table, columns)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)
    for table, columns in INDEXES:
        db[table].create_index(columns, if_not_exists=True)
    db.analyze()
    checkpoint(db.conn)


def checkpoint(conn) -> None:
    """Move everything from the write-ahead log into the database file: Datasette opens the file
    immutable, and an immutable reader does not look at the -wal file."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def add_document_foreign_keys(db: sqlite_utils.Database) -> None:
    """Databases created before the schema declared them get document_id → documents.id."""
    missing = [
        (table, "document_id", "documents", "id")
        for table in DOCUMENT_CHILDREN
        if db[table].exists()
        and not any(fk.column == "document_id" for fk in db[table].foreign_keys)
    ]
    if missing:
        db.add_foreign_keys(missing)
        for table, *_ in missing:  # the tables were rebuilt: rowids changed, triggers are gone
            if db[f"{table}_fts"].exists():
                db[f"{table}_fts"].drop()


def refresh_departments(db: sqlite_utils.Database) -> None:
    """One row per canonical department of a district, with the names it was printed under.

    `codes` is left as it is: department codes come from the tables themselves, not from here.
    """
    counts: dict[tuple[str, str], dict] = {}
    for row in db.query(
        "select district, department, count(*) as documents from documents "
        "where coalesce(department, '') != '' and fiscal_year is not null group by district, department"
    ):
        counts[(row["district"] or "", row["department"])] = {"documents": row["documents"], "lines": 0,
                                                            "variants": set()}
    for row in db.query(
        "select district, department, department_raw, count(*) as lines from budget_lines "
        "where coalesce(department, '') != '' group by district, department, department_raw"
    ):
        entry = counts.setdefault((row["district"] or "", row["department"]),
                                  {"documents": 0, "lines": 0, "variants": set()})
        entry["lines"] += row["lines"]
        if row["department_raw"]:
            entry["variants"].add(row["department_raw"])
    rows = [
        {"id": district + department, "district": district, "department": department,
         "variants": json.dumps(sorted(entry["variants"]), ensure_ascii=False),
         "documents": entry["documents"], "lines": entry["lines"]}
        for (district, department), entry in sorted(counts.items())
    ]
    if rows:
        db["departments"].upsert_all(rows, pk="id")


def add_printed_subjects(db: sqlite_utils.Database) -> None:
    """Subject codes printed in disclosures but absent from the reference list, with the name
    they were printed under, so that every code on the site has a name and is searchable."""
    db.execute(
        """
        insert or ignore into subjects (code, name, level, parent, classification, valid_from, source)
        select subject_code, max(subject_name), max(level), max(parent_code), classification,
               min(fiscal_year), 'printed in disclosures'
        from budget_lines l
        where subject_code != '' and classification in ('functional', 'economic')
          and not exists (select 1 from subjects s
                          where s.code = l.subject_code and s.classification = l.classification)
        group by subject_code, classification
        """
    )


def ensure_fts(db: sqlite_utils.Database, table: str, columns: list[str]) -> None:
    """A trigram FTS5 table kept in sync by triggers; rebuilt when it has drifted from its table
    (INSERT OR REPLACE deletes without firing triggers, so a replaced row leaves a stale entry)."""
    fts = f"{table}_fts"
    if not db[fts].exists() or _fts_columns(db, fts) != columns:
        db[table].enable_fts(columns, create_triggers=True, tokenize="trigram", replace=True)
        return
    indexed = db.execute(f"select count(*) from [{fts}_docsize]").fetchone()[0]
    if indexed != db[table].count:
        db[table].rebuild_fts()


def _fts_columns(db, fts: str) -> list[str]:
    return [c.name for c in db[fts].columns]
