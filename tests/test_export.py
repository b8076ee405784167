"""`budgets.export.export(db, out, fmt)`: the published views as CSV, Parquet or XLSX files with a
Data Package descriptor (datapackage.json). The database is tests/datasette_sample.py's (the seed
disclosure's own figures for 潼南区大数据应用发展管理局 2026, plus other departments and years)."""
from __future__ import annotations

import csv
import json
import sqlite3

import pytest

import datasette_sample as sample
from budgets.export import ExportError, amount_format, export


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "budgets.db"
    sample.build(path).conn.close()
    return path


def count(db_path, name):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(f"select count(*) from [{name}]").fetchone()[0]


def test_csv_export_writes_every_published_view_and_describes_it(db_path, tmp_path):
    descriptor = json.loads(export(db_path, tmp_path, "csv").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert {"published_lines", "published_documents", "published_findings", "subject_department_year"} <= set(resources)
    lines = resources["published_lines"]
    assert lines["path"] == "published_lines.csv" and lines["schema"]["primaryKey"] == ["id"]
    types = {f["name"]: f["type"] for f in lines["schema"]["fields"]}
    assert types["amount_fen"] == "integer" and types["subject_code"] == "string" and types["amount_wan"] == "number"
    with open(tmp_path / "published_lines.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == count(db_path, "published_lines") == lines["stats"]["rows"]
    assert [f["name"] for f in lines["schema"]["fields"]] == list(rows[0])
    assert "line_rowid" not in rows[0]  # SQLite's rowid serves queries in the database, no file keeps it
    # the seed's 住房公积金 2026: 23.99 万元, exact in 分
    [seed] = [r for r in rows if r["department"] == sample.BIGDATA and r["subject_code"] == "2210201"
              and r["year"] == "2026" and r["measure"] == "total"]
    assert seed["amount_fen"] == "23990000"


def test_parquet_export_keeps_integer_fen(db_path, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    export(db_path, tmp_path, "parquet")
    table = pq.read_table(tmp_path / "published_lines.parquet")
    assert table.num_rows == count(db_path, "published_lines")
    assert str(table.schema.field("amount_fen").type) == "int64"
    assert str(table.schema.field("subject_code").type) == "string"
    assert 23_990_000 in table.column("amount_fen").to_pylist()


def test_xlsx_export_opens_in_a_spreadsheet(db_path, tmp_path):
    from openpyxl import load_workbook

    descriptor = json.loads(export(db_path, tmp_path, "xlsx").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "data-package"
    book = load_workbook(tmp_path / "subject_department_year.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) - 1 == count(db_path, "subject_department_year")
    header = rows[0]
    assert "budget_2026" in header and "subject_code" in header


def test_csv_starts_with_a_byte_order_mark_so_excel_reads_chinese(db_path, tmp_path):
    export(db_path, tmp_path, "csv")
    body = (tmp_path / "published_lines.csv").read_bytes()
    assert body.startswith(b"\xef\xbb\xbfid,")
    assert "大数据应用发展管理局" in body.decode("utf-8-sig")


def test_csv_without_a_byte_order_mark_on_request(db_path, tmp_path):
    export(db_path, tmp_path, "csv", bom=False)
    assert (tmp_path / "published_lines.csv").read_bytes().startswith(b"id,")


def test_xlsx_amounts_show_the_decimals_their_table_printed(db_path, tmp_path):
    from openpyxl import load_workbook

    export(db_path, tmp_path, "xlsx")
    sheet = load_workbook(tmp_path / "published_lines.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    column = {name: header.index(name) for name in ("subject_code", "year", "department", "amount_wan", "amount_fen")}
    # the seed prints 卫生健康支出 2026 as 20.70 (万元)
    cells = [row[column["amount_wan"]] for row in sheet.iter_rows(min_row=2)
             if row[column["subject_code"]].value == "210" and row[column["year"]].value == 2026
             and row[column["department"]].value == sample.BIGDATA and row[column["amount_fen"]].value == 20_700_000]
    assert cells and {(c.value, c.number_format) for c in cells} == {(20.7, "#,##0.00")}
    wide = load_workbook(tmp_path / "subject_department_year.xlsx").worksheets[0]
    budget = [c.value for c in wide[1]].index("budget_2026")
    assert {row[budget].number_format for row in wide.iter_rows(min_row=2) if row[budget].value is not None} == {"#,##0.00"}


def test_amount_format_follows_the_printed_unit_and_never_hides_a_digit():
    assert amount_format(20.7, "万元") == "#,##0.00"  # 万元 tables print 2 decimals
    assert amount_format(87.708, "元") == "#,##0.0000"  # whole 元, in 万元
    assert amount_format(1.2345, "元") == "#,##0.0000"
    assert amount_format(0.123456, "元") == "#,##0.000000"  # a 元 table that prints 分
    assert amount_format(30000.0, "亿元") == "#,##0"
    assert amount_format(1.5, None) == "#,##0.00"  # no unit known: 万元, the views' unit


def test_export_refuses_a_missing_database_and_an_unknown_format(tmp_path, db_path):
    with pytest.raises(ExportError, match="no database"):
        export(tmp_path / "typo.db", tmp_path / "out", "csv")
    assert not (tmp_path / "typo.db").exists()  # nothing created
    with pytest.raises(ExportError, match="unknown format"):
        export(db_path, tmp_path / "out", "ods")
