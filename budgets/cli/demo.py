"""`budgets demo [--no-serve]`: serve the bundled disclosure site on 127.0.0.1, crawl it with
the real spider, extract and load, audit (as every crawl does), then serve Datasette."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from budgets import db as database
from budgets.cli import CommandError

# The demo site is on loopback: no need to wait between requests. Everything else (robots.txt,
# retries, timeouts) stays as in a real crawl.
DEMO_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_START_DELAY": 0.05,
    "AUTOTHROTTLE_MAX_DELAY": 0.1,
    "RETRY_BACKOFF_BASE": 0.2,
}


def loaded(db_path: Path) -> str:
    db = database.connect(db_path)
    by_status = db.execute("SELECT status, count(*) FROM documents GROUP BY status ORDER BY status").fetchall()
    lines = db.execute("SELECT count(*) FROM budget_lines").fetchone()[0]
    db.conn.close()
    documents = ", ".join(f"{n} {status}" for status, n in by_status)
    return f"{db_path}: documents {documents}; {lines} budget lines"


def run(args) -> int:
    from crawler.demo.server import SiteServer
    from crawler.demo.site import build
    from crawler.run import run_crawls

    with SiteServer(build()) as site:
        print(f"demo disclosure site at {site.base_url}", flush=True)
        runs, audit = run_crawls([("demo", {"replica": f"127.0.0.1:{site.port}"})], args.db,
                                 overrides=DEMO_SETTINGS)
    if not runs or runs[-1]["status"] == "failed":
        raise CommandError("the demo crawl found nothing; see the messages above")
    print(f"crawl {runs[-1]['status']}: {runs[-1]['message']}")
    if audit:
        print(audit)
    print(loaded(args.db), flush=True)
    if args.no_serve:
        return 0
    from budgets.cli.serve import datasette_command

    print(f"serving {args.db} at http://127.0.0.1:{args.port}/ (Ctrl-C to stop)", flush=True)
    # Become Datasette: the crawl's signal handlers go with this process, so Ctrl-C and
    # SIGTERM reach the server directly and no child is left behind.
    command = datasette_command(Path(args.db), "127.0.0.1", args.port)
    sys.stderr.flush()
    os.execv(command[0], command)
