"""Security: the published site cannot be written to, queries are time-limited, documents cannot
make us fetch anything, and names from the outside world cannot point outside the data folder."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from badinputs import external_links_docx, external_links_html, external_links_xlsx
from budgets import db as database
from budgets.cli import build_parser
from budgets.pipeline import Source, ingest_bytes
from extractors import limits, names
from extractors.model import ExtractionError
from faultserver import fault_server  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`budgets serve` on loopback over a small database."""
    folder = tmp_path_factory.mktemp("site")
    db_path = folder / "budgets.db"
    db = database.connect(db_path)
    database.load_document(db, {"id": "d1", "title": "2026年部门预算", "status": "ok"},
                           [{"id": "l1", "document_id": "d1", "amount_fen": 120784000000}])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "budgets", "serve", "--db", str(db_path), "--port", str(port)],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
            break
        except OSError:
            time.sleep(0.2)
    else:
        os.killpg(server.pid, signal.SIGKILL)
        pytest.fail("budgets serve did not start")
    digest = _sha256(db_path)  # once serving: `serve` may prepare the file before it starts
    yield {"base": base, "db": db_path, "digest": digest, "session": server.pid}
    os.killpg(server.pid, signal.SIGTERM)  # serve and the Datasette it started
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _request(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _sql(site, sql: str):
    return _request(site["base"] + "/budgets.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "objects"}))


@pytest.mark.slow
def test_the_database_is_served_immutable(site):
    status, body = _request(site["base"] + "/-/databases.json")
    assert status == 200
    assert [d["is_mutable"] for d in json.loads(body) if d["name"] == "budgets"] == [False]


def test_serve_listens_on_loopback_unless_told_otherwise():
    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"


@pytest.mark.slow
@pytest.mark.parametrize("sql", [
    "INSERT INTO documents (id) VALUES ('x')",
    "UPDATE budget_lines SET amount_fen = 0",
    "DELETE FROM documents",
    "DROP TABLE documents",
    "ATTACH DATABASE '/tmp/elsewhere.db' AS elsewhere",
    "PRAGMA writable_schema = 1",
    "SELECT load_extension('/tmp/evil.so')",
    "SELECT 1; DELETE FROM documents",
    "WITH x AS (SELECT 1) DELETE FROM documents",
])
def test_sql_that_writes_is_refused(site, sql):
    status, body = _sql(site, sql)
    assert status >= 400, body[:300]
    assert not Path("/tmp/elsewhere.db").exists()


@pytest.mark.slow
@pytest.mark.parametrize("path", [
    "/budgets", "/budgets/documents", "/budgets/documents/-/insert", "/budgets/documents/-/upsert",
    "/budgets/documents/-/drop", "/budgets/documents/d1/-/update", "/budgets/documents/d1/-/delete",
    "/budgets/-/create", "/-/create-token", "/budgets/-/query",
])
def test_no_post_endpoint_writes(site, path):
    for body, content_type in [
        (urllib.parse.urlencode({"sql": "DELETE FROM documents"}).encode(), "application/x-www-form-urlencoded"),
        (json.dumps({"row": {"id": "x"}, "rows": [{"id": "x"}]}).encode(), "application/json"),
    ]:
        status, answer = _request(site["base"] + path, "POST", body,
                                  {"Content-Type": content_type, "Origin": "https://attacker.example"})
        assert status == 405, (path, status, answer[:200])  # docs/CONTRACT.md: Publishing


@pytest.mark.slow
def test_nothing_anyone_sent_changed_the_database(site):
    # Runs after the write attempts above (file order); also stands alone.
    status, body = _sql(site, "SELECT count(*) AS n FROM documents")
    assert status == 200 and json.loads(body)["rows"] == [{"n": 1}]
    assert _sha256(site["db"]) == site["digest"]


@pytest.mark.slow
def test_a_runaway_query_is_stopped_by_the_time_limit(site):
    started = time.monotonic()
    status, body = _sql(site, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                              "SELECT count(*) FROM c")
    assert status >= 400 and b"too long" in body
    assert time.monotonic() - started < 15
    assert _sql(site, "SELECT 1 AS one")[0] == 200  # and the site still answers


def _peak_rss_mb(session: int) -> float:
    """The largest peak resident size of the processes of `budgets serve` (its session)."""
    peak = 0
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or int((entry / "stat").read_text().rsplit(")", 1)[1].split()[3]) != session:
                continue
            status = (entry / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
    return peak / 1024


@pytest.mark.slow
@pytest.mark.parametrize("sql", [
    "SELECT zeroblob(400000000) AS big",
    "SELECT randomblob(400000000) AS big",
    "SELECT length(randomblob(400000000)) AS n",
    "SELECT printf('%.*c', 400000000, 'x') AS big",
    "SELECT length(printf('%.*c', 400000000, 'x')) AS n",
    "SELECT length(replace(printf('%.*c', 40000000, 'x'), 'x', 'xxxxxxxxxx')) AS n",
])
def test_one_query_cannot_make_the_server_hold_a_huge_value(site, sql):
    # Issue 18 #12: unlimited, zeroblob(400000000) grew the server from 96 MB to 4.7 GB.
    started = time.monotonic()
    status, body = _sql(site, sql)
    answer = json.loads(body)
    if status == 200 and answer.get("ok", True):  # printf gives NULL instead of an error past the limit
        assert answer["rows"] in ([{"big": None}], [{"n": None}]), body[:200]
    else:
        assert b"too big" in body, body[:300]
    assert len(body) < 1_000_000
    assert time.monotonic() - started < 15
    assert _peak_rss_mb(site["session"]) < 350


@pytest.mark.slow
def test_fts3_tokenizer_is_denied(site):
    # SQLite 3.40 here is built with the two-argument form enabled: it leaks a pointer and can
    # register a tokenizer at any address.
    status, body = _sql(site, "SELECT hex(fts3_tokenizer('simple')) AS p")
    assert status >= 400 and b"not authorized" in body, body[:300]
    assert _sql(site, "SELECT count(*) AS n FROM documents")[0] == 200


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/budgets/documents", "/budgets", "/-/charts", "/budgets/search"])
def test_the_site_still_reads_its_tables_under_the_authorizer(site, path):
    assert _request(site["base"] + path)[0] == 200


# --- documents cannot make us fetch anything ----------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name, make", [
    ("linked.docx", external_links_docx),
    ("linked.xlsx", external_links_xlsx),
    ("linked.html", external_links_html),
])
def test_links_macros_and_templates_in_documents_are_never_followed(fault_server, tmp_db, name, make):
    doc = ingest_bytes(tmp_db, make(fault_server.base), Source(filename=name))
    assert doc["status"] in ("ok", "partial", "failed", "unsupported")
    assert fault_server.requests == []


# --- names from outside -------------------------------------------------------------------------

@pytest.mark.parametrize("name, safe", [
    ("../../etc/passwd", "etc/passwd"),
    ("/etc/cron.d/evil", "etc/cron.d/evil"),
    ("C:\\Windows\\System32\\evil.dll", "Windows/System32/evil.dll"),
    ("..\\..\\预算.pdf", "预算.pdf"),
    ("a/./b/../c.pdf", "a/b/c.pdf"),
    ("CON.pdf", "_CON.pdf"),
    ("new\nline\x00.pdf", "new_line_.pdf"),
    ("", "member"),
    ("../..", "member"),
])
def test_member_names_cannot_leave_their_folder(name, safe):
    assert names.safe_member_name(name) == safe


def test_a_content_disposition_name_is_one_plain_file_name():
    assert names.safe_filename("../../evil.pdf") == "evil.pdf"
    assert names.safe_filename(urllib.parse.unquote("..%2F..%2F%E9%A2%84%E7%AE%97.pdf")) == "预算.pdf"
    assert names.safe_filename("") == "download"


def test_safe_join_stays_inside_the_data_folder_even_through_a_symlink(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    assert names.safe_join(data, "../../x.pdf") == (data / "x.pdf").resolve()
    (data / "escape").symlink_to(tmp_path)
    with pytest.raises(ExtractionError, match="outside"):
        names.safe_join(data, "escape/x.pdf")


# --- XML: even without the DTD check, the Office readers expand no entities -----------------------

@pytest.mark.parametrize("name, make", [("bomb.xlsx", "entity_bomb_xlsx"), ("xxe.docx", "xxe_docx")])
def test_office_readers_expand_no_entities_even_without_the_dtd_check(monkeypatch, name, make):
    import badinputs
    from budgets.worker import extract_document

    if importlib.util.find_spec("extractors.spreadsheet") is None:
        pytest.skip("no Office extractors yet")
    monkeypatch.setattr(limits, "check_office_package", lambda data, name, *a: None)
    monkeypatch.setattr(limits, "PARSE_TIMEOUT_S", 60)
    started = time.monotonic()
    try:
        extraction = extract_document(getattr(badinputs, make)(), name.rsplit(".", 1)[1], name)
    except ExtractionError as exc:
        assert "took longer" not in str(exc) and "memory" not in str(exc)
    else:
        text = extraction.text + " ".join(c for t in extraction.tables for r in t.header + t.rows for c in r)
        assert "root:" not in text and "lollollol" not in text
    assert time.monotonic() - started < 30


def test_openpyxl_parses_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


# ---- the plugin links only web addresses (issue 18 #13) -------------------------------------

def _plugin():
    spec = importlib.util.spec_from_file_location("budgets_site", ROOT / "plugins" / "budgets_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(**values):
    """A result row as Datasette hands it to render_cell: a sqlite3.Row."""
    connection = sqlite3.connect(":memory:")
    connection.row_factory = sqlite3.Row
    names_ = ", ".join(f"? as {name}" for name in values)
    return connection.execute(f"select {names_}", list(values.values())).fetchone()


HOSTILE_URLS = ["javascript:alert(1)//", "JavaScript:alert(1)", " javascript:alert(1)", "//evil.example/x",
                "/\\evil.example", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                "http:/\\evil.example", "https://", "httpx://evil.example", "http\n://evil.example"]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_query_returning_a_script_url_gets_plain_text_not_a_link(url):
    render = _plugin().render_cell
    for column, row in (("link", _row(link=url)), ("source", _row(source=url, page=3)),
                        ("page", _row(url=url, page=3))):
        value = row[column]
        assert render(row=row, value=value, column=column, table=None, datasette=None) is None, (column, url)


def test_web_addresses_and_site_paths_are_still_links():
    render = _plugin().render_cell
    link = render(row=_row(link="/budgets/documents/ab"), value="/budgets/documents/ab", column="link",
                  table=None, datasette=None)
    assert 'href="/budgets/documents/ab"' in str(link)
    row = _row(source="https://czj.example.gov.cn/a.pdf", page=3)
    assert 'href="https://czj.example.gov.cn/a.pdf#page=3"' in str(
        render(row=row, value=row["source"], column="source", table=None, datasette=None))
    row = _row(url="http://czj.example.gov.cn/a.pdf", page=5)
    assert 'href="http://czj.example.gov.cn/a.pdf#page=5"' in str(
        render(row=row, value=5, column="page", table=None, datasette=None))


# ---- the crawler opens no control port (issue 18 #8) ----------------------------------------

CRAWLER_EXTENSIONS = """
import json, sys
from pathlib import Path
from scrapy.crawler import CrawlerProcess
from scrapy.extension import ExtensionManager
from crawler.run import crawl_settings
process = CrawlerProcess(crawl_settings(Path(sys.argv[1])))
crawler = process.create_crawler("disclosures")
crawler._apply_settings()  # what crawler.crawl() does before it builds the extensions
manager = ExtensionManager.from_crawler(crawler)
print(json.dumps({"extensions": [type(e).__name__ for e in manager.middlewares],
                  "remote_control": crawler.settings.getbool("REMOTE_CONTROL_ENABLED"),
                  "telnet": crawler.settings.getbool("TELNETCONSOLE_ENABLED")}))
"""


@pytest.mark.slow
def test_a_crawler_has_neither_remote_control_nor_telnet(tmp_path):
    # A fresh process: the extensions need the asyncio reactor the real crawl installs.
    done = subprocess.run([sys.executable, "-c", CRAWLER_EXTENSIONS, str(tmp_path / "budgets.db")], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["remote_control"] is False and found["telnet"] is False
    assert "RemoteControl" not in found["extensions"] and "TelnetConsole" not in found["extensions"]
    assert "CrawlLedger" in found["extensions"]  # the project's own extensions are still built
