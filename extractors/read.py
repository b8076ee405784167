"""One way in for a document's bytes: what format they are, whether they may be opened, which
reader reads them, and an error that names the file and says what to do.

`read_document` is pure (bytes in, `Extraction` out, or `ExtractionError`); `budgets.worker` runs
it (through `extractors.document.read_whole`) in a child process that can be stopped, and nothing
else stands between bytes and readers.
"""
from __future__ import annotations

from extractors import html, limits, registry
from extractors.detect import (HTML_EXPORTS, claimed_format, detect_format, extension, names_a_binary_file,
                               unread_format)
from extractors.model import Extraction, ExtractionError

_OFFICE_PACKAGES = ("xlsx", "docx")  # ZIP containers whose XML a reader parses


def read_document(data: bytes, name: str = "", fmt: str | None = None,
                  content_type: str | None = None) -> Extraction:
    """Read one document within `limits.DEFAULT`. `fmt` is `detect_format`'s answer when the
    caller has it already (the pipeline does, to record it even if the reading is stopped).
    Raises ExtractionError, worded, for anything that fails; MemoryError is left to the worker."""
    what = name or "the document"
    fmt = fmt or detect_format(data, name, content_type)
    try:
        return _read(data, name, what, fmt)
    except (ExtractionError, MemoryError):
        raise
    except Exception as exc:  # a bug or a file no reader foresaw: recorded, the run goes on
        detail = " ".join(str(exc).split())[:300]
        raise ExtractionError(f"{type(exc).__name__} while reading {what} as {fmt}: {detail} "
                              "(a bug in this tool's reader: please report it with the file)") from exc


def _read(data: bytes, name: str, what: str, fmt: str) -> Extraction:
    limits.check_document_size(len(data), what)
    if not data:
        raise ExtractionError(f"{what} is empty (0 bytes); the download failed: fetch it again")
    if fmt == "unknown":
        raise _unknown_format(data, what, name)
    if fmt in _OFFICE_PACKAGES:
        limits.check_office_package(data, what)
    # An HTML page under a binary file's name is the site's error or login page, a page of
    # its own site, or the disclosure page the site served instead of the file: read that one.
    disguised = fmt == "html" and names_a_binary_file(name)
    if disguised and claimed_format(name) not in HTML_EXPORTS:
        return _disguised_page(data, name, what)
    try:
        extraction = registry.extract(data, fmt, name)
    except ExtractionError as exc:
        named = _naming(str(exc), what)
        if named == str(exc):
            raise
        raise type(exc)(named, exc.status) from None
    if disguised and not extraction.tables:  # old report systems do export HTML tables as .xls
        raise _error_page(data, what, name)
    if extraction.error:
        extraction.error = _naming(extraction.error, what)
    return extraction


def _naming(message: str, what: str) -> str:
    """Every error names its file, whichever reader wrote it, on one line."""
    message = " ".join(message.split())
    return message if what in message else f"{what}: {message}"


def _unknown_format(data: bytes, what: str, name: str) -> ExtractionError:
    known = unread_format(data)
    if known:
        kind, status, todo = known
        return ExtractionError(f"{what} is {kind}, which this tool does not read; {todo}", status)
    head = data[:8].hex(" ")
    if claimed_format(name):
        ext = extension(name)
        return ExtractionError(
            f"{what} is named .{ext} but its bytes are not a {ext.upper()} file nor any "
            f"format this tool reads (they start {head}); the download is probably broken or the "
            "site mislabelled it: fetch it again or open it by hand"
        )
    return ExtractionError(
        f"{what} is not a format this tool reads (its bytes start {head}); convert it to PDF, "
        "XLSX or DOCX to ingest it", status="unsupported")


def _disguised_page(data: bytes, name: str, what: str) -> Extraction:
    """An HTML page under a PDF's (or a DOCX's …) name: refused when it is an error or login
    page or a page of the site that names no disclosure; else read as the HTML it is, the
    mismatch said in `error` (status kept)."""
    if html.is_error_page(html.parse(data, name)):
        raise _error_page(data, what, name)
    extraction = registry.extract(data, "html", name)
    if extraction.error.startswith(html.NOT_A_DISCLOSURE):
        raise _error_page(data, what, name, "a page of its site that names no disclosure (a home or column page)")
    said = f" titled {extraction.title[:80]!r}" if extraction.title else ""
    served = (f"{what} is named .{extension(name)} but holds an HTML page{said}, read as HTML: the site "
              "served its disclosure page instead of the file")
    extraction.error = _naming("; ".join(filter(None, [served, extraction.error])), what)
    return extraction


def _error_page(data: bytes, what: str, name: str, kind: str = "an error or login page") -> ExtractionError:
    heading = html.heading(html.parse(data, name))  # the page's own encoding (BOM, <meta charset>, GBK)
    said = f" titled {heading[:80]!r}" if heading else ""
    return ExtractionError(
        f"{what} is named .{extension(name)} but holds an HTML page{said}, not the file: the site "
        f"served {kind} instead; check the link and fetch it again"
    )
