"""`budgets nightly`: crawl every configured site incrementally, extract only what is new or
changed, audit the disclosures it touched, publish, and say whether anything needs a person.

    budgets nightly [--site NAME ...] [--replica NAME=HOST:PORT ...] [-s SETTING=VALUE ...]

- Then, as after every crawl (the crawl ledger, crawler/extensions.py, runs budgets/afterload/
  when the crawls close): reference tables, the audit of the documents this run loaded,
  Datasette's extras; once more at the end for what the shared-crawl withdrawals or a killed
  run left (a no-op otherwise).
- Incremental: documents are asked for with If-None-Match / If-Modified-Since and list pages
  go through Scrapy's HTTP cache (crawler/incremental.py); bytes already stored are not
  extracted again; changed bytes at a URL become a new revision, unlinked documents are marked
  withdrawn (budgets/revisions.py).
- Build, then swap: the run loads into `<db>.building` (a copy of the published database) and
  replaces the published file with one atomic rename at the end, so `budgets serve` (Datasette,
  immutable) never reads a database that is being written.
- Safe to kill: each site's frontier is kept in `<db dir>/jobs/<site>` (Scrapy JOBDIR) and each
  document loads in one transaction. A run started after a killed one continues the same
  `.building` database and frontier, then sweeps the site once more (cheap: conditional
  requests), so nothing a killed run had in flight is lost.
- Exit status: 0 when all is well, 1 when a monitor (crawler/monitors.py) raised an alert or a
  crawl did not finish; the summary says which site and why.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from budgets import db as database
from budgets.afterload import settle
from budgets.cli import CommandError

ERROR_RATE = 0.2  # as the monitors' BUDGETS_ALERT_ERROR_RATE, for crawls shared by several workers
SUMMARY_COUNTS = ("requests", "responses_not_modified", "bytes_downloaded", "documents_new",
                  "documents_changed", "documents_unchanged", "documents_same_bytes", "documents_withdrawn",
                  "documents_failed",
                  "documents_extracted", "duration_s")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Paths:
    """Where one database's nightly runs keep their state."""

    published: Path

    @property
    def building(self) -> Path:
        return self.published.with_name(self.published.name + ".building")

    @property
    def state(self) -> Path:  # when the run that made `building` started, and its first run id
        return self.published.with_name(self.published.name + ".building.json")

    @property
    def lock(self) -> Path:
        return self.published.with_name(self.published.name + ".nightly.lock")

    @property
    def jobs(self) -> Path:
        return self.published.parent / "jobs"

    @property
    def httpcache(self) -> Path:
        return self.published.parent / "httpcache"

    def jobdir(self, site: str) -> Path:
        return self.jobs / site


# --- the database being built ------------------------------------------------------------------

@contextmanager
def exclusive(lock_path: Path):
    """One nightly run per database at a time."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CommandError(f"another nightly run is working on {lock_path.parent}") from None
        yield


def start_building(paths: Paths) -> dict:
    """Open (or, after a killed run, reopen) `<db>.building`; returns the run state."""
    if paths.building.exists() and paths.state.exists():
        state = json.loads(paths.state.read_text())
        state["resumed"] = True
        state["attempt"] = state.get("attempt", 1) + 1
        paths.state.write_text(json.dumps(state))
        return state
    paths.building.unlink(missing_ok=True)
    if paths.published.exists():
        copy_database(paths.published, paths.building)
    db = database.connect(paths.building)  # creates the schema, or adds what a newer one has
    first_run = db.execute("SELECT coalesce(max(id), 0) + 1 FROM crawl_runs").fetchone()[0]
    db.conn.close()
    state = {"started_at": now(), "first_run_id": first_run, "resumed": False, "attempt": 1}
    paths.state.write_text(json.dumps(state))
    return state


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy, even while another connection reads `source`."""
    src = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def publish(paths: Paths) -> None:
    """Replace the published database with a snapshot of the built one in one rename. Readers
    that have the old file open keep reading it whole; whoever opens the path next gets the new
    one. (A snapshot, not the built file itself: the crawl's connections may still be open.)"""
    ready = paths.published.with_name(paths.published.name + ".ready")
    ready.unlink(missing_ok=True)
    copy_database(paths.building, ready)
    conn = sqlite3.connect(str(ready))
    conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, as Datasette -i wants
    conn.close()
    if paths.published.exists():  # no write-ahead log may outlive the file it belongs to
        old = sqlite3.connect(str(paths.published))
        old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        old.close()
    for suffix in ("-wal", "-shm"):
        paths.published.with_name(paths.published.name + suffix).unlink(missing_ok=True)
    os.replace(ready, paths.published)
    for leftover in (paths.building, paths.state, *(paths.building.with_name(paths.building.name + s)
                                                    for s in ("-wal", "-shm", ".settle.lock"))):
        leftover.unlink(missing_ok=True)


