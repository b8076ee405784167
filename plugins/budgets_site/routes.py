"""register_routes and menu_links: the site's own pages and the menu that leads to them."""
from __future__ import annotations

from datasette import hookimpl

from . import DATABASE
from .charts import charts_page
from .department import department_page
from .document import document_page
from .raw import raw_page
from .subject import subject_page


@hookimpl
def register_routes():
    return [(r"^/-/charts$", charts_page), (r"^/-/subject$", subject_page),
            (r"^/-/department$", department_page), (r"^/-/document/(?P<id>[^/]+)$", document_page),
            (r"^/-/raw/(?P<id>[^/]+)$", raw_page)]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/-/subject"), "label": "科目 × 部门 × 年度 Subject by department and year"},
        {"href": datasette.urls.path("/-/department"), "label": "部门 Department"},
        {"href": datasette.urls.path("/-/charts"), "label": "图表 Charts"},
        {"href": datasette.urls.path(f"/{DATABASE}/search"), "label": "搜索 Search"},
        {"href": datasette.urls.path(f"/{DATABASE}"), "label": "SQL 与全部表 SQL and tables"},
    ]
