"""Write the published views as files a researcher opens without SQL: CSV, Parquet or XLSX, one
file per view, with a Frictionless Data Package descriptor (`datapackage.json`) that names every
file, its columns, their types and descriptions, the licence and the sources.

`export(db_path, out_dir, fmt, bom=True)`: `fmt` is "csv", "parquet" or "xlsx". Amounts keep
their exact integer in 分 (`amount_fen`, an integer column in every format); `amount_wan` is the
same amount in 万元 for reading, and in XLSX it shows the decimals its table printed (20.70, not
20.7). A CSV file starts with a UTF-8 byte order mark unless `bom=False`: Excel, the researcher's
default, reads Chinese as mojibake without one. The database is opened read-only; nothing in it
changes.

The descriptor follows the Data Package and Table Schema specifications (profile
`tabular-data-package` for CSV, `data-package` otherwise); it is written here rather than with
the `frictionless` library, whose dependencies (pydantic, typer, petl, jsonschema, requests and
more) would weigh on every install for the sake of one JSON file.
"""
from __future__ import annotations

import csv
import json
import re
import sqlite3
from decimal import Decimal
from pathlib import Path

from extractors.identities import DEFAULT_UNIT, UNIT_STEP, decimals_of
from extractors.units import FEN_PER_WAN

FORMATS = ("csv", "parquet", "xlsx")
PARQUET_EXTRA = "pip install 'district-budgets[export]'"

# what is exported: the published views (each figure once) and the lists they refer to
RESOURCES = {
    "published_lines": "Every amount of every disclosure once, with labels (金额，每个数字一次)",
    "published_documents": "The copies whose tables are counted, one row each (计入的公开文件)",
    "published_findings": "Audit findings, each once per disclosure (审核发现)",
    "subject_department_year": "Subject × department × year: budget_<year> 预算数 and final_<year> 决算数 in 万元",
    "published_tables": "Which copy supplies each table of each disclosure (计入的表)",
    "subjects": "Classification subjects (科目)",
    "subject_changes": "Subjects renamed, moved or split between editions of the classification (科目沿革)",
    "economic_subjects": "Economic classification names by code: 部门经济分类 3…, 政府经济分类 5… (经济分类科目)",
    "departments": "Canonical departments and their printed names (部门)",
    "table_kinds": "Table kind labels (表的名称)",
    "measures": "Measure labels (列的名称)",
    "stages": "Stage labels (阶段)",
    "bases": "Basis labels (口径)",
}

LICENSES = [{"name": "other-pd", "title": "政府公开信息 public government information, reproduced as published"}]
DESCRIPTIONS = {
    "amount_fen": "Exact amount in 分 (integer; 1 万元 = 1,000,000 分)",
    "amount_wan": "Amount in 万元, for reading",
    "subject_code": "Classification code, digits only (科目编码)",
    "document_id": "SHA-256 of the source file's bytes",
    "url": "Where the source file was published",
}


class ExportError(Exception):
    """The export cannot be written; the message says why and what to do."""


