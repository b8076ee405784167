"""`budgets nightly` against the demo site on 127.0.0.1, night after night.

One site and one database for the module, as a research group would run it: a first full run,
an unchanged night, a night on which the district revises an attachment and takes a disclosure
down (while Datasette serves the database), and a night on which the site is redesigned.
A second database is killed mid-run and started again.
"""
from __future__ import annotations

import functools
import io
import json
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from crawler.demo import site as demo
from crawler.demo.server import Resource, SiteServer
from conftest import NO_CORPUS
from crawling import FAST, ROOT

TAKEN_DOWN = demo.PDF_PAGES[0]  # 上海市普陀区司法局2026年部门预算: its page, and the PDF it carries
URL = f"http://{demo.HOST}"


@functools.cache  # openpyxl stamps the time into the file: one set of bytes per amount
def xlsx(amount: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in [["重庆市潼南区大数据应用发展管理财政拨款收支总表"], ["单位:万元"], ["项目", "预算数"],
                ["一、本年收入", amount], ["(一)一般公共预算拨款", amount]]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def demo_site(tmp: Path | None = None) -> dict[str, Resource]:
    """The demo site without its slow page (these tests are about what changes between nights,
    not about timeouts)."""
    resources = demo.build()
    for resource in resources.values():
        resource.delay = 0
    return resources


def nightly(db: Path, server: SiteServer, *extra: str, timeout: float = 60) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "budgets", "nightly", "--db", str(db), "--site", "demo",
               "--replica", f"demo=127.0.0.1:{server.port}"]
    for name, value in {**FAST, "LOG_LEVEL": "WARNING"}.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.run(command + list(extra), cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def query(db: Path, sql: str, params=()) -> list[dict]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def last_run(db: Path) -> dict:
    return query(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]


def current_lines(db: Path) -> set[tuple]:
    return {(r["id"], r["amount_fen"]) for r in query(db, "SELECT id, amount_fen FROM current_budget_lines")}


def bodies_sent(server: SiteServer, since: int, since_304: int) -> list[str]:
    """Paths the server answered with their bytes (200, not 304 or an error) after request `since`."""
    not_modified = list(server.not_modified[since_304:])
    sent = []
    for path in server.requests[since:]:
        if path in not_modified:
            not_modified.remove(path)
        elif (resource := server.lookup(demo.HOST, path)) is not None and resource.status == 200:
            sent.append(path)
    return sent


def without_link(page: bytes, path: str) -> bytes:
    """A GBK list page with the <li> that links `path` removed."""
    text = page.decode("gbk")
    return re.sub(rf'<li><a href="{re.escape(path)}"[^\n]*</li>\n?', "", text).encode("gbk")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DatasetteWatcher:
    """`budgets serve` (Datasette, immutable) serving the published database, asked over and
    over what it holds while a nightly run loads."""

    SQL = ("select (select count(*) from documents) as documents, "
           "(select count(*) from budget_lines) as lines, (select max(id) from crawl_runs) as run")

    def __init__(self, db: Path):
        self.db = db
        self.port = free_port()
        self.answers: list[tuple] = []
        self.errors: list[str] = []
        self._stop = threading.Event()

    def ask(self) -> tuple:
        url = (f"http://127.0.0.1:{self.port}/budgets.json?_shape=array&sql="
               + urllib.parse.quote(self.SQL))
        with urllib.request.urlopen(url, timeout=5) as response:
            row = json.loads(response.read())[0]
        return row["documents"], row["lines"], row["run"]

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "budgets", "serve", "--db", str(self.db), "--host", "127.0.0.1",
             "--port", str(self.port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while True:
            try:
                self.before = self.ask()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()
        return self

    def _poll(self):
        while not self._stop.is_set():
            try:
                self.answers.append(self.ask())
            except Exception as exc:  # noqa: BLE001 - recorded, asserted on
                self.errors.append(repr(exc))
            time.sleep(0.02)

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join()
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    if len(demo.pdf_pages()) < len(demo.PDF_PAGES):  # they revise and take down its PDF disclosures
        pytest.skip(f"the demo site's PDF disclosures are left out: {NO_CORPUS}")
    tmp = tmp_path_factory.mktemp("nightly")
    db = tmp / "budgets.db"
    resources = demo_site(tmp)
    seen: dict = {}
    with SiteServer(resources) as server:
        first = nightly(db, server)
        seen["first"] = {"result": first, "run": last_run(db), "requests": len(server.requests),
                         "lines": current_lines(db)}

        mark, mark_304 = len(server.requests), len(server.not_modified)
        second = nightly(db, server)
        seen["second"] = {"result": second, "run": last_run(db),
                          "bodies": bodies_sent(server, mark, mark_304),
                          "requests": len(server.requests) - mark}

        # the district revises the seed's spreadsheet and its page, and takes one disclosure down
        xlsx_path = demo.DOWNLOAD
        resources[xlsx_path] = Resource(xlsx("1307.84"), "application/octet-stream",
                                        headers=resources[xlsx_path].headers)
        seed = resources[demo.SEED_PAGE]
        seed.body = seed.body.replace(b"<td>1207.84</td>", b"<td>1307.84</td>", 1)  # 本年收入
        listing = f"{demo.BUDGETS}/index_1.html"
        resources[listing].body = without_link(resources[listing].body, TAKEN_DOWN.path)
        with DatasetteWatcher(db) as watcher:
            third = nightly(db, server)
            time.sleep(0.3)
        seen["third"] = {"result": third, "run": last_run(db), "watcher": watcher}

        # the site is redesigned: list pages answer, but link to nothing we know
        documents_before = query(db, "SELECT id, withdrawn_at FROM documents ORDER BY id")
        for path in list(resources):
            if re.search(r"/index(_\d+)?\.html$", path):
                resources[path].body = demo.gbk(demo.page("新版网站", "<p>栏目调整中</p>", "gb2312"))
        fourth = nightly(db, server)
        seen["fourth"] = {"result": fourth, "run": last_run(db), "documents_before": documents_before,
                          "documents_after": query(db, "SELECT id, withdrawn_at FROM documents ORDER BY id")}
    seen["db"] = db
    return seen


# --- a first run, then an unchanged night --------------------------------------------------------

@pytest.mark.slow
def test_a_first_run_loads_the_site_and_records_what_it_cost(nights):
    assert nights["first"]["result"].returncode == 0, nights["first"]["result"].stderr[-3000:]
    run = nights["first"]["run"]
    assert run["documents_new"] >= 5 and run["documents_extracted"] == run["documents_new"]
    assert run["requests"] >= 10 and run["bytes_downloaded"] > 100_000 and run["duration_s"] > 0
    assert "demo" in nights["first"]["result"].stdout and "published" in nights["first"]["result"].stdout
    for night in ("first", "second", "third"):
        assert "Traceback" not in nights[night]["result"].stderr, nights[night]["result"].stderr[-3000:]


@pytest.mark.slow
def test_the_audit_reruns_for_what_changed_and_only_then(nights):
    assert re.search(r"audited [1-9]\d* documents: \d+ findings", nights["first"]["result"].stdout)
    assert "audit: nothing new to check" in nights["second"]["result"].stdout
    assert re.search(r"audited [1-9]\d* documents", nights["third"]["result"].stdout)


@pytest.mark.slow
def test_an_unchanged_night_fetches_no_document_bodies_and_extracts_nothing(nights):
    second = nights["second"]
    assert second["result"].returncode == 0, second["result"].stderr[-3000:]
    assert second["bodies"] in ([], ["/robots.txt"]), "the site sent bytes it had sent before"
    run = second["run"]
    assert run["documents_new"] == 0 and run["documents_changed"] == 0
    assert run["documents_extracted"] == 0
    # every URL of the first night (known bytes at a second URL were the same bytes as another's then)
    first = nights["first"]["run"]
    assert run["documents_unchanged"] == first["documents_new"] + first["documents_same_bytes"]
    assert run["responses_not_modified"] >= run["documents_unchanged"]
    assert run["bytes_downloaded"] < nights["first"]["run"]["bytes_downloaded"] / 20


@pytest.mark.slow
def test_the_run_summary_gives_requests_bytes_documents_and_seconds(nights):
    out = nights["second"]["result"].stdout
    assert re.search(r"demo\s+\d+ requests \(\d+ not modified\),\s+[\d.]+ MB, documents 0 new / 0 changed / "
                     r"\d+ unchanged / 0 withdrawn / \d+ failed, 0 extracted, [\d.]+ s", out), out


# --- a night with a revision and a withdrawal ----------------------------------------------------

def revisions_at(db: Path, url: str) -> list[dict]:
    return query(db, "SELECT id, superseded_by, withdrawn_at, lines FROM documents WHERE url = ? "
                     "ORDER BY fetched_at", [url])


@pytest.mark.slow
def test_a_revised_attachment_becomes_a_new_revision_and_both_are_kept(nights):
    db, third = nights["db"], nights["third"]
    assert third["result"].returncode == 0, third["result"].stderr[-3000:]
    old, new = revisions_at(db, URL + demo.DOWNLOAD)
    assert old["superseded_by"] == new["id"] and new["superseded_by"] is None
    assert third["run"]["documents_changed"] >= 2  # the spreadsheet and the page that links it


@pytest.mark.slow
def test_lines_of_a_superseded_revision_are_kept_and_only_the_current_ones_are_in_the_view(nights):
    db = nights["db"]
    old, new = revisions_at(db, URL + demo.SEED_PAGE)
    assert old["superseded_by"] == new["id"]
    kept = query(db, "SELECT count(*) AS n FROM budget_lines WHERE document_id = ?", [old["id"]])[0]["n"]
    assert kept == old["lines"] > 0
    in_view = {r["document_id"] for r in query(db, "SELECT DISTINCT document_id FROM current_budget_lines")}
    assert new["id"] in in_view and old["id"] not in in_view
    amounts = {r["amount_fen"] for r in query(db, "SELECT amount_fen FROM current_budget_lines "
                                                  "WHERE document_id = ?", [new["id"]])}
    assert 1307_840_000 in amounts  # 1307.84 万元, in 分


@pytest.mark.slow
def test_a_disclosure_taken_down_is_marked_withdrawn_and_not_deleted(nights):
    db = nights["db"]
    for url in (URL + TAKEN_DOWN.path, URL + urllib.parse.quote(TAKEN_DOWN.pdf_path)):
        [document] = query(db, "SELECT withdrawn_at, superseded_by FROM documents WHERE url = ?", [url])
        assert document["withdrawn_at"] and document["superseded_by"] is None, url
    assert nights["third"]["run"]["documents_withdrawn"] == 2
    others = query(db, "SELECT count(*) AS n FROM documents WHERE withdrawn_at IS NOT NULL")[0]["n"]
    assert others == 2


@pytest.mark.slow
def test_datasette_serves_the_previous_state_until_the_run_publishes(nights):
    watcher = nights["third"]["watcher"]
    assert not watcher.errors, watcher.errors[:3]
    assert len(watcher.answers) > 10
    before = watcher.before
    after = (query(nights["db"], "SELECT count(*) AS n FROM documents")[0]["n"],
             query(nights["db"], "SELECT count(*) AS n FROM budget_lines")[0]["n"],
             nights["third"]["run"]["id"])
    assert before != after
    assert set(watcher.answers) <= {before, after}, "Datasette saw a database half-way through a load"
    first_new = next((i for i, a in enumerate(watcher.answers) if a == after), len(watcher.answers))
    assert all(a == after for a in watcher.answers[first_new:]), "the published state went back"


# --- a night on which the site changed its layout ------------------------------------------------

@pytest.mark.slow
def test_a_site_that_yields_nothing_fails_the_run_with_a_clear_message(nights):
    fourth = nights["fourth"]
    assert fourth["result"].returncode == 1
    assert "need a person" in fourth["result"].stderr
    assert "demo yielded no documents" in fourth["result"].stderr
    assert "list page(s) answered but yielded no link" in fourth["result"].stderr
    alerts = json.loads(fourth["run"]["alerts"])
    assert len(alerts) >= 2


@pytest.mark.slow
def test_a_broken_night_withdraws_nothing(nights):
    fourth = nights["fourth"]
    assert fourth["documents_after"] == fourth["documents_before"]
    assert fourth["run"]["documents_withdrawn"] == 0


# --- killed and started again --------------------------------------------------------------------

@pytest.mark.slow
def test_a_run_killed_mid_way_and_started_again_leaves_the_lines_of_one_clean_run(nights, tmp_path):
    db = tmp_path / "budgets.db"
    resources = demo_site(tmp_path)
    slow = resources[demo.FINALS + "/index_1.html"]
    slow.delay = 1.5  # the final-accounts column is still loading when the run is killed
    with SiteServer(resources) as server:
        command = [sys.executable, "-m", "budgets", "nightly", "--db", str(db), "--site", "demo",
                   "--replica", f"demo=127.0.0.1:{server.port}"]
        for name, value in {**FAST, "DOWNLOAD_TIMEOUT": "5", "LOG_LEVEL": "WARNING"}.items():
            command += ["-s", f"{name}={value}"]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        building = db.with_name(db.name + ".building")
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if query(building, "SELECT count(*) AS n FROM budget_lines")[0]["n"]:
                    break
            except sqlite3.Error:
                pass
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert not db.exists(), "a killed run published"
        assert (tmp_path / "jobs" / "demo").exists(), "the frontier was not kept"

        again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "continuing the run" in again.stdout
    assert current_lines(db) == nights["first"]["lines"]
    half_loaded = query(db, "SELECT d.id FROM documents d WHERE d.lines != (SELECT count(*) FROM "
                            "budget_lines l WHERE l.document_id = d.id)")
    assert half_loaded == []
    duplicates = query(db, "SELECT url FROM documents WHERE bytes IS NOT NULL AND superseded_by IS NULL "
                           "GROUP BY url HAVING count(*) > 1")
    assert duplicates == []
    assert not (tmp_path / "jobs" / "demo").exists()


@pytest.mark.slow
def test_a_run_killed_after_fetching_everything_resumes_without_a_false_alert(nights, tmp_path):
    """Killed once the crawl had fetched every document and written its crawl_runs row (while
    it settles the database), the next run resumes a frontier with nothing left in it. Judged
    with what it resumes, that is a complete night, not "no documents, its columns may have
    moved"."""
    db = tmp_path / "budgets.db"
    with SiteServer(demo_site(tmp_path)) as server:
        command = [sys.executable, "-m", "budgets", "nightly", "--db", str(db), "--site", "demo",
                   "--replica", f"demo=127.0.0.1:{server.port}"]
        for name, value in {**FAST, "LOG_LEVEL": "WARNING"}.items():
            command += ["-s", f"{name}={value}"]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        building = db.with_name(db.name + ".building")
        deadline = time.time() + 60
        while time.time() < deadline and process.poll() is None:
            try:
                if query(building, "SELECT count(*) AS n FROM crawl_runs")[0]["n"]:
                    break
            except sqlite3.Error:
                pass
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if db.exists() or not (tmp_path / "jobs" / "demo").exists():
            pytest.skip("the run finished before it could be killed after fetching")
        fetched = query(building, "SELECT documents_new FROM crawl_runs")[0]["documents_new"]
        assert fetched > 0, "the killed run had fetched the site"

        again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
    assert "need a person" not in again.stderr and "columns may have moved" not in again.stderr
    runs = query(db, "SELECT resumed, alerts, status FROM crawl_runs ORDER BY id")
    assert any(r["resumed"] for r in runs), "the second run resumed the frontier"
    assert all(r["alerts"] is None for r in runs), runs
    assert current_lines(db) == nights["first"]["lines"]



@pytest.mark.slow
def test_a_run_killed_before_its_first_write_leaves_nothing_to_resume(nights, tmp_path):
    """A run killed in its first moments leaves a frontier folder with an empty requests.seen and
    an empty disk queue (the files the crawl opens before it writes to them). That is no frontier:
    the next run crawls the site afresh, without a resumed crawl that reads nothing and a false
    "no documents" alert."""
    db = tmp_path / "budgets.db"
    frontier = tmp_path / "jobs" / "demo"
    (frontier / "requests.queue" / "demo.district-budgets.localhost-0").mkdir(parents=True)
    (frontier / "requests.queue" / "demo.district-budgets.localhost-0" / "0").write_bytes(b"")
    (frontier / "requests.seen").write_bytes(b"")
    with SiteServer(demo_site(tmp_path)) as server:
        again = nightly(db, server)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
    assert "columns may have moved" not in again.stderr and "sweeping the site" not in again.stderr
    runs = query(db, "SELECT resumed, alerts FROM crawl_runs ORDER BY id")
    assert [(r["resumed"], r["alerts"]) for r in runs] == [(0, None)]
    assert current_lines(db) == nights["first"]["lines"]
    assert not frontier.exists()


def test_two_runs_at_once_on_one_database_refuse(tmp_path):
    from budgets.cli.nightly import Paths, exclusive
    from budgets.cli import CommandError

    paths = Paths(tmp_path / "budgets.db")
    with exclusive(paths.lock):
        with pytest.raises(CommandError, match="another nightly run"):
            with exclusive(paths.lock):
                pass
