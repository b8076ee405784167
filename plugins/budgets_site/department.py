"""/-/department?department=…: a department's years on one page."""
from __future__ import annotations

import urllib.parse

from datasette.utils.asgi import Response

from extractors.constants import TableKind, own_basis_sql
from extractors.units import fen_to_wan_sql

from . import DATABASE
from .text import wan_text

# Each section of a chosen department's page: its rows, for :district and :department.
SECTIONS = {
    "totals": f"""
    select l.fiscal_year, l.stage, s.label as stage_label,
           {fen_to_wan_sql("sum(case when l.measure = 'total' then l.amount_fen end)")} as total_wan,
           {fen_to_wan_sql("sum(case when l.measure = 'basic' then l.amount_fen end)")} as basic_wan,
           {fen_to_wan_sql("sum(case when l.measure = 'project' then l.amount_fen end)")} as project_wan
    from published_lines l left join stages s on s.code = l.stage
    where l.district = :district and l.department = :department
      and l.table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' and l.classification = 'functional'
      and l.level = 1 and l.year = l.fiscal_year
      and l.basis = {own_basis_sql('l.stage')}
    group by l.fiscal_year, l.stage order by l.fiscal_year, l.stage""",
    "three_public": f"""
    select l.fiscal_year, l.stage, l.year,
           {fen_to_wan_sql("max(case when l.measure = 'total' then l.amount_fen end)")} as total_wan,
           {fen_to_wan_sql("max(case when l.measure = 'overseas_travel' then l.amount_fen end)")} as overseas_wan,
           {fen_to_wan_sql("max(case when l.measure = 'vehicles' then l.amount_fen end)")} as vehicles_wan,
           {fen_to_wan_sql("max(case when l.measure = 'reception' then l.amount_fen end)")} as reception_wan
    from published_lines l
    where l.district = :district and l.department = :department
      and l.table_kind = '{TableKind.THREE_PUBLIC_EXPENSES}'
      and l.basis = {own_basis_sql('l.stage')}
    group by l.fiscal_year, l.stage, l.year order by l.fiscal_year, l.stage, l.year""",
    "top_subjects": f"""
    select l.fiscal_year, l.stage, l.subject_code, l.subject_name, {fen_to_wan_sql("l.amount_fen")} as amount_wan
    from published_lines l
    where l.district = :district and l.department = :department
      and l.table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' and l.measure = 'total'
      and l.subject_code != '' and l.level = 3 and l.year = l.fiscal_year
      and l.basis = {own_basis_sql('l.stage')}
      and l.fiscal_year = (select max(fiscal_year) from published_documents
                           where district = :district and department = :department)
    order by l.amount_fen desc limit 10""",
    "findings": """
    select severity, count(*) as n from published_findings
    where district = :district and department = :department group by severity
    order by case severity when 'error' then 0 when 'warning' then 1 else 2 end""",
    "errors": """
    select fiscal_year, "check", message, document_id from published_findings
    where district = :district and department = :department and severity = 'error'
    order by fiscal_year desc, "check", id limit 30""",
    "completeness": """
    select fiscal_year, stage, family, mandated, present, missing, score from completeness
    where district = :district and department = :department order by fiscal_year, stage""",
    "documents": """
    select d.id, d.fiscal_year, d.stage, d.title, d.format, d.status, d.lines, d.url, d.counted
    from disclosure_copies d where d.district = :district and d.department = :department
    order by d.fiscal_year desc, d.stage, counted desc, d.parent_id is not null, d.format""",
}


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

        for name, sql in SECTIONS.items():
            context[name] = [dict(r) for r in (await db.execute(sql, key)).rows]
        context["findings_url"] = datasette.urls.table(DATABASE, "published_findings") + "?" + \
            urllib.parse.urlencode(key)
    return Response.html(await datasette.render_template("department.html", context, request=request))
