"""Bytes and where they came from → one loaded document. `budgets crawl` and `budgets ingest`
both end here, so everything after the bytes is one code path."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from budgets import db as database
from budgets import worker, writebehind
from budgets.readings import Reading, load_reading  # noqa: F401 (where callers import them from)
from extractors.document import Hints
from extractors.titles import DocumentMeta


@dataclass
class Source:
    """Where a document's bytes came from."""

    filename: str = ""
    url: str = ""
    site: str = ""
    fetched_at: str = ""
    parent_id: str | None = None
    raw_path: str = ""
    content_type: str | None = None
    headers: dict = field(default_factory=dict)
    title_hint: str = ""  # e.g. the link text that pointed at an attachment
    district_hint: str = ""
    folders: tuple = ()  # a local file's parent folders, nearest last: one may name its department

    def hints(self) -> Hints:
        """What the extractors are told of the document besides its bytes."""
        return Hints(filename=self.filename, url=self.url, content_type=self.content_type,
                     title_hint=self.title_hint, district_hint=self.district_hint, folders=self.folders)


def document_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_row(doc_id: str, source: Source, *, status: str, error: str | None = None, title: str = "",
                 meta: DocumentMeta | None = None, fmt: str | None = None, size: int | None = None,
                 pages: int | None = None, tables: int = 0, lines: int = 0) -> dict:
    """The `documents` row of a document read, refused before reading, or not fetched at all
    (`size` None: no bytes). `meta`: what its title says, if it was read; `raw_path` is empty
    where no raw file of its own was kept (a member of an archive, a URL not fetched)."""
    return {
        "id": doc_id,
        "url": source.url,
        "site": source.site,
        "district": (meta.district or source.district_hint) if meta else (source.district_hint or None),
        "department": meta.department if meta else None,
        "title": title or source.title_hint or source.filename,
        "fiscal_year": meta.fiscal_year if meta else None,
        "stage": meta.stage if meta else None,
        "format": fmt,
        "bytes": size,
        "fetched_at": source.fetched_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "parent_id": source.parent_id,
        "status": status,
        "error": error,
        "raw_path": source.raw_path or None,
        "pages": pages,
        "tables": tables,
        "lines": lines,
        "content_type": source.content_type,
        "http_headers": json.dumps(source.headers, ensure_ascii=False) if source.headers else None,
    }


_PROVENANCE = ("url", "site", "fetched_at", "parent_id", "content_type")


def with_known_provenance(db, doc_id: str, source: Source) -> Source:
    """Re-reading stored bytes (`budgets ingest data/raw`) keeps where they were fetched from:
    what the new source leaves empty is taken from the row already loaded (or held to be)."""
    writebehind.flush_for(db, doc_id=doc_id)
    known = db.execute(
        f"SELECT {', '.join(_PROVENANCE)}, http_headers FROM documents WHERE id = ?", [doc_id]).fetchone()
    if known is None:
        return source
    values = dict(zip(_PROVENANCE, known))
    changes = {k: values[k] for k in _PROVENANCE if not getattr(source, k) and values[k]}
    if not source.headers and known[-1]:
        changes["headers"] = json.loads(known[-1])
    return replace(source, **changes)


def ingest_bytes(db, data: bytes, source: Source, held: "writebehind.WriteBehind | None" = None) -> dict:
    """Extract, normalise and load one document (or hand its reading to `held`, which loads it
    with others later); a bad document is recorded, never raised. Returns its document row."""
    reading = read_for_loading(db, data, source)
    return held.add(reading) if held is not None else load_reading(db, reading)


def read_for_loading(db, data: bytes, source: Source) -> Reading:
    """`read_bytes`, keeping the provenance the database already knows for these bytes."""
    return read_unlocked(db, data, with_known_provenance(db, document_id(data), source))


def read_unlocked(db, data: bytes | None, source: Source, *, error: str | None = None) -> Reading:
    """`read_bytes` with the database's scratch folder in use and no write lock held while reading."""
    use_scratch_beside(db)
    if (open_batch := database.loader(db)) is not None:
        open_batch.commit()  # never hold the write lock while a document is being read
    return read_bytes(data, source, error=error)


_SCRATCH_SET_FOR: set[str] = set()


def use_scratch_beside(db) -> None:
    """Readers that need a scratch folder (LibreOffice's conversions) use one beside the database
    (budgets/worker.py use_data_dir), once per database: what a killed run left there goes then."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    if path and path not in _SCRATCH_SET_FOR:
        _SCRATCH_SET_FOR.add(path)
        worker.use_data_dir(Path(path).parent)


def read_bytes(data: bytes | None, source: Source, *, error: str | None = None) -> Reading:
    """Extract and normalise one document without touching the database (so it can run in
    another process); a bad document is a Reading with its status and error, never raised.
    `data` None, with the `error` that stopped its fetch: the row of a URL that could not be
    fetched, whose id is the sha256 of the URL (stable: a second failure replaces the first)."""
    doc_id = document_id(data) if data is not None else hashlib.sha256(f"unfetched {source.url}".encode()).hexdigest()
    hints = source.hints()
    done = worker.read(data, hints, doc_id, error=error)  # within the worker's time, memory and lines limits
    document = document_row(doc_id, source, status=done.status, error=done.error, title=done.title, meta=done.meta,
                            fmt=done.fmt, size=None if data is None else len(data), pages=done.pages,
                            tables=done.tables_read, lines=len(done.lines))
    children = [
        read_bytes(member, Source(filename=name, url=f"{source.url}#{name}" if source.url else name,
                                  site=source.site, fetched_at=document["fetched_at"], parent_id=doc_id,
                                  district_hint=done.meta.district, title_hint=source.title_hint or done.title))
        for name, member in done.children
    ]
    return Reading(document, done.lines, done.paragraphs, done.tables, done.unplaced, children)
