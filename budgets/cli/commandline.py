"""`budgets`: crawl, extract, audit and publish district budget and final-account disclosures.

A thin layer over the library, on click: each sub-command parses its options here and hands
them, as attributes of one object, to `run(args)` in budgets/cli/<name>.py."""
from __future__ import annotations

import importlib
import sqlite3
import sys
import warnings
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

import click

from budgets.db import BATCH_DOCUMENTS, DEFAULT_DB, DatabaseError


class CommandError(Exception):
    """A command could not do its job; the message is the one-line reason."""


def version() -> str:
    try:
        return metadata.version("district-budgets")
    except metadata.PackageNotFoundError:  # a checkout that was never installed
        import tomllib

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


def require_database(path: Path) -> None:
    """Commands that read a database refuse a missing one (instead of creating an empty one)."""
    if not Path(path).exists():
        raise CommandError(f"no database at {path}: run 'budgets ingest', 'budgets crawl' or "
                           "'budgets demo' first, or name the right one with --db PATH")
    if Path(path).is_dir():
        raise CommandError(f"{path} is a folder, not a database file")


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Budgets(click.Group):
    """Lists the sub-commands in the order they are defined (the order of a typical run)."""

    def list_commands(self, ctx):
        return list(self.commands)


@click.group(cls=Budgets, context_settings=CONTEXT, epilog="""\b
Examples:
  budgets demo                          crawl the bundled demo site and serve the result
  budgets ingest ../shared/seed         load local files or folders
  budgets crawl --site cqtn             crawl one configured site
  budgets serve --port 8001             publish the database with Datasette
Run 'budgets COMMAND --help' for a command's options and examples.""")
@click.version_option(version(), "-V", "--version", prog_name="budgets",
                      message="%(prog)s (district-budgets) %(version)s")
def cli():
    """Crawl, extract, audit and publish Chinese district budget and final-account
    disclosures (部门预算/决算公开) as one SQLite database served by Datasette.

    Every command takes --db PATH (default data/budgets.db) and exits non-zero with a
    one-line reason when it cannot do its job."""


def db_option(reads: bool = False, help_text: str | None = None):
    help_text = help_text or ("SQLite database to read; it must exist" if reads
                              else "SQLite database (created when missing)")
    return click.option("--db", type=click.Path(path_type=Path, dir_okay=not reads), default=DEFAULT_DB,
                        show_default=True, help=help_text)


def strict_option(what: str):
    return click.option("--strict", is_flag=True, help=f"exit non-zero if any {what} failed")


def invoke(command: str, **options):
    """Run budgets.cli.<command>.run with the parsed options as attributes."""
    run = getattr(importlib.import_module(f"budgets.cli.{command}"), "run")
    return int(run(SimpleNamespace(command=command, **options)) or 0)


def _listed(values) -> list:
    return list(values or ())


@cli.command(context_settings=CONTEXT, epilog="""\b
Examples:
  budgets ingest ../shared/seed/潼南区大数据局2026年部门预算.txt
  budgets ingest data/raw --db data/budgets.db   re-read every stored file
  budgets ingest report.pdf tables.xlsx --strict""")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option()
@strict_option("document")
@click.option("--batch", type=click.IntRange(min=1), default=BATCH_DOCUMENTS, show_default=True, metavar="N",
              help="documents loaded per transaction at most; what a killed run loses and reads again")
def ingest(paths, db, strict, batch):
    """Extract and load local files or folders without crawling.

    Reads html, pdf, xls, xlsx, et, doc, docx, wps, zip and text dumps; a folder is read
    recursively (links that leave it and entries that are not regular files are skipped and
    reported). Each file gets one line on stderr; the summary and the audit go to stdout.
    A run that fails before loading anything leaves no new database file behind."""
    return invoke("ingest", paths=_listed(paths), db=db, strict=strict, batch=batch)


@cli.command(context_settings=CONTEXT, epilog="""\b
Examples:
  budgets ingest ../shared/cities-2026 --db /tmp/cities.db && budgets health --db /tmp/cities.db
  budgets health --documents           one line per document too
  budgets health --misses              every row and parent that does not add up, with its page""")
