"""A document's provenance does not depend on the order its copies were loaded, so a run killed
and resumed leaves the same `documents` row as a clean run (issue 32: in 2 of 6 killed nightlies
one row's `content_type` was NULL where a clean run had `application/octet-stream`).

The demo site (crawler/demo) serves the seed disclosure's DOCX as a file of its own, as
application/octet-stream, and inside its ZIP: the same bytes, one document. A clean run may load
the ZIP first (the DOCX is its member until the file itself arrives and takes the row over); a run
killed after loading the DOCX resumes by loading the ZIP after it. The kill is simulated by
closing the first run's connection between the two loads, so no timing decides anything."""
from __future__ import annotations

import hashlib
from pathlib import Path

from budgets import db as database
from budgets.pipeline import Source, ingest_bytes

RENDITIONS = Path(__file__).resolve().parents[1] / "crawler" / "demo" / "content" / "renditions"
NAME = "重庆市潼南区大数据应用发展管理局2026年部门预算公开"
SITE = "http://127.0.0.1:8765/bm/dsjfzglj/zwgk_25191/fdzdgknr/ysjs/ys_bm/202601"
PAGE_ID = "seed-page"
PROVENANCE = "url, parent_id, site, content_type, http_headers, raw_path, status, format, title, lines"


def fetched(suffix: str) -> tuple[bytes, Source]:
    """A rendition as the crawl fetches it from the demo site: its headers, its raw file."""
    data = (RENDITIONS / f"{NAME}.{suffix}").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    return data, Source(filename=f"{NAME}.{suffix}", url=f"{SITE}/{NAME}.{suffix}", site="demo",
                        fetched_at="2026-12-07T01:00:00+00:00", parent_id=PAGE_ID,
                        raw_path=f"raw/demo/{digest}.{suffix}", content_type="application/octet-stream",
                        headers={"Content-Type": "application/octet-stream"})


def run(db_path: Path, *suffixes: str) -> None:
    """One crawl's loads, in order, over a connection of its own (closed at the end, as a
    killed process leaves it)."""
    db = database.connect(db_path)
    try:
        for suffix in suffixes:
            data, source = fetched(suffix)
            ingest_bytes(db, data, source)
    finally:
        db.conn.close()


def docx_row(db_path: Path) -> dict:
    docx_id = hashlib.sha256((RENDITIONS / f"{NAME}.docx").read_bytes()).hexdigest()
    db = database.connect(db_path)
    try:
        (row,) = db.query(f"SELECT {PROVENANCE} FROM documents WHERE id = ?", [docx_id])
        urls = sorted(r["url"] for r in db.query("SELECT url FROM document_urls WHERE document_id = ?", [docx_id]))
    finally:
        db.conn.close()
    return {**row, "urls": urls}


def test_a_run_killed_after_the_docx_and_resumed_with_the_zip_equals_a_clean_run(tmp_path):
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    run(clean, "zip", "docx")
    run(killed, "docx")  # killed here
    # resumed: the ZIP; the DOCX's bytes are known, and a crawl never reads known bytes again
    # (crawler/pipelines.already_read), so nothing of the file's own comes back to mend the row
    run(killed, "zip")
    assert docx_row(killed) == docx_row(clean)


def test_the_docx_keeps_its_own_url_and_http_provenance_whichever_copy_came_first(tmp_path):
    _, source = fetched("docx")
    rows = []
    for order in (("zip", "docx"), ("docx", "zip")):
        path = tmp_path / f"{'-'.join(order)}.db"
        run(path, *order)
        row = docx_row(path)
        assert (row["url"], row["parent_id"], row["content_type"], row["raw_path"]) == (
            source.url, PAGE_ID, "application/octet-stream", source.raw_path), order
        assert row["http_headers"] and "octet-stream" in row["http_headers"], order
        assert source.url in row["urls"] and any("#" in url for url in row["urls"]), order  # the file and the member
        rows.append(row)
    assert rows[0] == rows[1]
