"""Benchmark 3: the questions researchers ask most — one subject across departments, and a
department's figures year over year — on databases of generated budget lines shaped like the seed
(benchmarks/synth.py), timed with our indexes (budgets.db.ensure_schema, plus the publishing
indexes when budgets/publish.py is present) against the same database without them.

The canned queries of metadata.yml (Datasette) are timed too when they are there."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from benchmarks import synth
from benchmarks.common import ROOT, Context, Result, Timer, best_of, fresh, ms
from extractors.constants import Stage, TableKind
from extractors.units import fen_to_wan_sql

TARGET_SECONDS = 0.100

# The canned questions, as a researcher writes them against the contract's columns.
QUERIES = {
    # One subject in every department of every district, for one year (cross-department comparison).
    "subject_across_departments": f"""
        SELECT district, department, subject_name, {fen_to_wan_sql("amount_fen")} AS amount_wan
        FROM budget_lines
        WHERE subject_code = :code AND fiscal_year = :year AND year = :year
          AND table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' AND measure = 'total'
        ORDER BY amount_fen DESC""",
    # Each department of one district for one year: total, basic and project spending side by side.
    "departments_of_a_district": f"""
        SELECT department,
               {fen_to_wan_sql("SUM(CASE WHEN measure = 'total' THEN amount_fen END)")} AS total_wan,
               {fen_to_wan_sql("SUM(CASE WHEN measure = 'basic' THEN amount_fen END)")} AS basic_wan,
               {fen_to_wan_sql("SUM(CASE WHEN measure = 'project' THEN amount_fen END)")} AS project_wan
        FROM budget_lines
        WHERE district = :district AND fiscal_year = :year AND year = :year
          AND table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' AND subject_code = ''
        GROUP BY department ORDER BY total_wan DESC""",
    # Every subject of one department year by year, with the change from the year before.
    "department_year_over_year": f"""
        WITH picked AS (
          SELECT subject_code, subject_name, year, amount_fen,
                 row_number() OVER (PARTITION BY subject_code, year ORDER BY fiscal_year DESC) AS pick
          FROM budget_lines
          WHERE district = :district AND department = :department
            AND table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' AND measure = 'total' AND stage = '{Stage.BUDGET}'
        )
        SELECT subject_code, subject_name, year, {fen_to_wan_sql("amount_fen")} AS amount_wan,
               {fen_to_wan_sql("(amount_fen - lag(amount_fen) OVER w)")} AS change_wan
        FROM picked WHERE pick = 1
        WINDOW w AS (PARTITION BY subject_code ORDER BY year)
        ORDER BY subject_code, year""",
    # One district's departments, this year's total against last year's.
    "district_year_over_year": f"""
        WITH totals AS (
          SELECT department, fiscal_year, amount_fen FROM budget_lines
          WHERE district = :district AND fiscal_year IN (:year, :year - 1) AND year = fiscal_year
            AND table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' AND measure = 'total'
            AND subject_code = '' AND item IN ('合计', '总计')
        )
        SELECT cur.department, {fen_to_wan_sql("cur.amount_fen")} AS this_year_wan,
               {fen_to_wan_sql("prev.amount_fen")} AS last_year_wan,
               {fen_to_wan_sql("(cur.amount_fen - prev.amount_fen)")} AS change_wan
        FROM totals cur LEFT JOIN totals prev
          ON prev.department = cur.department AND prev.fiscal_year = cur.fiscal_year - 1
        WHERE cur.fiscal_year = :year
        ORDER BY change_wan DESC""",
}


def run(ctx: Context) -> list[Result]:
    sizes = ctx.pick([30_000], [200_000], [1_000_000, 10_000_000])
    if ctx.mode != "full":
        ctx.note(f"queries: {sizes[0]:,} lines only in a {ctx.mode} run (the full run measures 1M and 10M)")
    seed = synth.seed_lines(ctx.tmp / "cache", fast=ctx.mode == "smoke")
    results = []
    for size in sizes:
        results += measure(ctx, seed, size)
    return results


def measure(ctx: Context, seed: list[dict], size: int) -> list[Result]:
    path = fresh(ctx.tmp / f"queries-{size}.db")
    with Timer() as gen:
        n, params = generate(path, seed, size)
    label = f"{n / 1e6:g}M" if n >= 1_000_000 else f"{n // 1000}k"
    canned = canned_queries()
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA cache_size=-262144")  # 256 MiB, the same with and without indexes
    views_ok = create_views(conn)
    queries = dict(QUERIES)
    if canned and views_ok:
        queries.update({f"metadata.yml:{k}": v for k, v in canned.items()})
    repeat = 5 if n <= 1_000_000 else 3
    scan_repeat = 2 if n <= 1_000_000 else 1

    without = {}
    for name, sql in queries.items():
        without[name] = timed(conn, sql, params, scan_repeat)
    conn.close()

    with Timer() as build:
        add_indexes(path)
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA cache_size=-262144")
    ctx.note(f"queries {label}: generated {n:,} lines in {gen.wall:.1f} s, built indexes in {build.wall:.1f} s; "
             f"parameters {params}")
    results = []
    for name, sql in queries.items():
        ours = timed(conn, sql, params, repeat)
        base = without[name]
        plan = " / ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        results.append(Result(
            name=f"query {name} ({label} lines)", ours=f"{ms(ours[0])} with our indexes ({ours[1]} rows)",
            baseline=f"{ms(base[0])} without indexes", ratio=base[0] / ours[0],
            target="< 100 ms at 10M" if n >= 10_000_000 else "", met=ours[0] < TARGET_SECONDS if n >= 10_000_000 else None,
            detail=f"plan: {plan}",
        ))
    conn.close()
    path.unlink(missing_ok=True)
    return results


def timed(conn, sql, params, repeat) -> tuple[float, int]:
    rows = conn.execute(sql, params).fetchall()  # warm the page cache; both sides get the same
    return best_of(lambda: conn.execute(sql, params).fetchall(), repeat), len(rows)


def generate(path: Path, seed: list[dict], size: int) -> tuple[int, dict]:
    """Our schema without the secondary indexes, filled fast (one connection, no sync, batches)."""
    import sqlite_utils

    from budgets import db as database

    conn = sqlite3.connect(str(path), isolation_level=None)
    database.ensure_schema(sqlite_utils.Database(conn))
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        conn.execute(f"DROP INDEX [{name}]")
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1048576")
    columns = list(database.LINE_COLUMNS)
    doc_columns = list(database.DOCUMENT_COLUMNS)
    line_sql = f"INSERT INTO budget_lines ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' for _ in columns)})"
    doc_sql = f"INSERT INTO documents ({', '.join(f'[{c}]' for c in doc_columns)}) VALUES ({', '.join('?' for _ in doc_columns)})"
    n, batch, docs = 0, [], []
    conn.execute("BEGIN")
    for document, lines in synth.line_tuples(seed, size, columns, doc_columns):
        docs.append(document)
        batch.extend(lines)
        if len(batch) >= 50_000:
            conn.executemany(line_sql, batch)
            conn.executemany(doc_sql, docs)
            n += len(batch)
            batch, docs = [], []
    conn.executemany(line_sql, batch)
    conn.executemany(doc_sql, docs)
    n += len(batch)
    conn.execute("COMMIT")
    conn.close()
    first = synth.plan(seed, size)[0]
    code = next((l["subject_code"] for l in seed if l["table_kind"] == TableKind.GENERAL_BUDGET_EXPENDITURE
                 and len(l["subject_code"] or "") == 7 and l["measure"] == "total"), "")
    params = {"district": first["district"], "department": first["department"], "code": code,
              "year": max(synth.YEARS), "stage": Stage.BUDGET, "table_kind": TableKind.GENERAL_BUDGET_EXPENDITURE}
    return n, params


def add_indexes(path: Path) -> None:
    """What a database built by `budgets ingest` and published has: ensure_schema's indexes and,
    when the publishing module is in this checkout, its indexes and planner statistics (ANALYZE,
    as publish.prepare runs it; without statistics SQLite picks the wrong index for the canned
    year-over-year queries)."""
    import sqlite_utils

    from budgets import db as database

    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA cache_size=-1048576")
    conn.execute("PRAGMA threads=2")  # sorting for CREATE INDEX may use a helper thread
    db = sqlite_utils.Database(conn)
    database.ensure_schema(db)
    publish = _publish()
    if publish is not None:
        for table, columns in getattr(_schema(), "INDEXES", None) or getattr(publish, "INDEXES", []):
            db[table].create_index(columns, if_not_exists=True)
        if db[DROPPED].exists():  # current_tables', published_tables' and the summary tables'
            for (sql,) in conn.execute(f"SELECT sql FROM {DROPPED}").fetchall():
                conn.execute(sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
            db[DROPPED].drop()
        conn.execute("ANALYZE")
    conn.close()


def _publish():
    try:
        from budgets import publish
    except ImportError:
        return None
    return publish


def _schema():
    try:
        from budgets import schema
    except ImportError:
        return None
    return schema


def canned_queries() -> dict[str, str]:
    """Datasette's canned queries we can time with fixed parameters, when metadata.yml has them."""
    path = ROOT / "metadata.yml"
    if not path.exists():
        return {}
    import yaml

    meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = {}
    for database in (meta.get("databases") or {}).values():
        for name, query in (database.get("queries") or {}).items():
            if name in ("subject_across_departments", "department_year_over_year", "subject_over_years"):
                found[name] = query["sql"] if isinstance(query, dict) else query
    return found


