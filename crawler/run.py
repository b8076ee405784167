"""Run the spider in-process over one or more sites (what `budgets crawl` and `budgets demo` do).

Twisted's reactor cannot be restarted, so this runs once per process.
"""
from __future__ import annotations

from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from budgets import db as database
from budgets.publish import prepare
from budgets.reference import refresh


def crawl_settings(db: Path, overrides: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("BUDGETS_DB", str(db), priority="cmdline")
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawls(sites: list[tuple[str, dict]], db: Path, year: int | None = None,
               overrides: dict | None = None) -> list[dict]:
    """Crawl each (site name, spider options) at once, politely; return their crawl_runs rows."""
    before = _last_run_id(db)
    process = CrawlerProcess(crawl_settings(db, overrides))
    for name, options in sites:
        process.crawl("disclosures", site=name, year=year, **options)
    process.start()
    conn = database.connect(db)
    refresh(conn)
    prepare(conn)  # search tables, views and indexes for `budgets serve`, as after `budgets ingest`
    rows = [dict(r) for r in conn["crawl_runs"].rows_where("id > ?", [before], order_by="id")]
    conn.conn.close()
    return rows


def _last_run_id(db: Path) -> int:
    conn = database.connect(db)
    row = conn.execute("SELECT coalesce(max(id), 0) FROM crawl_runs").fetchone()
    conn.conn.close()
    return row[0]
