"""Fetched documents into the core: the crawler hands each one to `take` and holds no SQL of its own.

Bytes fetched at a URL are held against what the database already knows of them: which change they
are (new, changed, unchanged, the same bytes at a new URL), the row of bytes read before, and the
bookkeeping when known bytes come again. Only bytes new to the database are read, and what is read
is held by the write-behind buffer for loading."""
from __future__ import annotations

from dataclasses import dataclass

from budgets.db import is_member_only
from budgets.pipeline import Reading, Source, document_row, read_unlocked
from budgets.revisions import observe, record_url
from budgets.writebehind import WriteBehind, flush_for

_PROVENANCE = ("url", "parent_id", "site", "raw_path", "content_type", "http_headers")


@dataclass(frozen=True)
class Taken:
    change: str  # new | changed | unchanged | same_bytes | failed
    row: dict  # the document's row, as held for loading or as loaded before
    extracted: bool  # its bytes were new to the database and taken for loading


def take(db, held: WriteBehind, doc_id: str, source: Source, body: bytes, *, error: str | None = None,
         reading: Reading | None = None, display=None) -> Taken:
    """One fetched document into `held`, in one direction: it arrives (bytes read before are a new
    sighting of them, never extracted again), is read (a fetch failure as a failed row; `reading`
    when the bytes were read already, in a pool of processes), then is held for loading and
    observed at its URL once loaded. `display` is a terminal's progress row (budgets.progress),
    told which file is being read."""
    # anything below reads or writes rows of this document or URL: what is held of them first
    flush_for(db, doc_id=doc_id, url=source.url)
    change, row = ("failed", None) if error else arrive(db, doc_id, source)
    if row is not None:
        return Taken(change, row, extracted=False)
    showing = display is not None and not error
    if showing:
        display.reading(f"reading {source.filename or source.url}")
    try:  # no row holds these bytes (arrive found none), so there is no provenance to keep
        reading = reading or read_unlocked(db, None if error else body, source, error=error)
    finally:
        if showing:
            display.reading("")
    # what crawler.incremental.RevisionsPipeline does for a document found in the database, done for
    # a held one right after it is loaded (doing it twice is harmless); a URL not fetched was not seen
    then = None if error else (lambda db: observe(db.conn, source.url, doc_id, source.fetched_at))
    return Taken(change, held.add(reading, then=then), extracted=not error)


def change_of(db, url: str, doc_id: str) -> str:
    """new | changed (the URL served other bytes before) | unchanged (these bytes, this URL).
    A new URL whose bytes were read at another one is `same_bytes` (see `arrive`). What the
    write-behind buffer holds of them is loaded first (`take` does it)."""
    if db.execute("SELECT 1 FROM documents WHERE id = ? AND url = ?", [doc_id, url]).fetchone():
        return "unchanged"
    if db.execute("SELECT 1 FROM document_urls WHERE url = ? AND document_id = ?", [url, doc_id]).fetchone():
        return "unchanged"  # these bytes were seen at this URL before, as another URL's document
    before = db.execute("SELECT 1 FROM documents WHERE url = ? AND bytes IS NOT NULL", [url]).fetchone()
    return "changed" if before else "new"


def already_read(db, doc_id: str) -> dict | None:
    """The row of a document whose bytes were read before, whatever the extractors made of them;
    such bytes are not extracted again, so an unchanged nightly crawl extracts nothing
    (`budgets ingest data/raw` re-reads everything after an extractor changes)."""
    rows = db.query("SELECT * FROM documents WHERE id = ? AND bytes IS NOT NULL", [doc_id])
    return next(iter(rows), None)


def bytes_read(db, doc_id: str) -> bool:
    """Whether these bytes were read and loaded before (a look-up on a connection of its own)."""
    return db.execute("SELECT 1 FROM documents WHERE id = ? AND bytes IS NOT NULL", [doc_id]).fetchone() is not None


def arrive(db, doc_id: str, source: Source) -> tuple[str, dict | None]:
    """(change, row) for bytes fetched at `source.url`, once what is held of them is loaded (`take`
    does it). The row is that of the same bytes read before, brought up to date with this
    sighting; None means they are new to the database and are to be read (a failure row the URL
    left earlier is gone by then)."""
    change = change_of(db, source.url, doc_id)
    row = already_read(db, doc_id)
    if row is None:
        db.execute("DELETE FROM documents WHERE url = ? AND bytes IS NULL AND status = 'failed'", [source.url])
        return change, None
    seen_at = row["url"]
    row = _seen_again(db, row, doc_id, source)
    if change == "new":  # a URL never seen, serving bytes read at another (a ZIP member's twin)
        return "same_bytes", {**row, "same_bytes_as": seen_at}
    return change, row


def _seen_again(db, row: dict, doc_id: str, source: Source) -> dict:
    if row["url"] != source.url and is_member_only(row["url"] or "", source.url):
        own = document_row(doc_id, source, status=row["status"])  # its provenance as a file
        moved = {k: own[k] for k in _PROVENANCE}
        db.execute(f"UPDATE documents SET {', '.join(f'{k} = ?' for k in moved)} WHERE id = ?",
                   [*moved.values(), doc_id])
        row = {**row, **moved}
    # the same bytes at another URL: the row keeps its first one, document_urls has both
    if row["url"] == source.url and source.parent_id and row["parent_id"] != source.parent_id:
        db.execute("UPDATE documents SET parent_id = ? WHERE id = ?", [source.parent_id, doc_id])  # republished
    record_url(db.conn, source.url, doc_id, source.parent_id, source.site, source.fetched_at)
    return row


def observe_known(db, url: str, doc_id: str, seen_at: str) -> None:
    """Record that `url` still serves `doc_id`, for a document the database holds."""
    if db.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone():
        observe(db.conn, url, doc_id, seen_at)


def documents_seen_since(db, site: str, since: str) -> int:
    """Documents of `site` fetched or seen again at `since` or later (what a resumed crawl had found)."""
    return db.execute("SELECT count(*) FROM documents WHERE site = ? AND coalesce(last_seen_at, fetched_at, '') >= ?",
                      [site, since]).fetchone()[0]