DROPPED = "benchmark_dropped_indexes"  # what create_views dropped, for add_indexes to build again


def _drop_indexes_for_later(conn, table: str) -> None:
    """Drop the indexes the publishing code made on `table` (the measurement without indexes),
    keeping their definitions for add_indexes: the same indexes as `budgets serve` reads with."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {DROPPED} (sql TEXT)")
    for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                  "AND tbl_name = ? AND sql IS NOT NULL", [table]).fetchall():
        conn.execute(f"INSERT INTO {DROPPED} VALUES (?)", [sql])
        conn.execute(f"DROP INDEX [{name}]")
    conn.commit()


def create_views(conn) -> bool:
    """The views the canned queries read (current_lines …) and the small table behind them
    (current_tables), from the publishing module, without any index."""
    import sqlite_utils

    publish = _publish()
    schema = _schema()
    if publish is None or not (schema is not None or hasattr(publish, "VIEWS")):
        return False
    db = sqlite_utils.Database(conn)
    if schema is not None:  # the tables and views prepare makes, filled, then without their indexes
        from budgets import views as published

        published.refresh(db)
        publish.refresh_summaries(db)
        schema.ensure_indexes(db, schema.SUMMARY_INDEXES)
        for table in ["current_tables", "published_tables", *sorted({t for t, _ in schema.SUMMARY_INDEXES})]:
            _drop_indexes_for_later(conn, table)
        return True
    if "older_revisions" in publish.VIEWS:
        db.create_view("older_revisions", publish.VIEWS["older_revisions"].strip(), replace=True)
    if hasattr(publish, "refresh_current_tables"):
        publish.refresh_current_tables(db)
        _drop_indexes_for_later(conn, "current_tables")
    for name, sql in publish.VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)
    try:
        from budgets import views as published  # the published views the canned queries read
    except ImportError:
        return True
    published.refresh(db)
    summaries = []
    if hasattr(publish, "refresh_summaries"):  # the summary tables prepare builds after the views
        publish.refresh_summaries(db)
        summaries = sorted({table for table, _ in publish.SUMMARY_INDEXES})
    for table in ["published_tables", *summaries]:
        _drop_indexes_for_later(conn, table)
    return True
