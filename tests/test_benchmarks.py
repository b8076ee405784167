"""The benchmark runner works end to end: `python benchmarks/run.py --smoke` measures every
benchmark whose part of the program is present at tiny sizes, prints one comparison per line in the
documented form, writes its report and exits 0."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RATIO_LINE = re.compile(r"^(?P<name>[^:\n]+): ours .+, baseline .+, ratio (?P<ratio>[\d.]+x|n/a)", re.M)


def run_smoke(tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    report = tmp_path / "RESULTS-smoke.md"
    proc = subprocess.run([sys.executable, "benchmarks/run.py", "--smoke", "--out", str(report)],
                          cwd=ROOT, capture_output=True, text=True, timeout=240)
    return proc, report


@pytest.mark.slow
def test_smoke_run_prints_ratio_lines_and_writes_its_report(tmp_path):
    proc, report = run_smoke(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [m for m in RATIO_LINE.finditer(proc.stdout) if m["ratio"] != "n/a"]
    assert len(lines) >= 3, proc.stdout
    names = {m["name"] for m in lines}
    assert any(n.startswith("load") for n in names) and any(n.startswith("query") for n in names), names
    assert all(float(m["ratio"][:-1]) > 0 for m in lines)
    # anything not measured says why, on a line of its own
    for line in proc.stdout.splitlines():
        if ": skipped" in line:
            assert re.match(r"^[^:]+: skipped — \S", line), line
    text = report.read_text(encoding="utf-8")
    assert "## Machine" in text and "cores" in text and "memory" in text
    assert "## Library versions" in text and "camelot-py" in text
    for m in lines:
        assert m.group(0) in text


def test_the_cell_rule_scores_a_printed_blank_by_the_nearest_named_column():
    """cells.csv marks a cell printed without a figure with an empty `expected`; the tool-neutral
    rule of benchmarks/pdf_extraction.py counts it only where the row's nearest column under that
    header is blank (layout of 收入支出决算总表: 收入 项目|决算数, then 支出 项目|决算数)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.pdf_extraction import cell_found

    grid = [["收入", "收入", "支出", "支出"],
            ["项目", "决算数", "项目", "决算数"],
            ["一、一般公共预算财政拨款收入", "307.82", "一、一般公共服务支出", ""],
            ["二、政府性基金预算财政拨款收入", "", "二、外交支出", "12.00"]]
    cell = {"row": "一、一般公共服务支出", "column": "支出/决算数", "expected": ""}
    assert cell_found(cell, [grid])
    assert not cell_found(dict(cell, row="二、外交支出"), [grid])
    assert cell_found(dict(cell, row="二、外交支出", expected="12.00"), [grid])
    # a blank is not judged where any row or any column would do
    assert not cell_found(dict(cell, row="#0"), [grid])
    assert not cell_found(dict(cell, column="*"), [grid])


def test_only_the_full_run_of_every_benchmark_writes_the_main_report():
    from benchmarks.run import report_name

    assert report_name("full", None) == "RESULTS.md"
    assert report_name("quick", None) == "RESULTS-quick.md"
    assert report_name("full", ["unseen"]) == "RESULTS-unseen.md"  # a subset never overwrites RESULTS.md
    assert report_name("smoke", ["load", "queries"]) == "RESULTS-load-queries-smoke.md"
