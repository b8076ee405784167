"""How much one document may be, and hold, before we refuse to read it.

ZIP archives, XLSX and DOCX are all ZIP containers, so one check (`open_container`) guards all
three against zip bombs: too many members, too much inflated data, or a member that inflates far
beyond its compressed size. Defaults suit real disclosures (a district's whole year is a few MB);
set the BUDGETS_* variables below for a run, or pass a `Limits` where a caller needs other numbers.
"""
from __future__ import annotations

import io
import os
import zipfile
import zlib
from dataclasses import dataclass, replace

from extractors.model import Extraction, ExtractionError
from extractors.names import member_name

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_document_bytes: int = 100 * MB  # one file as fetched
    max_members: int = 2000  # files in one archive, nested archives included
    max_total_bytes: int = 200 * MB  # inflated bytes of one archive, nested archives included
    max_ratio: int = 100  # inflated / compressed size of one member ...
    ratio_floor_bytes: int = 1 * MB  # ... checked once a member inflates beyond this
    max_depth: int = 2  # ZIPs inside ZIPs: outer.zip/inner.zip is depth 1


ENVIRONMENT = {  # variable → (field, factor): raise a limit for one run without code
    "BUDGETS_MAX_DOCUMENT_MB": ("max_document_bytes", MB),
    "BUDGETS_ZIP_MAX_MEMBERS": ("max_members", 1),
    "BUDGETS_ZIP_MAX_MB": ("max_total_bytes", MB),
    "BUDGETS_ZIP_MAX_RATIO": ("max_ratio", 1),
    "BUDGETS_ZIP_MAX_DEPTH": ("max_depth", 1),
}


