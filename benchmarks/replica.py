"""A generated replica of a district 预算/决算 column with any number of disclosures, served on
127.0.0.1 (a free random port) by a threaded HTTP server that counts requests and bytes.

Layout (the TRS platform that Chongqing districts share): list pages `index.html`,
`index_1.html` … with 20 links each, paged by both the `createPageHTML(n, i, "index", "html")`
script and plain links; detail pages `<column>/YYYYMM/tYYYYMMDD_<id>.html`, each a department's
disclosure with a title and one real table (from the seed's HTML rendering, the department's
name put in)."""
from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from benchmarks.common import SEED_HTML
from benchmarks.synth import DEPARTMENTS, YEARS

PER_LIST_PAGE = 20
DEFAULT_COLUMN = "/bm/czj/zwgk_25192/fdzdgknr/ysjs/ys/"  # a column path on the TRS platform
SEED_DEPARTMENT = "大数据应用发展管理局"


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"


def seed_table() -> str:
    """The seed's 一般公共预算支出表 as printed in its HTML rendering (label paragraph + table)."""
    text = SEED_HTML.read_text(encoding="utf-8")
    tables = re.findall(r"<p>附件\d+</p>\s*<table.*?</table>", text, flags=re.S)
    for table in tables:
        if "一般公共预算" in table and "支出预算表" in table or "一般公共预算财政拨款支出" in table:
            return table
    return tables[0]


def build(n: int, columns: list[str] | None = None, district: str = "重庆市潼南区") -> dict[str, Page]:
    """path → page for `n` disclosures spread over `columns` (folder paths ending in /)."""
    columns = columns or [DEFAULT_COLUMN]
    table = seed_table()
    site: dict[str, Page] = {"/robots.txt": Page(b"User-agent: *\nDisallow: /search/\n", "text/plain")}
    per_column = [n // len(columns) + (i < n % len(columns)) for i in range(len(columns))]
    serial = 15_366_001
    for column, count in zip(columns, per_column):
        items = []
        for i in range(count):
            department = DEPARTMENTS[i % len(DEPARTMENTS)] + (f"{i // len(DEPARTMENTS)}" if i >= len(DEPARTMENTS) else "")
            year = YEARS[-1 - (i // len(DEPARTMENTS)) % len(YEARS)]
            stage = "部门预算" if "js" not in column.rsplit("/", 2)[-2] else "部门决算"
            title = f"{district}{department}{year}年{stage}公开"
            month = f"{year}{1 + i % 12:02d}"
            path = f"{column}{month}/t{month}{1 + i % 28:02d}_{serial}.html"
            serial += 1
            body = table.replace(SEED_DEPARTMENT, department).replace("大数据应用发展管理", department)
            site[path] = Page(detail_page(title, body).encode("utf-8"))
            items.append((path, title, f"{month[:4]}-{month[4:]}-{1 + i % 28:02d}"))
        pages = max(1, -(-len(items) // PER_LIST_PAGE))
        for p in range(pages):
            name = "index.html" if p == 0 else f"index_{p}.html"
            chunk = items[p * PER_LIST_PAGE:(p + 1) * PER_LIST_PAGE]
            site[column + name] = Page(list_page(chunk, pages, p).encode("utf-8"))
    return site


def detail_page(title: str, table: str) -> str:
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>\n"
            f"<body>\n<h1>{html.escape(title)}</h1>\n<p>单位：万元</p>\n{table}\n</body></html>\n")


def list_page(items: list[tuple[str, str, str]], pages: int, current: int) -> str:
    links = "\n".join(f'<li><a href="{href}" title="{html.escape(title)}">{html.escape(title)}</a>'
                      f"<span>{date}</span></li>" for href, title, date in items)
    pager = " ".join(f'<a href="{"index.html" if p == 0 else f"index_{p}.html"}">{p + 1}</a>' for p in range(pages))
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>预算/决算</title></head><body>\n"
            f"<ul class=\"list\">\n{links}\n</ul>\n<div class=\"page\">{pager}<script>"
            f"createPageHTML({pages}, {current}, \"index\", \"html\");</script></div>\n</body></html>\n")


class ReplicaServer:
    """Serves `site` by path whatever the Host header says; counts what it served."""

    def __init__(self, site: dict[str, Page]):
        self.site = site
        self.requests = 0
        self.bytes = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.requests = self.bytes = 0

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                page = server.site.get(unquote(urlsplit(self.path).path))
                status = 200 if page else 404
                page = page or Page(b"<html><body>404</body></html>")
                with server._lock:
                    server.requests += 1
                    server.bytes += len(page.body)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", page.content_type)
                    self.send_header("Content-Length", str(len(page.body)))
                    self.end_headers()
                    self.wfile.write(page.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        return Handler
