"""Readings held in memory between being read and being loaded, so that `budgets ingest` and the
crawl load many documents per transaction without ever holding SQLite's write lock while a
document is being read (a read runs in a child process and can take minutes; another writer of a
shared crawl database would time out waiting).

    with WriteBehind(db) as held:
        for data, source in documents:
            held.add(read_bytes(data, source))   # loaded later, many in one batch

The held readings are loaded together, each by `load_reading` in one `database.batch`
(so every document stays atomic in its SAVEPOINT), when they reach a bound — documents, rows or
seconds since the oldest was read — and always when the buffer closes. A killed run loses only
what it held: those documents are not in the database, so the next run reads them again.

Whatever reads the database about a document or URL that may be held calls `flush_for` first."""
from __future__ import annotations

import logging
import time
from typing import Callable

from budgets import db as database
from budgets.readings import Reading, load_reading

# Rows held at most (budget lines, paragraphs, tables, unplaced cells of every held reading):
# the memory bound. A budget line as a dict is some 1.5 KB in Python, so 50,000 rows are some
# 75 MB, beside the worker's own limits; a disclosure has a few hundred to a few thousand rows, so
# the bound flushes before BATCH_DOCUMENTS only for the biggest documents.
MAX_ROWS = 50_000
# Seconds the oldest held reading waits at most (checked when a reading is added, and by
# `flush_if_due` for callers that wait between documents): what a killed run can lose, and how
# long a document read stays out of sight of other connections.
MAX_SECONDS = 2.0

_ON_DB = "_budgets_writebehind"  # the buffer open on a database object (see `flush_for`)
log = logging.getLogger(__name__)


def flush_for(db, doc_id: str | None = None, url: str | None = None) -> None:
    """Before reading the database about `doc_id` or `url`: load the held readings first if the
    buffer open on `db` holds that document or URL (otherwise the database would answer as if
    it had never been read)."""
    held = getattr(db, _ON_DB, None)
    if held is not None and held.holds(doc_id, url):
        held.flush()


def _documents(reading: Reading):
    yield reading
    for child in reading.children:
        yield from _documents(child)


def _rows(reading: Reading) -> int:
    return len(reading.lines) + len(reading.paragraphs) + len(reading.tables) + len(reading.unplaced)


class WriteBehind:
    """Readings read but not yet loaded, loaded in batches (see the module docstring).
    `batches` counts the transactions its loads took, `documents_loaded` the documents (archive
    members included) they loaded."""

    def __init__(self, db, max_documents: int = database.BATCH_DOCUMENTS, max_rows: int = MAX_ROWS,
                 max_seconds: float = MAX_SECONDS):
        self.db = db
        self.max_documents = max_documents
        self.max_rows = max_rows
        self.max_seconds = max_seconds
        self.batches = 0
        self.documents_loaded = 0
        self._held: list[tuple[Reading, Callable | None]] = []
        self._ids: set[str] = set()
        self._urls: set[str] = set()
        self._documents = 0
        self._rows = 0
        self._oldest = 0.0
        setattr(db, _ON_DB, self)

    # -- holding
    def add(self, reading: Reading, then: Callable | None = None) -> dict:
        """Hold `reading` for loading (`then(db)` runs right after it is loaded, in its batch);
        loads what is held once a bound is reached. Returns the reading's document row."""
        if not self._held:
            self._oldest = time.monotonic()
        self._held.append((reading, then))
        for document in _documents(reading):
            self._documents += 1
            self._rows += _rows(document)
            self._ids.add(document.document["id"])
            if document.document.get("url"):
                self._urls.add(document.document["url"])
        if self._documents >= self.max_documents or self._rows >= self.max_rows or self._overdue():
            self.flush()
        return reading.document

    def holds(self, doc_id: str | None = None, url: str | None = None) -> bool:
        """Whether a held reading (or a member of one) has this id or URL. Safe to ask from
        another thread: the sets are emptied only after what they name is committed."""
        return (doc_id is not None and doc_id in self._ids) or (url is not None and url in self._urls)

    def __len__(self) -> int:
        return len(self._held)

    def _overdue(self) -> bool:
        return bool(self._held) and time.monotonic() - self._oldest >= self.max_seconds

    # -- loading
    def flush_if_due(self) -> int:
        """Load what is held if the oldest reading has waited MAX_SECONDS; the documents loaded."""
        return self.flush() if self._overdue() else 0

    def flush(self) -> int:
        """Load everything held, in one batch (more than one transaction only where the batch
        loader's own bounds commit on the way); returns the documents loaded. The first document
        whose load raises (a locked or full database, most often) is rolled back to its
        SAVEPOINT, the documents before it are committed, and the error is raised: those after it
        are not loaded, and the next run reads them again, as it does after a kill."""
        if not self._held:
            return 0
        conn = self.db.conn
        loaded = 0
        try:
            with database.batch(self.db):
                for number, (reading, then) in enumerate(self._held, 1):
                    try:
                        load_reading(self.db, reading)
                    except Exception as exc:
                        exc.add_note(f"while loading document {reading.document['id']} "
                                     f"({reading.document.get('url') or reading.document.get('title')}); "
                                     f"{len(self._held) - number} "
                                     "documents read after it were not loaded")
                        raise
                    loaded += sum(1 for _ in _documents(reading))
                    if not conn.in_transaction:  # the batch loader committed at its own bound
                        self.batches += 1
                    if then is not None:
                        then(self.db)
                open_at_end = conn.in_transaction
            if open_at_end:
                self.batches += 1
        finally:
            self._clear()
            self.documents_loaded += loaded
        return loaded

    def _clear(self) -> None:
        self._held = []
        self._ids = set()
        self._urls = set()
        self._documents = 0
        self._rows = 0

    def close(self) -> None:
        """Load everything held, and stop answering `flush_for` for the database."""
        try:
            self.flush()
        finally:
            if getattr(self.db, _ON_DB, None) is self:
                setattr(self.db, _ON_DB, None)

    def __enter__(self) -> "WriteBehind":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        # on an exception (or Ctrl-C) too: the held readings are whole, and loading them saves
        # the next run reading them again
        try:
            self.close()
        except Exception:
            if kind is None:
                raise
            log.exception("loading the held documents failed")

    def summary(self) -> str:
        """'loaded N documents in M transactions', for the end of a run."""
        return (f"loaded {self.documents_loaded} document{'s' if self.documents_loaded != 1 else ''} "
                f"in {self.batches} transaction{'s' if self.batches != 1 else ''}")
