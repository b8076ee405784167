"""The budgets site's Datasette plugin: the pages that answer questions without SQL, charts,
links to sources, menu entries, and the guards that keep the site read-only.

Charts are SVG drawn on the server from the rows of the published canned queries, so the page
needs no JavaScript and no network, and every chart's data is the same query a researcher can
open, download as CSV or read as JSON.

Datasette loads `plugins/budgets_site.py` (`--plugins-dir plugins`; budgets serve does), which
imports this package and hands Datasette its hooks. One module per page and one per hook family,
each page's SQL beside it:

    pages      charts.py  subject.py  department.py  document.py  raw.py (the archived file)
               subjects.py (the subject lookups the pages share)
    hooks      routes.py (register_routes, menu_links)   authorizer.py (prepare_connection, with
               responses.py: the bytes one query may return)   errors.py (handle_exception)
               asgi.py (asgi_wrapper)   exports.py (table_actions, the CSV byte order mark)
               assets.py (extra_body_script, datalists.js, column_labels.js and .py)
               rendering.py (render_cell)
    drawing    svg.py (rows in, SVG text out)   text.py (amounts, links and escaping for reading)
"""

DATABASE = "budgets"
WIDE_VIEW = "subject_department_year"
