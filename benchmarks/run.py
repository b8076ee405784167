"""Run the benchmarks: our pipeline against the tools researchers would otherwise use, measured in
one run on this machine. Prints one line per comparison and writes a Markdown report.

    python benchmarks/run.py            # full run (about 15 minutes on 2 cores) → benchmarks/RESULTS.md
    python benchmarks/run.py --quick    # within a minute → benchmarks/RESULTS-quick.md
    python benchmarks/run.py --smoke    # a few seconds per benchmark, for the test suite
    python benchmarks/run.py --only load,queries   # → benchmarks/RESULTS-load-queries.md

Every line reads `name: ours …, baseline …, ratio …x`; the ratio is how many times better ours is
(> 1: ours wins). A benchmark whose part of the program is not in this checkout prints
`name: skipped — why` instead.
"""
from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

if __package__ in (None, ""):  # `python benchmarks/run.py`: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, Context, Result, machine, versions  # noqa: E402

BENCHMARKS = {  # name → module; run in this order
    "pdf": "benchmarks.pdf_extraction",
    "unseen": "benchmarks.unseen_layouts",
    "load": "benchmarks.load",
    "queries": "benchmarks.queries",
    "crawl": "benchmarks.crawl",
    "memory": "benchmarks.memory",
    "profile": "benchmarks.profiling",
}


def report_name(mode: str, only: list[str] | None) -> str:
    """RESULTS.md holds the full run of every benchmark; a subset never overwrites it."""
    if only:
        return f"RESULTS-{'-'.join(only)}{'' if mode == 'full' else '-' + mode}.md"
    return "RESULTS.md" if mode == "full" else f"RESULTS-{mode}.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_const", dest="mode", const="quick", help="within a minute on 2 cores")
    size.add_argument("--smoke", action="store_const", dest="mode", const="smoke", help="tiny sizes, for tests")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(BENCHMARKS)}")
    parser.add_argument("--out", type=Path, help="report path (default benchmarks/RESULTS.md for a full run of every "
                                                 "benchmark, else RESULTS-<mode>.md or RESULTS-<only>.md)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    mode = args.mode or "full"
    names = args.only.split(",") if args.only else list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    out = args.out or ROOT / "benchmarks" / report_name(mode, names if args.only else None)

    tmp = Path(tempfile.mkdtemp(prefix=f"budgets-bench-{mode}-"))
    ctx = Context(mode=mode, tmp=tmp)
    started = time.perf_counter()
    info = machine()
    print(f"benchmarks ({mode} run) on {info['cores usable (sched_getaffinity)']} cores, {info['memory']}; "
          f"load average {info['load average at start']}", flush=True)
    sections: list[tuple[str, list[Result], float, list[str]]] = []
    failed = False
    try:
        for name in names:
            t0 = time.perf_counter()
            ctx.log = []
            try:
                module = importlib.import_module(BENCHMARKS[name])
                results = module.run(ctx)
            except Exception as exc:  # one broken benchmark does not hide the others
                traceback.print_exc()
                results = [Result(name=name, skipped=f"failed: {type(exc).__name__}: {exc}")]
                failed = True
            for result in results:
                print(result.line(), flush=True)
            sections.append((name, results, time.perf_counter() - t0, list(ctx.log)))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    total = time.perf_counter() - started
    out.write_text(report(mode, info, sections, total), encoding="utf-8")
    print(f"{sum(r.ratio is not None for _, rs, _, _ in sections for r in rs)} ratio lines in {total:.1f} s; "
          f"report written to {out}", flush=True)
    return 1 if failed else 0


def checkout() -> str:
    """Which code was measured: the commit, and whether files differed from it."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--", "budgets",
                                 "extractors", "crawler", "tests/fixtures"], cwd=ROOT,
                                capture_output=True, text=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "a copy of the code outside git"
    changed = sorted({line[3:].split("/")[0] + "/" + line[3:].split("/")[1] if line[3:].startswith("tests/")
                      else line[3:] for line in status})
    return f"commit {head}" + (f" plus files not committed here: {', '.join(changed)}" if changed else "")


def report(mode: str, info: dict, sections, total: float) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"`python benchmarks/run.py{'' if mode == 'full' else ' --' + mode}` — {mode} run, {now}, {total:.0f} s in all,",
        f"on {checkout()}.",
        "Each comparison ran ours and its baseline in the same run on the same machine. The ratio is how many",
        "times better ours is (> 1: ours wins): baseline time / our time, or our rate / baseline rate.",
        "Wall-clock figures are the best of several repeats where affordable; the machine may be shared,",
        "so the load average at the start is recorded.",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        "",
        "## Library versions",
        "",
        *[f"- {k} {v}" for k, v in versions().items()],
        "",
        "## Results",
        "",
    ]
    for name, results, seconds, log in sections:
        lines.append(f"### {name} ({seconds:.1f} s)")
        lines.append("")
        lines.append("```")
        lines.extend(r.line() for r in results)
        lines.append("```")
        details = [f"- {r.name}: {r.detail}" for r in results if r.detail]
        if log or details:
            lines.append("")
            lines.extend(f"- {text}" for text in log)
            lines.extend(details)
        lines.append("")
    notes = ROOT / "benchmarks" / "NOTES.md"
    if mode == "full" and notes.exists():  # the analysis, written by hand after a full run
        lines += ["", notes.read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
