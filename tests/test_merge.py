"""`budgets merge`: crawler machines that share one frontier each load their own database;
merged, they give one database with every document once, however often the merge is run."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

import pytest

from budgets import db as database
from crawler.demo.server import SiteServer
from crawling import FAST, ROOT
from test_nightly import demo_site, query

pytestmark = pytest.mark.slow  # starts processes or servers

SEED = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.txt"
RENDITIONS = ROOT / "tests" / "fixtures" / "renditions"


def budgets(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgets", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def counts(db) -> dict[str, int]:
    return {table: query(db, f"SELECT count(*) AS n FROM [{table}]")[0]["n"]
            for table in ("documents", "budget_lines", "paragraphs", "tables", "crawl_runs")}


# --- two machines on one frontier --------------------------------------------------------------

@pytest.fixture(scope="module")
def machines(redis_url, tmp_path_factory):
    """Two crawler processes on a shared frontier, each with its own database and raw store (as
    on two machines), then both merged into a third database, twice."""
    from crawler.scaleout import redis_settings

    tmp = tmp_path_factory.mktemp("machines")
    resources = demo_site(tmp)
    for resource in resources.values():
        resource.delay = 0.3  # slow enough that both machines find work in the queue
    settings = {**FAST, **redis_settings(redis_url, run=f"merge-{time.time_ns()}"), "LOG_LEVEL": "WARNING",
                "DOWNLOAD_TIMEOUT": "5", "BUDGETS_FRONTIER_GRACE": "1.5"}
    dbs = [tmp / f"machine{n}" / "budgets.db" for n in (1, 2)]
    with SiteServer(resources) as server:
        processes = []
        for db in dbs:
            command = [sys.executable, "-m", "scrapy", "crawl", "disclosures", "-a", "site=demo",
                       "-a", f"replica=127.0.0.1:{server.port}", "-s", f"BUDGETS_DB={db}"]
            for name, value in settings.items():
                command += ["-s", f"{name}={value}"]
            processes.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE, text=True))
        crawls = [p.communicate(timeout=120) + (p.returncode,) for p in processes]
    merged = tmp / "merged.db"
    first = budgets("merge", "--db", merged, *dbs)
    after_first = counts(merged)
    again = budgets("merge", "--db", merged, *dbs)
    return {"crawls": crawls, "dbs": dbs, "merged": merged, "first": first, "after_first": after_first,
            "again": again}


def test_each_machine_crawled_part_of_the_site_into_its_own_database(machines):
    for stdout, stderr, code in machines["crawls"]:
        assert code == 0, stderr[-3000:]
    urls = [{r["url"] for r in query(db, "SELECT url FROM documents WHERE bytes IS NOT NULL")}
            for db in machines["dbs"]]
    assert all(urls) and not urls[0] & urls[1], "the frontier gave each page to one machine"


def test_the_merged_database_holds_every_document_once_with_all_its_lines(machines):
    assert machines["first"].returncode == 0, machines["first"].stderr
    merged = machines["merged"]
    expected = set().union(*({r["id"] for r in query(db, "SELECT id FROM documents")} for db in machines["dbs"]))
    assert {r["id"] for r in query(merged, "SELECT id FROM documents")} == expected
    assert query(merged, "SELECT id FROM documents d WHERE lines != (SELECT count(*) FROM budget_lines l "
                         "WHERE l.document_id = d.id)") == []
    # the same bytes at two URLs (the demo serves copies) are one document, on one machine as on two
    lines = set().union(*({r["id"] for r in query(db, "SELECT id FROM budget_lines")} for db in machines["dbs"]))
    assert {r["id"] for r in query(merged, "SELECT id FROM budget_lines")} == lines
    assert len(lines) > 200
    assert counts(merged)["crawl_runs"] == 2


def test_merging_runs_the_audit_over_what_came_in(machines):
    assert "audited" in machines["first"].stdout
    assert query(machines["merged"], "SELECT count(*) AS n FROM findings")[0]["n"] > 0


def test_merging_again_adds_nothing(machines):
    assert machines["again"].returncode == 0, machines["again"].stderr
    assert counts(machines["merged"]) == machines["after_first"]
    assert "0 new documents" in machines["again"].stdout


# --- revisions and bad sources ------------------------------------------------------------------

def ingested(tmp_path, name: str, *paths) -> str:
    db = tmp_path / f"{name}.db"
    result = budgets("ingest", "--db", db, *paths)
    assert result.returncode == 0, result.stderr
    return db


def test_the_revision_seen_last_is_current_when_two_machines_hold_different_bytes_at_one_url(tmp_path):
    older = ingested(tmp_path, "older", RENDITIONS / "重庆市潼南区大数据应用发展管理局2026年部门预算公开.xls")
    newer = ingested(tmp_path, "newer", RENDITIONS / "重庆市潼南区大数据应用发展管理局2026年部门预算公开.xlsx")
    for db, seen in ((older, "2026-11-01T00:00:00+00:00"), (newer, "2026-11-30T00:00:00+00:00")):
        conn = sqlite3.connect(db)
        conn.execute("UPDATE documents SET url = 'http://example.gov.cn/ys.xls', last_seen_at = ?", [seen])
        conn.commit()
        conn.close()
    target = tmp_path / "merged.db"
    result = budgets("merge", "--db", target, newer, older)
    assert result.returncode == 0, result.stderr
    [old_id] = [r["id"] for r in query(older, "SELECT id FROM documents")]
    [new_id] = [r["id"] for r in query(newer, "SELECT id FROM documents")]
    rows = {r["id"]: r for r in query(target, "SELECT id, superseded_by FROM documents")}
    assert rows[old_id]["superseded_by"] == new_id and rows[new_id]["superseded_by"] is None
    current = {r["document_id"] for r in query(target, "SELECT DISTINCT document_id FROM current_budget_lines")}
    assert current == {new_id}
    assert "1 older revisions marked" in result.stderr


def test_a_source_that_cannot_be_read_is_reported_and_the_others_are_merged(tmp_path):
    good = ingested(tmp_path, "good", SEED)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE notes (text)").connection.close()
    target = tmp_path / "merged.db"
    result = budgets("merge", "--db", target, junk, tmp_path / "missing.db", other, good)
    assert result.returncode == 1
    assert f"cannot read {junk}: file is not a database" in result.stderr
    assert f"{tmp_path / 'missing.db'} does not exist" in result.stderr
    assert f"{other} is not a budgets database" in result.stderr
    assert "Traceback" not in result.stderr
    assert counts(target)["budget_lines"] == counts(good)["budget_lines"] > 200


def test_a_database_is_not_merged_into_itself(tmp_path):
    db = ingested(tmp_path, "one", SEED)
    before = counts(db)
    result = budgets("merge", "--db", db, db)
    assert result.returncode == 2 and "both the target and a source" in result.stderr
    assert counts(db) == before


def test_a_failure_while_copying_leaves_the_target_as_it_was(tmp_path, monkeypatch):
    from budgets import merge

    source = ingested(tmp_path, "source", SEED)
    target = database.connect(tmp_path / "target.db")

    def broken(conn, *args):
        conn.execute("INSERT INTO main.documents (id, url) VALUES ('half', 'http://x/half')")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(merge, "_copy", broken)
    with pytest.raises(merge.MergeError, match="database or disk is full; nothing of it was merged"):
        merge.merge_database(target.conn, source)
    assert target.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert not any(row[1] == "source" for row in target.execute("PRAGMA database_list"))


def test_crawl_runs_that_started_and_finished_in_the_same_second_are_both_kept(tmp_path):
    runs = [{"site": "demo", "started_at": "2026-11-30T01:00:00+00:00", "finished_at": "2026-11-30T01:00:09+00:00",
             "pages": pages, "status": "ok"} for pages in (4, 5)]
    sources = []
    for n, run in enumerate(runs):
        db = database.connect(tmp_path / f"machine{n}.db")
        db["crawl_runs"].insert(run)
        db.conn.close()
        sources.append(tmp_path / f"machine{n}.db")
    target = tmp_path / "merged.db"
    for _ in range(2):
        assert budgets("merge", "--db", target, *sources).returncode == 0
    assert sorted(r["pages"] for r in query(target, "SELECT pages FROM crawl_runs")) == [4, 5]
