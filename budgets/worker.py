"""Reading one document in a child process that can be stopped.

`extractors.read_document` does the reading; this module only isolates it (budgets/limited.py).
The child is forked (it inherits the bytes without a copy), limited to ``limits.WORKER_MEMORY_MB``
of address space (RLIMIT_AS), stopped after ``limits.PARSE_TIMEOUT_S`` seconds, and dies with its
parent (PR_SET_PDEATHSIG). A reader that crashes kills only the child; the caller gets an
``Extraction`` or an ``ExtractionError`` whose message names the file, and the run goes on.

`read_and_normalise` also turns the tables into lines in the child (`extractors.normalise`)
and refuses a document with more lines than ``limits.MAX_DOCUMENT_LINES``: the parent only
receives what it loads, compactly (`Rows`: column names once, a tuple per line), so neither the
reading nor the normalising of one huge document can take the run's memory or time.

``BUDGETS_NO_WORKER=1`` reads in-process (for a debugger); the size and container checks
still apply, the time and memory limits do not.
"""
from __future__ import annotations

import os
from pathlib import Path

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from budgets.limited import out_of_memory, run_limited, signal_name
from budgets.spill import SPILL_ROWS, spill
from extractors import budget_quality, limits
from extractors.model import Extraction, ExtractionError
from extractors.normalise import Normalised as NormaliseResult, normalise
from extractors.read import read_document
from extractors.reading import DOUBTFUL, expects_lines
from extractors.titles import DocumentMeta, document_meta


def use_data_dir(folder) -> None:
    """Readers that need a scratch folder (LibreOffice's conversions) use `folder`/tmp, and what a
    killed run left there is removed (budgets.pipeline.use_scratch_beside calls this with the
    database's folder)."""
    from extractors import wordprocessing

    wordprocessing.use_scratch_root(Path(folder) / "tmp")


def extract_document(data: bytes, fmt: str, filename: str = "", then=None):
    """`read_document(data, filename, fmt)` within the time and memory limits; raises
    ExtractionError for anything that fails. `then`: a function of the Extraction run in the
    child too, within the same limits; its answer is returned instead of the Extraction."""
    if os.environ.get("BUDGETS_NO_WORKER"):
        extraction = read_document(data, filename, fmt)
        return then(extraction) if then else extraction
    return _in_child(data, fmt, filename, then)


class Rows(Sequence):
    """Rows of one table (a document's lines) as column names and a tuple per row: a fraction of
    the size of a list of dicts, pickled quickly; each row reads as a dict."""

    def __init__(self, rows: Iterable[dict] = ()):
        rows = list(rows)
        self.columns = tuple(dict.fromkeys(name for row in rows for name in row))
        self.values = [tuple(row.get(name) for name in self.columns) for row in rows]

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [dict(zip(self.columns, v)) for v in self.values[index]]
        return dict(zip(self.columns, self.values[index]))

    def __iter__(self) -> Iterator[dict]:
        columns = self.columns
        return (dict(zip(columns, v)) for v in self.values)

    def __eq__(self, other) -> bool:
        return list(self) == list(other)


@dataclass
class Normalised:
    """One document read and normalised: what its row says and what is loaded with it."""

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


def read_and_normalise(data: bytes, fmt: str, doc_id: str, *, filename: str = "", url: str = "",
                       title_hint: str = "", district_hint: str = "", folders: tuple = ()) -> Normalised:
    """Read and normalise one document in the worker; a document that fails either step is a
    Normalised with its status and error, never raised."""
    run = os.getpid()

    def finish(extraction: Extraction) -> Normalised:
        done = normalised(extraction, doc_id, filename=filename, url=url, title_hint=title_hint,
                          district_hint=district_hint, folders=folders)
        return rows_spilled(done, run) if os.getpid() != run else done
    try:
        return extract_document(data, fmt, filename, then=finish)
    except ExtractionError as exc:
        extraction = Extraction(status=exc.status, error=str(exc))
    except Exception as exc:  # in-process (BUDGETS_NO_WORKER) only, e.g. MemoryError: recorded, the run goes on
        extraction = Extraction(status="failed",
                                error=f"{type(exc).__name__} while reading {filename or url}: {exc}")
    return finish(extraction)


def rows_spilled(done: Normalised, run: int) -> Normalised:
    """In the worker: lines and paragraphs beyond SPILL_ROWS go to the run through a file, read back
    in batches as they are loaded (budgets/spill.py), not through the pipe all at once."""
    try:
        changes = {name: spill(rows.columns, rows.values, run) for name in ("lines", "paragraphs")
                   if isinstance(rows := getattr(done, name), Rows) and len(rows) > SPILL_ROWS}
    except OSError:  # no scratch folder to write to: through the pipe, as before
        return done
    return replace(done, **changes) if changes else done


