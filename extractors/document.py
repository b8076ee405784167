"""The core's one way into the extractors: one document's bytes, its name and what is known around
it in; the whole reading out: its format, what its title says, its tables turned into budget lines,
its paragraphs, the cells not placed, the notes on what is doubtful, and its archive members' bytes.

    read_whole(data, Hints(filename="附件1.pdf", title_hint="2026年部门预算"), doc_id)

Pure: it touches no database and no file. `budgets.worker` runs it in a child process that can be
stopped; what that child could not finish (it crashed, ran out of time or memory, or the reader
refused the file) comes back through `stopped`, and a URL that could not be fetched has no bytes
(`data` None): both are readings too, with what the name and the link say of them.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from extractors import budget_quality, limits
from extractors.detect import detect_format, extension
from extractors.model import Extraction, ExtractionError
from extractors.normalise import Normalised, normalise
from extractors.read import read_document
from extractors.reading import DOUBTFUL, expects_lines
from extractors.titles import DocumentMeta, document_meta, parse_title


@dataclass(frozen=True)
class Hints:
    """What is known of a document besides its bytes."""

    filename: str = ""
    url: str = ""
    content_type: str | None = None
    title_hint: str = ""  # e.g. the link text that pointed at an attachment
    district_hint: str = ""
    folders: tuple = ()  # a local file's parent folders, nearest last: one may name its department


@dataclass
class WholeReading:
    """One document read and normalised: what its row says and what is loaded with it."""

    fmt: str | None
    title: str
    meta: DocumentMeta
    status: str
    error: str | None
    pages: int | None = None
    tables_read: int = 0
    lines: Sequence = ()
    paragraphs: Sequence = ()
    tables: Sequence = ()
    unplaced: Sequence = ()
    children: list = field(default_factory=list)  # (name, bytes) of an archive's members


def read_whole(data: bytes | None, hints: Hints, doc_id: str, *,
               stopped: Callable[[str | None], ExtractionError] | None = None) -> WholeReading:
    """Read and normalise one document. Raises ExtractionError when the reader refuses or fails
    (the worker tells a memory failure from the others); `stopped(fmt)`, the error of a reading that
    could not finish, gives the reading of nothing but that error; `data` None: not fetched."""
    if data is None:  # not fetched: what the link's text and the name say
        fmt = extension(hints.filename) or None
        return WholeReading(fmt=fmt, title="", meta=parse_title(hints.title_hint, fallback=hints.filename),
                            status="failed", error=str(stopped(fmt)) if stopped else None)
    fmt = detect_format(data, hints.filename, hints.content_type)
    if stopped is not None:
        error = stopped(fmt)
        return _normalised(Extraction(status=error.status, error=str(error)), fmt, hints, doc_id)
    return _normalised(read_document(data, hints.filename, fmt), fmt, hints, doc_id)


def _normalised(extraction: Extraction, fmt: str, hints: Hints, doc_id: str) -> WholeReading:
    """The title, the status and the lines of what was read (`extractors.normalise`), within the
    lines-per-document limit."""
    title, meta = document_meta(extraction, hints.title_hint, hints.filename, hints.folders)
    if hints.district_hint and not meta.district:
        meta.district = hints.district_hint
    extraction, cuts = limits.cut_long_text(extraction)
    status, error = extraction.status, extraction.error
    what = hints.filename or hints.url or "the document"
    try:
        result = normalise(extraction, meta, doc_id, url=hints.url)
    except Exception as exc:  # the tables were read but could not be turned into lines
        result = Normalised()
        status = "failed"
        error = (f"{type(exc).__name__} while normalising the tables of {what}: {exc}; the raw file is kept, "
                 "report it as a bug")
    if status in ("ok", "partial") and (not_a_disclosure := budget_quality.no_figures(extraction)):
        # like a page that only lists links: known, read, and not a disclosure; nothing loaded
        result, status, error = Normalised(), "ok", f"{what}: {not_a_disclosure}"
    elif status in ("ok", "partial") and (unusable := budget_quality.no_amounts(extraction)
                                        or budget_quality.sums_fail(result.readings)):
        # a text layer that reads but says no budget's figures: like a garbled one
        # (extractors.text_quality), neither its tables nor its text are loaded
        result = Normalised()
        status = "needs_ocr"
        error = f"{what}: {unusable}"
    if len(result.lines) > limits.MAX_DOCUMENT_LINES:
        status = "failed"
        error = (f"{what} yields {len(result.lines)} lines, more than the limit of {limits.MAX_DOCUMENT_LINES:g} "
                 "lines for one document; refused (raise BUDGETS_MAX_LINES if it is a real disclosure)")
        result = Normalised()
    doubts = []
    if result.unplaced:
        doubts.append(f"{len(result.unplaced)} cells could not be placed in a column with certainty (see "
                      "unplaced_cells)")
    doubtful = [t for t in result.tables if t.get("confidence") == DOUBTFUL]
    if doubtful:
        doubts.append(f"{len(doubtful)} tables do not add up as read, so their reading is doubtful: " + "; ".join(
            f"{_table_name(t)}: {t['confidence_reason']}" for t in doubtful[:3])
            + (" …" if len(doubtful) > 3 else ""))
    if status == "ok" and doubts:
        status = "partial"
        error = "; ".join([error, *doubts] if error else doubts)  # a reader's note ('… read as HTML') stays
    if cuts:  # text beyond the limits was cut: the document is only partly loaded, whatever else it is
        status = "partial" if status == "ok" else status
        error = "; ".join([error, *cuts] if error else cuts)
    read = [t for t in result.tables if expects_lines(t)]
    if status == "ok" and read and not result.lines:
        status = "partial"
        with_rows = [t for t in read if t["rows"]]
        lost = (f"{len(with_rows)} tables with body rows were read but gave no budget lines: their columns or "
                "amounts were not recognised" if with_rows else
                f"{len(read)} tables were found but no body row under their headers was read: the table text may "
                "be missing or garbled")
        error = f"{error}; {lost}" if error else lost
    return WholeReading(fmt=fmt, title=title, meta=meta, status=status, error=error, pages=extraction.pages,
                        tables_read=len(extraction.tables), lines=result.lines, paragraphs=result.paragraphs,
                        tables=result.tables, unplaced=result.unplaced, children=extraction.children)


def _table_name(table: dict) -> str:
    name = " ".join(filter(None, (table.get("label"), table.get("title")))) or f"table {table['table_index'] + 1}"
    return f"{name} (page {table['page']})" if table.get("page") else name
