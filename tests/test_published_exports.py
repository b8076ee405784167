"""Complete, stable exports and paging: every row once, on every table and view the site shows,
through the JSON next-page links, the HTML "next page" links, CSV with `_stream=on` (plain and with
a UTF-8 byte order mark for Excel) and XLSX — on more rows than a page. The database is
tests/published_sample.py's: the 潼南 disclosure in six formats plus other departments and years."""
from __future__ import annotations

import asyncio
import csv
import io
import re
import sqlite3
import urllib.parse

import pytest
import yaml

import published_sample
from budgets.cli.serve import build_datasette
from crawling import ROOT as PROJECT_ROOT

METADATA = yaml.safe_load((PROJECT_ROOT / "metadata.yml").read_text(encoding="utf-8"))
TABLES = METADATA["databases"]["budgets"]["tables"]
PAGE = 20  # rows per page in these walks: the big tables and views below have more


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("paging") / "budgets.db"
    published_sample.build(path)
    return path


@pytest.fixture(scope="module")
def ds(db_path):
    ds = build_datasette(db_path)
    asyncio.run(ds.invoke_startup())
    return ds


def get(ds, path):
    response = asyncio.run(ds.client.get(path))
    assert response.status_code == 200, (path, response.text[:500])
    return response


def shown(db_path) -> dict[str, tuple[int, list[str]]]:
    """Every table and view that is not hidden: its row count and its primary key."""
    conn = sqlite3.connect(db_path)
    names = [r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view') "
                                        "and name not like 'sqlite_%' and name not like '%_fts%'")]
    found = {}
    for name in names:
        if TABLES.get(name, {}).get("hidden"):
            continue
        count = conn.execute(f"select count(*) from [{name}]").fetchone()[0]
        pks = [r[1] for r in sorted(conn.execute(f"pragma table_info([{name}])"), key=lambda r: r[5]) if r[5]]
        found[name] = (count, pks)
    conn.close()
    return found


def key_of(row: dict, pks: list[str]):
    return tuple(row[k] for k in pks) if pks else tuple(sorted((k, str(v)) for k, v in row.items()))


def test_the_default_sort_of_every_table_is_a_unique_key(db_path):
    conn = sqlite3.connect(db_path)
    for name, options in TABLES.items():
        column = options.get("sort") or options.get("sort_desc")
        if not column:
            continue
        count, distinct = conn.execute(f"select count(*), count(distinct [{column}]) from [{name}]").fetchone()
        assert count == distinct, f"{name} is sorted by {column}, which repeats: pages would lose rows"


def test_the_walk_covers_more_than_one_page_of_the_big_tables(db_path):
    counts = shown(db_path)
    for name in ("budget_lines", "published_lines", "findings", "published_findings",
                 "subject_department_year"):
        assert counts[name][0] > PAGE, name
    assert counts["budget_lines"][0] > 1000  # more than Datasette's own page of 100, too


def test_json_next_links_walk_every_row_once_on_every_table_and_view(ds, db_path):
    for name, (count, pks) in shown(db_path).items():
        seen, path = [], f"/budgets/{name}.json?_size={PAGE}&_labels=off"
        while path:
            page = get(ds, path).json()
            columns = page["columns"]
            seen += [key_of(dict(zip(columns, row)), pks) for row in page["rows"]]
            path = page["next_url"] and page["next_url"].split("://", 1)[-1].split("/", 1)[-1]
            path = path and "/" + path
        assert len(seen) == count, name
        assert len(set(seen)) == count, f"{name}: a row came twice"


def test_csv_streams_of_every_table_and_view_hold_every_row_once(ds, db_path):
    for name, (count, pks) in shown(db_path).items():
        text = get(ds, f"/budgets/{name}.csv?_stream=on&_size={PAGE}").text
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == count, name
        if pks:
            assert len({tuple(r[k] for k in pks) for r in rows}) == count, name


def test_html_next_page_links_walk_every_line_once(ds, db_path):
    for name in ("budget_lines", "published_lines", "published_findings", "subject_department_year"):
        count, _ = shown(db_path)[name]
        ids, path = [], f"/budgets/{name}?_size={PAGE}"
        while path:
            html = get(ds, path).text
            ids += re.findall(r'<td class="col-id[^"]*"[^>]*>(?:<a [^>]*>)?([^<]+)', html)
            found = re.search(r'<a href="(?:https?://[^/"]+)?([^"]*_next=[^"]*)">Next page</a>', html)
            path = found and found.group(1).replace("&amp;", "&")
        assert len(ids) == count and len(set(ids)) == count, name


def test_csv_for_excel_has_a_byte_order_mark_and_every_row(ds, db_path):
    count, _ = shown(db_path)["published_lines"]
    body = get(ds, "/budgets/published_lines.csv?_stream=on&_bom=1").content
    assert body.startswith(b"\xef\xbb\xbfid,")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == count and "住房公积金" in {r["subject_name"] for r in rows}
    plain = get(ds, "/budgets/published_lines.csv?_stream=on").content
    assert plain.startswith(b"id,")
    # a canned query too
    query = get(ds, "/budgets/subject_across_departments.csv?code=2210201&year=2026&_bom=1").content
    assert query.startswith(b"\xef\xbb\xbf") and "住房公积金" in query.decode("utf-8-sig")


def test_xlsx_export_holds_every_row_with_exact_amounts(ds, db_path):
    from openpyxl import load_workbook

    count, _ = shown(db_path)["published_lines"]
    body = get(ds, "/budgets/published_lines.xlsx").content
    book = load_workbook(io.BytesIO(body), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))  # the second sheet describes the export
    header, data = rows[0], rows[1:]
    assert len(data) == count
    fen = header.index("amount_fen")
    assert all(isinstance(row[fen], int) for row in data)
    assert 23_990_000 in {row[fen] for row in data}


def test_the_table_menu_offers_the_full_exports(ds):
    html = get(ds, "/budgets/published_lines").text
    for link in ("published_lines.csv?_stream=on&amp;_bom=1&amp;_size=max", "published_lines.xlsx"):
        assert link in html


def test_query_string_of_an_export_keeps_filters(ds):
    path = "/budgets/published_lines.csv?" + urllib.parse.urlencode(
        {"_stream": "on", "subject_code": "2210201", "measure": "total", "year": "2026",
         "table_kind": "general_budget_expenditure"})
    rows = list(csv.DictReader(io.StringIO(get(ds, path).text)))
    assert sorted(r["department"] for r in rows) == ["大数据应用发展管理局", "财政局", "财政局"]
