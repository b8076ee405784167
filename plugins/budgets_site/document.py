"""/-/document/<id>: one document, its tables drawn from its lines, its findings and its other copies."""
from __future__ import annotations

import urllib.parse

from datasette.utils.asgi import Response

from extractors.units import in_unit

from . import DATABASE
from .raw import archived_file
from .text import short_url, wan_text, web_url


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
        "source_is_web": web_url(doc.get("url")), "short_url": short_url,
        "archived": bool(archived_file(db, doc)),
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
    return parent["format"] if parent and archived_file(db, dict(parent)) else ""