# --- crawling ----------------------------------------------------------------------------------

def parse_assignments(values: list[str], what: str) -> dict[str, str]:
    """['NAME=VALUE', ...] → {NAME: VALUE}."""
    out = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name:
            raise CommandError(f"{what} takes NAME=VALUE, not {value!r}")
        out[name.strip()] = rest.strip()
    return out


def choose_sites(names: list[str]) -> list[str]:
    from crawler import sites

    configured = sites.names()
    if not names:
        return sites.usable_names()  # not the demo (no host of its own), nor configs with no host yet
    unknown = [n for n in names if n not in configured]
    if unknown:
        raise CommandError(f"no site called {', '.join(unknown)}; configured: {', '.join(configured)}")
    return names


def nightly_settings(paths: Paths, overrides: dict[str, str], redis_url: str | None = None,
                     processes: int = 0, frontier_run: str | None = None) -> dict:
    settings = {
        "HTTPCACHE_ENABLED": True,
        "HTTPCACHE_DIR": str(paths.httpcache.resolve()),
        "BUDGETS_RAW_DIR": str((paths.published.parent / "raw").resolve()),
    }
    if processes > 0:
        from scrapy.settings import Settings

        from crawler.scaleout import pooled_pipelines

        project = Settings()
        project.setmodule("crawler.settings")
        settings["ITEM_PIPELINES"] = pooled_pipelines(project)
        settings["BUDGETS_EXTRACT_PROCESSES"] = processes
    if redis_url:
        from crawler.scaleout import redis_settings

        # a run started again after being killed gets a fresh shared frontier: what the killed
        # run had in flight is lost from the old one, and the re-crawl costs only 304s
        settings.update(redis_settings(redis_url, frontier_run))
    settings.update(overrides)
    return settings


def site_spider(site: str, jobdir: Path | None, sweep_follows: bool = False):
    """The disclosures spider with this site's frontier kept in `jobdir`; `sweep_follows` tells
    its monitors that a sweep of the whole site comes after it and is judged instead."""
    from crawler.spiders.disclosures import DisclosuresSpider

    custom = {"JOBDIR": str(jobdir)} if jobdir else {}
    if sweep_follows:
        custom["BUDGETS_SWEEP_FOLLOWS"] = True
    return type(f"DisclosuresSpider_{site}", (DisclosuresSpider,), {"custom_settings": custom})


def worker_command(site: str, db: Path, replica: str | None, settings: dict) -> list[str]:
    """Another crawler process on the same shared frontier (`--workers`)."""
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosures", "-a", f"site={site}",
               "-s", f"BUDGETS_DB={db}"]
    if replica:
        command += ["-a", f"replica={replica}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={json.dumps(value) if isinstance(value, dict) else value}"]
    return command


