"""`budgets serve`: Datasette over the database, read-only, with the metadata.yml, plugins,
templates and static files the package ships (budgets/web/).

The database is opened immutable (no writes, no locks) and always published under the name
`budgets`, whatever its file is called, so that URLs such as /budgets/search are stable.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

from budgets.cli import CommandError
from budgets.web import WEB

DATABASE_NAME = "budgets"

SETTINGS = {
    "sql_time_limit_ms": 3000,  # arbitrary SQL is welcome, but cannot hog the server
    "facet_time_limit_ms": 500,
    "max_returned_rows": 5000,  # CSV export with _stream=on returns every row regardless
    "suggest_facets": False,  # suggestions scan big tables on every page view
    "allow_download": True,  # the whole SQLite file, for researchers who want it
    "default_cache_ttl": 300,
}


def build_datasette(db_path: Path | str, root: Path = WEB, robots: str | Path | None = None):
    """The configured Datasette application (not yet started) for one database file.

    `/robots.txt` disallows every crawler (datasette-block-robots; metadata.yml can configure
    it); `robots` names a robots.txt file to serve instead, for a deployment that wants to be
    indexed."""
    from datasette.app import Database, Datasette

    metadata_path = root / "metadata.yml"
    metadata = yaml.safe_load(metadata_path.read_text(encoding="utf-8")) if metadata_path.exists() else {}
    if robots:
        text = Path(robots).read_text(encoding="utf-8").strip()
        metadata.setdefault("plugins", {})["datasette-block-robots"] = {"literal": text}
    ds = Datasette(
        [],
        metadata=metadata,
        plugins_dir=str(root / "plugins"),
        template_dir=str(root / "templates"),
        static_mounts=[("static", str(root / "static"))],
        settings=SETTINGS,
    )
    ds.add_database(Database(ds, path=str(Path(db_path).resolve()), is_mutable=False), name=DATABASE_NAME)
    if "_memory" in ds.databases:  # added when no file is given; it would only confuse readers
        ds.remove_database("_memory")
    return ds


def make_ready(db_path: Path) -> None:
    """Before Datasette opens the file immutable: if a loader changed it without preparing it
    for publishing (reference lists, search tables, views), do that now; then fold the
    write-ahead log into the file, since an immutable reader ignores the -wal file."""
    import os

    from budgets import db as database
    from budgets.publish import checkpoint, is_prepared, prepare
    from budgets.reference import refresh

    if not os.access(db_path, os.W_OK):
        print(f"{db_path} is read-only: serving it as it is (prepare it where it can be written)",
              file=sys.stderr)
        return
    db = database.connect(db_path)
    try:
        if is_prepared(db):
            checkpoint(db.conn)
        else:
            print(f"preparing {db_path} for publishing: reference lists, search tables, views", flush=True)
            refresh(db)
            prepare(db)
    finally:
        db.conn.close()


def open_every_connection(ds) -> None:
    """Open now every connection Datasette will read the database with (one per SQL thread).
    Datasette opens them when a thread is first used, so a thread first used after `budgets
    nightly` renamed a new file over the database would read the new file while the others
    read the old one, and answers would flip between the two. Opened at the start, they all
    read the file as it was when the server started, until it is restarted."""
    import asyncio
    import threading

    threads = max(1, ds.setting("num_sql_threads"))
    # each thread waits until all have opened theirs, so no task can be run by a thread twice
    everyone_open = threading.Barrier(threads)

    async def open_all():
        database = ds.databases[DATABASE_NAME]
        await asyncio.gather(*(database.execute_fn(lambda conn: everyone_open.wait()) for _ in range(threads)))

    asyncio.run(open_all())


def datasette_command(db: Path, host: str, port: int) -> list[str]:
    """The command that serves `db`, for callers that run the server as a subprocess."""
    return [sys.executable, "-m", "budgets", "serve", "--db", str(db), "--host", host, "--port", str(port)]


def run(args) -> int:
    if not Path(args.db).exists():
        raise CommandError(f"no database at {args.db}: run 'budgets ingest' or 'budgets demo' first")
    import uvicorn

    try:
        ds = build_datasette(args.db, robots=getattr(args, "robots", None) or os.environ.get("BUDGETS_ROBOTS"))
    except (OSError, yaml.YAMLError) as exc:
        raise CommandError(f"cannot configure Datasette: {exc}") from exc
    make_ready(Path(args.db))
    open_every_connection(ds)
    print(f"serving {args.db} read-only at http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.run(ds.app(), host=args.host, port=args.port, log_level="warning", lifespan="on")
    return 0
