"""table_actions: exports a researcher opens in a spreadsheet, and the byte order mark Excel needs."""
from __future__ import annotations

import urllib.parse

from datasette import hookimpl


@hookimpl
def table_actions(datasette, database, table):
    """Exports a researcher opens in a spreadsheet: every row, not one page."""
    base = datasette.urls.table(database, table)
    return [
        {"href": base + ".csv?_stream=on&_bom=1&_size=max", "label": "CSV (Excel, UTF-8 BOM, 全部行 all rows)"},
        {"href": base + ".csv?_stream=on&_size=max", "label": "CSV (UTF-8, 全部行 all rows)"},
        {"href": base + ".xlsx", "label": "XLSX (全部行 all rows)"},
    ]


def asks_bom(scope) -> bool:
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