@click.option("--documents", is_flag=True, help="also one line per document")
@click.option("--misses", is_flag=True, help="list each identity that fails: document, page, table, row")
@click.option("--json", "as_json", is_flag=True, help="the whole report as JSON")
@db_option(reads=True)
def health(documents, misses, as_json, db):
    """How well the loaded tables agree with the documents' own arithmetic.

    Per group of documents (the city a file name starts with, '广州__…', else the district)
    and in all: rows where 合计 = 基本支出 + 项目支出 holds, parents equal to the sum of their
    children, column-number rows loaded as amounts, unplaced cells, lines without a code in
    coded tables, doubtful tables, document statuses and the audit's errors. Run it on a
    corpus before and after a change to the readers."""
    require_database(db)
    return invoke("health", documents=documents, misses=misses, json=as_json, db=db)


@cli.command(context_settings=CONTEXT, epilog="""\b
Examples:
  budgets crawl --site cqtn
  budgets crawl --site cqtn --site jiangjin --year 2026
  budgets crawl --all --db /srv/budgets/budgets.db
  budgets crawl --home https://czj.gz.gov.cn/ --name guangzhou-czj   a site from its home URL alone
Network failures (DNS, connection refused, unreachable) are reported as one line per host.""")
@click.option("--site", "site", multiple=True, metavar="NAME",
              help="site config to crawl (repeatable; 'budgets sites' lists them)")
@click.option("--all", "all_", is_flag=True, help="every usable configured site (not the demo)")
@click.option("--home", metavar="URL", help="a site no config describes, from its home URL alone "
              "(columns discovered, allowed hosts inferred and printed)")
@click.option("--name", metavar="NAME", help="with --home: the name to record the site under "
              "[default: its registrable domain]")
@click.option("--year", type=int, metavar="YEAR", help="only disclosures for this fiscal year")
@db_option()
@strict_option("document")
def crawl(site, all_, home, name, year, db, strict):
    """Crawl configured sites, store raw files, extract and load.

    Runs the disclosures spider (the same as 'scrapy crawl disclosures -a site=NAME'),
    stores each file under raw/<site>/ beside the database, loads what it holds and audits
    what came in. Polite: robots.txt, per-site delays and retries with back-off."""
    return invoke("crawl", site=_listed(site), all=all_, home=home, name=name, year=year, db=db, strict=strict)


@cli.command(context_settings=CONTEXT, epilog="""\b
Examples:
  budgets audit
  budgets audit --db data/budgets.db
  budgets audit --explain comparison_word   what one check compares""")
@click.option("--explain", metavar="CHECK", help="print what CHECK compares (docs/AUDIT.md) and exit")
@db_option(reads=True)
def audit(explain, db):
    """Recompute the findings table from what is loaded.

    Every check (arithmetic identities, hierarchy sums, cross-table and year-over-year
    comparisons, narrative against tables) runs over every document; the summary counts the
    findings by severity and by check."""
    if not explain:
        require_database(db)
    return invoke("audit", explain=explain, db=db)


@cli.command(context_settings=CONTEXT, epilog="""\b
Examples:
  budgets serve
  budgets serve --db data/budgets.db --port 8080
  budgets serve --host 0.0.0.0          listen on every interface (a public deployment)
  budgets serve --robots robots.txt     let crawlers in, as that file says""")
@click.option("--port", type=int, default=8001, show_default=True, help="port to listen on")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to listen on (loopback unless told otherwise)")
@click.option("--robots", type=click.Path(exists=True, dir_okay=False), envvar="BUDGETS_ROBOTS",
              help="robots.txt to serve instead of the default, which disallows every crawler")
@db_option(reads=True)
def serve(port, host, robots, db):
    """Datasette over the database, read-only.

    Serves the database (opened immutable, published as /budgets) with the canned queries,
    charts, templates and plugins the package ships. A database loaded without being
    prepared for publishing is prepared first."""
    require_database(db)
    return invoke("serve", port=port, host=host, robots=robots, db=db)


@cli.command(context_settings=CONTEXT, epilog="""\b
Examples:
  budgets demo                          crawl, load, then serve at http://127.0.0.1:8001/
  budgets demo --no-serve --db /tmp/demo.db""")
@click.option("--no-serve", "no_serve", is_flag=True, help="stop after loading (do not start Datasette)")
@click.option("--port", type=int, default=8001, show_default=True, help="port Datasette listens on")
@db_option()
def demo(no_serve, port, db):
    """Crawl the bundled demo site, load, audit, then serve it.

    Serves the bundled disclosure site, crawls it, extracts, audits, then serves Datasette.

    The demo site runs on 127.0.0.1 with the seed disclosure as a page and as office files;
    it is crawled with the real spider, the same way as a configured site."""
    return invoke("demo", no_serve=no_serve, port=port, db=db)