def export(db_path, out_dir, fmt: str = "csv", bom: bool = True) -> Path:
    """Write every published view of the database at `db_path` into `out_dir` as `fmt`, and
    `datapackage.json` beside them. Returns the descriptor's path."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        _require_pyarrow()
    db_path = Path(db_path)
    if not db_path.is_file():
        raise ExportError(f"no database at {db_path}: run 'budgets ingest' or 'budgets demo' first")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(f"file:{db_path.resolve()}?mode=ro", uri=True)
    try:
        present = {row[0] for row in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
        missing = [name for name in ("published_lines", "published_documents") if name not in present]
        if missing:
            raise ExportError(f"{db_path} has no {', '.join(missing)}: it was not prepared for publishing "
                              "(run 'budgets serve' or 'budgets ingest' once with this version)")
        resources = []
        for name, title in RESOURCES.items():
            if name not in present:
                continue
            columns, rows = _read(conn, name)
            types = _types(conn, name, columns)
            path = out / f"{name}.{fmt}"
            if fmt == "csv":
                _write_csv(path, columns, rows, bom)
            else:
                WRITERS[fmt](path, columns, rows, types)
            resources.append(_resource(name, title, path.name, fmt, columns, types, len(rows)))
    finally:
        conn.close()
    descriptor = {
        "profile": "tabular-data-package" if fmt == "csv" else "data-package",
        "name": "district-budgets",
        "title": "区县部门预算决算公开数据 · District department budgets and final accounts",
        "description": "Every amount in the department budgets (部门预算) and final accounts (部门决算) that "
                       "district governments publish, each figure once, with its source document.",
        "licenses": LICENSES,
        "sources": [{"title": "各区县政府及部门的预算决算公开页面 · the governments' own disclosure pages "
                              "(url of each document in published_documents)"}],
        "resources": resources,
    }
    target = out / "datapackage.json"
    target.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


# columns of the views that only serve queries inside one database (a rowid is no identifier a file keeps)
QUERY_ONLY_COLUMNS = {"line_rowid"}


def _read(conn, name):
    names = [c[0] for c in conn.execute(f"select * from [{name}] limit 0").description]
    columns = [c for c in names if c not in QUERY_ONLY_COLUMNS]
    cursor = conn.execute(f"select {', '.join(f'[{c}]' for c in columns)} from [{name}]")
    return columns, cursor.fetchall()


def _types(conn, name, columns) -> dict[str, str]:
    """Table Schema type of each column, from the values it holds (a view declares no types)."""
    types = {}
    for column in columns:
        found = {row[0] for row in conn.execute(
            f"select distinct typeof([{column}]) from [{name}] where [{column}] is not null")}
        types[column] = ("integer" if found == {"integer"} else
                         "number" if found and found <= {"integer", "real"} else "string")
    return types


def _resource(name, title, filename, fmt, columns, types, count) -> dict:
    media = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[fmt]
    fields = []
    for column in columns:
        field = {"name": column, "type": types[column]}
        if column in DESCRIPTIONS:
            field["description"] = DESCRIPTIONS[column]
        fields.append(field)
    resource = {"name": name, "title": title, "path": filename, "format": fmt, "mediatype": media,
                "schema": {"fields": fields}, "stats": {"rows": count}}
    if fmt == "csv":
        resource["encoding"] = "utf-8"
        resource["profile"] = "tabular-data-resource"
        resource["dialect"] = {"delimiter": ",", "header": True}
    if "id" in columns:
        resource["schema"]["primaryKey"] = ["id"]
    return resource


def _write_csv(path, columns, rows, bom: bool):
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerows(rows)


def _require_pyarrow() -> None:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:
        raise ExportError(f"Parquet needs pyarrow, from the export extra: {PARQUET_EXTRA}") from exc


def _write_parquet(path, columns, rows, types):
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {"integer": pa.int64(), "number": pa.float64(), "string": pa.string()}
    data = {c: [row[i] if types[c] != "string" or row[i] is None else str(row[i]) for row in rows]
            for i, c in enumerate(columns)}
    table = pa.table({c: pa.array(data[c], type=kinds[types[c]]) for c in columns})
    pq.write_table(table, path)


# columns in 万元: `*_wan`, and the budget_<year> / final_<year> columns of subject_department_year
_WAN_COLUMN = re.compile(r"(.+_wan|(budget|final)_\d{4})")
_WAN = Decimal(FEN_PER_WAN)


def amount_format(wan: float, unit_printed: str | None) -> str:
    """Excel number format for an amount in 万元 that was printed in `unit_printed`: the decimals
    a table in that unit prints (extractors.identities.UNIT_STEP: 万元 two, 元 whole 元, so four
    in 万元), more when the amount itself has more, so no digit is hidden."""
    step = UNIT_STEP.get(unit_printed or "", UNIT_STEP[DEFAULT_UNIT])
    decimals = max(decimals_of(Decimal(step) / _WAN), decimals_of(Decimal(repr(float(wan))).normalize()))
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _write_xlsx(path, columns, rows, types):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if len(rows) >= 1_048_576:
        raise ExportError(f"{path.name}: {len(rows)} rows do not fit in one Excel sheet; export csv or parquet")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(path.stem[:31])
    sheet.append(columns)
    amounts = [i for i, c in enumerate(columns) if types[c] != "string" and _WAN_COLUMN.fullmatch(c)]
    unit_at = columns.index("unit_printed") if "unit_printed" in columns else None
    for row in rows:
        values = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
        unit = row[unit_at] if unit_at is not None else None
        for i in amounts:
            if values[i] is not None:
                values[i] = WriteOnlyCell(sheet, value=values[i])
                values[i].number_format = amount_format(row[i], unit)
        sheet.append(values)
    book.save(path)


WRITERS = {"parquet": _write_parquet, "xlsx": _write_xlsx}
