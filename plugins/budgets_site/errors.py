"""handle_exception: a client's mistake is answered as one, without a traceback.

Datasette 0.65's own handler prints every exception with rich (installed here for the command
line) before answering; for a path that matches no route there is no exception being handled, rich
raises, and `//etc/passwd`, `/budgets.db-wal` or `/budgets/documents/a/b` answered 500. Here every
4xx (a path that names nothing, a bad parameter) and a query whose rows are too large
(responses.py) is answered by this plugin, as HTML, JSON or CSV text, and Datasette's handler is left only the
server's own errors."""
from __future__ import annotations

from datasette import hookimpl
from datasette.utils import add_cors_headers
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError

from .responses import ResponseTooLarge, too_large_message

TOO_LARGE = "结果太大 · Response too large"


def client_error(exception) -> tuple[int, str, str | None] | None:
    """(status, message, title) of an exception that is the request's fault, else None."""
    if isinstance(exception, Base400):
        return exception.status, exception.args[0] if exception.args else "", None
    if isinstance(exception, DatasetteError) and exception.status < 500 and not exception.message_is_html:
        return exception.status, exception.message, exception.title
    if isinstance(exception, ResponseTooLarge):
        return 400, str(exception), TOO_LARGE
    if isinstance(exception, MemoryError):  # SQLite's heap limit, met while stepping one huge row
        return 400, too_large_message(), TOO_LARGE
    return None


@hookimpl(hookwrapper=True)
def handle_exception(datasette, request, exception):
    outcome = yield
    found = client_error(exception)
    if found is None:
        return
    status, message, title = found

    async def answer():
        info = {"ok": False, "error": message, "status": status, "title": title}
        headers = {}
        if datasette.cors:
            add_cors_headers(headers)
        path = request.path.split("?")[0]
        if path.endswith(".json"):
            return Response.json(info, status=status, headers=headers)
        if path.endswith(".csv"):
            return Response.text(f"{message}\n", status=status, headers=headers)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        return Response.html(await template.render_async(dict(
            info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(), menu_links=lambda: [])),
            status=status, headers=headers)

    outcome.force_result([answer])  # instead of every handler's, Datasette's default among them
