"""`budgets export --format csv|parquet|xlsx [--no-bom] --out DIR`: the published views as files, with a
datapackage.json (frictionless) describing them (budgets/export.py writes them)."""
from __future__ import annotations

from budgets.cli import CommandError


def run(args) -> int:
    try:
        from budgets.export import ExportError, export
    except ModuleNotFoundError as exc:
        if exc.name not in ("budgets.export",):
            raise CommandError(f"exporting {args.fmt} needs {exc.name}: pip install {exc.name}") from exc
        raise CommandError("this installation has no exporter (budgets/export.py is missing)") from exc
    try:
        written = export(args.db, args.out, args.fmt, bom=args.bom)
    except ExportError as exc:  # no pyarrow for Parquet, too many rows for one sheet: one line
        raise CommandError(str(exc)) from exc
    count = len(written) if isinstance(written, (list, tuple, set, dict)) else None
    print(f"exported {args.db} as {args.fmt} into {args.out}" + (f": {count} files" if count is not None else ""))
    return 0
