"""Loading many documents to a transaction without holding the write lock while reading:
`budgets.writebehind.WriteBehind` holds what was read and loads it in batches (`budgets ingest`
and the crawl's ingest pipeline use it). The documents are the seed disclosure (its web page and
its text dump) and the demo site's renditions of it (DOC, DOCX, XLS, XLSX, ZIP)."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from budgets import db as database
from budgets.pipeline import Source, ingest_bytes, read_bytes
from budgets.writebehind import WriteBehind
from crawling import ROOT

SEED = ROOT / "tests" / "fixtures" / "seed"
RENDITIONS = ROOT / "crawler" / "demo" / "content" / "renditions"
FILES = sorted(SEED.glob("*.html")) + sorted(SEED.glob("*.txt")) + sorted(RENDITIONS.iterdir())


def other_connection(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def counts(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM budget_lines)").fetchone()
    finally:
        conn.close()


def test_held_readings_are_invisible_until_flushed_then_all_there(tmp_path):
    path = tmp_path / "b.db"
    db = database.connect(path)
    with WriteBehind(db, max_seconds=3600) as held:  # no time bound: reading may be slow here
        for file in FILES[:2]:
            held.add(read_bytes(file.read_bytes(), Source(filename=file.name)))
        assert len(held) == 2
        assert counts(path) == (0, 0)  # nothing loaded, no transaction open while reading
        assert not db.conn.in_transaction
        assert held.flush() == 2
        documents, lines = counts(path)
        assert documents == 2 and lines > 0
    assert held.batches == 1 and held.documents_loaded == 2


def test_the_document_bound_loads_what_is_held(tmp_path):
    db = database.connect(tmp_path / "b.db")
    held = WriteBehind(db, max_documents=2, max_seconds=3600)
    held.add(read_bytes(FILES[0].read_bytes(), Source(filename=FILES[0].name)))
    assert counts(tmp_path / "b.db")[0] == 0
    held.add(read_bytes(FILES[1].read_bytes(), Source(filename=FILES[1].name)))
    assert len(held) == 0 and counts(tmp_path / "b.db")[0] == 2
    held.close()


def test_the_row_bound_keeps_memory_bounded(tmp_path):
    db = database.connect(tmp_path / "b.db")
    held = WriteBehind(db, max_rows=10)  # the seed alone has more rows than that
    held.add(read_bytes(FILES[0].read_bytes(), Source(filename=FILES[0].name)))
    assert len(held) == 0 and counts(tmp_path / "b.db")[0] == 1
    held.close()


def test_a_lookup_of_a_held_document_loads_it_first(tmp_path):
    """The same bytes ingested again at once: the second reading finds the first one's
    provenance (its URL), as it would had each been loaded on its own."""
    db = database.connect(tmp_path / "b.db")
    data = FILES[0].read_bytes()
    with WriteBehind(db) as held:
        ingest_bytes(db, data, Source(filename=FILES[0].name, url="http://example.gov.cn/a.html"), held)
        ingest_bytes(db, data, Source(filename=FILES[0].name), held)
    url, = db.execute("SELECT url FROM documents").fetchone()
    assert url == "http://example.gov.cn/a.html"


@pytest.mark.slow
def test_ingest_loads_a_folder_in_fewer_transactions_than_documents_and_the_same_rows(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    for file in FILES:
        shutil.copy(file, folder / file.name)
    batched = tmp_path / "batched.db"
    run = subprocess.run([sys.executable, "-m", "budgets", "ingest", str(folder), "--db", str(batched)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    summary = [line for line in run.stdout.splitlines() if line.startswith("loaded ")]
    assert summary, run.stdout
    documents, transactions = [int(word) for word in summary[0].split() if word.isdigit()]
    assert documents >= len(FILES) and transactions < documents

    one_by_one = tmp_path / "one-by-one.db"
    db = database.connect(one_by_one)
    for file in sorted(folder.iterdir()):
        ingest_bytes(db, file.read_bytes(), Source(filename=file.name, raw_path=str(file),
                                                    folders=file.resolve().parent.parts[-2:]))
    db.conn.close()
    query = ("SELECT l.id, l.document_id, l.subject_code, l.measure, l.year, l.amount_fen, l.source_text "
             "FROM budget_lines l ORDER BY l.id")
    docs = "SELECT id, status, format, lines, department, fiscal_year, stage FROM documents ORDER BY id"
    for sql in (query, docs):
        assert sqlite3.connect(batched).execute(sql).fetchall() == sqlite3.connect(one_by_one).execute(sql).fetchall()


def test_a_failed_load_keeps_the_documents_before_it_and_names_what_was_not_loaded(tmp_path):
    """A document whose rows cannot be inserted (here two lines with one id) stops the load: the
    documents held before it are committed, it and those after it are not in the database, and
    the error says which document and how many after it were left for the next run."""
    db = database.connect(tmp_path / "b.db")
    readings = [read_bytes(file.read_bytes(), Source(filename=file.name)) for file in FILES[:3]]
    broken = readings[1]
    broken.lines.values.append(broken.lines.values[0])
    held = WriteBehind(db, max_seconds=3600)
    for reading in readings:
        held.add(reading)
    try:
        held.flush()
    except sqlite3.IntegrityError as exc:
        notes = " ".join(exc.__notes__)
    else:
        raise AssertionError("the broken document loaded")
    assert broken.document["id"] in notes and "1 documents read after it were not loaded" in notes
    stored = {row[0] for row in db.execute("SELECT id FROM documents")}
    assert stored == {readings[0].document["id"]}
    assert len(held) == 0
    held.close()
