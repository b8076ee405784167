"""asgi_wrapper: the HTTP layer around Datasette (read-only methods, CSV for Excel)."""
from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response

from .exports import asks_bom, with_bom

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


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
            if scope["type"] == "http" and scope["path"].endswith(".csv") and asks_bom(scope):
                await app(scope, receive, with_bom(send))
                return
            await app(scope, receive, send)
        return read_only
    return wrap
