"""`budgets serve`: Datasette over the database, read-only, with metadata.yml, the plugins,
templates and static files of this repository.

The database is opened immutable (no writes, no locks) and always published under the name
`budgets`, whatever its file is called, so that URLs such as /budgets/search are stable.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from budgets.cli import CommandError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATABASE_NAME = "budgets"

SETTINGS = {
    "sql_time_limit_ms": 3000,  # arbitrary SQL is welcome, but cannot hog the server
    "facet_time_limit_ms": 500,
    "max_returned_rows": 5000,  # CSV export with _stream=on returns every row regardless
    "suggest_facets": False,  # suggestions scan big tables on every page view
    "allow_download": True,  # the whole SQLite file, for researchers who want it
    "default_cache_ttl": 300,
}


def build_datasette(db_path: Path | str, root: Path = PROJECT_ROOT):
    """The configured Datasette application (not yet started) for one database file."""
    from datasette.app import Database, Datasette

    metadata_path = root / "metadata.yml"
    metadata = yaml.safe_load(metadata_path.read_text(encoding="utf-8")) if metadata_path.exists() else {}
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


def flush_write_ahead_log(db_path: Path) -> None:
    """An immutable reader ignores the -wal file, so rows a loader left there would be missing
    from the site: fold them into the database file first (the content does not change)."""
    from datasette.utils import sqlite3

    wal = db_path.with_name(db_path.name + "-wal")
    conn = sqlite3.connect(str(db_path)) if wal.exists() and wal.stat().st_size else None
    if conn is None:
        conn = sqlite3.connect(f"file:{db_path.resolve()}?immutable=1", uri=True)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
        if wal.exists():
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def datasette_command(db: Path, host: str, port: int) -> list[str]:
    """The command that serves `db`, for callers that run the server as a subprocess."""
    return [sys.executable, "-m", "budgets", "serve", "--db", str(db), "--host", host, "--port", str(port)]


def run(args) -> int:
    if not Path(args.db).exists():
        raise CommandError(f"no database at {args.db}: run 'budgets ingest' or 'budgets demo' first")
    import uvicorn
    from datasette.utils import sqlite3

    try:
        ds = build_datasette(args.db)
    except (OSError, yaml.YAMLError) as exc:
        raise CommandError(f"cannot configure Datasette: {exc}") from exc
    try:
        flush_write_ahead_log(Path(args.db))
    except sqlite3.DatabaseError as exc:
        raise CommandError(f"{args.db} is not a readable SQLite database: {exc}") from exc
    print(f"serving {args.db} read-only at http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.run(ds.app(), host=args.host, port=args.port, log_level="warning", lifespan="on")
    return 0
