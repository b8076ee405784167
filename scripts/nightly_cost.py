"""What an unchanged night costs against a full crawl: requests, bytes on the wire, seconds.

    python scripts/nightly_cost.py             # the demo site, then a generated replica of 400 disclosures
    python scripts/nightly_cost.py --pages 1000 --processes 2

Each site is served on 127.0.0.1 (with ETag / Last-Modified, as a static web server sends them)
and crawled twice by `budgets nightly` into a fresh database; the numbers are its crawl_runs rows.
"""
from __future__ import annotations

import argparse
import html
import io
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.demo import site as demo  # noqa: E402
from crawler.demo.server import Resource, SiteServer  # noqa: E402

LOOPBACK = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_START_DELAY": "0.01", "AUTOTHROTTLE_MAX_DELAY": "0.5",
            "RETRY_BACKOFF_BASE": "0.1", "BUDGETS_PROGRESS_INTERVAL": "0", "LOG_LEVEL": "WARNING"}
DEPARTMENTS = ["财政局", "教育委员会", "卫生健康委员会", "交通局", "民政局", "司法局", "农业农村委员会",
               "生态环境局", "住房和城乡建设委员会", "文化和旅游发展委员会"]


def spreadsheet(department: str, year: int, amount: float) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in [[f"{department}{year}年财政拨款收支总表"], ["单位:万元"], ["项目", "预算数"],
                ["一、本年收入", f"{amount:.2f}"], ["(一)一般公共预算拨款", f"{amount:.2f}"]]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def replica(pages: int) -> dict[str, Resource]:
    """A 预算 column of `pages` disclosures, 20 to a list page, each a page with a small table
    and an XLSX attachment, at the demo site's paths."""
    r = {"/robots.txt": Resource(b"User-agent: *\nDisallow: /search/\n", "text/plain")}
    items = []
    for n in range(pages):
        department = f"重庆市潼南区{DEPARTMENTS[n % len(DEPARTMENTS)]}第{n // len(DEPARTMENTS) + 1}处"
        year = 2020 + n % 7
        title = f"{department}{year}年部门预算公开"
        day = f"{year}01{1 + n % 28:02d}"
        path = f"{demo.BUDGETS}/{day[:6]}/t{day}_{20000000 + n}.html"
        xlsx = f"{demo.BUDGETS}/{day[:6]}/P0{day}{n:09d}.xlsx"
        amount = 100 + n * 1.5
        body = demo.page(title, (
            f"<h1>{html.escape(title)}</h1><table border='1'><tr><td colspan='2'>{department}{year}年"
            f"财政拨款收支总表</td></tr><tr><td>单位:万元</td><td></td></tr><tr><td>项目</td><td>预算数</td></tr>"
            f"<tr><td>一、本年收入</td><td>{amount:.2f}</td></tr><tr><td>(一)一般公共预算拨款</td>"
            f"<td>{amount:.2f}</td></tr></table><p><a href='{xlsx}'>附件：{html.escape(title)}.xlsx</a></p>"))
        r[path] = Resource(body.encode("utf-8"), "text/html; charset=utf-8")
        r[xlsx] = Resource(spreadsheet(department, year, amount), "application/octet-stream")
        items.append((path, title, f"{year}-01-01"))
    chunks = [items[i:i + 20] for i in range(0, len(items), 20)]
    for n, chunk in enumerate(chunks):
        name = "index.html" if n == 0 else f"index_{n}.html"
        r[f"{demo.BUDGETS}/{name}"] = Resource(demo.gbk(demo.list_page("预算", chunk, demo.js_pager(len(chunks), n))),
                                              "text/html")
    r[f"{demo.FINALS}/index.html"] = Resource(demo.gbk(demo.list_page("决算", items[:1], "")), "text/html")
    return r


def night(db: Path, server: SiteServer, processes: int = 0) -> tuple[dict, float]:
    command = [sys.executable, "-m", "budgets", "nightly", "--db", str(db), "--site", "demo",
               "--replica", f"demo=127.0.0.1:{server.port}", "--processes", str(processes)]
    for name, value in LOOPBACK.items():
        command += ["-s", f"{name}={value}"]
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - started
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    run = dict(conn.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone())
    conn.close()
    if result.returncode not in (0, 1):
        sys.exit(result.stderr[-3000:])
    return run, wall


def measure(label: str, resources: dict[str, Resource], processes: int = 0) -> None:
    with tempfile.TemporaryDirectory() as tmp, SiteServer(resources) as server:
        db = Path(tmp) / "budgets.db"
        print(f"{label}: {len(resources)} resources")
        for name in ("full crawl", "unchanged night"):
            run, wall = night(db, server, processes)
            print(f"  {name:<16} {run['requests']:>6} requests  {run['responses_not_modified']:>5} answered 304  "
                  f"{run['bytes_downloaded']:>11,} bytes  {run['documents_extracted']:>5} extracted  "
                  f"crawl {run['duration_s']:6.1f} s  whole command {wall:6.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--processes", type=int, default=0, help="extraction pool (budgets nightly --processes)")
    args = parser.parse_args()
    measure("demo site", demo.build(), args.processes)
    measure(f"generated replica ({args.pages} disclosures + {args.pages} XLSX)", replica(args.pages), args.processes)


if __name__ == "__main__":
    main()
