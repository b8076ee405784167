"""Benchmark 5: peak memory per document type, each measured in a fresh child process: our whole path from bytes to database (budgets.pipeline.ingest_bytes)
against the plain library a researcher would load the same file with. `floor` is the child's peak
after its imports, before the document is read.

Peak is the child's VmHWM (/proc/self/status), which starts afresh at exec. getrusage's ru_maxrss
would do on a fresh shell, but Linux carries it over exec from the forking process, so a child of
this (by then large) benchmark process would report the parent's peak; it is used only where
/proc is missing. Our extraction runs in a worker forked per document (budgets/worker.py), so the
peak is the larger of the child's own and its largest worker's (RUSAGE_CHILDREN, which starts
from the measuring child's small size at fork)."""
from __future__ import annotations

from benchmarks import documents
from benchmarks.common import CORPUS, SEED, Context, Result, fresh, module_present, run_child

OURS = """
import json, resource, sys, time
from pathlib import Path
from budgets import db as database
from budgets.pipeline import Source, ingest_bytes
import extractors.registry
PEAK
path, db_path, module = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
__import__(module)
db = database.connect(db_path)
floor = peak()
t = time.perf_counter()
document = ingest_bytes(db, path.read_bytes(), Source(filename=path.name))
lines = db.conn.execute("SELECT count(*) FROM budget_lines").fetchone()[0]
print(json.dumps({"peak": peak(), "floor": floor, "seconds": time.perf_counter() - t,
                  "status": document["status"], "lines": lines, "error": (document["error"] or "")[:200]}))
"""

BASELINES = {
    "pdf": ("pdfplumber extract_tables, every page", """
import pdfplumber
with pdfplumber.open(str(path)) as pdf:
    result = [page.extract_tables() for page in pdf.pages]
"""),
    "xlsx": ("openpyxl load_workbook, every cell", """
import openpyxl
wb = openpyxl.load_workbook(str(path))
result = [[c for c in row] for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]
"""),
    "zip": ("zipfile, every member read", """
import zipfile
with zipfile.ZipFile(str(path)) as z:
    result = [z.read(i) for i in z.infolist()]
"""),
    "textdump": ("reading the text and splitting it into lines", """
result = path.read_text(encoding="utf-8").splitlines()
"""),
}

BASELINE = """
import json, resource, sys, time
from pathlib import Path
PEAK
path = Path(sys.argv[1])
floor = peak()
t = time.perf_counter()
{body}
print(json.dumps({{"peak": peak(), "floor": floor, "seconds": time.perf_counter() - t}}))
"""

PEAK = """
def peak():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) / 1024
    except OSError:
        pass
    # extraction runs in a forked worker (budgets/worker.py): its peak counts too
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""
OURS = OURS.replace("PEAK", PEAK)
BASELINE = BASELINE.replace("PEAK", PEAK)

EXTRACTOR = {"pdf": "extractors.pdf", "xlsx": "extractors.spreadsheet", "zip": "extractors.archive",
             "textdump": "extractors.textdump"}


def run(ctx: Context) -> list[Result]:
    if ctx.mode == "smoke":
        return [Result(name="memory", skipped="not in a smoke run (each document needs its own process)")]
    cases = [("textdump", "seed text dump", lambda: SEED)] if ctx.mode == "full" else []
    cases.append(("pdf", "largest corpus PDF", largest_pdf))
    xlsx_mb = ctx.pick(0, 1, 50)
    cases.append(("xlsx", f"{xlsx_mb} MB XLSX", lambda: documents.xlsx(
        ctx.tmp / f"budget-{xlsx_mb}mb.xlsx", xlsx_mb << 20, rows=ctx.pick(0, 3_000, 50_000))))
    members = ctx.pick(0, 10, 100)
    cases.append(("zip", f"ZIP of {members} files", lambda: documents.zip_of_disclosures(
        ctx.tmp / f"disclosures-{members}.zip", members)))
    results = []
    for kind, label, make in cases:
        name = f"peak memory, {label}"
        if not module_present(EXTRACTOR[kind]):
            results.append(Result(name=name, skipped=f"{EXTRACTOR[kind].replace('.', '/')}.py is not in this checkout"))
            continue
        path = make()
        size = f"{path.stat().st_size / 2**20:.1f} MB"
        db_path = fresh(ctx.tmp / f"memory-{kind}.db")
        ours = run_child(OURS, str(path), str(db_path), EXTRACTOR[kind], timeout=900)
        fresh(db_path)
        what, body = BASELINES[kind]
        base = run_child(BASELINE.format(body=body), str(path), timeout=900)
        results.append(Result(
            name=name,
            ours=f"{ours['peak']:.0f} MB peak (floor {ours['floor']:.0f} MB; {ours['seconds']:.1f} s, "
                 f"{ours['status']}, {ours['lines']:,} lines)",
            baseline=f"{base['peak']:.0f} MB peak (floor {base['floor']:.0f} MB; {base['seconds']:.1f} s; {what})",
            ratio=base["peak"] / ours["peak"],
            detail=f"{path.name} ({size})" + (f"; error: {ours['error']}" if ours["error"] else ""),
        ))
    return results


def largest_pdf():
    return max(CORPUS.rglob("*.pdf"), key=lambda p: p.stat().st_size)