@cli.command(context_settings=CONTEXT, epilog="""\b
Examples:
  budgets nightly
  budgets nightly --site cqtn -s DOWNLOAD_DELAY=5
  budgets nightly --replica cqtn=127.0.0.1:8765       a rebuilt copy (tests)
  budgets nightly --redis redis://localhost:6379/0 --workers 3
Exit status: 0 when all is well, 1 when a monitor raised an alert or a crawl did not finish.""")
@click.option("--site", "site", multiple=True, metavar="NAME",
              help="only this site (repeatable)  [default: every usable site]")
@click.option("--replica", multiple=True, metavar="SITE=HOST:PORT",
              help="crawl a rebuilt copy of SITE served at HOST:PORT (tests, the demo; repeatable)")
@click.option("-s", "--set", "set_", multiple=True, metavar="NAME=VALUE",
              help="a Scrapy setting for this run (repeatable)")
@click.option("--redis", metavar="URL",
              help="share the frontier with other crawler processes through Redis (scrapy-redis)")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="crawler processes per site on the shared frontier (with --redis)")
@click.option("--processes", type=click.IntRange(min=0), default=0, show_default=True,
              help="extract documents in a pool of this many processes (0: one thread)")
@db_option()
def nightly(site, replica, set_, redis, workers, processes, db):
    """Incremental crawl of every site, then audit and publish.

    Extracts only what is new or changed.

    Loads into <db>.building and replaces the published file in one rename at the end; a run
    started after a killed one continues it. Prints a summary per site and the alerts that
    need a person."""
    return invoke("nightly", site=_listed(site), replica=_listed(replica), set=_listed(set_), redis=redis,
                  workers=workers, processes=processes, db=db)


@cli.command(context_settings=CONTEXT, epilog="""\b
Examples:
  budgets merge machine2.db machine3.db --db data/budgets.db""")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE.db...",
                type=click.Path(path_type=Path))
@db_option()
def merge(sources, db):
    """Merge other budgets databases into --db.

    For example those of other crawler machines sharing one frontier.

    Each source's documents, lines, crawl runs and revisions come in once; what came in is
    audited. Exits 1 when a source could not be merged."""
    return invoke("merge", sources=_listed(sources), db=db)


@cli.command(context_settings=CONTEXT, epilog="""\b
Examples:
  budgets smoke --site cqtn
  budgets smoke --site cqtn --save fixtures/cqtn --max-requests 50""")
@click.option("--site", required=True, metavar="NAME", help="site config to check")
@click.option("--save", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="keep the pages fetched (to become a replica fixture)")
@click.option("--max-requests", "max_requests", type=int, default=30, show_default=True,
              help="stop after this many requests")
@click.option("--max-seconds", "max_seconds", type=float, default=90, show_default=True,
              help="stop after this many seconds")
@click.option("--replica", metavar="HOST:PORT", help="ask a rebuilt copy at HOST:PORT instead (tests)")
@db_option(help_text="not read and not written: smoke stores nothing (taken, like every command's --db)")
def smoke(site, save, max_requests, max_seconds, replica, db):
    """Check a site config against the live site.

    A few bounded requests; nothing is stored.

    Prints, per column, the answer, link counts per rule, the first titles with their years,
    the attachment types of two disclosure pages, and a verdict. Exits 1 unless every column
    is OK."""
    return invoke("smoke", site=site, save=save, max_requests=max_requests, max_seconds=max_seconds,
                  replica=replica, db=db)


@cli.command(context_settings=CONTEXT, epilog="""\b
Examples:
  budgets links saved.html --url https://www.wenzhou.gov.cn/col/col1218667/index.html
  budgets links saved.html --url URL --json
  budgets links saved.html --url URL --site cqtn --as column""")
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="the address the page was saved from (its links resolve against it)")
@click.option("--site", help="read it with this site config (default: a site from the page's URL alone)")
@click.option("--as", "role", type=click.Choice(["discovery", "column", "detail"]),
              help="read it as a page on the way, a column's list or a disclosure page "
                   "(default: as the spider reads a page it starts from)")
