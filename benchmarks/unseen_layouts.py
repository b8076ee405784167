"""Benchmark: the whole `budgets ingest` (every PDF page read, normalised, loaded and audited) on
the many-province corpus `cities-2026` (layouts the readers were not written from) beside the same
on the known corpus, in PDF pages per CPU-second of the command and its workers.

The known corpus is the baseline: the ratio is the unseen layouts' rate over the known one's, so
it shows what unknown layouts cost (slow paths, second opinions) whatever the machine; the target
is an absolute rate of 40 pages per CPU-second on cities-2026 (issue "every province").
"""
from __future__ import annotations

import resource
import sqlite3
import subprocess
import sys

from benchmarks.common import CORPUS, ROOT, SHARED, Context, Result

CITIES = SHARED / "cities-2026"
TARGET_PAGES_PER_CPU_S = 40.0


def run(ctx: Context) -> list[Result]:
    if not CITIES.is_dir() or not CORPUS.is_dir():
        return [Result(name="ingest of unseen layouts", skipped=f"{CITIES} or {CORPUS} is not beside the checkout")]
    if ctx.mode == "smoke":
        cities = sorted(CITIES.glob("上海__*.pdf"))[:2]
        known = sorted(CORPUS.rglob("*.pdf"))[:2]
    else:
        cities, known = [CITIES], [CORPUS]
    ours = ingest_rate(ctx, "cities", cities)
    base = ingest_rate(ctx, "corpus", known)
    ratio = ours[0] / base[0] if base[0] else None
    return [Result(
        name="ingest of unseen layouts (cities-2026) vs the known corpus, PDF pages per CPU-second",
        ours=f"{ours[0]:.1f} pages/CPU-s ({ours[1]} pages, {ours[2]:.1f} CPU-s)",
        baseline=f"{base[0]:.1f} pages/CPU-s ({base[1]} pages, {base[2]:.1f} CPU-s)",
        ratio=ratio, target=f"≥ {TARGET_PAGES_PER_CPU_S:g} pages/CPU-s on cities-2026",
        met=ours[0] >= TARGET_PAGES_PER_CPU_S if ctx.mode == "full" else None,
        detail="CPU of `budgets ingest` and its extraction workers (user + system), the audit included")]


def ingest_rate(ctx: Context, name: str, paths) -> tuple[float, int, float]:
    """(PDF pages per CPU-second, pages, CPU-seconds) of one `budgets ingest` into a new database."""
    db = ctx.tmp / f"unseen-{name}.db"
    db.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "budgets", "ingest", "--db", str(db), *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: some documents failed, which the corpus has on purpose
        raise RuntimeError(f"budgets ingest of {name} exited {done.returncode}: {done.stderr[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with sqlite3.connect(db) as conn:
        pages = conn.execute("SELECT coalesce(sum(pages), 0) FROM documents WHERE format = 'pdf'").fetchone()[0]
    ctx.note(f"{name}: {pages} PDF pages in {cpu:.1f} CPU-s")
    return (pages / cpu if cpu else 0.0), pages, cpu
