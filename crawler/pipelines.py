"""Item pipelines, each doing one thing: keep the raw bytes, then hand each document to the core
(`budgets.arrivals.take`), which reads only bytes new to the database through the one extraction
path and holds the readings for a write-behind buffer (`budgets.writebehind`) that loads them many
to a transaction. The crawler holds no SQL."""
from __future__ import annotations

import asyncio
import logging
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from twisted.internet import task

from budgets import db as database
from budgets.arrivals import take
from budgets.pipeline import Reading, Source
from budgets.writebehind import MAX_SECONDS, WriteBehind
from crawler.items import FetchedDocument
from crawler.links import ATTACHMENT_EXTENSIONS, extension_of
from extractors.detect import detect_format

_EXTENSIONS = {"html": "html", "textdump": "txt", "unknown": "bin"}


def db_path(settings) -> Path:
    return Path(settings.get("BUDGETS_DB"))


def raw_dir(settings) -> Path:
    return Path(settings.get("BUDGETS_RAW_DIR") or db_path(settings).parent / "raw")


def raw_file_name(doc: FetchedDocument) -> str:
    """<sha256>.<ext>: the extension the file's name has, else the one its bytes show."""
    ext = extension_of(doc.filename)
    if ext not in ATTACHMENT_EXTENSIONS + ("html", "htm", "shtml", "txt"):
        fmt = detect_format(doc.body, doc.filename, doc.content_type)
        ext = _EXTENSIONS.get(fmt, fmt)
    return f"{doc.id}.{ext}"


def write_atomically(path: Path, data: bytes) -> None:
    """Readers never see half a file: write a temporary file beside it, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class RawFilesPipeline:
    """FilesPipeline-style content-addressed store: data/raw/<site>/<sha256>.<ext>. A file
    already there (same bytes) is not written again."""

    def __init__(self, root: Path):
        self.root = root

    @classmethod
    def from_crawler(cls, crawler):
        return cls(raw_dir(crawler.settings))

    def process_item(self, item: FetchedDocument):
        if item.error:
            return item
        path = self.root / item.site / raw_file_name(item)
        if not path.exists():
            write_atomically(path, item.body)
        item.raw_path = str(path)
        return item


def source_of(item: FetchedDocument) -> Source:
    return Source(
        filename=item.filename, url=item.url, site=item.site, fetched_at=item.fetched_at,
        parent_id=item.parent_id, raw_path=item.raw_path, content_type=item.content_type,
        headers=item.headers, title_hint=item.title_hint, district_hint=item.district_hint,
    )


CHANGE_WORDS = {"same_bytes": "same"}  # the per-document line's first word, where not the change itself


class IngestPipeline:
    """Hands every fetched document to the one extraction path in one worker thread (so a long PDF does
    not stall downloads, and documents go into SQLite over one connection), records fetch
    failures, and counts new/changed/unchanged. What it reads is held by a write-behind buffer
    and loaded many documents to a transaction (`budgets/load_batches` transactions took
    `budgets/documents_loaded` documents), never while a document is being read; the buffer is
    emptied on its bounds, at least every MAX_SECONDS while documents wait, and when the spider
    closes (before the spider_closed handlers that read the database)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.path = db_path(crawler.settings)
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")
        self.db = None  # opened and closed in the worker thread
        self.held: WriteBehind | None = None  # the worker thread's buffer, on self.db
        self.due = None  # the reactor's call that empties a buffer whose oldest reading waited too long
        self.site = ""
        self.due_asked = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def _in_worker(self, function, *args):
        return await asyncio.wrap_future(self.worker.submit(function, *args))

    def open_spider(self):
        self.site = getattr(getattr(self.crawler.spider, "site", None), "name", "")
        self.due = task.LoopingCall(self._flush_if_due)
        self.due.start(MAX_SECONDS / 2, now=False)

    def _flush_if_due(self):
        if self.held is not None and len(self.held) and not self.due_asked:
            self.due_asked = True  # once: the worker may be busy reading for a while
            self.worker.submit(self._in_thread_flush_if_due).add_done_callback(_log_failure)

    def _in_thread_flush_if_due(self):
        self.due_asked = False
        if self.held is not None:
            self.held.flush_if_due()
            self._count_loads()

    async def close_spider(self):
        if self.due is not None and self.due.running:
            self.due.stop()
        try:
            await self._in_worker(self._close)
        finally:
            self.worker.shutdown()

    def _close(self):
        # closing the last connection checkpoints the WAL, so readers that open the file
        # immutable (Datasette -i) see everything
        if self.db is None:
            return
        try:
            if self.held is not None:
                self.held.close()
                self._count_loads()
                print(f"[{self.site}] {self.held.summary()}", file=sys.stderr, flush=True)
        finally:
            self.held = None
            self.db.conn.close()
            self.db = None

    def _count_loads(self):
        if self.held is None:
            return
        stats = self.crawler.stats
        stats.set_value("budgets/load_batches", self.held.batches)
        stats.set_value("budgets/documents_loaded", self.held.documents_loaded)

    def _ingest(self, item: FetchedDocument) -> tuple[str, dict]:
        if self.db is None:
            self.db = database.connect(self.path)
            self.held = WriteBehind(self.db)
        db, held = self.db, self.held
        try:
            return self._ingest_held(db, held, item)
        finally:
            self._count_loads()

    def _ingest_held(self, db, held: WriteBehind, item: FetchedDocument) -> tuple[str, dict]:
        source, reading = source_of(item), self.read_already(item)
        taken = take(db, held, item.id, source, item.body, error=item.error, reading=reading,
                     display=getattr(self.crawler, "budgets_progress", None))  # a terminal's live display
        if taken.extracted:
            self.crawler.stats.inc_value("budgets/documents_extracted")
        return taken.change, taken.row

    def read_already(self, item: FetchedDocument) -> Reading | None:
        """The item's bytes as read elsewhere (crawler/scaleout.py reads them in a process pool)."""
        return None

    async def process_item(self, item: FetchedDocument):
        change, row = await self._in_worker(self._ingest, item)
        stats = self.crawler.stats
        stats.inc_value("budgets/documents")
        stats.inc_value("budgets/bytes", len(item.body))
        if change != "failed":
            stats.inc_value(f"budgets/documents_{change}")
        if row["status"] == "failed":  # not fetched, or fetched and unreadable
            stats.inc_value("budgets/documents_failed")
        note = f" — {row['error']}" if row.get("error") else ""
        if change == "same_bytes":
            note = f" — same bytes as {row['same_bytes_as']}"
        print(f"[{item.site}] {CHANGE_WORDS.get(change, change):<9} {row['status']:<11} {row.get('lines') or 0:>5} lines  "
              f"{item.url}{note}", file=sys.stderr, flush=True)
        # the core has them: the bytes go no further than the ingest (the pipelines after it need the id
        # only), and a large document is not held until the item leaves the last pipeline
        item.body = b""
        return item


def _log_failure(future) -> None:
    if (exc := future.exception()) is not None:
        logging.getLogger(__name__).error("loading the held documents failed", exc_info=exc)
