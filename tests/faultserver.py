"""A loopback HTTP server that misbehaves like government sites do, for crawler and security tests.

    from faultserver import fault_server   # a pytest fixture; or FaultServer() by hand

    def test_something(fault_server):
        fault_server.add("/list.html", LISTING_HTML)           # serve your own pages
        url = fault_server.url("/status/500")                  # or one of the faults below
        ... crawl ...
        assert fault_server.requests_for("/secret") == []      # what was asked, in order

Faults (all bounded in time; the server stops by itself when the test ends):
  /status/<code>          that status with a small HTML body (500, 503, 403, 404 ...)
  /redirect-loop/a        302 → /redirect-loop/b → 302 → /redirect-loop/a ...
  /redirect-chain/<n>     n redirects, then a small PDF-named page
  /redirect-to?to=URL     302 to URL (another host: an off-site redirect)
  /slow-body              headers at once, then 1 byte every 0.5 s, never complete
  /no-response            reads the request, answers nothing
  /wrong-length           Content-Length 100000, sends 1000 bytes and closes
  /long-body              Content-Length 10, sends 1000 bytes
  /huge                   Content-Length 3 GB, streams zeros as fast as the client reads
  /huge-chunked           chunked, no length, streams zeros
  /disposition            a PDF with Content-Disposition naming '../../evil.pdf'
  /html-as-pdf.pdf        an HTML error page served as application/pdf
Every other path serves what `add` registered, else 404. `FaultServer(host="127.0.0.2")` gives a
second, "other" site on loopback, to prove a spider never goes there.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

MAX_FAULT_SECONDS = 30  # the longest any fault keeps a connection open


@dataclass
class Request:
    method: str
    path: str
    headers: dict


class FaultServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.pages: dict[str, tuple[int, dict, bytes]] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        server = self

        class Handler(_FaultHandler):
            owner = server

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                       daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str, status: int = 200, content_type: str = "text/html; charset=utf-8",
            headers: dict | None = None) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.pages[path] = (status, {"Content-Type": content_type, **(headers or {})}, data)
        return self.url(path)

    def requests_for(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class _FaultHandler(BaseHTTPRequestHandler):
    owner: FaultServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        self.do_GET()

    def do_GET(self):
        owner = self.owner
        owner.requests.append(Request(self.command, self.path, dict(self.headers)))
        path = self.path.split("?", 1)[0]
        if path in owner.pages:
            status, headers, body = owner.pages[path]
            return self._send(status, body, headers)
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            return self._send(code, f"<html><title>{code}</title><h1>Error {code}</h1></html>".encode())
        if path.startswith("/redirect-loop/"):
            target = "/redirect-loop/b" if path.endswith("/a") else "/redirect-loop/a"
            return self._send(302, b"", {"Location": target})
        if path == "/redirect-to":  # /redirect-to?to=URL: a redirect anywhere, e.g. off-site
            target = parse_qs(urlsplit(self.path).query).get("to", ["/"])[0]
            return self._send(302, b"", {"Location": target})
        if path.startswith("/redirect-chain/"):
            left = int(path.rsplit("/", 1)[1])
            if left > 0:
                return self._send(302, b"", {"Location": f"/redirect-chain/{left - 1}"})
            return self._send(200, b"<html><title>end of chain</title></html>")
        if path == "/slow-body":
            return self._drip()
        if path == "/no-response":
            owner.stopping.wait(MAX_FAULT_SECONDS)
            self.close_connection = True
            return None
        if path == "/wrong-length":
            self._head(200, {"Content-Type": "application/pdf", "Content-Length": "100000"})
            self.wfile.write(b"%PDF-1.4\n" + b"0" * 991)
            self.close_connection = True
            return None
        if path == "/long-body":
            self._head(200, {"Content-Type": "text/html", "Content-Length": "10"})
            self.wfile.write(b"<html>" + b"x" * 994)
            self.close_connection = True
            return None
        if path in ("/huge", "/huge-chunked"):
            return self._stream_zeros(chunked=path.endswith("chunked"))
        if path == "/disposition":
            return self._send(200, b"%PDF-1.4\n%%EOF\n", {
                "Content-Type": "application/octet-stream",
                "Content-Disposition": "attachment; filename=\"../../evil.pdf\"; "
                                       "filename*=UTF-8''..%2F..%2F%E9%A2%84%E7%AE%97.pdf"})
        if path == "/html-as-pdf.pdf":
            return self._send(200, b"<html><title>404 Not Found</title><h1>404 Not Found</h1></html>",
                              {"Content-Type": "application/pdf"})
        return self._send(404, b"<html><title>404</title>not here</html>")

    def _head(self, status: int, headers: dict) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {}),
                   "Content-Length": str(len(body))}
        self._head(status, headers)
        if self.command != "HEAD":
            self.wfile.write(body)

    def _drip(self) -> None:
        self._head(200, {"Content-Type": "application/pdf", "Content-Length": str(10 * 1024 * 1024)})
        deadline = time.monotonic() + MAX_FAULT_SECONDS
        try:
            self.wfile.write(b"%PDF-1.4\n")
            while time.monotonic() < deadline and not self.owner.stopping.wait(0.5):
                self.wfile.write(b"0")
                self.wfile.flush()
        except OSError:
            pass
        self.close_connection = True

    def _stream_zeros(self, chunked: bool) -> None:
        headers = {"Content-Type": "application/zip"}
        headers.update({"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(3 * 1024 ** 3)})
        self._head(200, headers)
        block = b"\0" * 65536
        deadline = time.monotonic() + MAX_FAULT_SECONDS
        try:
            while time.monotonic() < deadline and not self.owner.stopping.is_set():
                self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
        except OSError:
            pass
        self.close_connection = True


@pytest.fixture
def fault_server():
    server = FaultServer()
    yield server
    server.close()


@pytest.fixture
def other_site():
    """A second site on another loopback address: a spider confined to the first never asks it."""
    server = FaultServer(host="127.0.0.2")
    yield server
    server.close()
