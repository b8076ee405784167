"""`budgets ingest PATH ...`: extract and load local files or folders without crawling."""
from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path
from typing import NamedTuple

from budgets import db as database
from budgets.cli import CommandError
from budgets.afterload import settle
from budgets.pipeline import Reading, Source, document_row, ingest_bytes
from budgets.writebehind import WriteBehind
from extractors import limits
from extractors.detect import detect_format


DISCLOSURE_SUFFIXES = {".html", ".htm", ".shtml", ".pdf", ".xls", ".xlsx", ".et", ".doc", ".docx",
                       ".wps", ".zip", ".txt"}


class Skipped(NamedTuple):
    """An entry that is not read, and why (printed with the run's other lines)."""
    path: Path
    reason: str


def iter_files(paths: list[Path]):
    """Files named on the command line, and the disclosure files inside folders named; a link
    inside a folder is read only when it stays inside that folder, and entries that are not
    regular files are `Skipped` with the reason."""
    for path in paths:
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        if path.is_dir():
            yield from _folder_entries(path)
        else:
            yield path


def _folder_entries(folder: Path):
    root = folder.resolve()
    found = []
    for directory, subfolders, names in os.walk(folder, followlinks=False):
        base = Path(directory)
        for name in subfolders:
            link = base / name
            if link.is_symlink() and not _inside(link.resolve(), root):
                found.append(Skipped(link, f"a link to {link.resolve()}, outside {folder}"))
        for name in names:
            entry = base / name
            if name.startswith(".") or entry.suffix.lower() not in DISCLOSURE_SUFFIXES:
                continue
            if entry.is_symlink():
                target = entry.resolve()
                if not _inside(target, root):
                    found.append(Skipped(entry, f"a link to {target}, outside {folder}"))
                    continue
            kind = _special_kind(entry)
            found.append(Skipped(entry, f"not a regular file ({kind})") if kind else entry)
    yield from sorted(found, key=lambda item: item.path if isinstance(item, Skipped) else item)


def _inside(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def _special_kind(path: Path) -> str:
    """'' for a regular file, else what it is (stat follows a link inside the folder)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot stat: {exc.strerror or exc}"
    return _kind(mode)


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return ""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "a special file"


def run(args) -> int:
    files = list(iter_files(args.paths))  # a path that does not exist fails before the database opens
    created = not Path(args.db).exists()
    db = database.connect(args.db)
    try:
        return _ingest_all(db, files, args)
    except BaseException:
        if created:
            discard_if_empty(db, Path(args.db))
        raise


def _ingest_all(db, files: list, args) -> int:
    from budgets import progress

    counts: dict[str, int] = {}
    # each file's reading is loaded a little later, with others (never while one is being read)
    with (progress.files("ingesting", total=len(files)) as shown_progress,
          WriteBehind(db, max_documents=args.batch) as held):
        for number, path in enumerate(files, 1):
            shown = path.path if isinstance(path, Skipped) else path
            shown_progress.reading(f"reading {shown.name}")
            doc = ({"status": "skipped", "lines": 0, "error": path.reason} if isinstance(path, Skipped)
                   else ingest_file(db, path, held))
            counts[doc["status"]] = counts.get(doc["status"], 0) + 1
            note = f" — {doc['error']}" if doc["error"] else ""
            shown_progress.print(f"[{number}/{len(files)}] {doc['status']:<11} {doc['lines'] or 0:>5} lines  "
                                 f"{shown}{note}")
            shown_progress.advance()
    with progress.status("auditing and preparing for publishing"):
        audit = settle(db)  # reference tables, audit, search and views for `budgets serve`
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    print(f"ingested {len(files)} files into {args.db}: {summary}")
    print(held.summary())
    if audit:
        print(audit)
    failed = sum(n for s, n in counts.items()
                 if s in ("failed", "unsupported", "needs_ocr", "unreadable", "skipped"))
    return 1 if args.strict and failed else 0


def discard_if_empty(db, path: Path) -> None:
    """A database this run created and loaded nothing into is removed, so a failed first ingest
    leaves no empty file for the next command to take for a real one."""
    try:
        empty = db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
        db.conn.close()
    except Exception:  # the file is unusable anyway (disk full, corrupt): keep it for inspection
        return
    if empty:
        for suffix in ("", "-wal", "-shm", "-journal", ".settle.lock"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def ingest_file(db, path: Path, held: WriteBehind | None = None) -> dict:
    """One local file into the database (into `held`, to be loaded with others, if given); a
    file too large to read is recorded, not read, and anything but a regular file (a device, a
    FIFO, a socket) is skipped without reading."""
    try:
        data, size = read_regular_file(path)
    except NotRegular as exc:
        return {"status": "skipped", "lines": 0, "error": str(exc)}
    except TooLarge as exc:
        return record_refused(db, path, exc.size, str(exc), held)
    except OSError as exc:  # vanished, unreadable: no bytes, so no document row
        return {"status": "unreadable", "lines": 0,
                "error": f"cannot read {path}: {exc.strerror or exc}; check its permissions"}
    return ingest_bytes(db, data, Source(filename=path.name, raw_path=str(path),
                                         folders=path.resolve().parent.parts[-2:]), held)


class NotRegular(Exception):
    pass


class TooLarge(limits.LimitExceeded):
    def __init__(self, message: str, size: int):
        super().__init__(message)
        self.size = size


def read_regular_file(path: Path) -> tuple[bytes, int]:
    """The bytes of a regular file, never more than the document limit plus one byte. Opened
    without blocking (a FIFO would wait for a writer forever) and checked on the open handle, so
    what is read is what was checked."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb", buffering=0) as handle:
        info = os.fstat(fd)
        kind = _kind(info.st_mode)
        if kind:
            raise NotRegular(f"{path} is not a regular file ({kind}); not read")
        limit = limits.DEFAULT.max_document_bytes
        try:
            limits.check_document_size(info.st_size, path.name)
        except limits.LimitExceeded as exc:
            raise TooLarge(str(exc), info.st_size) from None
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while total <= limit:
            chunk = handle.read(min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # grew while we read it
            try:
                limits.check_document_size(total, path.name)
            except limits.LimitExceeded as exc:
                raise TooLarge(str(exc), total) from None
        return b"".join(chunks), total


def record_refused(db, path: Path, size: int, error: str, held: WriteBehind | None = None) -> dict:
    """A document row for a file refused before reading: its id is the hash of its bytes, read
    in chunks so the file never sits in memory. Loaded in the order of the run's other
    documents (through `held`, if given)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        head = handle.read(2048)
        digest.update(head)
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    document = document_row(digest.hexdigest(), Source(filename=path.name, raw_path=str(path)), status="failed",
                            error=error, fmt=detect_format(head, path.name), size=size)
    if held is not None:
        return held.add(Reading(document))
    database.load_document(db, document)
    return document
