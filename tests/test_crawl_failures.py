"""What a crawl records when it cannot get a document, with the real spider over a real HTTP
server on loopback (tests/faultserver.py) or no server at all:

- a body that inflates past DOWNLOAD_MAXSIZE (a gzip or deflate bomb) and a redirect off the
  site (to an IP literal, `host@evil`, `host.evil`, `//evil`) are failed documents with the
  reason, not "refused by robots.txt or off-site" and not nothing at all;
- a crawl whose every request fails at the network level (a name that does not resolve, a port
  where nothing listens) is one line naming the host and the cause, without a traceback and
  without a monitor blaming the site's layout.

The list page imitates cqtn's (潼南) 预算 column, crawled under its real URLs through the replica
handler, as tests/test_faults.py does."""
from __future__ import annotations

import gzip
import os
import socket
import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from faultserver import fault_server  # noqa: F401  (fixture)
from badinputs import good_html_table
from crawling import FAST, ROOT

pytestmark = pytest.mark.slow  # starts processes or servers

LIST = "/bm/qwsjkw/zwgk_25192/fdzdgknr/ysjs_117571/ys_bm/index.html"
DETAIL = "/bm/qwsjkw/zwgk_25192/fdzdgknr/ysjs_117571/ys_bm/202601/t20260130_0.html"
SITE = "http://www.cqtn.gov.cn"
QUICK = {**FAST, "LOG_LEVEL": "WARNING", "DOWNLOAD_TIMEOUT": "2", "RETRY_TIMES": "1", "RETRY_BACKOFF_BASE": "0.05"}


