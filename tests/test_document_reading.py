"""The core's one call into the extractors (`extractors.document.read_whole`): bytes, a name and
hints in, the whole reading out. The seed disclosure is the HTML rendering of 重庆市潼南区大数据应用
发展管理局's 2026 部门预算 (its <title> says so, and it prints 14 tables); a URL that could not be
fetched, and a reading the worker stopped, are readings too."""
from __future__ import annotations

from pathlib import Path

from extractors.document import Hints, read_whole
from extractors.model import ExtractionError

SEED_HTML = Path(__file__).resolve().parent / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.html"
DOC_ID = "5eed" * 16


def test_the_seed_reads_whole_in_one_call():
    reading = read_whole(SEED_HTML.read_bytes(), Hints(filename=SEED_HTML.name), DOC_ID)
    assert (reading.fmt, reading.status) == ("html", "ok")
    assert reading.title == "重庆市潼南区大数据应用发展管理局2026年部门预算公开"
    meta = reading.meta
    assert (meta.district, meta.department, meta.fiscal_year, meta.stage) == (
        "重庆市潼南区", "大数据应用发展管理局", 2026, "budget")
    assert reading.tables_read == len(reading.tables) == 14
    assert reading.lines and {line["document_id"] for line in reading.lines} == {DOC_ID}
    assert reading.paragraphs and reading.children == []


def test_a_url_not_fetched_reads_as_what_its_link_and_name_say():
    hints = Hints(filename="附件2.xls", url="http://www.cqtn.gov.cn/附件2.xls",
                  title_hint="重庆市潼南区大数据应用发展管理局2026年部门预算公开")
    reading = read_whole(None, hints, DOC_ID, stopped=lambda fmt: ExtractionError("HTTP 404 Not Found"))
    assert (reading.fmt, reading.status, reading.error, reading.title) == ("xls", "failed", "HTTP 404 Not Found", "")
    assert (reading.meta.department, reading.meta.fiscal_year) == ("大数据应用发展管理局", 2026)
    assert not reading.lines and not reading.tables


def test_a_reading_the_worker_stopped_names_the_format_it_found_and_keeps_the_link_s_facts():
    hints = Hints(filename="附件.html", title_hint="潼南区大数据应用发展管理局2026年部门预算")
    reading = read_whole(SEED_HTML.read_bytes(), hints, DOC_ID,
                         stopped=lambda fmt: ExtractionError(f"the {fmt} reader crashed (SIGSEGV)"))
    assert (reading.fmt, reading.status, reading.error) == ("html", "failed", "the html reader crashed (SIGSEGV)")
    assert (reading.meta.fiscal_year, reading.meta.stage) == (2026, "budget")
    assert not reading.lines and not reading.paragraphs