def crawl_sites(paths: Paths, names: list[str], replicas: dict[str, str], settings: dict,
                use_jobdir: bool = True) -> tuple[dict[str, str], str]:
    """Crawl every site at once, in this process (politely: per-site limits apply). A site
    whose frontier a killed run left behind is resumed, then swept once more. Returns site →
    finish reason, and what settling the database did when the crawls closed."""
    from crawler.coverage import holds_a_frontier
    from crawler.run import crawl_settings, quiet_command_logs, settled
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(crawl_settings(paths.building, settings), install_root_handler=False)
    quiet_command_logs()
    reasons: dict[str, str] = {}
    crawlers = []

    def run(name: str, sweep_after: bool):
        jobdir = paths.jobdir(name) if use_jobdir else None
        options = {"replica": replicas[name]} if name in replicas else {}
        spidercls = site_spider(name, jobdir, sweep_follows=sweep_after)
        crawler = process.create_crawler(spidercls)
        crawlers.append(crawler)
        deferred = process.crawl(crawler, site=name, **options)

        def finished(_):
            reason = crawler.stats.get_value("finish_reason") or "failed"
            reasons[name] = reason
            if reason == "finished" and jobdir:
                shutil.rmtree(jobdir, ignore_errors=True)
            if reason == "finished" and sweep_after:
                print(f"[{name}] resumed crawl finished; sweeping the site once more", file=sys.stderr,
                      flush=True)
                return run(name, sweep_after=False)
            return None

        return deferred.addCallback(finished)

    for name in names:
        resumed = use_jobdir and holds_a_frontier(paths.jobdir(name))
        if use_jobdir and not resumed:
            # one judgement of "resumed" for this command and the crawl's monitors (see holds_a_frontier)
            shutil.rmtree(paths.jobdir(name), ignore_errors=True)
        run(name, sweep_after=resumed)
    process.start()
    return reasons, settled(crawlers)


def crawl_with_workers(paths: Paths, names: list[str], replicas: dict[str, str], settings: dict,
                       workers: int, first_run_id: int) -> dict[str, str]:
    """`workers` crawler processes per site, started together on the shared frontier (so none
    has a head start that leaves the others nothing). Returns site → finish reason: finished
    when every worker's crawl finished."""
    import subprocess

    root = Path(__file__).resolve().parents[2]
    processes = [subprocess.Popen(worker_command(name, paths.building, replicas.get(name),
                                                 {"LOG_LEVEL": "WARNING", **settings}), cwd=root)
                 for name in names for _ in range(workers)]
    failed = [p for p in processes if p.wait() != 0]
    conn = sqlite3.connect(str(paths.building))
    try:
        rows = this_run(conn, first_run_id)
    finally:
        conn.close()
    reasons = {}
    for name in names:
        mine = [r for r in rows if r["site"] == name]
        finished = len(mine) == workers and all((r["message"] or "").startswith("finished") for r in mine)
        reasons[name] = "finished" if finished and not failed else "a worker did not finish"
    return reasons


# --- after the crawl ---------------------------------------------------------------------------

def withdraw_after_shared_crawl(paths: Paths, reasons: dict[str, str], settings: dict, workers: int,
                                first_run_id: int) -> None:
    """Each worker of a shared crawl saw only part of the site; together they saw all of it when
    every one finished its walk (crawler.scaleout.shared_withdrawals). The withdrawals are counted
    on the site's last crawl_runs row of this run."""
    from crawler.scaleout import shared_withdrawals

    db = database.connect(paths.building)
    try:
        for site in (name for name, reason in reasons.items() if reason == "finished"):
            withdrawn = shared_withdrawals(db.conn, settings["REDIS_URL"], settings["BUDGETS_FRONTIER_RUN"],
                                           site, workers)
            last = db.execute("SELECT max(id) FROM crawl_runs WHERE site = ? AND id >= ?",
                              [site, first_run_id]).fetchone()[0]
            if last is not None:
                db["crawl_runs"].update(last, {"documents_withdrawn": len(withdrawn)})
            for url in withdrawn:
                print(f"[{site}] withdrawn {url}", file=sys.stderr, flush=True)
    finally:
        db.conn.close()


