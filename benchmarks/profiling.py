"""Profiles of the slowest stage: extracting the seed's text dump (extractors/textdump.py and
extractors/layout.py), and our PDF extractor on the largest corpus PDF when it is present.

Each runs in a child process: CPU seconds as the code stands, the top functions under cProfile,
and — for the text dump — the CPU seconds with the fix proposed in RESULTS.md applied in that child
only (amounts parsed once per cell instead of once per combination tried), with a check that the
tables come out identical."""
from __future__ import annotations

from benchmarks.common import CORPUS, SEED, Context, Result, module_present, run_child

CHILD = """
import cProfile, functools, io, json, pstats, sys, time
from pathlib import Path
module, path = sys.argv[1], Path(sys.argv[2])
extract = __import__(module, fromlist=["extract"]).extract
data = path.read_bytes()
def cpu(repeat=2):
    best = None
    for _ in range(repeat):
        t = time.process_time(); result = extract(data, path.name); t = time.process_time() - t
        best = t if best is None else min(best, t)
    return best, [(t.title, t.header, t.rows) for t in result.tables]
as_is, tables = cpu()
profile = cProfile.Profile(); profile.enable(); extract(data, path.name); profile.disable()
out = io.StringIO(); stats = pstats.Stats(profile, stream=out)
top = []
for (file, line, func), (cc, nc, tt, ct, callers) in sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:8]:
    top.append(f"{Path(file).name}:{line}({func}) {nc} calls, {tt:.2f} s own, {ct:.2f} s with callees")
fixed = same = None
if module == "extractors.textdump":
    import extractors.layout as layout
    layout.parse_amount = functools.lru_cache(maxsize=None)(layout.parse_amount)
    fixed, fixed_tables = cpu()
    same = fixed_tables == tables
print(json.dumps({"cpu": as_is, "top": top, "fixed": fixed, "same": same, "tables": len(tables)}))
"""


def run(ctx: Context) -> list[Result]:
    if ctx.mode != "full":
        return [Result(name="profile", skipped=f"only in the full run (this is a {ctx.mode} run)")]
    results = []
    cases = [("extractors.textdump", SEED, "text dump (seed)")]
    if module_present("extractors.pdf"):
        cases.append(("extractors.pdf", max(CORPUS.rglob("*.pdf"), key=lambda p: p.stat().st_size), "PDF (largest corpus PDF)"))
    for module, path, label in cases:
        child = run_child(CHILD, module, str(path), timeout=600)
        detail = "top functions by own time under cProfile: " + "; ".join(child["top"])
        if child["fixed"] is not None:
            results.append(Result(
                name=f"profile {label}", ours=f"{child['cpu']:.2f} s CPU as the code stands ({child['tables']} tables)",
                baseline=f"{child['fixed']:.2f} s CPU with the proposed fix (parse_amount memoised; "
                         f"tables {'identical' if child['same'] else 'DIFFERENT'})",
                ratio=child["fixed"] / child["cpu"], detail=detail))
        else:
            results.append(Result(name=f"profile {label}", ours=f"{child['cpu']:.2f} s CPU ({child['tables']} tables)",
                                  baseline="none (profile only)", detail=detail))
    return results
