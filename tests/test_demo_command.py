"""`budgets demo --no-serve`, `budgets sites` and `budgets crawl`, as a researcher runs them."""
import importlib.util
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from budgets import db as database
from budgets.cli import main
from budgets.publish import is_prepared
from crawling import ROOT


def budgets(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "budgets", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_and_ask(db, sql: str) -> tuple[list[dict], str]:
    """Run `budgets demo` (which serves Datasette once loaded), ask it one query, stop it."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "budgets", "demo", "--db", str(db), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = f"http://127.0.0.1:{port}/{db.stem}.json?sql={quote(sql)}&_shape=array"
    deadline = time.time() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    return json.load(response), url
            except OSError:
                assert process.poll() is None, "budgets demo stopped before serving"
                assert time.time() < deadline, "Datasette never answered"
                time.sleep(0.3)
    finally:
        process.terminate()  # the demo process has become Datasette: this stops it
        process.wait(timeout=10)


def fetched_documents() -> int:
    """Every document the demo site serves, not those that fail on purpose: the seed page, its
    office renditions, and each page with a real PDF and its PDF (where the corpus is here)."""
    from crawler.demo import site

    return 1 + len(site.renditions()) + 2 * len(site.pdf_pages())


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`budgets demo --no-serve`, then `budgets demo` again over the same database (serving)."""
    db = tmp_path_factory.mktemp("demo") / "budgets.db"
    first = budgets("demo", "--no-serve", "--db", str(db))
    counts = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
    prepared = is_prepared(database.connect(db))
    lines = sqlite3.connect(db).execute("SELECT count(*) FROM budget_lines").fetchone()[0]
    served, _url = serve_and_ask(db, "select count(*) as n from documents")
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return {"db_path": db, "db": conn, "first": first, "served": served, "documents_after_first": counts,
            "prepared_after_first": prepared, "lines_after_first": lines}


@pytest.mark.slow
def test_demo_without_serving_exits_0(demo):
    assert demo["first"].returncode == 0, demo["first"].stderr[-3000:]
    assert "budget lines" in demo["first"].stdout


@pytest.mark.slow
def test_the_crawl_leaves_the_database_audited_and_ready_to_publish(demo):
    assert f"audited {fetched_documents()} documents" in demo["first"].stdout
    assert demo["db"].execute("SELECT count(*) FROM findings").fetchone()[0] > 0
    assert demo["prepared_after_first"]


@pytest.mark.slow
def test_demo_serves_what_it_loaded_with_datasette(demo):
    assert demo["served"] == [{"n": demo["documents_after_first"]}]


@pytest.mark.slow
def test_demo_loads_lines_from_the_html_disclosure(demo):
    html_lines = demo["db"].execute(
        "SELECT count(*) FROM budget_lines JOIN documents d ON d.id = document_id WHERE d.format = 'html'"
    ).fetchone()[0]
    assert html_lines > 100


@pytest.mark.slow
@pytest.mark.parametrize("fmt, module", [("pdf", "extractors.pdf"), ("xlsx", "extractors.spreadsheet"),
                                         ("docx", "extractors.wordprocessing")])
def test_demo_reads_every_format_it_has_an_extractor_for(demo, fmt, module):
    docs = demo["db"].execute("SELECT status, error FROM documents WHERE format = ?", [fmt]).fetchall()
    if not docs:
        pytest.skip(f"the demo has no {fmt} attachment in this checkout")
    if importlib.util.find_spec(module) is None:
        assert all(d["status"] == "unsupported" for d in docs)
    else:
        assert any(d["status"] in ("ok", "partial") for d in docs), [tuple(d) for d in docs]


@pytest.mark.slow
def test_running_the_demo_again_adds_no_duplicates(demo):
    documents = demo["db"].execute("SELECT count(*), count(DISTINCT url) FROM documents").fetchone()
    assert documents[0] == documents[1] == demo["documents_after_first"]
    runs = demo["db"].execute("SELECT documents_new, documents_unchanged, documents_same_bytes "
                              "FROM crawl_runs ORDER BY id").fetchall()
    # every URL of the first run (known bytes at a second URL were the same bytes as another's then)
    assert len(runs) == 2 and runs[1]["documents_new"] == 0 and runs[0]["documents_unchanged"] == 0
    assert runs[1]["documents_unchanged"] == runs[0]["documents_new"] + runs[0]["documents_same_bytes"]


@pytest.mark.slow
def test_running_the_demo_again_extracts_nothing_and_keeps_the_same_lines(demo):
    second = demo["db"].execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    assert second["documents_new"] == 0 and second["documents_extracted"] == 0
    lines = demo["db"].execute("SELECT count(*) FROM budget_lines").fetchone()[0]
    assert lines == demo["lines_after_first"] > 0


@pytest.mark.slow
def test_sites_lists_every_config_with_its_last_crawl(demo, capsys):
    assert main(["sites", "--db", str(demo["db_path"])]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert {"demo", "cqtn", "cqjlp", "jiangjin", "rongchang", "shpt"} <= set(lines)
    assert "last crawl" in lines["demo"] and "partial" in lines["demo"]
    assert "never crawled" in lines["cqtn"]


def test_crawl_of_an_unknown_site_fails_at_once_with_one_line(tmp_path, capsys):
    assert main(["crawl", "--site", "nowhere", "--db", str(tmp_path / "b.db")]) == 2
    error = capsys.readouterr().err
    assert error.strip().count("\n") == 0 and "nowhere" in error and "cqtn" in error


def test_crawl_without_a_site_says_how_to_choose_one(tmp_path, capsys):
    assert main(["crawl", "--db", str(tmp_path / "b.db")]) == 2
    assert "--site" in capsys.readouterr().err


def test_the_demo_site_is_crawled_by_budgets_demo_not_budgets_crawl(tmp_path, capsys):
    assert main(["crawl", "--site", "demo", "--db", str(tmp_path / "b.db")]) == 2
    assert "budgets demo" in capsys.readouterr().err



def test_a_checkout_finds_the_shared_material_beside_it():
    from crawler.demo.site import shared_folder

    module = ROOT / "crawler" / "demo" / "site.py"
    assert shared_folder({}, module) == ROOT.parent / "shared"
    assert shared_folder({"BUDGETS_SHARED": "/srv/shared"}, module) == Path("/srv/shared")


def test_outside_a_checkout_the_missing_corpus_note_names_budgets_shared(tmp_path):
    from crawler.demo.site import missing_corpus_note, shared_folder

    # an installed package: .venv/lib/python3.12/site-packages/crawler/demo/site.py, no pyproject.toml
    installed = tmp_path / ".venv" / "lib" / "python3.12" / "site-packages" / "crawler" / "demo" / "site.py"
    installed.parent.mkdir(parents=True)
    installed.touch()
    assert shared_folder({}, installed) is None
    note = missing_corpus_note(None)
    assert "BUDGETS_SHARED" in note and ".venv" not in note and "installed package" in note
    named = missing_corpus_note(Path("/srv/shared"))
    assert "/srv/shared/corpus is not here" in named and "BUDGETS_SHARED" in named
