"""A small HTTP server on 127.0.0.1 (a free random port) that serves a fixed set of resources,
some of them slow or missing on purpose, and remembers every path it was asked for."""
from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit


LAST_MODIFIED = "Thu, 29 Jan 2026 08:00:00 GMT"


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html"
    status: int = 200
    delay: float = 0.0  # seconds to wait before answering (a slow page)
    headers: dict[str, str | bytes] = field(default_factory=dict)


class SiteServer:
    """Serves `resources` keyed by path ('/a/b.html', '/x.jsp?id=1') or, for replicas of
    several real hosts behind one port, by host and path ('www.cqtn.gov.cn/a/b.html').
    Anything else is a 404."""

    def __init__(self, resources: dict[str, Resource]):
        self.resources = resources
        self.requests: list[str] = []  # '/path?query' as asked (percent-decoded), in order
        self.requested_urls: list[str] = []  # 'host/path?query', for replicas of several hosts
        self.not_modified: list[str] = []  # requests answered 304 (If-None-Match matched)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> "SiteServer":
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def lookup(self, host: str, target: str) -> Resource | None:
        parts = urlsplit(target)
        path = unquote(parts.path)
        keys = [path + (f"?{parts.query}" if parts.query else ""), path]
        for key in keys:
            for candidate in (host + key, key):
                if candidate in self.resources:
                    return self.resources[candidate]
        return None

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                target = unquote(self.path)
                site.requests.append(target)
                site.requested_urls.append(host + target)
                resource = site.lookup(host, self.path)
                if resource is None:
                    resource = Resource(b"<html><body><h1>404 Not Found</h1></body></html>", status=404)
                if resource.delay:
                    time.sleep(resource.delay)
                # validators as a static web server sends them, so crawls can ask "changed?"
                etag = f'"{hashlib.sha256(resource.body).hexdigest()[:16]}"'
                try:
                    if resource.status == 200 and self.headers.get("If-None-Match") == etag:
                        site.not_modified.append(target)
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.end_headers()
                        return
                    self.send_response(resource.status)
                    self.send_header("Content-Type", resource.content_type)
                    if resource.status == 200:
                        self.send_header("ETag", etag)
                        self.send_header("Last-Modified", LAST_MODIFIED)
                    self.send_header("Content-Length", str(len(resource.body)))
                    for name, value in resource.headers.items():
                        if isinstance(value, bytes):  # raw header bytes, as some servers send
                            self._headers_buffer.append(f"{name}: ".encode("latin-1") + value + b"\r\n")
                        else:
                            self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(resource.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *args):
                pass

        return Handler
