"""The served site is bounded per response, not only per value, and a path that names nothing is a 404.

`budgets serve` runs as a real process on loopback; its peak resident memory (VmHWM) is read from
/proc after each hostile request and held to a stated limit. Ten rows of 40 MB values were a
2.4 GB JSON body and 12 GB in the server (issue 32): each format, streamed or not, now answers a
400 that names the limit and what to do instead, with the server under SERVER_LIMIT_MB."""
from __future__ import annotations

import json
import resource
import urllib.error
import urllib.parse
import urllib.request

import pytest

import datasette_sample as sample
from budgets import db as database

pytestmark = pytest.mark.slow  # starts a server

SERVER_LIMIT_MB = 1024  # issue 32: "a 10-row × 40 MB query answers a clear error with the server under 1 GB"
# A guard, not the measure: an unbounded server (before issue 32 it reached 12 GB) meets this
# address-space cap and fails the test instead of taking the machine down.
ADDRESS_SPACE_CAP = 4 * 1024 ** 3
LIMIT_WORDS = b"more than 32 MB, the limit of one response"

TEN_ROWS = "with recursive c(x) as (select 1 union all select x + 1 from c where x < 10) "
HOSTILE_QUERIES = {
    "blobs": TEN_ROWS + "select x, zeroblob(40000000) as big from c",
    "text": TEN_ROWS + "select x, printf('%.*c', 40000000, 'x') as big from c",
    "one wide row": "select " + ", ".join(f"zeroblob(40000000) as c{n}" for n in range(10)),
}
LONG_PARAGRAPH_CHARS = 2_000_000  # a document's 20 paragraphs of 2 million characters: 40 MB of text


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`budgets serve` on loopback over a database with one document of very long paragraphs."""
    db_path = tmp_path_factory.mktemp("bounds") / "budgets.db"
    db = database.connect(db_path)
    database.load_document(
        db, {"id": "d1", "title": "2026年部门预算", "status": "ok"},
        [{"id": "l1", "document_id": "d1", "amount_fen": 120784000000}],
        [{"id": f"p{n}", "document_id": "d1", "page": 1, "position": n, "text": "预算" * (LONG_PARAGRAPH_CHARS // 2)}
         for n in range(20)])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    with sample.Server(db_path, preexec_fn=_capped, start_s=60) as server:
        yield {"base": server.url, "server": server, "log": server.log}


def _get(url: str) -> tuple[int, str, bytes]:
    """Status, content type and at most 64 MB of the body (more is itself the failure)."""
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read(64 * 1024 * 1024)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read(64 * 1024 * 1024)


def _still_serving(site) -> None:
    status, _, body = _get(site["base"] + "/budgets.json?sql=select+count(*)+as+n+from+documents&_shape=array")
    assert status == 200 and json.loads(body) == [{"n": 1}]


@pytest.mark.parametrize("kind", list(HOSTILE_QUERIES))
@pytest.mark.parametrize("form", [".json?sql={}", ".json?sql={}&_stream=on", ".csv?sql={}",
                                  ".csv?sql={}&_stream=on", "?sql={}", ".xlsx?sql={}"])
def test_a_query_of_huge_rows_answers_the_limit_and_the_server_stays_small(site, kind, form):
    sql = urllib.parse.quote(HOSTILE_QUERIES[kind])
    status, content_type, body = _get(site["base"] + "/budgets" + form.format(sql))
    assert status == 400, (status, body[:300])
    assert len(body) < 1_000_000
    shown = json.loads(body)["error"].encode() if form.startswith(".json") else body
    assert LIMIT_WORDS in shown and b"select fewer rows or columns" in shown, body[:500]
    if form.startswith(".csv"):
        assert content_type.startswith("text/plain")
    assert site["server"].peak_rss_mb() < SERVER_LIMIT_MB
    _still_serving(site)


@pytest.mark.parametrize("path", ["/budgets/paragraphs.json", "/budgets/paragraphs.json?_shape=array&_size=max",
                                  "/budgets/paragraphs.csv", "/budgets/paragraphs.csv?_stream=on&_size=max",
                                  "/budgets/paragraphs"])
def test_a_table_page_of_long_rows_answers_the_limit(site, path):
    status, _, body = _get(site["base"] + path)
    assert status == 400 and LIMIT_WORDS in body.replace(b"\\u00b7", "·".encode()), (status, body[:300])
    assert site["server"].peak_rss_mb() < SERVER_LIMIT_MB


def test_a_table_page_within_the_limit_is_served(site):
    status, _, body = _get(site["base"] + "/budgets/paragraphs.json?_shape=array&_size=10&_col=position&_sort=position")
    assert status == 200 and [row["position"] for row in json.loads(body)] == list(range(10))
    status, _, body = _get(site["base"] + "/budgets/paragraphs.csv?_stream=on&_col=position&_col=page&_sort=position")
    assert status == 200 and body.decode().splitlines()[1:3] == ["p0,0,1", "p1,1,1"]


@pytest.mark.parametrize("path", ["//etc/passwd", "/budgets.db-wal", "/budgets.db-shm", "/budgets/departments/a/b",
                                  "/budgets/documents/d1/x", "/budgets/documents/a/b/c", "/budgets/nothing",
                                  "/nothing", "/nothing.db", "/-/nothing", "/static/../budgets.db",
                                  "/budgets/documents/d1/x.json", "/budgets.json/x"])
def test_a_path_that_names_nothing_is_a_404_without_a_traceback(site, path):
    status, _, body = _get(site["base"] + path)
    assert status == 404, (path, status, body[:300])
    assert b"Traceback" not in body


def test_the_server_log_has_no_traceback_for_a_missing_path(site):
    _get(site["base"] + "/budgets/departments/a/b")
    log = site["log"].read_text(errors="replace")
    assert "Traceback" not in log and "ValueError" not in log, log[-3000:]