def _number(variable: str, environ, default: float | None = None) -> float | None:
    value = environ.get(variable, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ValueError(f"{variable}={value!r} is not a number") from exc


def from_environment(environ=None) -> Limits:
    """The defaults, with any of the ENVIRONMENT variables that are set applied."""
    environ = os.environ if environ is None else environ
    changes = {}
    for variable, (name, factor) in ENVIRONMENT.items():
        value = _number(variable, environ)
        if value is not None:
            changes[name] = int(value * factor)
    return replace(Limits(), **changes)


DEFAULT = from_environment()  # read at call time, so a test (or a forked worker) may replace it

# Wall-clock seconds and address space (RLIMIT_AS) one document's extraction may use; the
# worker process (budgets/worker.py) enforces them.
PARSE_TIMEOUT_S = _number("BUDGETS_PARSE_TIMEOUT_S", os.environ, 300)
WORKER_MEMORY_MB = _number("BUDGETS_WORKER_MEMORY_MB", os.environ, 2048)
# Lines one document may yield (a district's whole year is tens of thousands); the worker refuses
# a document beyond it, so loading and auditing one document stays bounded too.
MAX_DOCUMENT_LINES = int(_number("BUDGETS_MAX_LINES", os.environ, 200_000))


# Characters of text one paragraph, one table cell, and a document's whole narrative may hold
# before the rest is cut (with a note on the document). Of the 141 disclosures of cities-2026 the
# longest paragraph has 562 characters and the longest narrative 23,440; what is beyond these is
# no disclosure's text, and everything after reading (the audit's narrative parser above all) is
# bounded by them.
MAX_PARAGRAPH_CHARS = int(_number("BUDGETS_MAX_PARAGRAPH_CHARS", os.environ, 20_000))
MAX_CELL_CHARS = int(_number("BUDGETS_MAX_CELL_CHARS", os.environ, 5_000))
MAX_NARRATIVE_CHARS = int(_number("BUDGETS_MAX_NARRATIVE_CHARS", os.environ, 200_000))


def cut_long_text(extraction: Extraction) -> tuple[Extraction, list[str]]:
    """The extraction with every paragraph and cell cut to its limit and the narrative cut after
    MAX_NARRATIVE_CHARS, and a note for each kind of cut made (none: the same extraction)."""
    notes = []
    paragraphs, kept, long_paragraphs, dropped = [], 0, [], 0
    for paragraph in extraction.paragraphs:
        if kept >= MAX_NARRATIVE_CHARS:
            dropped += 1
            continue
        if len(paragraph.text) > MAX_PARAGRAPH_CHARS:
            long_paragraphs.append(len(paragraph.text))
            paragraph = replace(paragraph, text=paragraph.text[:MAX_PARAGRAPH_CHARS])
        kept += len(paragraph.text)
        paragraphs.append(paragraph)
    if long_paragraphs:
        notes.append(f"paragraphs longer than {MAX_PARAGRAPH_CHARS:,} characters were cut to that length "
                     f"({len(long_paragraphs)}, the longest {max(long_paragraphs):,} characters; "
                     "BUDGETS_MAX_PARAGRAPH_CHARS)")
    if dropped:
        notes.append(f"the text beyond {MAX_NARRATIVE_CHARS:,} characters ({dropped} paragraphs) was not kept "
                     "(BUDGETS_MAX_NARRATIVE_CHARS)")
    tables, long_cells = [], 0
    for table in extraction.tables:
        cells = [*table.header, *table.rows]
        if not any(len(cell or "") > MAX_CELL_CHARS for row in cells for cell in row):
            tables.append(table)
            continue
        long_cells += sum(len(cell or "") > MAX_CELL_CHARS for row in cells for cell in row)
        tables.append(replace(table, header=_cut_cells(table.header), rows=_cut_cells(table.rows),
                              source_rows=[text[:MAX_CELL_CHARS] for text in table.source_rows]))
    if long_cells:
        notes.append(f"table cells longer than {MAX_CELL_CHARS:,} characters were cut to that length ({long_cells}; "
                     "BUDGETS_MAX_CELL_CHARS)")
    if not notes:
        return extraction, []
    return replace(extraction, paragraphs=paragraphs, tables=tables), notes


def _cut_cells(rows: list[list[str]]) -> list[list[str]]:
    return [[cell[:MAX_CELL_CHARS] if cell and len(cell) > MAX_CELL_CHARS else cell for cell in row] for row in rows]


class LimitExceeded(ExtractionError):
    """A file is larger or more deeply nested than the limits allow."""


def human_size(n: float) -> str:
    for unit, size in (("GB", 1024 * MB), ("MB", MB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} bytes"


def _limit(n: int) -> str:
    """A limit as it was set: '100 MB', or '48.8 KB' for one set below a whole MB."""
    return f"{n // MB} MB" if n % MB == 0 else human_size(n)


def check_document_size(size: int, name: str, limits: Limits | None = None) -> None:
    """Refuse a file by its size alone (callers that have not read it yet pass its size on disk)."""
    limits = limits or DEFAULT
    if size > limits.max_document_bytes:
        raise LimitExceeded(
            f"{name} is {human_size(size)}, larger than the {_limit(limits.max_document_bytes)} "
            "limit for one document; raise BUDGETS_MAX_DOCUMENT_MB if it is a real disclosure"
        )


# What zipfile and zlib raise for a damaged, truncated or encrypted (RuntimeError) container.
_UNREADABLE = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
               NotImplementedError)


def is_encrypted(info: zipfile.ZipInfo) -> bool:
    """A member stored encrypted (general purpose flag bit 0): zipfile cannot read it without a
    password, and nothing here asks for one."""
    return bool(info.flag_bits & 0x1)


def is_folder(info: zipfile.ZipInfo) -> bool:
    """A folder entry (`ZipInfo.is_dir` fails on a member whose name is empty)."""
    return info.filename.endswith("/")


@dataclass
class Tally:
    """What the containers opened so far hold: an archive and the archives inside it share one."""

    members: int = 0
    bytes: int = 0


def open_container(data: bytes, what: str, limits: Limits | None = None,
                   tally: Tally | None = None) -> zipfile.ZipFile:
    """A ZIP-based file (zip, xlsx, docx) opened after the size checks, or a worded refusal.

    The sizes checked are the ones the directory declares; `read_member` enforces them while
    inflating, so a directory that lies cannot inflate more than it declared.
    """
    limits = limits or DEFAULT
    tally = tally if tally is not None else Tally()
    check_document_size(len(data), what, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _UNREADABLE as exc:
        raise ExtractionError(
            f"{what} is not a readable ZIP archive ({exc}): it is damaged or the download was cut "
            "short; fetch it again"
        ) from exc
    files = [i for i in infos if not is_folder(i)]
    if tally.members + len(files) > limits.max_members:
        raise LimitExceeded(
            f"{what} holds {tally.members + len(files)} files, above the limit of "
            f"{limits.max_members} (BUDGETS_ZIP_MAX_MEMBERS)"
        )
    total = tally.bytes
    for info in files:
        total += info.file_size
        if total > limits.max_total_bytes:
            raise LimitExceeded(
                f"{what} inflates to more than {_limit(limits.max_total_bytes)} (reached at member "
                f"{member_name(info)!r}); refused as a possible zip bomb (BUDGETS_ZIP_MAX_MB)"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise LimitExceeded(
                f"{what}: member {member_name(info)!r} inflates {ratio:.0f} times its compressed size "
                f"(limit {limits.max_ratio}, BUDGETS_ZIP_MAX_RATIO); refused as a possible zip bomb"
            )
    tally.members += len(files)
    tally.bytes = total
    return archive


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> bytes:
    """A member's bytes, never more than its declared size."""
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except _UNREADABLE as exc:
        raise ExtractionError(f"{what}: member {member_name(info)!r} cannot be inflated ({exc}); the file is "
                              "damaged or password-protected: fetch it again or open it by hand") from exc
    if len(data) > info.file_size:  # pragma: no cover - zipfile itself stops at file_size
        raise LimitExceeded(f"{what}: member {member_name(info)!r} inflates beyond its declared size")
    return data


_DTD_MARKERS = [marker.encode(codec) for marker in ("<!DOCTYPE", "<!ENTITY")
                for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def check_office_package(data: bytes, name: str, limits: Limits | None = None) -> None:
    """Refuse an XLSX/DOCX whose XML declares a DTD: Office never writes one, and a DTD is how
    entity bombs (billion laughs) and external entities (XXE) get in. Macros and external links
    need no check: nothing here runs macros or fetches what a document links to."""
    archive = open_container(data, name, limits)
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        if is_encrypted(info):
            raise ExtractionError(
                f"{name}: part {info.filename!r} is encrypted; the file is password-protected or damaged: "
                "ask the publisher for an open copy", status="unsupported")
        try:
            with archive.open(info) as member:
                prolog = member.read(64 * 1024)  # a DTD must come before the root element
        except _UNREADABLE as exc:
            raise ExtractionError(
                f"{name}: part {info.filename!r} cannot be read ({exc}); the file is damaged or "
                "password-protected: fetch it again or open it by hand"
            ) from exc
        if any(marker in prolog for marker in _DTD_MARKERS):
            raise ExtractionError(
                f"{name}: part {info.filename!r} declares an XML DTD/entities (an entity bomb or "
                "external-entity attack; Office files never contain one); not opened"
            )
