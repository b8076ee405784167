"""What crawls record of themselves: one `crawl_runs` row per crawl of a site, and the `columns`
table of the 预算/决算 columns each site was found to have (crawler/columns.py decides what is new
or vanished; it is written here)."""
from __future__ import annotations


def record_run(db, run: dict) -> int:
    """Add one crawl's row; its id."""
    return db["crawl_runs"].insert(run).last_pk


def last_complete_run(db, site: str) -> dict | None:
    """The site's last crawl that finished whole (not resumed, not a single year)."""
    cursor = db.execute(
        "SELECT * FROM crawl_runs WHERE site = ? AND status != 'failed' AND coalesce(resumed, 0) = 0 "
        "ORDER BY id DESC LIMIT 1", [site])
    row = cursor.fetchone()
    return dict(zip([c[0] for c in cursor.description], row)) if row else None


def last_run_id(db) -> int:
    return db.execute("SELECT coalesce(max(id), 0) FROM crawl_runs").fetchone()[0]


def runs_after(db, run_id: int) -> list[dict]:
    """The crawls recorded after `run_id`, oldest first."""
    return [dict(r) for r in db["crawl_runs"].rows_where("id > ?", [run_id], order_by="id")]


def site_columns(db, site: str) -> list[dict]:
    return list(db["columns"].rows_where("site = ?", [site]))


def record_columns(db, site: str, seen: dict[str, dict], before: dict[str, dict], gone: list[str],
                   stamp: str) -> None:
    """One transaction: the columns seen (url → unit, stage, found_from) are current at `stamp`,
    keeping what `before` knew of them; those `gone` vanished at `stamp`."""
    with db.conn:
        for url, row in seen.items():
            old = before.get(url, {})
            db["columns"].upsert({
                "site": site, "url": url,
                "unit": row["unit"] or old.get("unit") or "", "stage": row["stage"] or old.get("stage") or "",
                "found_from": old.get("found_from") or row["found_from"],
                "first_seen_at": old.get("first_seen_at") or stamp, "last_seen_at": stamp, "vanished_at": None,
            }, pk=("site", "url"))
        for url in gone:
            db.execute("UPDATE columns SET vanished_at = ? WHERE site = ? AND url = ?", [stamp, site, url])
