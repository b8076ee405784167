"""`budgets serve`: Datasette over the database, read-only, with metadata.yml."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from budgets.cli import CommandError

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def datasette_command(db: Path, host: str, port: int) -> list[str]:
    command = [sys.executable, "-m", "datasette", "serve", "-i", str(db), "--host", host,
               "--port", str(port), "--setting", "sql_time_limit_ms", "3000"]
    metadata = PROJECT_ROOT / "metadata.yml"
    if metadata.exists():
        command += ["--metadata", str(metadata)]
    return command


def run(args) -> int:
    if not Path(args.db).exists():
        raise CommandError(f"no database at {args.db}: run 'budgets ingest' or 'budgets demo' first")
    print(f"serving {args.db} at http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    return subprocess.call(datasette_command(Path(args.db), args.host, args.port))
