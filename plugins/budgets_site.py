"""Datasette plugin for the budgets site: the charts page, links to sources, menu entries.

Charts are SVG drawn on the server from the rows of the published canned queries, so the page
needs no JavaScript and no network, and every chart's data is the same query a researcher can
open, download as CSV or read as JSON. Loaded with `--plugins-dir plugins` (budgets serve does).
"""
from __future__ import annotations

import html
import sqlite3
import urllib.parse

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

DATABASE = "budgets"
BAR_QUERY = "subject_across_departments"
LINE_QUERY = "subject_over_years"


# ---- drawing: rows in, SVG text out (pure functions) ------------------------------------------

def bar_chart_svg(bars: list[tuple[str, float]], title: str, unit: str = "万元") -> str:
    """Horizontal bars, largest first as given; labels may be long Chinese names."""
    label_width, bar_width, row_height, top = 300, 420, 28, 40
    width = label_width + bar_width + 110
    height = top + row_height * max(len(bars), 1) + 16
    largest = max((value for _, value in bars), default=0) or 1
    parts = [_svg_open(width, height, title, "bar-chart"),
             f'<text class="chart-title" x="0" y="20">{_e(title)}</text>']
    if not bars:
        parts.append(f'<text x="0" y="{top + 18}">没有数据 · no data</text>')
    for i, (label, value) in enumerate(bars):
        y = top + i * row_height
        length = max(bar_width * value / largest, 1 if value else 0)
        parts.append(
            f'<g class="bar-row"><text class="label" x="{label_width - 8}" y="{y + 18}" text-anchor="end">'
            f'{_e(label)}</text>'
            f'<rect class="bar" x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_height - 8}">'
            f'<title>{_e(label)}: {_number(value)} {_e(unit)}</title></rect>'
            f'<text class="value" x="{label_width + length + 6:.1f}" y="{y + 18}">{_number(value)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg(points: list[tuple[int, float]], title: str, unit: str = "万元") -> str:
    """Amounts by year; the y axis starts at zero so changes are not exaggerated."""
    width, height, left, right, top, bottom = 900, 320, 80, 60, 44, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [_svg_open(width, height, title, "line-chart"),
             f'<text class="chart-title" x="0" y="20">{_e(title)}</text>']
    if not points:
        parts.append(f'<text x="{left}" y="{top + 30}">没有数据 · no data</text></svg>')
        return "".join(parts)
    largest = max(value for _, value in points) or 1
    step = plot_w / max(len(points) - 1, 1)

    def xy(i, value):
        x = left + (i * step if len(points) > 1 else plot_w / 2)
        return x, top + plot_h - plot_h * value / (largest * 1.1)

    parts.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>')
    parts.append(f'<text class="unit" x="{left - 8}" y="{top - 6}" text-anchor="end">{_e(unit)}</text>')
    coordinates = [xy(i, value) for i, (_, value) in enumerate(points)]
    parts.append('<polyline class="line" points="{}"/>'.format(
        " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)))
    for (year, value), (x, y) in zip(points, coordinates):
        parts.append(
            f'<g class="point"><circle cx="{x:.1f}" cy="{y:.1f}" r="4"><title>{year}: {_number(value)} {_e(unit)}'
            f'</title></circle><text class="value" x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle">'
            f'{_number(value)}</text><text class="year" x="{x:.1f}" y="{top + plot_h + 22}" '
            f'text-anchor="middle">{year}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _svg_open(width, height, title, kind):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" role="img" aria-label="{_e(title)}" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">')


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


# ---- the charts page ------------------------------------------------------------------------

async def charts_page(datasette, request):
    db = datasette.get_database(DATABASE)
    args = {name: (request.args.get(name) or "").strip()
            for name in ("code", "year", "stage", "department", "district", "who")}
    if "|" in args["who"]:  # the page's department menu: "district|department"
        args["district"], args["department"] = args["who"].split("|", 1)
    code = args["code"] or await _most_compared_code(db)
    bar_params = {"code": code, "year": args["year"], "stage": args["stage"], "table_kind": ""}
    bar_rows = await _canned(datasette, request, BAR_QUERY, bar_params)
    district, department = args["district"], args["department"]
    if not department and not district:
        district, department = await _longest_series(db, code)
    line_params = {"code": code, "department": department, "district": district}
    line_rows = await _canned(datasette, request, LINE_QUERY, line_params)

    subject = bar_rows[0]["subject_name"] if bar_rows else (line_rows[0]["subject_name"] if line_rows else "")
    year = bar_rows[0]["year"] if bar_rows else args["year"]
    bar_title = f"{code} {subject} · {year} · 各部门 across departments (万元)"
    who = " ".join(x for x in (district, department) if x) or "全部 all"
    line_title = f"{code} {subject} · {who} · 逐年 year by year (万元)"
    bars = [(f"{row['district']} {row['department']}", row["amount_fen"] / 1_000_000) for row in bar_rows]
    points = [(row["year"], row["amount_fen"] / 1_000_000) for row in line_rows]

    choices = await db.execute(
        "select distinct district, department from documents where coalesce(department, '') != '' "
        "order by district, department")
    subjects = await db.execute(
        "select code, name from subjects where classification = 'functional' order by code")
    context = {
        "site_title": datasette.metadata("title") or "Datasette", "args": args, "code": code, "department": department, "district": district, "year": year,
        "bar_svg": Markup(bar_chart_svg(bars, bar_title)),
        "line_svg": Markup(line_chart_svg(points, line_title)),
        "bar_query_url": _query_url(datasette, BAR_QUERY, bar_params),
        "line_query_url": _query_url(datasette, LINE_QUERY, line_params),
        "bar_rows": bar_rows, "line_rows": line_rows,
        "departments": [dict(row) for row in choices.rows],
        "subjects": [dict(row) for row in subjects.rows],
    }
    return Response.html(await datasette.render_template("charts.html", context, request=request))


async def _canned(datasette, request, name, params):
    query = await datasette.get_canned_query(DATABASE, name, request.actor)
    result = await datasette.get_database(DATABASE).execute(query["sql"], params)
    return [dict(row) for row in result.rows]


_DEFAULT_CODES: dict[str, str] = {}


async def _most_compared_code(db) -> str:
    """The subject printed by the most departments in the latest year: a sensible first chart.
    Remembered per database file: the site serves it immutable."""
    if db.path in _DEFAULT_CODES:
        return _DEFAULT_CODES[db.path]
    row = (await db.execute(
        "select subject_code from current_lines where table_kind = 'general_budget_expenditure' "
        "and subject_code != '' and measure = 'total' and year = fiscal_year "
        "and fiscal_year = (select max(fiscal_year) from documents) "
        "group by subject_code order by count(distinct document_id) desc, length(subject_code) desc, "
        "subject_code limit 1")).first()
    _DEFAULT_CODES[db.path] = row[0] if row else ""
    return _DEFAULT_CODES[db.path]


async def _longest_series(db, code: str) -> tuple[str, str]:
    """The department that printed this subject for the most years: the most telling line."""
    row = (await db.execute(
        "select district, department from current_lines where subject_code = ? "
        "and table_kind = 'general_budget_expenditure' and measure = 'total' "
        "group by district, department order by count(distinct year) desc, max(amount_fen) desc limit 1",
        [code])).first()
    return (row["district"], row["department"]) if row else ("", "")


def _query_url(datasette, name, params):
    return datasette.urls.path(f"/{DATABASE}/{name}") + "?" + urllib.parse.urlencode(params)


# ---- hooks ---------------------------------------------------------------------------------

READ_METHODS = {"GET", "HEAD", "OPTIONS"}

# The largest string or blob any SQL may build: well above every value in the database, far below
# what one `select zeroblob(400000000)` (or randomblob, printf('%.*c', ...)) would make the server hold.
VALUE_LIMIT_BYTES = 50 * 1024 * 1024
SQL_LIMIT_BYTES = 1024 * 1024
# fts3_tokenizer() leaks a pointer and can register a tokenizer at an arbitrary address.
DENIED_FUNCTIONS = {"fts3_tokenizer", "load_extension", "writefile", "readfile", "edit"}
WRITE_ACTIONS = {getattr(sqlite3, name) for name in (
    "SQLITE_INSERT", "SQLITE_UPDATE", "SQLITE_DELETE", "SQLITE_ATTACH", "SQLITE_DETACH",
    "SQLITE_ALTER_TABLE", "SQLITE_REINDEX", "SQLITE_ANALYZE", "SQLITE_CREATE_INDEX",
    "SQLITE_CREATE_TABLE", "SQLITE_CREATE_TEMP_INDEX", "SQLITE_CREATE_TEMP_TABLE",
    "SQLITE_CREATE_TEMP_TRIGGER", "SQLITE_CREATE_TEMP_VIEW", "SQLITE_CREATE_TRIGGER",
    "SQLITE_CREATE_VIEW", "SQLITE_CREATE_VTABLE", "SQLITE_DROP_INDEX", "SQLITE_DROP_TABLE",
    "SQLITE_DROP_TEMP_INDEX", "SQLITE_DROP_TEMP_TABLE", "SQLITE_DROP_TEMP_TRIGGER",
    "SQLITE_DROP_TEMP_VIEW", "SQLITE_DROP_TRIGGER", "SQLITE_DROP_VIEW", "SQLITE_DROP_VTABLE")}


READ_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                "foreign_key_list", "foreign_key_check", "table_list"}


def read_only_authorizer(action, arg1, arg2, db_name, trigger):
    """SQLite asks before every step of a statement: deny the dangerous functions, any write and
    any pragma given a value other than the schema questions Datasette asks; reads go on."""
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
        # Opening an FTS table asks this of its own; the schema cannot change anyway (the file is
        # opened immutable and `PRAGMA writable_schema = 1` is denied below).
        return sqlite3.SQLITE_OK
    if action in WRITE_ACTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and (arg1 or "").lower() not in READ_PRAGMAS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def function_authorizer(action, arg1, arg2, db_name, trigger):
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn, database):
    """Every connection Datasette opens: bounded values and SQL text, no dangerous functions, and
    read-only except Datasette's own in-memory databases (`_internal`, its catalogue, and
    `_memory`, where /-/versions creates FTS tables to see which exist), which hold no file."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, VALUE_LIMIT_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, SQL_LIMIT_BYTES)
    conn.set_authorizer(function_authorizer if database in ("_internal", "_memory") else read_only_authorizer)


@hookimpl
def asgi_wrapper():
    """The site only reads: any other HTTP method gets 405 before Datasette sees it (Datasette
    0.65 answers a POST to a table or a read-only query with a 500)."""
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in READ_METHODS:
                response = Response.text("405 this site is read-only", status=405,
                                         headers={"Allow": "GET, HEAD, OPTIONS"})
                await response.asgi_send(send)
                return
            await app(scope, receive, send)
        return read_only
    return wrap


@hookimpl
def register_routes():
    return [(r"^/-/charts$", charts_page)]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/-/charts"), "label": "图表 Charts"},
        {"href": datasette.urls.path(f"/{DATABASE}/search"), "label": "搜索 Search"},
        {"href": datasette.urls.path(f"/{DATABASE}"), "label": "SQL 与全部表 SQL and tables"},
    ]


@hookimpl
def render_cell(row, value, column, table, datasette):
    """`page` opens the source document at that page; `link` columns of the canned queries
    (site-relative paths) become links; a subject code without its name beside it gets one; in
    query results a document id links to its document (tables do that through the foreign key)."""
    if column == "subject_code" and value and not _has(row, "subject_name"):
        return _code_with_name(datasette, value)
    if column == "document_id" and table is None and isinstance(value, str) and value:
        label = row["document_title"] if _has(row, "document_title") and row["document_title"] else value[:12]
        href = datasette.urls.row(DATABASE, "documents", value)
        return Markup(f'<a href="{_e(href)}">{_e(label)}</a>')
    if column == "page" and value not in (None, "") and _has(row, "url") and _web_url(row["url"]):
        return Markup(f'<a href="{_e(row["url"])}#page={_e(value)}">第{_e(value)}页</a>')
    if column == "source" and _web_url(value) and _has(row, "page") and row["page"] not in (None, ""):
        return Markup(f'<a href="{_e(value)}#page={_e(row["page"])}">{_e(value)}</a>')
    if column == "link" and (_web_url(value) or _site_path(value)):
        return Markup(f'<a href="{_e(value)}" title="{_e(urllib.parse.unquote(value))}">打开 open</a>')
    return None


def _web_url(value) -> bool:
    """Only absolute http(s) URLs with a host become links: a query can return any text, and
    `javascript:`, `data:` or a scheme-relative `//evil.example` must stay plain text."""
    if not isinstance(value, str) or any(ch in value for ch in "\\\r\n\t") or value != value.strip():
        return False
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _site_path(value) -> bool:
    """A path on this site ("/budgets/..."), not "//host" nor "/\\host" which browsers read as hosts."""
    return (isinstance(value, str) and value.startswith("/") and not value.startswith(("//", "/\\"))
            and not any(ch in value for ch in "\\\r\n\t"))


_SUBJECT_NAMES: dict[tuple[str, str], str] = {}


async def _code_with_name(datasette, code):
    db = datasette.get_database(DATABASE)
    key = (db.path, str(code))
    if key not in _SUBJECT_NAMES:
        row = (await db.execute(
            "select name from subjects where code = ? order by valid_from desc limit 1", [str(code)])).first()
        _SUBJECT_NAMES[key] = row[0] if row else ""
    name = _SUBJECT_NAMES[key]
    if not name:
        return None
    return Markup(f'{_e(code)} <span class="subject-name">{_e(name)}</span>')


def _has(row, key) -> bool:
    try:
        return key in row.keys()
    except AttributeError:
        return False