def this_run(conn, first_run_id: int) -> list[dict]:
    cursor = conn.execute("SELECT * FROM crawl_runs WHERE id >= ? ORDER BY id", [first_run_id])
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def alerts_of(runs: list[dict], reasons: dict[str, str]) -> list[str]:
    out = []
    for site, reason in reasons.items():
        if reason != "finished":
            out.append(f"{site}: the crawl did not finish ({reason}); the next run continues it")
    for run in runs:
        for alert in json.loads(run.get("alerts") or "[]"):
            out.append(f"{run['site']}: {alert}")
    found: dict[str, int] = {}
    for run in runs:  # several rows per site when several workers shared its frontier
        found[run["site"]] = found.get(run["site"], 0) + sum(
            run.get(k) or 0 for k in ("documents_new", "documents_changed", "documents_unchanged",
                                      "documents_same_bytes", "documents_failed"))
    out += [f"{site}: no documents at all this run" for site, n in found.items()
            if n == 0 and not any(site in a for a in out)]
    for site in found:  # several workers: their error rates only mean something summed
        rows = [r for r in runs if r["site"] == site]
        errors, requests = (sum(r.get(k) or 0 for r in rows) for k in ("errors", "requests"))
        if len(rows) > 1 and requests and errors / requests > ERROR_RATE:
            out.append(f"{site}: {errors} of {requests} requests failed ({errors / requests:.0%})")
    return out


def summary(runs: list[dict]) -> str:
    """One line per site crawl, then the totals."""
    def line(label: str, r: dict) -> str:
        same = f"{r['documents_same_bytes']} same bytes as another URL's / " if r.get("documents_same_bytes") else ""
        return (f"{label:<12} {r['requests'] or 0:>6} requests ({r['responses_not_modified'] or 0} not "
                f"modified), {(r['bytes_downloaded'] or 0) / 1e6:8.2f} MB, documents "
                f"{r['documents_new'] or 0} new / {r['documents_changed'] or 0} changed / "
                f"{r['documents_unchanged'] or 0} unchanged / {same}{r['documents_withdrawn'] or 0} withdrawn / "
                f"{r['documents_failed'] or 0} failed, {r['documents_extracted'] or 0} extracted, "
                f"{r['duration_s'] or 0:.1f} s")
    lines = [line(f"{r['site']}{' (resumed)' if r.get('resumed') else ''}", r) for r in runs]
    if len(runs) > 1:
        total = {k: sum(r.get(k) or 0 for r in runs) for k in SUMMARY_COUNTS}
        lines.append(line("total", total))
    return "\n".join(lines)


def run(args) -> int:
    paths = Paths(Path(args.db))
    names = choose_sites(args.site)
    replicas = parse_assignments(args.replica, "--replica")
    overrides = parse_assignments(args.set, "-s/--set")
    if args.workers > 1 and not args.redis:
        raise CommandError("--workers needs --redis URL: the workers share their frontier there")
    with exclusive(paths.lock):
        state = start_building(paths)
        if state["resumed"]:
            print(f"continuing the run started {state['started_at']} (it was interrupted)", flush=True)
        settings = nightly_settings(paths, overrides, args.redis, args.processes,
                                    frontier_run=f"{state['started_at']}-{state['attempt']}")
        if args.workers > 1:  # each worker's ledger settles when it closes
            reasons = crawl_with_workers(paths, names, replicas, settings, args.workers,
                                         state["first_run_id"])
            audited = ""
        else:
            reasons, audited = crawl_sites(paths, names, replicas, settings, use_jobdir=not args.redis)
        if args.redis:
            withdraw_after_shared_crawl(paths, reasons, settings, args.workers, state["first_run_id"])
        db = database.connect(paths.building)
        runs = this_run(db.conn, state["first_run_id"])
        # what the crawls' ledgers did not settle (a killed run's documents; nothing otherwise)
        audited = "; ".join(a for a in (audited, settle(db)) if a)
        print(audited or "audit: nothing new to check", flush=True)
        db.conn.close()
        print(summary(runs), flush=True)
        alerts = alerts_of(runs, reasons)
        if all(reason == "finished" for reason in reasons.values()):
            publish(paths)
            print(f"published {paths.published}", flush=True)
        else:
            print(f"not published: {paths.building} is kept for the next run", flush=True)
    if alerts:
        print(f"budgets nightly: {len(alerts)} problem(s) need a person:", file=sys.stderr)
        for alert in alerts:
            print(f"  - {alert}", file=sys.stderr)
        return 1
    return 0
