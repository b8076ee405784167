"""/-/subject?code=…: one subject in every department, year by year."""
from __future__ import annotations

import urllib.parse

from datasette.utils.asgi import Response
from markupsafe import Markup

from . import DATABASE, WIDE_VIEW
from .subject_changes import JOINED, change_text, changes_of, later_text
from .subjects import read_subject_query, subject_choices, subject_name, subject_series
from .svg import lines_chart_svg
from .text import wan_text


async def subject_page(datasette, request):
    """/-/subject?code=…: one subject in every department, one column per year, 预算 and 决算
    apart, with a line per department (决算 dashed). code takes a name or part of one. Across a
    renaming or a move of the classification (the `subject_changes` crosswalk) the series is
    joined and the page says so, with the crosswalk's source."""
    db = datasette.get_database(DATABASE)
    query = await read_subject_query(db, request.args.get("code") or "")
    typed, code, matches = query.typed, query.code, query.matches
    district = (request.args.get("district") or "").strip()
    earlier, later = await changes_of(db, code)
    moves = [c for c in earlier if c["kind"] in JOINED and c["old_code"] != code]
    series, rows, years = (await subject_series(db, code, district, moves=moves)) if code else ([], [], [])
    budget_years = [y for y in years if any(r.get(f"budget_{y}") is not None for r in rows)]
    final_years = [y for y in years if any(r.get(f"final_{y}") is not None for r in rows)]
    name = (earlier[-1]["new_name"] if earlier else
            rows[0]["subject_name"] if rows else (await subject_name(db, code) if code else ""))
    printed_as = {}  # year → the code and name printed that year, before a change joined here
    for change in reversed([c for c in earlier if c["kind"] in JOINED]):
        printed_as.update({y: f"{change['old_code']} {change['old_name']}" for y in years if y < change["from_year"]})
    title = f"{code} {name} · 各部门逐年 every department, year by year (万元)"
    view_url = datasette.urls.table(DATABASE, WIDE_VIEW) + "?" + urllib.parse.urlencode(
        {"subject_code": code, **({"district": district} if district else {})})
    context = {
        "site_title": datasette.metadata("title") or "Datasette", "query": query,
        "pick_url": lambda pick: datasette.urls.path("/-/subject") + "?" + urllib.parse.urlencode({"code": pick}),
        "typed": typed, "code": code, "name": name,
        "matches": matches, "rows": rows, "budget_years": budget_years, "final_years": final_years,
        "chart": Markup(lines_chart_svg(series, title)) if rows else "", "view_url": view_url,
        "subjects": await subject_choices(db), "wan": wan_text, "district": district,
        "printed_as": printed_as, "printed_as_notes": printed_as_notes(printed_as),
        "changes": [{**c, "text": change_text(c)} for c in earlier] + [{**c, "text": later_text(c)} for c in later],
    }
    return Response.html(await datasette.render_template("subject.html", context, request=request))


def printed_as_notes(printed_as: dict[int, str]) -> list[dict]:
    """{'years': '2017–2019', 'was': '20805 行政事业单位离退休'}: the years printed under one former
    code or name, together."""
    groups: list[tuple[list[int], str]] = []
    for year, was in sorted(printed_as.items()):
        if groups and groups[-1][1] == was:
            groups[-1][0].append(year)
        else:
            groups.append(([year], was))
    return [{"years": f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]), "was": was}
            for years, was in groups]
