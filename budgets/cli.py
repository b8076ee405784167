"""`budgets` command line: a thin layer over the library."""
from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from budgets.db import DEFAULT_DB, DatabaseError


class CommandError(Exception):
    """A command could not do its job; the message is the one-line reason."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budgets", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name, help_text):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite database (default: %(default)s)")
        return p

    p = command("ingest", "extract and load local files or folders")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--strict", action="store_true", help="exit non-zero if any document failed")
    p.set_defaults(run="budgets.commands.ingest:run")

    p = command("crawl", "crawl configured sites, store raw files, extract, load")
    p.add_argument("--site", action="append", default=[], help="site name (repeatable)")
    p.add_argument("--all", action="store_true", help="every configured site")
    p.add_argument("--year", type=int, help="only disclosures for this fiscal year")
    p.add_argument("--strict", action="store_true")
    p.set_defaults(run="budgets.commands.crawl:run")

    p = command("audit", "recompute the findings table")
    p.add_argument("--explain", metavar="CHECK", help="print what CHECK compares (docs/AUDIT.md) and exit")
    p.set_defaults(run="budgets.commands.audit:run")

    p = command("serve", "Datasette over the database")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--host", default="127.0.0.1")
    p.set_defaults(run="budgets.commands.serve:run")

    p = command("demo", "serve the bundled disclosure site, crawl it, extract, audit, serve Datasette")
    p.add_argument("--no-serve", action="store_true", help="stop after loading")
    p.add_argument("--port", type=int, default=8001)
    p.set_defaults(run="budgets.commands.demo:run")

    p = command("nightly", "incremental crawl of all sites, extract, audit, summary")
    p.add_argument("--site", action="append", default=[], help="only this site (repeatable; default: all)")
    p.add_argument("--replica", action="append", default=[], metavar="SITE=HOST:PORT",
                   help="crawl a rebuilt copy of SITE served at HOST:PORT (tests, the demo)")
    p.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                   help="a Scrapy setting for this run (repeatable)")
    p.add_argument("--redis", metavar="URL",
                   help="share the frontier with other crawler processes through Redis (scrapy-redis)")
    p.add_argument("--workers", type=int, default=1,
                   help="crawler processes per site on the shared frontier (with --redis)")
    p.add_argument("--processes", type=int, default=0,
                   help="extract documents in a pool of this many processes (default: one thread)")
    p.set_defaults(run="budgets.commands.nightly:run")

    p = command("merge", "merge other budgets databases (e.g. other crawler machines') into --db")
    p.add_argument("sources", nargs="+", type=Path, metavar="SOURCE.db")
    p.set_defaults(run="budgets.commands.merge:run")

    p = command("smoke", "check a site config against the live site: a few bounded requests, nothing stored")
    p.add_argument("--site", required=True)
    p.add_argument("--save", type=Path, metavar="DIR", help="keep the pages fetched (to become a replica fixture)")
    p.add_argument("--max-requests", type=int, default=30)
    p.add_argument("--max-seconds", type=float, default=90)
    p.add_argument("--replica", metavar="HOST:PORT", help="ask a rebuilt copy at HOST:PORT instead (tests)")
    p.set_defaults(run="budgets.commands.smoke:run")

    p = command("sites", "list configured sites and their last crawl")
    p.set_defaults(run="budgets.commands.sites:run")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    module_name, func_name = args.run.split(":")
    import importlib

    try:
        run = getattr(importlib.import_module(module_name), func_name)
        return int(run(args) or 0)
    except (CommandError, DatabaseError) as exc:
        print(f"budgets {args.command}: {exc}", file=sys.stderr)
        return 2
    except (sqlite3.Error, OSError) as exc:  # disk full, database locked or corrupt mid-run
        hint = " (another command is writing it: wait for that one to finish)" if "locked" in str(exc) else ""
        print(f"budgets {args.command}: cannot write {getattr(args, 'db', 'the database')}: {exc}{hint}. "
              "Every document loaded before this one is intact; fix the cause and run the command "
              "again.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"budgets {args.command}: interrupted", file=sys.stderr)
        return 130
