"""render_cell: amounts in 万元, links to sources, pages and documents, labels beside codes."""
from __future__ import annotations

import urllib.parse

from datasette import hookimpl
from markupsafe import Markup

from . import DATABASE, WIDE_VIEW
from .text import escape, short_url, site_path, wan_text, web_url


@hookimpl
def render_cell(row, value, column, table, datasette):
    """`page` opens the source document at that page; `link` columns of the canned queries
    (site-relative paths) become links; a subject code without its name beside it gets one; in
    query results and the published views a document id is its document's title, linked (tables
    do that through the foreign key; a view has none, and a bare hash wraps over six lines)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and _is_wan(column, table):
        exact = f"{value:.6f}".rstrip("0").rstrip(".")
        return Markup(f'<span class="wan" title="{exact} 万元">{wan_text(value)}</span>')
    if column in ("url", "source") and web_url(value) and not (column == "source" and _has(row, "page")
                                                                and row["page"] not in (None, "")):
        return Markup(f'<a href="{escape(value)}" title="{escape(urllib.parse.unquote(value))}">'
                      f'{escape(short_url(value))}</a>')
    if column in LABELLED and isinstance(value, str) and value and not _has(row, f"{column}_label"):
        return _with_label(datasette, column, value)
    if column == "id" and table in ("published_documents", "current_documents") and value:
        href = datasette.urls.path(f"/-/document/{value}")
        return Markup(f'<a href="{escape(href)}" title="{escape(value)}">{escape(str(value)[:12])}…</a>')
    if column == "title" and table in DOCUMENT_TABLES and value and _has(row, "id"):
        href = datasette.urls.path(f"/-/document/{row['id']}")
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    if column == "subject_code" and value and not _has(row, "subject_name"):
        return _code_with_name(datasette, value)
    if column == "document_id" and (table is None or table in VIEWS_OF_DOCUMENTS) and isinstance(value, str) and value:
        return _document_link(datasette, row, value)
    if column == "page" and value not in (None, "") and _has(row, "url") and web_url(row["url"]):
        return Markup(f'<a href="{escape(row["url"])}#page={escape(value)}">第{escape(value)}页</a>')
    if column == "source" and web_url(value) and _has(row, "page") and row["page"] not in (None, ""):
        return Markup(f'<a href="{escape(value)}#page={escape(row["page"])}" '
                      f'title="{escape(urllib.parse.unquote(value))}">'
                      f'{escape(short_url(value))}</a>')
    if column == "link" and (web_url(value) or site_path(value)):
        return Markup(f'<a href="{escape(value)}" title="{escape(urllib.parse.unquote(value))}">打开 open</a>')
    return None


DOCUMENT_TABLES = ("documents", "published_documents", "current_documents", "superseded_documents")
# Views whose document_id Datasette cannot label: a view has no foreign keys.
VIEWS_OF_DOCUMENTS = ("published_lines", "published_findings", "current_lines", "current_budget_lines",
                      "current_tables", "published_tables")
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
    return Markup(f'{escape(label)} <span class="code">{escape(value)}</span>')


_DOCUMENT_TITLES: dict[tuple[str, str], str] = {}


async def _document_link(datasette, row, document_id):
    """The document's title linking to its row, as a foreign key shows it in budget_lines."""
    title = row["document_title"] if _has(row, "document_title") else None
    if not title:
        db = datasette.get_database(DATABASE)
        key = (db.path, document_id)
        if key not in _DOCUMENT_TITLES:
            found = (await db.execute("select title from documents where id = ?", [document_id])).first()
            _DOCUMENT_TITLES[key] = (found[0] if found else "") or ""
        title = _DOCUMENT_TITLES[key]
    href = datasette.urls.row(DATABASE, "documents", document_id)
    return Markup(f'<a href="{escape(href)}">{escape(title or document_id[:12] + "…")}</a>')


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
    return Markup(f'{escape(code)} <span class="subject-name">{escape(name)}</span>')


def _has(row, key) -> bool:
    try:
        return key in row.keys()
    except AttributeError:
        return False
