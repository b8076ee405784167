"""Benchmark 2: budget lines per second into SQLite through our loader (budgets.db.load_document,
one transaction per document, replacing what the document had) against one raw `executemany`
of the same rows into the same schema (same indexes, same journal mode)."""
from __future__ import annotations

import gc

from benchmarks import synth
from benchmarks.common import Context, Result, Timer, fresh, rate

TARGET_ROWS_PER_S = 200_000
TARGET_WITHIN = 2.0


def run(ctx: Context) -> list[Result]:
    from budgets import db as database

    n = ctx.pick(20_000, 100_000, 500_000)
    seed = synth.seed_lines(ctx.tmp / "cache", fast=ctx.mode == "smoke")
    docs = list(synth.documents(seed, n))
    n_rows = sum(len(lines) for _, lines in docs)
    ctx.note(f"load: {n_rows:,} lines in {len(docs):,} documents of {len(seed)} lines (shaped like the seed)")

    columns = list(database.LINE_COLUMNS)
    raw_rows = [tuple(line.get(c) for c in columns) for _, lines in docs for line in lines]
    raw_docs = [tuple(doc.get(c) for c in database.DOCUMENT_COLUMNS) for doc, _ in docs]

    best_ours = best_raw = float("inf")
    cpu_ours = cpu_raw = 0.0
    for attempt in range(ctx.pick(1, 1, 2)):
        db = database.connect(fresh(ctx.tmp / f"load-ours-{attempt}.db"))
        gc.collect()
        with Timer() as t:
            for doc, lines in docs:
                database.load_document(db, doc, lines)
        if t.wall < best_ours:
            best_ours, cpu_ours = t.wall, t.cpu
        assert db.conn.execute("SELECT count(*) FROM budget_lines").fetchone()[0] == n_rows
        db.conn.close()

        db = database.connect(fresh(ctx.tmp / f"load-raw-{attempt}.db"))
        conn = db.conn
        placeholders = ", ".join("?" for _ in columns)
        gc.collect()
        with Timer() as t:
            conn.execute("BEGIN")
            conn.executemany(f"INSERT INTO documents ({', '.join(f'[{c}]' for c in database.DOCUMENT_COLUMNS)}) "
                             f"VALUES ({', '.join('?' for _ in database.DOCUMENT_COLUMNS)})", raw_docs)
            conn.executemany(f"INSERT INTO budget_lines ({', '.join(f'[{c}]' for c in columns)}) VALUES ({placeholders})",
                             raw_rows)
            conn.execute("COMMIT")
        if t.wall < best_raw:
            best_raw, cpu_raw = t.wall, t.cpu
        conn.close()

    ours, raw = n_rows / best_ours, n_rows / best_raw
    ratio = ours / raw
    met = ours >= TARGET_ROWS_PER_S and ratio >= 1 / TARGET_WITHIN
    return [Result(
        name=f"load ({n_rows:,} lines)",
        ours=f"{rate(ours, 'rows/s')} (load_document, {len(docs):,} transactions)",
        baseline=f"{rate(raw, 'rows/s')} (raw executemany, 1 transaction)", ratio=ratio,
        detail=f"CPU-bound rates (rows per CPU-second of this process): ours {n_rows / cpu_ours:,.0f}, "
               f"raw {n_rows / cpu_raw:,.0f}; the rest of the wall time is waiting for the disk (fsync) "
               "and for the CPU on a shared machine",
        target=f">= {TARGET_ROWS_PER_S:,} rows/s and within {TARGET_WITHIN:g}x of raw", met=met,
    )]
