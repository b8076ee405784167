"""Reading one document in a child process that can be stopped.

`extractors.document.read_whole` does the reading, from bytes to budget lines; this module only
isolates it (budgets/limited.py). The child is forked (it inherits the bytes without a copy),
may map ``limits.WORKER_MEMORY_MB`` of address space beyond what it inherits (RLIMIT_AS), is stopped after
``limits.PARSE_TIMEOUT_S`` seconds, and dies with its parent (PR_SET_PDEATHSIG). A reader that
crashes kills only the child; `read` then gives a reading whose error names the file, and the run
goes on.

`read` turns the tables into lines in the child too, so the line limit
(``limits.MAX_DOCUMENT_LINES``) holds there, and the parent only receives what it loads,
compactly (`Rows`: column names once, a tuple per line), so neither the reading nor the
normalising of one huge document can take the run's memory or time.

``BUDGETS_NO_WORKER=1`` reads in-process (for a debugger); the size and container checks
still apply, the time and memory limits do not.
"""
from __future__ import annotations

import os
from pathlib import Path

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from budgets.limited import out_of_memory, run_limited, signal_name
from budgets.spill import SPILL_ROWS, spill
from extractors import limits
from extractors.document import Hints, WholeReading, read_whole
from extractors.model import ExtractionError
from extractors.read import read_document


def use_data_dir(folder) -> None:
    """Readers that need a scratch folder (LibreOffice's conversions) use `folder`/tmp, and what a
    killed run left there is removed (budgets.pipeline.use_scratch_beside calls this with the
    database's folder)."""
    from extractors import wordprocessing

    wordprocessing.use_scratch_root(Path(folder) / "tmp")


def read(data: bytes | None, hints: Hints, doc_id: str, *, error: str | None = None) -> WholeReading:
    """The whole reading of one document (`extractors.document.read_whole`), in the child within
    the limits; a document that fails is a reading with its status and error, never raised.
    `data` None, with the `error` that stopped its fetch: a URL that could not be fetched."""
    done, stopped = (None, lambda fmt: ExtractionError(error)) if data is None else _within_limits(data, hints, doc_id)
    return done if stopped is None else read_whole(data, hints, doc_id, stopped=stopped)


def _within_limits(data: bytes, hints: Hints, doc_id: str):
    """(the reading, None), or (None, what stopped it: a function of the format to its error)."""
    run = os.getpid()

    def whole() -> WholeReading:
        done = compact(read_whole(data, hints, doc_id))
        return rows_spilled(done, run) if os.getpid() != run else done
    if not os.environ.get("BUDGETS_NO_WORKER"):
        return _in_child(whole, hints.filename)
    try:
        return whole(), None
    except ExtractionError as exc:
        error = exc
    except Exception as exc:  # e.g. MemoryError: recorded, the run goes on
        error = ExtractionError(f"{type(exc).__name__} while reading {hints.filename or hints.url}: {exc}")
    return None, lambda fmt: error


def extract_document(data: bytes, fmt: str, filename: str = ""):
    """`read_document(data, filename, fmt)` within the time and memory limits; raises
    ExtractionError for anything that fails."""
    if os.environ.get("BUDGETS_NO_WORKER"):
        return read_document(data, filename, fmt)
    extraction, stopped = _in_child(lambda: read_document(data, filename, fmt), filename)
    if stopped is not None:
        raise stopped(fmt)
    return extraction


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


def compact(done: WholeReading) -> WholeReading:
    """Lines and paragraphs as `Rows`, for the pipe."""
    return replace(done, lines=Rows(done.lines), paragraphs=Rows(done.paragraphs))


def rows_spilled(done: WholeReading, run: int) -> WholeReading:
    """In the worker: lines and paragraphs beyond SPILL_ROWS go to the run through a file, read back
    in batches as they are loaded (budgets/spill.py), not through the pipe all at once."""
    try:
        changes = {name: spill(rows.columns, rows.values, run) for name in ("lines", "paragraphs")
                   if isinstance(rows := getattr(done, name), Rows) and len(rows) > SPILL_ROWS}
    except OSError:  # no scratch folder to write to: through the pipe, as before
        return done
    return replace(done, **changes) if changes else done


def _in_child(work, filename: str):
    """(`work()`'s answer, None) from a child within the limits, or (None, the error that stopped
    it, as a function of the document's format)."""
    name = filename or "the document"
    timeout = limits.PARSE_TIMEOUT_S
    memory_mb = limits.WORKER_MEMORY_MB
    outcome = run_limited(lambda: _read(work, name), name=f"extract {name}", timeout_s=timeout,
                          memory_mb=memory_mb)
    if outcome.kind == "timeout":
        return None, lambda fmt: ExtractionError(
            f"reading {name} took longer than {timeout:g} s and was stopped; the file may be "
            "pathological, or raise BUDGETS_PARSE_TIMEOUT_S if it is just very large"
        )
    if outcome.kind == "died":
        return None, lambda fmt: ExtractionError(_death(outcome.exitcode, name, fmt, memory_mb))
    if outcome.kind in ("unsendable", "raised"):
        kind, message = outcome.error
        how = "returning what was read from" if outcome.kind == "unsendable" else "reading"
        return None, lambda fmt: ExtractionError(f"{kind} while {how} {name}: {message}", "failed")
    kind, payload = ("memory", None) if outcome.kind == "memory" else outcome.value
    if kind == "ok":
        return payload, None
    if kind == "memory":
        return None, lambda fmt: ExtractionError(
            f"reading {name} needed more than {memory_mb:g} MB of memory and was stopped (out of "
            f"memory, limit {memory_mb:g} MB); raise BUDGETS_WORKER_MEMORY_MB if the machine has "
            "room and the file is a real disclosure"
        )
    message, status = payload
    return None, lambda fmt: ExtractionError(message, status)


def _read(work, name: str) -> tuple[str, object]:
    """In the child: ('ok', `work()`'s answer), ('memory', None) or ('error', (message, status))."""
    try:
        return "ok", work()
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
