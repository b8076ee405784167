"""Benchmark 4: crawling a generated replica column of 1,000 disclosures on loopback
(benchmarks/replica.py): our `disclosures` spider — full crawl, then a second, incremental crawl
over the same database — against a bare Scrapy spider fetching the same pages
(benchmarks/bare_spider.py). Requests and bytes are counted by the server; seconds are wall
clock, CPU is the crawling process's user + system time.

Both crawlers run in their own process with the same politeness settings turned off the same
way (no delay, no AutoThrottle, 8 requests at a time), so what differs is what each does per page.
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks import replica
from benchmarks.common import ROOT, Context, Result, module_present, skipped

SITE = "cqtn"  # the config whose columns the replica stands in for (a Chongqing TRS site)
SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "8",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "RETRY_TIMES": "1",
    "DOWNLOAD_TIMEOUT": "30",
    "LOG_LEVEL": "INFO",
    "TELNETCONSOLE_ENABLED": "False",
    "ROBOTSTXT_OBEY": "True",
}


@dataclass
class Crawl:
    requests: int
    bytes: int
    seconds: float  # the whole process, start-up included
    crawling: float | None  # Scrapy's elapsed_time_seconds: spider opened → closed
    cpu: float
    output: str

    def describe(self) -> str:
        crawling = f"{self.crawling:.1f} s crawling, " if self.crawling is not None else ""
        return (f"{self.requests:,} requests, {self.bytes / 2**20:.2f} MB, {crawling}{self.seconds:.1f} s in all, "
                f"{self.cpu:.1f} s CPU")


def run(ctx: Context) -> list[Result]:
    n = ctx.pick(20, 50, 1000)
    ours_present = module_present("crawler.spiders.disclosures")
    columns, hosts = columns_for(SITE) if ours_present else ([replica.DEFAULT_COLUMN], [])
    site = replica.build(n, columns)
    pages = sum(1 for path in site if path.endswith(".html"))
    ctx.note(f"crawl: replica of {n:,} disclosures, {pages:,} HTML pages "
             f"({'columns of site config ' + SITE if ours_present else 'one TRS column'}) on 127.0.0.1")
    with replica.ReplicaServer(site) as server:
        starts = [f"http://{server.address}{c}index.html" for c in columns]
        bare = measure(server, [sys.executable, "-m", "scrapy", "runspider", str(ROOT / "benchmarks" / "bare_spider.py"),
                                "-a", f"start={','.join(starts)}", *flags(SETTINGS)], cwd=ctx.tmp)
        if not ours_present:
            return [skipped("crawl (ours)", f"the crawler (crawler/spiders/disclosures.py) is not in this checkout; "
                            f"bare Scrapy spider alone: {bare.describe()} for {pages:,} pages, "
                            f"{1000 * bare.cpu / pages:.2f} ms CPU per page")]
        db = ctx.tmp / "crawl.db"
        command = [sys.executable, "-m", "scrapy", "crawl", "disclosures", "-a", f"site={SITE}",
                   "-a", f"replica={server.address}",
                   *flags({**SETTINGS, "BUDGETS_DB": str(db), "BUDGETS_PROGRESS_INTERVAL": "0"})]
        full = measure(server, command)
        again = measure(server, command)
    counts = crawl_counts(db)
    ctx.note(f"crawl: ours loaded {counts}")
    per_page = 1000 * (full.cpu - bare.cpu) / max(pages, 1)
    return [
        Result(name=f"crawl full vs bare Scrapy ({pages:,} pages)", ours=full.describe(),
               baseline=f"{bare.describe()} (bare spider)", ratio=bare.cpu / full.cpu if full.cpu else None,
               detail=f"our overhead per page over a bare spider: {per_page:.1f} ms CPU "
                      f"(storing the raw file, extracting, normalising, loading); wall {full.seconds / max(pages, 1) * 1000:.1f} "
                      f"ms per page against {bare.seconds / max(pages, 1) * 1000:.1f}"),
        Result(name=f"crawl incremental vs full ({pages:,} pages)", ours=f"{again.describe()} (second crawl)",
               baseline=f"{full.describe()} (first crawl)", ratio=full.cpu / again.cpu if again.cpu else None,
               detail=f"the second crawl asked for {again.requests:,} of the {full.requests:,} resources again "
                      f"and downloaded {again.bytes / max(full.bytes, 1):.0%} of the bytes"),
    ]


def columns_for(site_name: str) -> tuple[list[str], list[str]]:
    """The column folders (and hosts) of a site config's start URLs, where the replica puts its pages."""
    sys.path.insert(0, str(ROOT))
    from crawler import sites

    config = sites.load(site_name)
    columns, hosts = [], []
    for url in config.start_urls:
        parts = urlsplit(url)
        columns.append(parts.path.rsplit("/", 1)[0] + "/")
        hosts.append(parts.netloc)
    return columns, hosts


def flags(settings: dict) -> list[str]:
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


def measure(server: replica.ReplicaServer, command: list[str], cwd=ROOT) -> Crawl:
    """Run one crawl in a child process; the server counts what it served. The bare spider runs
    outside the project folder, so that it gets Scrapy's defaults, not our settings."""
    server.reset()
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    log = Path(cwd) / "crawl.log" if cwd != ROOT else Path(tempfile.mkstemp(suffix=".log")[1])
    with open(log, "w") as out:  # a file, not a pipe: a long log must not block the crawler
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
        _, wait_status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
    proc.returncode = status = os.waitstatus_to_exitcode(wait_status)
    stderr = log.read_text(errors="replace")
    log.unlink(missing_ok=True)
    if status != 0 or ("Traceback" in stderr and "finished" not in stderr):
        raise RuntimeError(f"crawl failed (exit {status}): {stderr[-1500:]}")
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", stderr)
    return Crawl(server.requests, server.bytes, seconds, float(elapsed.group(1)) if elapsed else None,
                 usage.ru_utime + usage.ru_stime, stderr)


def crawl_counts(db) -> str:
    import sqlite3

    if not db.exists():
        return "nothing (no database)"
    conn = sqlite3.connect(str(db))
    try:
        docs = conn.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall()
        lines = conn.execute("SELECT count(*) FROM budget_lines").fetchone()[0]
        runs = conn.execute("SELECT documents_new, documents_changed, documents_unchanged, documents_failed "
                            "FROM crawl_runs ORDER BY id").fetchall()
    except sqlite3.Error as exc:
        return f"unreadable database ({exc})"
    finally:
        conn.close()
    return (f"documents by status {dict(docs)}, {lines:,} budget lines; crawl runs "
            f"(new, changed, unchanged, failed): {runs}")
