"""Slow failures made quick and worded: a PDF object that refers to itself, a PDF that needs
more memory than the worker has, and an HTML page with a text node over libxml2's 10 MB limit.

Every input is built here, a few KB on disk; the memory case inflates in the worker only, under
a limit set just above the test process's own size, and keeps the worker's abort report out of
the run's output.
"""
from __future__ import annotations

import faulthandler
import subprocess
import sys
import time
import zlib

import pytest
from _pytest.faulthandler import fault_handler_stderr_fd_key

from budgets import limited, worker
from budgets.worker import extract_document
from extractors import limits
from extractors.html import extract as extract_html
from extractors.model import ExtractionError
from extractors.pdf import extract
from crawling import ROOT
from textpdf import write

MB = 1024 * 1024
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"


LOOPS = [
    ([CATALOG, PAGES, PAGE, b"4 0 R"], "object 4 is a reference to itself"),  # the page's contents
    ([CATALOG, b"2 0 R", PAGE, b"<< /Length 0 >>\nstream\n\nendstream"], "object 2 is a reference to itself"),
    ([b"1 0 R", PAGES, PAGE, b"<< /Length 0 >>\nstream\n\nendstream"], "object 1 is a reference to itself"),
    ([CATALOG, PAGES, PAGE, b"5 0 R", b"4 0 R"], "object 4 leads back to itself"),  # a ring of two
]


@pytest.mark.parametrize("objects, culprit", LOOPS)
def test_a_pdf_object_that_refers_to_itself_fails_in_milliseconds_with_its_number(objects, culprit, monkeypatch):
    """The 1 KB file of the fault report: pdfminer followed `4 0 R` → `4 0 R` until the 300 s limit.
    pdfminer still reads the pages PDFium cannot, so its guard is tested on that reader."""
    monkeypatch.setenv("BUDGETS_PDF_READER", "pdfplumber")
    data = write(objects)
    assert len(data) < 1024
    started = time.monotonic()
    with pytest.raises(ExtractionError) as caught:
        extract(data, "loop.pdf")
    assert time.monotonic() - started < 2
    assert caught.value.status == "failed"
    assert str(caught.value).startswith("loop.pdf is not a readable PDF: " + culprit)


@pytest.mark.parametrize("objects, culprit", LOOPS)
def test_pdfium_reads_a_self_referring_pdf_as_failed_at_once(objects, culprit):
    """PDFium, the default reader, does not loop either: the file fails, worded, in milliseconds
    (a contents stream that is a loop reads as a page with nothing on it)."""
    started = time.monotonic()
    try:
        extraction = extract(write(objects), "loop.pdf")
        status, message = extraction.status, extraction.error or ""
    except ExtractionError as exc:
        status, message = exc.status, str(exc)
    assert time.monotonic() - started < 2
    assert status == "failed"
    assert message.startswith(("loop.pdf is not a readable PDF", "no text and no image on any page"))


def _zlib_of_spaces(size: int) -> bytes:
    """A FlateDecode stream inflating to `size` spaces, built without holding them (16 MB blocks)."""
    block = b" " * (16 * MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(size // len(block)):
        adler = zlib.adler32(block, adler)
    return b"\x78\xda" + unit * (size // len(block)) + compressor.flush() + adler.to_bytes(4, "big")


@pytest.fixture
def worker_fatal_errors(request, tmp_path):
    """The file a forked worker's fatal-error report goes to during the test. pytest points
    faulthandler at the terminal's stderr, outside output capture, and a worker inherits it: a
    worker aborted on purpose (PDFium aborts when an allocation fails) would print `Fatal Python
    error: Aborted` into a green run. Pointed at a file for the test, and back afterwards."""
    path = tmp_path / "fatal-errors.txt"
    with open(path, "w") as report:
        faulthandler.enable(file=report)
        try:
            yield path
        finally:
            target = request.config.stash.get(fault_handler_stderr_fd_key, None)
            if target is not None:
                faulthandler.enable(file=target)
            else:
                faulthandler.disable()


def test_a_pdf_that_exhausts_the_worker_memory_says_out_of_memory_and_the_limit(monkeypatch, worker_fatal_errors):
    """A page whose content stream inflates to 1 GB, read under a limit of 300 MB beyond what
    this process maps: pdfminer's MemoryError arrives wrapped in pdfplumber's PdfminerException and was
    reported as that exception's text ('Unable to allocate output buffer.'). PDFium instead
    aborts the worker, whose report is kept in a file: what the worker printed, if anything,
    is that abort."""
    limit = 300  # MB beyond what the test runner maps
    monkeypatch.setattr(limits, "WORKER_MEMORY_MB", limit)
    monkeypatch.setattr(limits, "PARSE_TIMEOUT_S", 60)
    stream = _zlib_of_spaces(1024 * MB)
    data = write([CATALOG, PAGES, PAGE,
                  b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"])
    with pytest.raises(ExtractionError) as caught:
        extract_document(data, "pdf", "bomb.pdf")
    assert f"out of memory, limit {limit} MB" in str(caught.value)
    assert caught.value.status == "failed"
    report = worker_fatal_errors.read_text()
    assert report == "" or report.startswith("Fatal Python error: Aborted"), report[:2000]


def test_the_worker_aborted_on_purpose_leaves_no_alarm_in_the_runs_output():
    test = "tests/test_pdf_faults.py::test_a_pdf_that_exhausts_the_worker_memory_says_out_of_memory_and_the_limit"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", test],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "Fatal Python error" not in run.stdout + run.stderr, (run.stdout + run.stderr)[:3000]


def test_a_failed_allocation_in_a_c_extension_is_read_as_out_of_memory():
    """CPython's `SystemError: <built-in function …> returned NULL without setting an exception`
    is what a C reader raises when malloc fails under RLIMIT_AS; wrapped or not, it is memory."""
    null = SystemError("<built-in method decompress of zlib.Decompress object> returned NULL "
                       "without setting an exception")
    try:
        try:
            raise null
        except SystemError as exc:
            raise ExtractionError("x.pdf: could not be read (SystemError: …)") from exc
    except ExtractionError as wrapped:
        assert limited.out_of_memory(wrapped)
    assert limited.out_of_memory(MemoryError())
    assert not limited.out_of_memory(ExtractionError("x.pdf is not a readable PDF"))
    assert not limited.out_of_memory(SystemError("error return without exception set? no: a bug"))


def test_an_html_text_node_over_10_mb_is_read_not_dropped_with_the_rest_of_the_page():
    """A page whose opening paragraph is 12 MB (a pasted export): libxml2 without huge_tree
    dropped that node and everything after it, the table included, and the page read as empty."""
    big = "预" * (4 * MB)  # 12 MB of UTF-8
    page = (f"<html><head><title>2026年部门预算</title></head><body><p>{big}</p><p>单位：万元</p>"
            "<table><tr><td>科目编码</td><td>科目名称</td><td>合计</td></tr>"
            "<tr><td>201</td><td>一般公共服务支出</td><td>1207.84</td></tr></table></body></html>").encode()
    assert len(page) < limits.Limits().max_document_bytes
    result = extract_html(page, "big.html")
    [table] = result.tables
    assert table.rows == [["201", "一般公共服务支出", "1207.84"]] and table.unit == "万元"
    assert len(result.paragraphs[0].text) == 4 * MB
