"""`budgets sites`: the configured sites and how their last crawl went."""
from __future__ import annotations

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


def describe(config_class, run: dict | None) -> str:
    kind = config_class.__mro__[1].__name__
    head = f"{config_class.name:<10} {config_class.district:<12} {kind:<22} {len(config_class.start_urls)} columns"
    if not run:
        return f"{head}  never crawled"
    return (f"{head}  last crawl {run['finished_at']}: {run['status']}, {run['pages']} pages, "
            f"{run['documents_new']} new, {run['documents_changed']} changed, "
            f"{run['documents_unchanged']} unchanged, {run['documents_failed']} failed")


def run(args) -> int:
    from crawler.sites import config_classes

    runs = last_runs(args.db)
    for name, config_class in config_classes().items():
        print(describe(config_class, runs.get(name)))
    return 0