def crawl(replica: str, db: Path, settings: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosures", "-a", "site=cqtn",
               "-a", f"replica={replica}", "-s", f"BUDGETS_DB={db}"]
    for name, value in {**QUICK, **(settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def documents(db: Path) -> dict[str, tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return {url: (status, error) for url, status, error in conn.execute("SELECT url, status, error FROM documents")}
    finally:
        conn.close()


def list_page(links: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return f'<html><head><meta charset="utf-8"><title>预算</title></head><body><ul>{items}</ul></body></html>'


# --- bombs and off-site redirects -----------------------------------------------------------------

def test_a_decompression_bomb_is_a_failed_document_with_the_limit_named(fault_server, tmp_path):
    zeros = b"\0" * (6 * 1024 * 1024)  # 6 MB inflated, a few KB on the wire
    fault_server.add("/bomb-gzip.pdf", gzip.compress(zeros), content_type="application/pdf",
                     headers={"Content-Encoding": "gzip"})
    fault_server.add("/bomb-deflate.pdf", zlib.compress(zeros), content_type="application/pdf",
                     headers={"Content-Encoding": "deflate"})
    fault_server.add(DETAIL, good_html_table())
    fault_server.add(LIST, list_page([("/bomb-gzip.pdf", "潼南区2026年部门预算公开表（一）.pdf"),
                                      ("/bomb-deflate.pdf", "潼南区2026年部门预算公开表（二）.pdf"),
                                      ("202601/t20260130_0.html", "重庆市潼南区卫生健康委员会2026年部门预算情况说明")]))
    db = tmp_path / "data" / "budgets.db"
    result = crawl(f"127.0.0.1:{fault_server.port}", db, {"DOWNLOAD_MAXSIZE": str(1024 * 1024)})
    assert result.returncode == 0, result.stderr[-3000:]
    rows = documents(db)
    for path in ("/bomb-gzip.pdf", "/bomb-deflate.pdf"):
        status, error = rows[SITE + path]
        assert status == "failed" and "larger than the 1 MB download limit" in error, (path, rows)
    assert rows[SITE + DETAIL][0] == "ok"
    assert "not fetched (robots.txt or off-site)" not in result.stderr


def test_a_redirect_off_the_site_is_a_failed_document_and_is_not_followed(fault_server, tmp_path):
    targets = {  # how a redirect leaves the site → where it would go
        "/to-ip.pdf": f"http://127.0.0.1:{fault_server.port}/stolen.pdf",
        "/to-userinfo.pdf": "http://www.cqtn.gov.cn@evil.example/stolen.pdf",
        "/to-suffix.pdf": "http://www.cqtn.gov.cn.evil.example/stolen.pdf",
        "/to-scheme-relative.pdf": "//evil.example/stolen.pdf",
    }
    for path, location in targets.items():
        fault_server.add(path, b"", status=302, headers={"Location": location})
    fault_server.add(LIST, list_page([(path, f"潼南区2026年部门预算公开表（{n}）.pdf")
                                      for n, path in enumerate(targets)]))
    db = tmp_path / "data" / "budgets.db"
    result = crawl(f"127.0.0.1:{fault_server.port}", db)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = documents(db)
    for path in targets:
        status, error = rows.get(SITE + path, (None, None))
        assert status == "failed" and "redirected off the site" in error, (path, rows)
    assert fault_server.requests_for("/stolen.pdf") == [], "no redirect was followed"
    conn = sqlite3.connect(db)
    (failed,) = conn.execute("SELECT documents_failed FROM crawl_runs").fetchone()
    conn.close()
    assert failed == len(targets), "each one is counted in the crawl's failures"


# --- the network, not the site --------------------------------------------------------------------

def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def crawl_runs(db: Path) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM crawl_runs")]
    finally:
        conn.close()


def assert_one_network_line(result, host_words: str, cause: str) -> None:
    err = result.stderr
    assert "Traceback" not in err, err[-3000:]
    assert "layout" not in err and "columns may have moved" not in err, err[-3000:]
    lines = [line for line in err.splitlines() if cause in line]
    assert lines and all(host_words in line for line in lines), err[-3000:]


def test_a_name_that_does_not_resolve_is_one_line_and_no_layout_alert(tmp_path):
    db = tmp_path / "data" / "budgets.db"
    started = time.monotonic()
    result = crawl("nowhere.invalid:80", db)
    assert time.monotonic() - started < 45
    assert_one_network_line(result, "cannot reach www.cqtn.gov.cn", "DNS lookup failed / network unreachable")
    (run,) = crawl_runs(db)
    assert run["status"] == "failed"
    assert "DNS lookup failed" in run["message"]
    alerts = run["alerts"] or ""
    assert "network" in alerts and "yielded no documents" not in alerts and "layout" not in alerts


def test_a_port_where_nothing_listens_is_one_line_and_no_layout_alert(tmp_path):
    db = tmp_path / "data" / "budgets.db"
    started = time.monotonic()
    result = crawl(f"127.0.0.1:{closed_port()}", db)
    assert time.monotonic() - started < 45
    assert_one_network_line(result, "cannot reach www.cqtn.gov.cn", "connection refused")
    (run,) = crawl_runs(db)
    alerts = run["alerts"] or ""
    assert "connection refused" in alerts and "yielded no documents" not in alerts


OFFLINE_CRAWL = """
import sys
from crawler import run
from crawler.replica import replica_settings

real = run.crawl_settings
def offline(db, overrides=None):  # every request of the real config goes to a name that cannot resolve
    return real(db, {**(overrides or {}), **replica_settings("nowhere.invalid:80"), **QUICK})
run.crawl_settings = offline
from budgets.cli import main
sys.exit(main(["crawl", "--site", "cqtn", "--db", sys.argv[1]]))
"""


def test_budgets_crawl_offline_says_so_in_one_line(tmp_path):
    db = tmp_path / "data" / "budgets.db"
    script = f"QUICK = {QUICK!r}\n" + OFFLINE_CRAWL
    result = subprocess.run([sys.executable, "-c", script, str(db)], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2, result.stderr[-3000:]
    assert_one_network_line(result, "cannot reach www.cqtn.gov.cn", "DNS lookup failed / network unreachable")
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("budgets crawl: nothing was crawled from cqtn: cannot reach www.cqtn.gov.cn")
    assert len(result.stderr.strip().splitlines()) <= 3, result.stderr


# --- messages that name the real cause (issue 32) -----------------------------------------------

@pytest.mark.parametrize("status", [500, 503])
def test_a_robots_txt_server_error_is_the_alert_not_the_site_config(fault_server, tmp_path, status):
    # RFC 9309 §2.3.1.3: a robots.txt that answers 5xx disallows the whole site (crawler/robots.py),
    # so nothing is fetched; the alert says so instead of "its columns may have moved".
    fault_server.add("/robots.txt", f"<html><h1>{status} Service Unavailable</h1></html>", status=status)
    fault_server.add(LIST, list_page([("202601/t20260130_0.html", "重庆市潼南区卫生健康委员会2026年部门预算情况说明")]))
    fault_server.add(DETAIL, good_html_table())
    db = tmp_path / "data" / "budgets.db"
    result = crawl(f"127.0.0.1:{fault_server.port}", db)
    assert fault_server.requests_for(LIST) == [], "the site was disallowed"
    (run,) = crawl_runs(db)
    alerts = run["alerts"] or ""
    assert f"robots.txt answered HTTP {status}" in alerts and "www.cqtn.gov.cn" in alerts, alerts
    assert "columns may have moved" not in alerts and "layout" not in alerts, alerts
    assert "columns may have moved" not in result.stderr


def test_an_endless_chunked_body_is_a_failed_document_with_the_limit_named(fault_server, tmp_path):
    # /huge-chunked sends zeros without a Content-Length, so Scrapy only finds the body too large
    # while receiving it, and cancels the download with an empty message
    fault_server.add(LIST, list_page([("/huge-chunked", "潼南区2026年部门预算公开表.zip"),
                                      ("202601/t20260130_0.html", "重庆市潼南区卫生健康委员会2026年部门预算情况说明")]))
    fault_server.add(DETAIL, good_html_table())
    db = tmp_path / "data" / "budgets.db"
    result = crawl(f"127.0.0.1:{fault_server.port}", db, {"DOWNLOAD_MAXSIZE": str(2 * 1024 * 1024)})
    assert result.returncode == 0, result.stderr[-3000:]
    rows = documents(db)
    status, error = rows[SITE + "/huge-chunked"]
    assert status == "failed" and "larger than the 2 MB download limit" in error, error
    assert "DownloadCancelledError" not in error
    assert rows[SITE + DETAIL][0] == "ok"