@click.option("--year", type=int, help="only disclosures of this year, as 'budgets crawl --year'")
@click.option("--json", "as_json", is_flag=True, help="one JSON object instead of lines")
def links(page, url, site, role, year, as_json):
    """Show what the crawler makes of every link of a saved page.

    Each link is a column (and its stage), followed on the way to the columns, a disclosure
    page, an attachment, another page of the column, or dropped, with the rule that decided
    it. Nothing is fetched."""
    return invoke("links", page=page, url=url, site=site, role=role, year=year, as_json=as_json)


@cli.command(context_settings=CONTEXT, epilog="""\b
Examples:
  budgets sites
  budgets sites --db /srv/budgets/budgets.db""")
@db_option(reads=True)
def sites(db):
    """List configured sites and their last crawl.

    One row per site config: name, district, kind of site, columns, whether it was verified
    live, and how its last crawl in --db went (status, counts, the last error). Without a
    database yet, every site is listed as never crawled."""
    source = click.get_current_context().get_parameter_source("db")
    if source is not click.core.ParameterSource.DEFAULT or Path(db).exists():
        require_database(db)  # a --db named on the command line must exist (a typo is not "never crawled")
    return invoke("sites", db=db)


@cli.command(context_settings=CONTEXT, epilog="""\b
Examples:
  budgets export --format csv --out exports/
  budgets export --format csv --no-bom --out exports/   for tools that do not expect a BOM
  budgets export --format parquet --out exports/ --db data/budgets.db
  budgets export --format xlsx --out exports/""")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "xlsx"]), default="csv",
              show_default=True, help="file format of the exported views; parquet needs the export extra "
                                      "(pyarrow): pip install 'district-budgets[export]'")
@click.option("--bom/--no-bom", default=True, show_default=True,
              help="start each CSV file with a UTF-8 byte order mark, so that Excel reads its Chinese")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, metavar="DIR",
              help="folder to write into (created when missing)")
@db_option(reads=True)
def export(fmt, bom, out, db):
    """Export the published views as files.

    CSV, Parquet or XLSX, with a datapackage.json (frictionless) describing them. CSV files
    start with a byte order mark (--no-bom leaves it out); XLSX amounts show the decimals
    their tables printed.

    The views pick one copy per disclosure, so each figure is exported once."""
    require_database(db)
    return invoke("export", fmt=fmt, bom=bom, out=out, db=db)


def build_parser():
    """Parses a command line into the object a command's run() gets, without running it (for
    callers that want to check what a command line means)."""
    return _Parser()


class _Parser:
    def parse_args(self, argv: list[str]) -> SimpleNamespace:
        argv = list(argv)
        with cli.make_context("budgets", argv, resilient_parsing=False) as ctx:
            with warnings.catch_warnings():  # click 8.2 moves the sub-command's name into args
                warnings.simplefilter("ignore", DeprecationWarning)
                tokens = list(getattr(ctx, "protected_args", [])) + list(ctx.args)
            name, command, rest = cli.resolve_command(ctx, tokens)
            sub = command.make_context(name, rest, parent=ctx)
            params = dict(sub.params)
        renames = {"all_": "all", "set_": "set"}
        params = {renames.get(k, k): (list(v) if isinstance(v, tuple) else v) for k, v in params.items()}
        return SimpleNamespace(command=name, **params)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = next((a for a in argv if not a.startswith("-")), "budgets")
    try:
        return int(cli.main(argv, prog_name="budgets", standalone_mode=False) or 0)
    except click.exceptions.Abort:
        print(f"budgets {command}: interrupted", file=sys.stderr)
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:  # bad usage: the usage line and one line of reason
        exc.show(file=sys.stderr)
        return exc.exit_code
    except (CommandError, DatabaseError) as exc:
        print(f"budgets {command}: {exc}", file=sys.stderr)
        return 2
    except (sqlite3.Error, OSError) as exc:  # disk full, database locked or corrupt mid-run
        hint = " (another command is writing it: wait for that one to finish)" if "locked" in str(exc) else ""
        db = _db_of(argv)
        print(f"budgets {command}: cannot write {db}: {exc}{hint}. "
              "Every document loaded before is intact; those read but not yet loaded are read "
              "again by the next run: fix the cause and run the command again.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"budgets {command}: interrupted", file=sys.stderr)
        return 130


def _db_of(argv: list[str]) -> str:
    for n, arg in enumerate(argv):
        if arg == "--db" and n + 1 < len(argv):
            return argv[n + 1]
        if arg.startswith("--db="):
            return arg[5:]
    return "the database"
