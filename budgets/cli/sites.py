"""`budgets sites`: the configured sites, whether each was verified live, and how their last crawl
went, one aligned row each (rich measures Chinese names by their display width), with the crawl's
last error. Without a database every site is listed as never crawled."""
from __future__ import annotations

import re
from pathlib import Path

from budgets import db as database


def last_runs(db_path: Path) -> dict[str, dict]:
    if not Path(db_path).exists():
        return {}
    db = database.connect(db_path)
    runs = {run["site"]: run for run in db.query(
        "SELECT * FROM crawl_runs WHERE id IN (SELECT max(id) FROM crawl_runs GROUP BY site)")}
    db.conn.close()
    return runs


def last_error(run: dict) -> str:
    """The error the crawl ended with ('…; last error: X' in its message), if any."""
    message = run.get("message") or ""
    return message.partition("; last error: ")[2]


def cells(config_class, run: dict | None) -> list[str]:
    kind = config_class.__mro__[1].__name__
    verified = f"verified {config_class.verified}" if getattr(config_class, "verified", "") else "not verified live"
    head = [config_class.name, config_class.district, kind, f"{len(config_class.start_urls)} columns", verified]
    if not run:
        return head + ["never crawled", ""]
    counts = (f"last crawl {run['finished_at']}: {run['status']}, {run['pages']} pages, "
              f"{run['documents_new']} new, {run['documents_changed']} changed, "
              f"{run['documents_unchanged']} unchanged, {run['documents_failed']} failed")
    return head + [counts, last_error(run)]


def describe(config_class, run: dict | None) -> str:
    """One site as one plain line (no alignment)."""
    return "  ".join(c for c in cells(config_class, run) if c)


def run(args) -> int:
    from rich.console import Console
    from rich.table import Column, Table, box

    from crawler.sites import config_classes

    runs = last_runs(args.db)
    headers = ("site", "district", "kind", "columns", "verified", "last crawl", "last error")
    table = Table(*(Column(name, overflow="fold") for name in headers), box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False, header_style="bold")
    for name, config_class in config_classes().items():
        table.add_row(*cells(config_class, runs.get(name)))
    # as wide as the rows need when the output is a file or a pipe (no wrapping mid-row)
    console = Console(soft_wrap=False, highlight=False)
    if not console.is_terminal:
        console = Console(width=400, highlight=False, color_system=None)
    with console.capture() as captured:
        console.print(table)
    print("\n".join(line.rstrip() for line in captured.get().splitlines()))
    return 0