def normalised(extraction: Extraction, doc_id: str, *, filename: str = "", url: str = "", title_hint: str = "",
               district_hint: str = "", folders: tuple = ()) -> Normalised:
    """The title, the status and the lines of what was read (`extractors.normalise`), within the
    lines-per-document limit."""
    title, meta = document_meta(extraction, title_hint, filename, folders)
    if district_hint and not meta.district:
        meta.district = district_hint
    extraction, cuts = limits.cut_long_text(extraction)
    status, error = extraction.status, extraction.error
    what = filename or url or "the document"
    try:
        result = normalise(extraction, meta, doc_id, url=url)
    except Exception as exc:  # the tables were read but could not be turned into lines
        result = NormaliseResult()
        status = "failed"
        error = (f"{type(exc).__name__} while normalising the tables of {what}: {exc}; the raw file is kept, "
                 "report it as a bug")
    if status in ("ok", "partial") and (not_a_disclosure := budget_quality.no_figures(extraction)):
        # loaded as a page that only lists links is: known, read, and not a disclosure
        result, status, error = NormaliseResult(), "ok", f"{what}: {not_a_disclosure}"
    elif status in ("ok", "partial") and (unusable := budget_quality.no_amounts(extraction)
                                        or budget_quality.sums_fail(result.lines)):
        # a text layer that reads but says no budget's figures: like a garbled one
        # (extractors.text_quality), neither its tables nor its text are loaded
        result = NormaliseResult()
        status = "needs_ocr"
        error = f"{what}: {unusable}"
    if len(result.lines) > limits.MAX_DOCUMENT_LINES:
        status = "failed"
        error = (f"{what} yields {len(result.lines)} lines, more than the limit of {limits.MAX_DOCUMENT_LINES:g} "
                 "lines for one document; refused (raise BUDGETS_MAX_LINES if it is a real disclosure)")
        result = NormaliseResult()
    doubts = []
    if result.unplaced:
        doubts.append(f"{len(result.unplaced)} cells could not be placed in a column with certainty (see "
                      "unplaced_cells)")
    doubtful = [t for t in result.tables if t.get("confidence") == DOUBTFUL]
    if doubtful:
        doubts.append(f"{len(doubtful)} tables do not add up as read, so their reading is doubtful: " + "; ".join(
            f"{_table_name(t)}: {t['confidence_reason']}" for t in doubtful[:3]) + (" …" if len(doubtful) > 3 else ""))
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
    return Normalised(title=title, meta=meta, status=status, error=error, pages=extraction.pages,
                      tables_read=len(extraction.tables), lines=Rows(result.lines),
                      paragraphs=Rows(result.paragraphs), tables=result.tables, unplaced=result.unplaced,
                      children=extraction.children)


def _table_name(table: dict) -> str:
    name = " ".join(filter(None, (table.get("label"), table.get("title")))) or f"table {table['table_index'] + 1}"
    return f"{name} (page {table['page']})" if table.get("page") else name


def _in_child(data: bytes, fmt: str, filename: str, then=None):
    name = filename or "the document"
    timeout = limits.PARSE_TIMEOUT_S
    memory_mb = limits.WORKER_MEMORY_MB
    outcome = run_limited(lambda: _read(data, fmt, filename, then), name=f"extract {name}", timeout_s=timeout,
                          memory_mb=memory_mb)
    if outcome.kind == "timeout":
        raise ExtractionError(
            f"reading {name} took longer than {timeout:g} s and was stopped; the file may be "
            "pathological, or raise BUDGETS_PARSE_TIMEOUT_S if it is just very large"
        )
    if outcome.kind == "died":
        raise ExtractionError(_death(outcome.exitcode, name, fmt, memory_mb))
    if outcome.kind == "unsendable":
        kind, message = outcome.error
        raise ExtractionError(f"{kind} while returning what was read from {name}: {message}", "failed")
    if outcome.kind == "raised":
        kind, message = outcome.error
        raise ExtractionError(f"{kind} while reading {name}: {message}", "failed")
    kind, payload = ("memory", None) if outcome.kind == "memory" else outcome.value
    if kind == "ok":
        return payload
    if kind == "memory":
        raise ExtractionError(
            f"reading {name} needed more than {memory_mb:g} MB of memory and was stopped (out of "
            f"memory, limit {memory_mb:g} MB); raise BUDGETS_WORKER_MEMORY_MB if the machine has "
            "room and the file is a real disclosure"
        )
    message, status = payload
    raise ExtractionError(message, status)


def _read(data: bytes, fmt: str, filename: str, then=None) -> tuple[str, object]:
    """In the child: ('ok', the Extraction or `then`'s answer), ('memory', None) or ('error',
    (message, status))."""
    name = filename or "the document"
    try:
        extraction = read_document(data, filename, fmt)
        return "ok", then(extraction) if then else extraction
    except ExtractionError as exc:
        return ("memory", None) if out_of_memory(exc) else ("error", (str(exc), exc.status))
    except (MemoryError, SystemError) as exc:
        return ("memory", None) if out_of_memory(exc) else (
            "error", (f"{type(exc).__name__} while reading {name}: {exc}", "failed"))


def _death(exitcode: int | None, name: str, fmt: str, memory_mb: float) -> str:
    if exitcode is not None and exitcode < 0:
        how = signal_name(exitcode)
        if how == "SIGABRT":  # PDFium (and glibc) abort the process when an allocation fails
            return (f"the {fmt} reader stopped ({how}) while reading {name}: out of memory, limit "
                    f"{memory_mb:g} MB, most likely; the file is probably damaged or a decompression "
                    "bomb: open it by hand, and please report it with the file")
        return (f"the {fmt} reader crashed ({how}) while reading {name}, possibly out of memory "
                f"(limit {memory_mb:g} MB); the file is probably damaged: open it by hand, and "
                "please report it with the file")
    return (f"the {fmt} reader stopped (exit code {exitcode}) without a result while reading "
            f"{name}; please report it with the file")
