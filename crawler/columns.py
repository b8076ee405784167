"""The `columns` table: the 预算/决算 columns discovery found on a site, when each was first and
last seen, and when it vanished. A crawl starts from the columns found before (as well as from
the config's roots and start URLs), so a column is crawled even on a night when the way to it
is broken; a column found for the first time, or no longer found, is reported."""
from __future__ import annotations

import sys
from pathlib import Path

from budgets import db as database
from budgets.crawl_ledger import record_columns, site_columns
from crawler.items import now


class ColumnLedger:
    def __init__(self, site: str):
        self.site = site
        self.path: Path | None = None
        self.seen: dict[str, dict] = {}  # url → row, this run

    def bind(self, path: Path | str) -> None:
        self.path = Path(path)

    def _rows(self) -> list[dict]:
        if self.path is None or not self.path.exists():
            return []
        db = database.connect(self.path)
        rows = site_columns(db, self.site)
        db.conn.close()
        return rows

    def known_urls(self) -> list[str]:
        """Columns found before and not since reported vanished."""
        return [r["url"] for r in self._rows() if not r["vanished_at"]]

    def found(self, url: str, unit: str, stage: str, found_from: str) -> None:
        if url not in self.seen:
            self.seen[url] = {"unit": unit, "stage": stage, "found_from": found_from}

    def close(self, reason: str, complete: bool, stats) -> None:
        """Record what this run saw. Only a complete walk may mark a column vanished."""
        if self.path is None:
            return
        stamp = now()
        db = database.connect(self.path)
        before = {r["url"]: r for r in site_columns(db, self.site)}
        new = [u for u in self.seen if u not in before]
        back = [u for u in self.seen if u in before and before[u]["vanished_at"]]
        gone = [u for u, r in before.items() if u not in self.seen and not r["vanished_at"]] if complete else []
        record_columns(db, self.site, self.seen, before, gone, stamp)
        db.conn.close()
        stats.set_value("budgets/columns", len(self.seen))
        stats.set_value("budgets/columns_new", len(new) if before else 0)
        stats.set_value("budgets/columns_vanished", len(gone))
        stats.set_value("budgets/columns_vanished_urls", gone)
        if before and (new or gone or back):
            print(f"[{self.site}] columns: {len(self.seen)} found, {len(new)} new, {len(back)} back, "
                  f"{len(gone)} vanished" + "".join(f"\n  new: {u}" for u in new[:20])
                  + "".join(f"\n  vanished: {u}" for u in gone[:20]), file=sys.stderr, flush=True)
