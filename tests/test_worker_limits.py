"""One huge document cannot take the run: the worker reads and normalises it within its time and
memory limits and refuses one that yields more lines than the lines-per-document limit, so the
parent (loading, auditing, publishing prep) only ever holds what it is allowed to load.

The pages imitate the seed disclosure's HTML rendition (表3 一般公共预算财政拨款支出预算表 of
重庆市潼南区大数据应用发展管理局, tests/badinputs.good_html_table) with its body rows repeated
until the table is as long as a test needs."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from budgets import worker
from extractors import document as whole
from budgets.pipeline import Source, ingest_bytes

ROOT = Path(__file__).resolve().parents[1]
MEMORY_MB = 1024  # the worker's memory limit for these runs
TIMEOUT_S = 120

HEAD = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>重庆市潼南区大数据应用发展管理局'
        "2026年部门预算公开</title></head><body><h1>重庆市潼南区大数据应用发展管理局2026年部门预算公开</h1>"
        "<p>表3 一般公共预算财政拨款支出预算表</p><p>单位：万元</p><table border=1>"
        '<tr><td colspan="2">功能分类科目</td><td rowspan="2">2025年执行数</td><td colspan="3">2026年预算数</td></tr>'
        "<tr><td>科目编码</td><td>科目名称</td><td>小计</td><td>基本支出</td><td>项目支出</td></tr>")


def long_table_page(rows: int) -> bytes:
    """`rows` body rows, each with three amounts (执行数, 小计, 基本支出; 项目支出 empty): 3 lines a row."""
    body = "".join(f"<tr><td>{2080000 + n % 99999}</td><td>行政运行{n}</td><td>{n % 997}.00</td>"
                   f"<td>{n % 991}.84</td><td>{n % 991}.84</td><td></td></tr>" for n in range(rows))
    return (HEAD + body + "</table></body></html>").encode()


# `budgets …` in a process of its own, printing its peak resident memory and its largest child's (MB)
MEASURED = (
    "import resource, sys\n"
    "from budgets.cli import main\n"
    "code = main(sys.argv[1:])\n"
    # the run's own peak is its VmHWM: ru_maxrss of RUSAGE_SELF also holds the peak of the process
    # it was started from (Linux keeps the old memory's high-water mark across exec), a test
    # runner's hundreds of MB
    "own = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
    "print('peak', own // 1024,"
    " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, file=sys.stderr)\n"
    "raise SystemExit(code)\n"
)


def ingest_measured(tmp_path: Path, page: bytes, **environ) -> tuple[dict, int, int, float]:
    """`budgets ingest` of one page in a process of its own: the document row, the peak RSS (MB)
    of the run's own process and of its largest child (the worker), and the seconds taken."""
    path = tmp_path / "long.html"
    path.write_bytes(page)
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-c", MEASURED, "ingest", str(path), "--db", str(tmp_path / "b.db")],
                         cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT_S + 60,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "BUDGETS_WORKER_MEMORY_MB": str(MEMORY_MB),
                              "BUDGETS_PARSE_TIMEOUT_S": str(TIMEOUT_S), **environ})
    elapsed = time.monotonic() - started
    assert run.returncode == 0, run.stderr[-3000:]
    parent, child = map(int, run.stderr.strip().splitlines()[-1].split()[1:])
    with sqlite3.connect(tmp_path / "b.db") as conn:
        conn.row_factory = sqlite3.Row
        document = dict(conn.execute("SELECT status, error, lines, tables FROM documents").fetchone())
    return document, parent, child, elapsed


@pytest.mark.slow
def test_a_document_with_more_lines_than_the_limit_is_refused_naming_the_limit(tmp_path):
    """5,000 rows are 15,000 lines; with a limit of 10,000 lines the document is refused, the
    error names the limit and how to raise it, and no process of the run nears the memory limit."""
    document, parent, child, elapsed = ingest_measured(tmp_path, long_table_page(5000), BUDGETS_MAX_LINES="10000")
    assert document["status"] == "failed" and document["lines"] == 0
    assert "yields 15000 lines, more than the limit of 10000 lines for one document" in document["error"]
    assert "BUDGETS_MAX_LINES" in document["error"]
    assert parent < MEMORY_MB and child < MEMORY_MB and elapsed < TIMEOUT_S


@pytest.mark.slow
def test_a_long_table_within_the_limits_keeps_every_process_under_the_worker_memory_limit(tmp_path):
    """The same table within the limits: all 15,000 lines loaded and audited, every process of the
    run under the worker's memory limit and the run within the time limit."""
    document, parent, child, elapsed = ingest_measured(tmp_path, long_table_page(5000))
    assert (document["status"], document["lines"], document["tables"]) == ("ok", 15000, 1)
    assert parent < MEMORY_MB and child < MEMORY_MB and elapsed < TIMEOUT_S


def record_the_process(monkeypatch, owner, name: str, record) -> None:
    """`owner.name` writes the id of the process it runs in to `record`, then does its work."""
    real = getattr(owner, name)

    def recorded(*args, **kwargs):
        record.write_text(str(os.getpid()))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)


def test_lines_are_normalised_in_the_worker_not_in_the_run(tmp_db, monkeypatch, tmp_path):
    """The run's own process never turns tables into lines: that happens in the worker, which
    returns them compactly (column names once, a tuple per line)."""
    record = tmp_path / "normalised-in"
    record_the_process(monkeypatch, whole, "normalise", record)
    document = ingest_bytes(tmp_db, long_table_page(10), Source(filename="short.html"))
    assert (document["status"], document["lines"]) == ("ok", 30)
    assert int(record.read_text()) != os.getpid()
    rows = worker.Rows([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}])
    assert (rows.columns, rows.values, list(rows)) == (("a", "b"), [(1, "x"), (2, "y")],
                                                       [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}])
