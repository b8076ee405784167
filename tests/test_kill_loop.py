"""SIGKILL at many moments of `budgets demo --no-serve` and of `budgets nightly`, and a rerun
after each: the database the rerun leaves equals a clean run's, documents, lines, findings,
completeness and document URLs alike (a rerun audits what the killed run loaded but never
audited, not only what it fetched itself).

Both runs crawl the project's demo site (crawler/demo: the seed disclosure of 重庆市潼南区大数据应用发展管理局
in its HTML, DOC, DOCX, XLS and ZIP renditions, its list and download pages) without the real
corpus PDFs, so that one run takes seconds; the moments are spread over a clean run's duration,
from the first fetches to the audit and the publishing prep."""
from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.demo import site as demo
from crawler.demo.server import SiteServer
from crawling import FAST, ROOT

MOMENTS = (0.15, 0.3, 0.45, 0.6, 0.75)  # of a clean run's duration
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETS_SHARED": "/nonexistent-corpus"}

# what a run leaves, without the times of loading and the local paths
QUERIES = {
    "documents": "SELECT id, url, parent_id, status, error, format, bytes, pages, tables, lines, title, district, "
                 "department, fiscal_year, stage, superseded_by, audit_flag FROM documents",
    "lines": "SELECT id, document_id, subject_code, measure, year, amount_fen, source_text FROM budget_lines",
    "findings": "SELECT id, document_id, [check], severity, message FROM findings",
    "completeness": "SELECT * FROM completeness",
    "urls": "SELECT id, url FROM documents",
}


def contents(db: Path) -> dict[str, list]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        found = {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in QUERIES.items()}
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "document_urls" in tables
        # every URL a document was seen at (documents.url, in QUERIES, keeps the first one)
        columns = [r[1] for r in conn.execute("PRAGMA table_info(document_urls)")
                   if not r[1].endswith(("_seen", "_seen_at", "_at"))]
        found["document_urls"] = sorted(conn.execute(
            f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM document_urls").fetchall(), key=repr)
        found["queued"] = conn.execute("SELECT count(*) FROM settle_queue").fetchone()
    finally:
        conn.close()
    return found


def finished(run: subprocess.CompletedProcess) -> bool:
    """The run worked and raised no alert (without the PDF disclosures the demo site has no
    final-accounts column, so there is no column that lists nothing)."""
    return run.returncode == 0


def killed_at(command, db: Path, moment: float, seconds: float, cwd: Path, rng: random.Random) -> None:
    """Start a run afresh (database, raw files, frontier) and SIGKILL it at `moment` of a run
    lasting `seconds`. The machine's load changes while the test runs (CI runs two test files at
    once), so a run may finish sooner than the one measured: its own duration is then the
    measure for the next try, which is killed at the same share of it."""
    for _ in range(8):
        shutil.rmtree(db.parent, ignore_errors=True)
        db.parent.mkdir(parents=True)
        started = time.monotonic()
        run = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            run.wait(timeout=max(0.5, seconds * moment + rng.uniform(-0.3, 0.3)))
        except subprocess.TimeoutExpired:
            run.send_signal(signal.SIGKILL)
            run.wait(timeout=30)
            return
        assert run.returncode == 0, f"a run to be killed failed by itself (exit {run.returncode})"
        seconds = min(seconds, time.monotonic() - started) * 0.9
    pytest.fail(f"eight runs finished before {moment:.0%} of the run before them")


def killed_and_rerun(command, db: Path, clean_seconds: float, clean: dict, cwd: Path) -> None:
    rng = random.Random(18)
    for moment in MOMENTS:
        killed_at(command, db, moment, clean_seconds, cwd, rng)
        again = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=180)
        assert finished(again), again.stderr[-3000:]
        found = contents(db)
        assert found == clean, f"after a kill at {moment:.0%} of a clean run"


def clean_run(command, db: Path, cwd: Path) -> tuple[dict, float]:
    started = time.monotonic()
    run = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=180)
    assert finished(run), run.stderr[-3000:]
    found = contents(db)
    assert found["findings"] and found["completeness"] and found["lines"], "a clean run audits something"
    return found, time.monotonic() - started


@pytest.mark.slow
def test_a_killed_demo_run_then_rerun_equals_a_clean_run(tmp_path):
    def command(db):
        return [sys.executable, "-m", "budgets", "demo", "--no-serve", "--db", str(db)]

    clean, seconds = clean_run(command(tmp_path / "clean" / "budgets.db"), tmp_path / "clean" / "budgets.db",
                               tmp_path)
    killed = tmp_path / "killed" / "budgets.db"
    killed_and_rerun(command(killed), killed, seconds, clean, tmp_path)


@pytest.mark.slow
def test_a_killed_nightly_run_then_rerun_equals_a_clean_run(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CORPUS", Path("/nonexistent-corpus"))
    resources = demo.build()
    for resource in resources.values():
        resource.delay = 0

    with SiteServer(resources) as server:
        def command(db):
            line = [sys.executable, "-m", "budgets", "nightly", "--db", str(db), "--site", "demo",
                    "--replica", f"demo=127.0.0.1:{server.port}"]
            for name, value in {**FAST, "LOG_LEVEL": "WARNING"}.items():
                line += ["-s", f"{name}={value}"]
            return line

        clean_db = tmp_path / "clean" / "budgets.db"
        clean_db.parent.mkdir()
        clean, seconds = clean_run(command(clean_db), clean_db, tmp_path / "clean")
        killed = tmp_path / "killed" / "budgets.db"
        killed.parent.mkdir()
        killed_and_rerun(command(killed), killed, seconds, clean, tmp_path / "killed")
