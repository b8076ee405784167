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

from extractors.units import fen_to_wan, in_unit

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


SERIES_COLOURS = ["#3b6fb6", "#d2691e", "#2e8b57", "#8b3a8b", "#b8860b", "#c0392b", "#4a708b", "#6b8e23",
                  "#cd5c5c", "#483d8b"]


def nice_ticks(largest: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `largest` (1, 2, 2.5 or 5 times a power of ten)."""
    if largest <= 0:
        return [0.0, 1.0]
    import math

    raw = largest / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks, value = [], 0.0
    while value < largest + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def lines_chart_svg(series: list[dict], title: str, unit: str = "万元") -> str:
    """Several series over the years on one y axis that starts at zero, with ticks and gridlines.
    Each series: {"name": str, "points": [(year, value)], "dashed": bool}; a year a series has no
    figure for leaves a gap, never a zero. 决算 (final account) series are drawn dashed."""
    width, left, right, top, bottom = 960, 90, 20, 44, 40
    legend_rows = (len(series) + 2) // 3
    plot_h = 260
    height = top + plot_h + bottom + 22 * legend_rows + 10
    plot_w = width - left - right
    parts = [_svg_open(width, height, title, "line-chart"),
             f'<text class="chart-title" x="0" y="20">{_e(title)}</text>']
    years = sorted({year for s in series for year, _ in s["points"]})
    if not years:
        parts.append(f'<text x="{left}" y="{top + 30}">没有数据 · no data</text></svg>')
        return "".join(parts)
    ticks = nice_ticks(max(v for s in series for _, v in s["points"]))
    top_value = ticks[-1] or 1
    step = plot_w / max(len(years) - 1, 1)

    def x_of(year):
        return left + (years.index(year) * step if len(years) > 1 else plot_w / 2)

    def y_of(value):
        return top + plot_h - plot_h * value / top_value

    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}"/>'
                     f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(tick)}</text>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>')
    parts.append(f'<text class="unit" x="{left - 6}" y="{top - 8}" text-anchor="end">{_e(unit)}</text>')
    for year in years:
        x = x_of(year)
        parts.append(f'<line class="axis" x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 5}"/>'
                     f'<text class="year" x="{x:.1f}" y="{top + plot_h + 20}" text-anchor="middle">{year}</text>')
    for i, s in enumerate(series):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        dash = ' stroke-dasharray="7 4"' if s.get("dashed") else ""
        points = sorted(s["points"])
        runs, run = [], []
        for year, value in points:  # a missing year breaks the line
            if run and years.index(year) != years.index(run[-1][0]) + 1:
                runs.append(run)
                run = []
            run.append((year, value))
        runs.append(run)
        parts.append(f'<g class="series" data-name="{_e(s["name"])}">')
        for run in runs:
            if len(run) > 1:
                parts.append('<polyline class="line" style="stroke:{}"{} points="{}"/>'.format(
                    colour, dash, " ".join(f"{x_of(y):.1f},{y_of(v):.1f}" for y, v in run)))
        for year, value in points:
            parts.append(
                f'<g class="point"><circle cx="{x_of(year):.1f}" cy="{y_of(value):.1f}" r="4" style="fill:{colour}">'
                f'<title>{_e(s["name"])} {year}: {_number(value)} {_e(unit)}</title></circle>'
                + (f'<text class="value" x="{x_of(year):.1f}" y="{_label_y(y_of(value), top):.1f}" text-anchor="middle">'
                   f'{_number(value)}</text>' if len(series) <= 3 else "") + '</g>')
        parts.append("</g>")
        lx, ly = (i % 3) * (width // 3) + 10, top + plot_h + bottom + 10 + (i // 3) * 22
        parts.append(f'<g class="legend"><line x1="{lx}" y1="{ly}" x2="{lx + 28}" y2="{ly}" style="stroke:{colour};'
                     f'stroke-width:3"{dash}/><text x="{lx + 34}" y="{ly + 4}">{_e(s["name"])}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _label_y(y: float, top: float) -> float:
    """A point's value above it, or below it when the point is at the top of the plot."""
    return y - 9 if y - 9 > top + 12 else y + 18


def wan_text(value) -> str:
    """An amount in 万元 for reading: thousands separators, two decimals (the exact figure is in
    the cell's title and in every export)."""
    return f"{value:,.2f}"


def short_url(url: str, room: int = 48) -> str:
    """host/…/last part, unquoted, for a link's text; the link keeps the whole URL."""
    parts = urllib.parse.urlsplit(url)
    path = urllib.parse.unquote(parts.path)
    last = path.rstrip("/").rsplit("/", 1)[-1] + ("?" + urllib.parse.unquote(parts.query) if parts.query else "")
    text = parts.hostname + ("/…/" if path.count("/") > 1 else "/") + last
    return text if len(text) <= room else text[: room - 1] + "…"


def _svg_open(width, height, title, kind):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" role="img" aria-label="{_e(title)}" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">')


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


# ---- the charts page ------------------------------------------------------------------------

STAGE_NAMES = {"budget": "预算 budget", "final_account": "决算 final account"}
WIDE_VIEW = "subject_department_year"


async def charts_page(datasette, request):
    db = datasette.get_database(DATABASE)
    args = {name: (request.args.get(name) or "").strip()
            for name in ("code", "year", "stage", "department", "district", "who")}
    if "|" in args["who"]:  # the page's department menu: "district|department"; "" is all of them
        args["district"], args["department"] = args["who"].split("|", 1)
    stage = args["stage"] if args["stage"] in STAGE_NAMES else "budget"
    code, matches = await resolve_subject(db, args["code"])
    if not code:
        code = await _most_compared_code(db, stage)
    bar_params = {"code": code, "year": args["year"], "stage": stage, "table_kind": ""}
    bar_rows = await _canned(datasette, request, BAR_QUERY, bar_params)
    district, department = args["district"], args["department"]
    series, wide_rows, years = await subject_series(db, code, district, department,
                                                    stages=[stage] if not department else list(STAGE_NAMES))
    subject = (bar_rows[0]["subject_name"] if bar_rows else
               (wide_rows[0]["subject_name"] if wide_rows else await _subject_name(db, code)))
    year = bar_rows[0]["year"] if bar_rows else (args["year"] or await _latest_year(db, stage))
    bar_title = f"{code} {subject} · {year} · {STAGE_NAMES[stage]} · 各部门 across departments (万元)"
    who = " ".join(x for x in (district, department) if x) or "全部部门 all departments"
    line_title = f"{code} {subject} · {who} · 逐年 year by year (万元)"
    bars = [(f"{row['district']} {row['department']}", fen_to_wan(row["amount_fen"])) for row in bar_rows]
    if department:
        line_params = {"code": code, "department": department, "district": district, "stage": stage}
        line_query_url = _query_url(datasette, LINE_QUERY, line_params)
    else:
        line_query_url = datasette.urls.table(DATABASE, WIDE_VIEW) + "?" + urllib.parse.urlencode(
            {"subject_code": code})

    choices = await db.execute(
        "select distinct district, department from published_documents where coalesce(department, '') != '' "
        "order by district, department")
    context = {
        "site_title": datasette.metadata("title") or "Datasette", "args": args, "code": code,
        "department": department, "district": district, "year": year, "stage": stage,
        "stage_names": STAGE_NAMES, "matches": matches, "typed": args["code"],
        "bar_svg": Markup(bar_chart_svg(bars, bar_title)),
        "line_svg": Markup(lines_chart_svg(series, line_title)),
        "bar_query_url": _query_url(datasette, BAR_QUERY, bar_params),
        "line_query_url": line_query_url,
        "bar_rows": bar_rows,
        "departments": [dict(row) for row in choices.rows],
        "subjects": await subject_choices(db),
    }
    return Response.html(await datasette.render_template("charts.html", context, request=request))


async def subject_choices(db) -> list[dict]:
    """The subjects the published lines print, for the pages' datalists."""
    rows = await db.execute(
        "select subject_code as code, max(subject_name) as name from published_lines "
        "where subject_code != '' and table_kind = 'general_budget_expenditure' group by subject_code "
        "order by subject_code")
    return [dict(row) for row in rows.rows]


async def resolve_subject(db, typed: str) -> tuple[str, list[dict]]:
    """A code, or a name or part of one: the code when exactly one subject matches (or the typed
    text is a code), otherwise "" and the subjects that match (none: nothing matched)."""
    typed = typed.strip()
    if not typed:
        return "", []
    first = typed.split()[0]
    if first.isdigit():
        return first, []
    rows = (await db.execute(
        "select subject_code as code, max(subject_name) as name from published_lines "
        "where subject_code != '' and subject_name like '%' || ? || '%' "
        "and table_kind = 'general_budget_expenditure' and classification = 'functional' "
        "group by subject_code order by length(subject_code), subject_code limit 50", [typed])).rows
    if not rows:
        rows = (await db.execute(
            "select code, name from subjects where name like '%' || ? || '%' and classification = 'functional' "
            "order by length(code), code limit 50",
            [typed])).rows
    rows = [dict(row) for row in rows]
    exact = [row for row in rows if row["name"] == typed]
    if len(rows) == 1 or len(exact) == 1:
        return (exact or rows)[0]["code"], []
    return "", rows


async def resolve_department(db, typed: str, district: str = "") -> list[dict]:
    """Departments whose canonical name, printed variants or district contain the typed text."""
    typed = typed.strip()
    if not typed:
        return []
    rows = (await db.execute(
        "select district, department from ("
        "  select district, department, '' as variants from published_documents"
        "  union select district, department, coalesce(variants, '') from departments)"
        " where coalesce(department, '') != '' and (:district = '' or district = :district)"
        "   and (department like '%' || :q || '%' or variants like '%' || :q || '%'"
        "        or district || department like '%' || :q || '%')"
        " group by district, department order by department = :q desc, length(department), district",
        {"q": typed, "district": district})).rows
    return [dict(row) for row in rows]


async def wide_year_columns(db) -> list[int]:
    names = [row[1] for row in (await db.execute(f"pragma table_info([{WIDE_VIEW}])")).rows]
    return sorted({int(n.split("_", 1)[1]) for n in names if n.startswith(("budget_", "final_"))})


async def subject_series(db, code, district="", department="", stages=("budget", "final_account")):
    """The subject × department × year rows of one code, and one series per department and stage."""
    years = await wide_year_columns(db)
    rows = [dict(row) for row in (await db.execute(
        f"select * from [{WIDE_VIEW}] where subject_code = :code and (:district = '' or district = :district) "
        "and (:department = '' or department = :department) order by district, department",
        {"code": code, "district": district, "department": department})).rows]
    series = []
    for row in rows:
        for stage in stages:
            prefix = "budget" if stage == "budget" else "final"
            points = [(year, row[f"{prefix}_{year}"]) for year in years if row.get(f"{prefix}_{year}") is not None]
            if points:
                name = f"{row['district']} {row['department']}" + (" · 决算" if stage != "budget" else " · 预算")
                series.append({"name": name, "points": points, "dashed": stage != "budget"})
    return series, rows, years


async def _subject_name(db, code) -> str:
    row = (await db.execute("select name from subjects where code = ? order by valid_from desc limit 1",
                            [code])).first()
    return row[0] if row else ""


async def _latest_year(db, stage) -> int | None:
    row = (await db.execute("select max(fiscal_year) from published_documents where stage = ?", [stage])).first()
    return row[0] if row else None


# ---- the pages that answer the questions without SQL -----------------------------------------

async def subject_page(datasette, request):
    """/-/subject?code=…: one subject in every department, one column per year, 预算 and 决算
    apart, with a line per department (决算 dashed). code takes a name or part of one."""
    db = datasette.get_database(DATABASE)
    typed = (request.args.get("code") or "").strip()
    district = (request.args.get("district") or "").strip()
    code, matches = await resolve_subject(db, typed)
    series, rows, years = (await subject_series(db, code, district)) if code else ([], [], [])
    budget_years = [y for y in years if any(r.get(f"budget_{y}") is not None for r in rows)]
    final_years = [y for y in years if any(r.get(f"final_{y}") is not None for r in rows)]
    name = rows[0]["subject_name"] if rows else (await _subject_name(db, code) if code else "")
    title = f"{code} {name} · 各部门逐年 every department, year by year (万元)"
    view_url = datasette.urls.table(DATABASE, WIDE_VIEW) + "?" + urllib.parse.urlencode(
        {"subject_code": code, **({"district": district} if district else {})})
    context = {
        "site_title": datasette.metadata("title") or "Datasette", "typed": typed, "code": code, "name": name,
        "matches": matches, "rows": rows, "budget_years": budget_years, "final_years": final_years,
        "chart": Markup(lines_chart_svg(series, title)) if rows else "", "view_url": view_url,
        "subjects": await subject_choices(db), "wan": wan_text, "district": district,
    }
    return Response.html(await datasette.render_template("subject.html", context, request=request))


async def department_page(datasette, request):
    """/-/department?department=…[&district=…]: a department's years on one page."""
    db = datasette.get_database(DATABASE)
    typed = (request.args.get("department") or "").strip()
    district = (request.args.get("district") or "").strip()
    matches = await resolve_department(db, typed, district)
    exact = [m for m in matches if m["department"] == typed]
    chosen = (exact or matches)[0] if len(matches) == 1 or len(exact) == 1 else None
    context = {"site_title": datasette.metadata("title") or "Datasette", "typed": typed, "district": district,
               "matches": matches, "chosen": chosen, "wan": wan_text,
               "departments": [dict(r) for r in (await db.execute(
                   "select distinct district, department from published_documents "
                   "where coalesce(department, '') != '' order by department, district")).rows]}
    if chosen:
        key = {"district": chosen["district"], "department": chosen["department"]}
        context.update(key)

        async def rows(sql):
            return [dict(r) for r in (await db.execute(sql, key)).rows]

        this = "l.district = :district and l.department = :department"
        context["totals"] = await rows(f"""
            select l.fiscal_year, l.stage, s.label as stage_label,
                   sum(case when l.measure = 'total' then l.amount_fen end) / 1000000.0 as total_wan,
                   sum(case when l.measure = 'basic' then l.amount_fen end) / 1000000.0 as basic_wan,
                   sum(case when l.measure = 'project' then l.amount_fen end) / 1000000.0 as project_wan
            from published_lines l left join stages s on s.code = l.stage
            where {this} and l.table_kind = 'general_budget_expenditure' and l.classification = 'functional'
              and l.level = 1 and l.year = l.fiscal_year
              and l.basis = case l.stage when 'budget' then 'budget' else 'actual' end
            group by l.fiscal_year, l.stage order by l.fiscal_year, l.stage""")
        context["three_public"] = await rows(f"""
            select l.fiscal_year, l.stage, l.year,
                   max(case when l.measure = 'total' then l.amount_fen end) / 1000000.0 as total_wan,
                   max(case when l.measure = 'overseas_travel' then l.amount_fen end) / 1000000.0 as overseas_wan,
                   max(case when l.measure = 'vehicles' then l.amount_fen end) / 1000000.0 as vehicles_wan,
                   max(case when l.measure = 'reception' then l.amount_fen end) / 1000000.0 as reception_wan
            from published_lines l
            where {this} and l.table_kind = 'three_public_expenses'
              and l.basis = case l.stage when 'budget' then 'budget' else 'actual' end
            group by l.fiscal_year, l.stage, l.year order by l.fiscal_year, l.stage, l.year""")
        context["top_subjects"] = await rows(f"""
            select l.fiscal_year, l.stage, l.subject_code, l.subject_name, l.amount_fen / 1000000.0 as amount_wan
            from published_lines l
            where {this} and l.table_kind = 'general_budget_expenditure' and l.measure = 'total'
              and l.subject_code != '' and l.level = 3 and l.year = l.fiscal_year
              and l.basis = case l.stage when 'budget' then 'budget' else 'actual' end
              and l.fiscal_year = (select max(fiscal_year) from published_documents
                                   where district = :district and department = :department)
            order by l.amount_fen desc limit 10""")
        context["findings"] = await rows("""
            select severity, count(*) as n from published_findings
            where district = :district and department = :department group by severity
            order by case severity when 'error' then 0 when 'warning' then 1 else 2 end""")
        context["errors"] = await rows("""
            select fiscal_year, "check", message, document_id from published_findings
            where district = :district and department = :department and severity = 'error'
            order by fiscal_year desc, "check", id limit 30""")
        context["completeness"] = await rows("""
            select fiscal_year, stage, family, mandated, present, missing, score from completeness
            where district = :district and department = :department order by fiscal_year, stage""")
        context["documents"] = await rows("""
            select d.id, d.fiscal_year, d.stage, d.title, d.format, d.status, d.lines, d.url, d.counted
            from disclosure_copies d where d.district = :district and d.department = :department
            order by d.fiscal_year desc, d.stage, counted desc, d.parent_id is not null, d.format""")
        context["findings_url"] = datasette.urls.table(DATABASE, "published_findings") + "?" + \
            urllib.parse.urlencode(key)
    return Response.html(await datasette.render_template("department.html", context, request=request))


async def document_page(datasette, request):
    """/-/document/<id>: the document's title, source and archived copy, its tables drawn as
    tables from its lines, and its findings."""
    db = datasette.get_database(DATABASE)
    doc_id = request.url_vars["id"]
    found = (await db.execute("select * from documents where id = ?", [doc_id])).first()
    if not found:
        return Response.html("<p>没有这个文件 · no such document</p>", status=404)
    doc = dict(found)
    tables = [dict(r) for r in (await db.execute(
        "select t.*, tk.label as kind_label, "
        "exists (select 1 from published_tables p where p.document_id = t.document_id "
        "        and p.table_kind = t.table_kind) as counted "
        "from tables t left join table_kinds tk on tk.code = t.table_kind "
        "where t.document_id = ? order by t.table_index", [doc_id])).rows]
    lines = (await db.execute(
        "select table_index, row_index, column_index, column_label, subject_code, subject_name, item, "
        "amount_fen, page from budget_lines where document_id = ? order by table_index, row_index, column_index",
        [doc_id])).rows
    grids: dict = {}
    for line in lines:
        grid = grids.setdefault(line["table_index"], {"columns": {}, "rows": {}})
        grid["columns"].setdefault(line["column_index"], line["column_label"] or "")
        row = grid["rows"].setdefault(line["row_index"], {
            "code": line["subject_code"] or "", "label": line["subject_name"] or line["item"] or "", "cells": {}})
        row["cells"][line["column_index"]] = line["amount_fen"]
    for table in tables:  # shown in the unit the table printed: a 元 table to the 元, a 亿元 table in 亿元
        grid = grids.get(table["table_index"], {"columns": {}, "rows": {}})
        table["columns"] = [grid["columns"][i] for i in sorted(grid["columns"])]
        table["column_ids"] = sorted(grid["columns"])
        table["grid_rows"] = [dict(r, cells={i: in_unit(fen, table.get("unit")) for i, fen in r["cells"].items()})
                              for r in (grid["rows"][i] for i in sorted(grid["rows"]))]
    findings = [dict(r) for r in (await db.execute(
        "select severity, \"check\", table_kind, message, evidence from findings where document_id = ? "
        "order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, id", [doc_id])).rows]
    copies = [dict(r) for r in (await db.execute(
        "select id, format, status, lines, title, counted "
        "from disclosure_copies where district is :district and department is :department "
        "and fiscal_year is :year and stage is :stage and coalesce(department, '') != '' and id != :id "
        "order by counted desc, format",
        {"district": doc["district"], "department": doc["department"], "year": doc["fiscal_year"],
         "stage": doc["stage"], "id": doc_id})).rows]
    context = {
        "site_title": datasette.metadata("title") or "Datasette", "doc": doc, "tables": tables,
        "findings": findings, "copies": copies, "wan": wan_text,
        "source_is_web": _web_url(doc.get("url")), "short_url": short_url,
        "archived": bool(_raw_file(db, doc)),
        "archived_parent": await _archived_parent(db, doc),
        "lines_url": datasette.urls.table(DATABASE, "budget_lines") + "?" + urllib.parse.urlencode({"document_id": doc_id}),
        "row_url": datasette.urls.row(DATABASE, "documents", doc_id),
        "counted": any(t["counted"] for t in tables),
    }
    return Response.html(await datasette.render_template("document.html", context, request=request))


async def _archived_parent(db, doc) -> str:
    """The format of the archived file a ZIP member or attachment came from, if it is kept."""
    if not doc.get("parent_id"):
        return ""
    parent = (await db.execute("select * from documents where id = ?", [doc["parent_id"]])).first()
    return parent["format"] if parent and _raw_file(db, dict(parent)) else ""


def _raw_file(db, doc):
    """The archived bytes of a document, only if the file at raw_path still holds exactly them
    (the id is the SHA-256 of the bytes): a path is taken as given, then beside the database."""
    import hashlib
    from pathlib import Path

    raw = doc.get("raw_path")
    if not raw:
        return None
    candidates = [Path(raw)]
    if not Path(raw).is_absolute() and db.path:
        candidates.append(Path(db.path).parent / raw)
    for path in candidates:
        try:
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == doc["id"]:
                return path
        except OSError:
            continue
    return None


RAW_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8", "textdump": "text/plain; charset=utf-8",
             "xls": "application/vnd.ms-excel", "doc": "application/msword", "zip": "application/zip",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


async def raw_page(datasette, request):
    """/-/raw/<id>: the archived file as it was fetched, read-only. Archived HTML is sandboxed
    (no scripts, no cookies of this site) so a published page cannot act on the site."""
    db = datasette.get_database(DATABASE)
    found = (await db.execute("select * from documents where id = ?", [request.url_vars["id"]])).first()
    path = _raw_file(db, dict(found)) if found else None
    if not path:
        return Response.text("没有存档副本 · no archived copy of this document", status=404)
    doc = dict(found)
    name = urllib.parse.quote(path.name if path.name != doc["id"] else f"{doc['id']}.{doc['format']}")
    return Response(path.read_bytes(), status=200, content_type=RAW_TYPES.get(doc["format"], "application/octet-stream"),
                    headers={"Content-Security-Policy": "sandbox", "X-Content-Type-Options": "nosniff",
                             "Content-Disposition": f"inline; filename*=UTF-8''{name}",
                             "Cache-Control": "public, max-age=86400"})


async def _canned(datasette, request, name, params):
    query = await datasette.get_canned_query(DATABASE, name, request.actor)
    result = await datasette.get_database(DATABASE).execute(query["sql"], params)
    return [dict(row) for row in result.rows]


_DEFAULT_CODES: dict[str, str] = {}


async def _most_compared_code(db, stage="budget") -> str:
    """The subject printed by the most departments in the latest year of the stage: a sensible
    first chart. Remembered per database file: the site serves it immutable."""
    key = f"{db.path}|{stage}"
    if key in _DEFAULT_CODES:
        return _DEFAULT_CODES[key]
    row = (await db.execute(
        "select subject_code from published_lines where table_kind = 'general_budget_expenditure' "
        "and subject_code != '' and measure = 'total' and year = fiscal_year and stage = :stage "
        "and fiscal_year = (select max(fiscal_year) from published_documents where stage = :stage) "
        "group by subject_code order by count(distinct document_id) desc, length(subject_code) desc, "
        "subject_code limit 1", {"stage": stage})).first()
    _DEFAULT_CODES[key] = row[0] if row else ""
    return _DEFAULT_CODES[key]


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
            if scope["type"] == "http" and scope["path"].endswith(".csv") and _asks_bom(scope):
                await app(scope, receive, with_bom(send))
                return
            await app(scope, receive, send)
        return read_only
    return wrap


def _asks_bom(scope) -> bool:
    query = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return query.get("_bom", [""])[0] in ("1", "on", "true")


BOM = "\ufeff".encode("utf-8")


def with_bom(send):
    """CSV for Excel: a UTF-8 byte order mark before the first byte of the body (Excel reads a CSV
    without one in the local code page and shows Chinese garbled); streamed exports stay streamed."""
    state = {"first": True}

    async def sending(message):
        if message["type"] == "http.response.start":
            message = dict(message, headers=[
                (k, str(int(v) + len(BOM)).encode() if k.lower() == b"content-length" else v)
                for k, v in message.get("headers", [])])
        elif message["type"] == "http.response.body" and state["first"]:
            state["first"] = False
            message = dict(message, body=BOM + message.get("body", b""))
        await send(message)
    return sending


@hookimpl
def register_routes():
    return [(r"^/-/charts$", charts_page), (r"^/-/subject$", subject_page),
            (r"^/-/department$", department_page), (r"^/-/document/(?P<id>[^/]+)$", document_page),
            (r"^/-/raw/(?P<id>[^/]+)$", raw_page)]


DATALIST_SCRIPT = """
(function () {
  const lists = %s;
  for (const [name, options] of Object.entries(lists)) {
    const inputs = document.querySelectorAll('form input[name="' + name + '"]:not([list])');
    if (!inputs.length) continue;
    const list = document.createElement('datalist');
    list.id = 'choices-' + name;
    for (const [value, label] of options) {
      const option = document.createElement('option');
      option.value = value; option.label = label; list.appendChild(option);
    }
    document.body.appendChild(list);
    inputs.forEach(input => input.setAttribute('list', list.id));
  }
  const empty = document.querySelector('.zero-results, p.zero-results');
  const filled = Array.from(document.querySelectorAll('form input[type=text]')).filter(i => i.value).map(i => i.value);
  if (filled.length && !document.querySelector('table.rows-and-columns tbody tr')) {
    const note = document.createElement('p');
    note.className = 'nothing-matched';
    note.textContent = '没有匹配的结果 · nothing matched “' + filled.join('”, “') + '”: the parameters take a code, a name or part of one (pick from the list)';
    const form = document.querySelector('form.sql, form');
    form && form.after(note);
  }
})();
"""


@hookimpl
def extra_body_script(template, database, datasette):
    """The canned queries' parameters offer the subjects, departments and districts in the data
    (datalists), and a query that matched nothing says so under its form."""
    if template != "query.html" or database != DATABASE:
        return None

    async def script():
        import json

        db = datasette.get_database(DATABASE)
        try:
            codes = [[r[0], f"{r[0]} {r[1]}"] for r in (await db.execute(
                "select subject_code, max(subject_name) from published_lines where subject_code != '' "
                "and table_kind = 'general_budget_expenditure' group by subject_code order by subject_code")).rows]
            departments = [[r[0], r[0]] for r in (await db.execute(
                "select distinct department from published_documents where coalesce(department, '') != '' "
                "order by department")).rows]
            districts = [[r[0], r[0]] for r in (await db.execute(
                "select distinct district from published_documents where coalesce(district, '') != '' "
                "order by district")).rows]
        except Exception:  # a database not prepared with the published views
            return ""
        lists = {"code": codes, "department": departments, "district": districts,
                 "stage": [["budget", "预算 budget"], ["final_account", "决算 final account"]]}
        return DATALIST_SCRIPT % json.dumps(lists, ensure_ascii=False).replace("</", "<\\/")
    return script


@hookimpl
def table_actions(datasette, database, table):
    """Exports a researcher opens in a spreadsheet: every row, not one page."""
    base = datasette.urls.table(database, table)
    return [
        {"href": base + ".csv?_stream=on&_bom=1&_size=max", "label": "CSV (Excel, UTF-8 BOM, 全部行 all rows)"},
        {"href": base + ".csv?_stream=on&_size=max", "label": "CSV (UTF-8, 全部行 all rows)"},
        {"href": base + ".xlsx", "label": "XLSX (全部行 all rows)"},
    ]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/-/subject"), "label": "科目 × 部门 × 年度 Subject by department and year"},
        {"href": datasette.urls.path("/-/department"), "label": "部门 Department"},
        {"href": datasette.urls.path("/-/charts"), "label": "图表 Charts"},
        {"href": datasette.urls.path(f"/{DATABASE}/search"), "label": "搜索 Search"},
        {"href": datasette.urls.path(f"/{DATABASE}"), "label": "SQL 与全部表 SQL and tables"},
    ]


