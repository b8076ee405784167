"""/-/charts: one subject across departments (bars) and over the years (lines), each drawn from
the canned query a researcher can open beside it."""
from __future__ import annotations

import urllib.parse

from datasette.utils.asgi import Response
from markupsafe import Markup

from extractors.constants import Stage, TableKind
from extractors.units import fen_to_wan

from . import DATABASE, WIDE_VIEW
from .subjects import latest_year, read_subject_query, subject_choices, subject_name, subject_series
from .svg import bar_chart_svg, lines_chart_svg

BAR_QUERY = "subject_across_departments"
LINE_QUERY = "subject_over_years"
STAGE_NAMES = {Stage.BUDGET: "预算 budget", Stage.FINAL_ACCOUNT: "决算 final account"}


async def charts_page(datasette, request):
    db = datasette.get_database(DATABASE)
    args = {name: (request.args.get(name) or "").strip()
            for name in ("code", "year", "stage", "department", "district", "who")}
    if "|" in args["who"]:  # the page's department menu: "district|department"; "" is all of them
        args["district"], args["department"] = args["who"].split("|", 1)
    stage = args["stage"] if args["stage"] in STAGE_NAMES else Stage.BUDGET
    query = await read_subject_query(db, args["code"])
    code = query.code or ("" if query.typed else await most_compared_code(db, stage))
    stage_year = await latest_year(db, stage)  # None: the database holds no disclosure of the stage
    district, department = args["district"], args["department"]
    bar_params = {"code": code, "year": args["year"], "stage": stage, "table_kind": ""}
    bar_rows = await canned_rows(datasette, request, BAR_QUERY, bar_params) if code else []
    series, wide_rows = [], []
    if code:
        series, wide_rows, _ = await subject_series(db, code, district, department,
                                                    stages=[stage] if not department else list(STAGE_NAMES))
    subject = (bar_rows[0]["subject_name"] if bar_rows else
               (wide_rows[0]["subject_name"] if wide_rows else await subject_name(db, code) if code else ""))
    year = bar_rows[0]["year"] if bar_rows else (args["year"] or stage_year or "")
    bar_title = " · ".join(str(part) for part in (
        f"{code} {subject}".strip(), year, STAGE_NAMES[stage], "各部门 across departments (万元)") if part)
    who = " ".join(x for x in (district, department) if x) or "全部部门 all departments"
    line_title = f"{code} {subject} · {who} · 逐年 year by year (万元)"
    bars = [(f"{row['district']} {row['department']}", fen_to_wan(row["amount_fen"])) for row in bar_rows]
    if department:
        line_params = {"code": code, "department": department, "district": district, "stage": stage}
        line_query_url = query_url(datasette, LINE_QUERY, line_params)
    else:
        line_query_url = datasette.urls.table(DATABASE, WIDE_VIEW) + "?" + urllib.parse.urlencode(
            {"subject_code": code})

    choices = await db.execute(
        "select distinct district, department from published_documents where coalesce(department, '') != '' "
        "order by district, department")
    context = {
        "site_title": datasette.metadata("title") or "Datasette", "args": args, "code": code,
        "department": department, "district": district, "year": year, "stage": stage,
        "stage_names": STAGE_NAMES, "subject": subject, "query": query, "matches": query.matches,
        "typed": query.typed, "stage_is_empty": stage_year is None,
        "pick_url": lambda pick: datasette.urls.path("/-/charts") + "?" + urllib.parse.urlencode(
            {"code": pick, "stage": stage}),
        "bar_svg": Markup(bar_chart_svg(bars, bar_title)),
        "line_svg": Markup(lines_chart_svg(series, line_title)),
        "bar_query_url": query_url(datasette, BAR_QUERY, bar_params),
        "line_query_url": line_query_url,
        "bar_rows": bar_rows,
        "departments": [dict(row) for row in choices.rows],
        "subjects": await subject_choices(db),
    }
    return Response.html(await datasette.render_template("charts.html", context, request=request))


async def canned_rows(datasette, request, name, params):
    query = await datasette.get_canned_query(DATABASE, name, request.actor)
    result = await datasette.get_database(DATABASE).execute(query["sql"], params)
    return [dict(row) for row in result.rows]


_DEFAULT_CODES: dict[str, str] = {}


async def most_compared_code(db, stage=Stage.BUDGET) -> str:
    """The subject printed by the most departments in the latest year of the stage: a sensible
    first chart. Remembered per database file: the site serves it immutable."""
    key = f"{db.path}|{stage}"
    if key in _DEFAULT_CODES:
        return _DEFAULT_CODES[key]
    row = (await db.execute(
        f"select subject_code from published_lines where table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' "
        "and subject_code != '' and measure = 'total' and year = fiscal_year and stage = :stage "
        "and fiscal_year = (select max(fiscal_year) from published_documents where stage = :stage) "
        "group by subject_code order by count(distinct document_id) desc, length(subject_code) desc, "
        "subject_code limit 1", {"stage": stage})).first()
    _DEFAULT_CODES[key] = row[0] if row else ""
    return _DEFAULT_CODES[key]


def query_url(datasette, name, params):
    return datasette.urls.path(f"/{DATABASE}/{name}") + "?" + urllib.parse.urlencode(params)
