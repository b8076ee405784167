"""The documented ways in: `budgets serve` over HTTP on loopback as the README's pandas example
reads it, and the README's plain-Datasette hosting command."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import datasette_sample as sample
from crawling import ROOT as PROJECT_ROOT

pytestmark = pytest.mark.slow  # starts processes or servers

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## Publishing with Datasette"):]


@pytest.fixture(scope="module")
def served_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("served") / "budgets.db"
    sample.build_with_pipeline(path)
    return path


@pytest.fixture(scope="module")
def server(served_db):
    with sample.Server(served_db) as running:
        yield running


def readme_block(language: str, after: str) -> str:
    start = SECTION.index(after)
    return re.search(rf"```{language}\n(.*?)```", SECTION[start:], re.S).group(1)


def test_the_readme_pandas_example_reads_a_canned_query(server):
    code = readme_block("python", "Reading a query into pandas")
    code = code.replace('BASE = "http://127.0.0.1:8001"', f'BASE = "{server.url}"')
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    lines = namespace["lines"]
    assert list(lines["department"]) == ["财政局", "财政局", sample.BIGDATA]
    assert list(lines["subject_name"].unique()) == ["住房公积金"]
    assert str(lines["amount_fen"].dtype) == "int64"
    assert namespace["total_fen"] == 67_800_000 + 57_800_000 + 23_990_000


@pytest.mark.parametrize("method, path", [
    ("POST", "/budgets/documents"), ("POST", "/budgets/search"), ("PUT", "/budgets"),
    ("DELETE", "/budgets/documents"), ("POST", "/budgets/-/create"),
])
def test_the_server_only_reads(server, method, path):
    with urllib.request.urlopen(server.url + "/budgets/documents.json?_shape=array") as response:
        assert response.status == 200
    request = urllib.request.Request(server.url + path, method=method, data=b"x=1")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 405


def test_the_readme_hosting_command_serves_the_same_site_with_plain_datasette(served_db):
    command = readme_block("sh", "Hosting elsewhere").split("\n")[0:2]
    args = shlex.split(" ".join(line.rstrip("\\") for line in command))
    assert args[:3] == ["datasette", "serve", "-i"]
    args[3] = str(served_db)
    result = subprocess.run([sys.executable, "-m", *args, "--get", "/-/charts?code=2210201"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('class="bar"') == 3 and "住房公积金" in result.stdout


def get_json(server, path):
    import json

    with urllib.request.urlopen(server.url + path) as response:
        return json.loads(response.read())


def test_a_disclosure_loaded_from_two_formats_is_counted_once(server):
    # `budgets ingest` read the seed's text dump and its HTML rendering: two documents, one disclosure.
    documents = get_json(server, "/budgets/documents.json?_shape=array&department=" + urllib.parse.quote(sample.BIGDATA)
                         + "&fiscal_year=2026")
    assert sorted(d["format"] for d in documents) == ["html", "textdump"]
    ranking = get_json(server, "/budgets/three_public_expenses_ranking.json?_shape=array&year=2026")
    seed = [r for r in ranking if r["department"] == sample.BIGDATA]
    assert [(r["three_public_wan"], r["prior_year_wan"], r["change_wan"]) for r in seed] == [(5.0, 5.5, -0.5)]
    share = [r for r in get_json(server, "/budgets/basic_project_share.json?_shape=array&year=2026")
             if r["department"] == sample.BIGDATA]
    assert [(r["total_wan"], r["basic_wan"], r["project_wan"]) for r in share] == [(1207.84, 404.68, 803.16)]


def test_search_shows_each_sentence_once_and_trimmed_around_the_match(server):
    rows = get_json(server, "/budgets/search.json?_shape=array&q=" + urllib.parse.quote("数字重庆"))
    projects = [r["match"] for r in rows if r["kind"] == "项目 project"]
    assert projects == ["推进数字重庆建设项目"]
    sentences = [r for r in rows if r["kind"] == "说明 text"]
    assert sentences and len({r["link"] for r in sentences}) == 1
    assert all("数字重庆" in r["match"] and len(r["match"]) <= 102 for r in sentences)


def test_a_database_renamed_over_the_served_file_is_not_read_until_a_restart(served_db, tmp_path):
    """`budgets nightly` publishes by renaming a new file over the served one. Every answer the
    running server gives afterwards comes from the file it started with (it is restarted to read
    the new one), never from either file at random."""
    import sqlite3
    from concurrent.futures import ThreadPoolExecutor

    served = tmp_path / "budgets.db"
    shutil.copyfile(served_db, served)
    newer = tmp_path / "budgets.db.ready"
    shutil.copyfile(served_db, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("DELETE FROM budget_lines")
    count = "/budgets.json?_shape=array&sql=" + urllib.parse.quote("select count(*) as n from budget_lines")
    with sample.Server(served) as running:
        [before] = get_json(running, count)
        newer.replace(served)
        with ThreadPoolExecutor(max_workers=6) as clients:  # at once: every SQL thread of the server answers
            answers = list(clients.map(lambda _: get_json(running, count)[0]["n"], range(60)))
    assert before["n"] > 0
    assert set(answers) == {before["n"]}


def test_every_sql_thread_reads_the_file_the_server_started_with(tmp_path):
    """The mechanism under the test above, where the race shows: Datasette opens a SQL thread's
    connection when that thread is first used, so without `open_every_connection` the threads
    first used after a rename read the new file while the others read the old one."""
    import asyncio
    import sqlite3
    import time

    from budgets.cli.serve import DATABASE_NAME, build_datasette, open_every_connection

    served, newer = tmp_path / "budgets.db", tmp_path / "budgets.db.ready"
    for path, rows in ((served, 5), (newer, 0)):
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE budget_lines (id)")
            conn.executemany("INSERT INTO budget_lines VALUES (?)", [(n,) for n in range(rows)])

    def answers_after_a_rename(opened_at_start: bool) -> set[int]:
        shutil.copyfile(served, tmp_path / "served.db")
        ds = build_datasette(tmp_path / "served.db")
        if opened_at_start:
            open_every_connection(ds)
        database = ds.databases[DATABASE_NAME]

        def count(conn) -> int:
            time.sleep(0.01)  # long enough for every SQL thread to take some of the queries
            return conn.execute("SELECT count(*) FROM budget_lines").fetchone()[0]

        async def ask() -> set[int]:
            await database.execute_fn(count)  # one thread opens its connection before the rename
            shutil.copyfile(newer, tmp_path / "next.db")
            (tmp_path / "next.db").replace(tmp_path / "served.db")
            return set(await asyncio.gather(*(database.execute_fn(count) for _ in range(60))))

        return asyncio.run(ask())

    assert answers_after_a_rename(opened_at_start=True) == {5}
    assert answers_after_a_rename(opened_at_start=False) == {0, 5}  # the race the server is kept from