@hookimpl
def render_cell(row, value, column, table, datasette):
    """`page` opens the source document at that page; `link` columns of the canned queries
    (site-relative paths) become links; a subject code without its name beside it gets one; in
    query results a document id links to its document (tables do that through the foreign key)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and _is_wan(column, table):
        exact = f"{value:.6f}".rstrip("0").rstrip(".")
        return Markup(f'<span class="wan" title="{exact} 万元">{wan_text(value)}</span>')
    if column in ("url", "source") and _web_url(value) and not (column == "source" and _has(row, "page")
                                                                 and row["page"] not in (None, "")):
        return Markup(f'<a href="{_e(value)}" title="{_e(urllib.parse.unquote(value))}">{_e(short_url(value))}</a>')
    if column in LABELLED and isinstance(value, str) and value and not _has(row, f"{column}_label"):
        return _with_label(datasette, column, value)
    if column == "id" and table in ("published_documents", "current_documents") and value:
        href = datasette.urls.path(f"/-/document/{value}")
        return Markup(f'<a href="{_e(href)}" title="{_e(value)}">{_e(str(value)[:12])}…</a>')
    if column == "title" and table in DOCUMENT_TABLES and value and _has(row, "id"):
        href = datasette.urls.path(f"/-/document/{row['id']}")
        return Markup(f'<a href="{_e(href)}">{_e(value)}</a>')
    if column == "subject_code" and value and not _has(row, "subject_name"):
        return _code_with_name(datasette, value)
    if column == "document_id" and table is None and isinstance(value, str) and value:
        label = row["document_title"] if _has(row, "document_title") and row["document_title"] else value[:12]
        href = datasette.urls.row(DATABASE, "documents", value)
        return Markup(f'<a href="{_e(href)}">{_e(label)}</a>')
    if column == "page" and value not in (None, "") and _has(row, "url") and _web_url(row["url"]):
        return Markup(f'<a href="{_e(row["url"])}#page={_e(value)}">第{_e(value)}页</a>')
    if column == "source" and _web_url(value) and _has(row, "page") and row["page"] not in (None, ""):
        return Markup(f'<a href="{_e(value)}#page={_e(row["page"])}" title="{_e(urllib.parse.unquote(value))}">'
                      f'{_e(short_url(value))}</a>')
    if column == "link" and (_web_url(value) or _site_path(value)):
        return Markup(f'<a href="{_e(value)}" title="{_e(urllib.parse.unquote(value))}">打开 open</a>')
    return None


DOCUMENT_TABLES = ("documents", "published_documents", "current_documents", "superseded_documents")
LABELLED = {"table_kind": "table_kinds", "measure": "measures", "stage": "stages", "basis": "bases"}


def _is_wan(column, table) -> bool:
    return column.endswith("_wan") or (table == WIDE_VIEW and column.startswith(("budget_", "final_")))


_LABELS: dict[str, dict] = {}


async def _with_label(datasette, column, value):
    db = datasette.get_database(DATABASE)
    if db.path not in _LABELS:
        labels = {}
        for name, table in LABELLED.items():
            try:
                labels[name] = {r[0]: r[1] for r in (await db.execute(f"select code, zh from [{table}]")).rows}
            except Exception:  # a database prepared before the lookup tables existed
                labels[name] = {}
        _LABELS[db.path] = labels
    label = _LABELS[db.path][column].get(value)
    if not label or label == value:
        return None
    return Markup(f'{_e(label)} <span class="code">{_e(value)}</span>')


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
