"""What every benchmark shares: the result of one comparison, timing, the machine, child processes."""
from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The project's shared material (the corpus) sits beside the repository; BUDGETS_SHARED points
# elsewhere when the checkout is not there. The seed is the project's own copy.
SHARED = Path(os.environ.get("BUDGETS_SHARED") or ROOT.parent / "shared")
SEED = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.txt"
SEED_HTML = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.html"
CORPUS = SHARED / "corpus"

MODES = ("smoke", "quick", "full")


@dataclass
class Context:
    """How big to make things, and where to put them."""

    mode: str  # smoke | quick | full
    tmp: Path
    log: list[str] = field(default_factory=list)

    def pick(self, smoke, quick, full):
        return {"smoke": smoke, "quick": quick, "full": full}[self.mode]

    def note(self, text: str) -> None:
        print(f"  … {text}", flush=True)
        self.log.append(text)


@dataclass
class Result:
    """One comparison. `ratio` is always 'how many times better ours is' (> 1: ours wins):
    baseline time / our time, or our throughput / baseline throughput."""

    name: str
    ours: str = ""
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    detail: str = ""
    skipped: str = ""  # why it was not measured

    def line(self) -> str:
        if self.skipped:
            return f"{self.name}: skipped — {self.skipped}"
        ratio = "n/a" if self.ratio is None else f"{self.ratio:.2f}x"
        text = f"{self.name}: ours {self.ours}, baseline {self.baseline}, ratio {ratio}"
        if self.target:
            text += f" (target {self.target}: {'met' if self.met else 'NOT met' if self.met is False else 'n/a'})"
        return text


def skipped(name: str, why: str) -> Result:
    return Result(name=name, skipped=why)


class Timer:
    """Wall and CPU seconds of a block (CPU of this process only)."""

    def __enter__(self):
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0


def best_of(fn, repeat: int) -> float:
    """The fastest of `repeat` wall-clock runs: the machine is shared, the minimum is the least noisy."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def rate(n: float, unit: str) -> str:
    if n >= 100:
        return f"{n:,.0f} {unit}"
    return f"{n:.3g} {unit}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3g} ms" if seconds < 1 else f"{seconds:.2f} s"


def run_child(code: str, *args: str, timeout: float = 600) -> dict:
    """Run Python `code` in a fresh interpreter (repo root on the path); it prints one JSON object
    on its last stdout line, which is returned. Peak memory (ru_maxrss of the child) is added."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# the child's own peak (VmHWM): ru_maxrss would also hold the high-water mark of the process that
# started it, which Linux keeps across exec
PEAK_RSS_MB = ("next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:'))"
               " / 1024")


def module_present(name: str) -> bool:
    """Is `extractors/x.py` (or package) in this checkout? Present means we measure it."""
    return (ROOT / Path(*name.split("."))).with_suffix(".py").exists() or (ROOT / Path(*name.split("."))).is_dir()


def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cores (os.cpu_count)": os.cpu_count(),
        "cores usable (sched_getaffinity)": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory": _memory(),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    import sqlite3
    info["sqlite"] = sqlite3.sqlite_version
    return info


def versions() -> dict:
    names = ["camelot-py", "pdfplumber", "pdfminer.six", "pypdfium2", "opencv-python-headless",
             "Scrapy", "Twisted", "sqlite-utils", "datasette", "openpyxl", "python-calamine", "lxml"]
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                kb = int(line.split()[1])
                return f"{kb / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def self_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fresh(path: Path) -> Path:
    """A path with no database (nor its -wal/-shm) left from an earlier attempt."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return path
