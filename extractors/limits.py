"""How much a container file may hold before we refuse to open it.

ZIP archives, XLSX and DOCX are all ZIP containers, so one check guards all three against
zip bombs: too many members, too much inflated data, or a member that inflates far beyond
its compressed size. Defaults suit real disclosures (a district's whole year is a few MB);
pass a `Limits` with other numbers where a caller needs them, or set the BUDGETS_* variables
below for a run.
"""
from __future__ import annotations

import io
import os
import zipfile
import zlib
from dataclasses import dataclass, replace

from extractors.model import ExtractionError

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


def from_environment(environ=None) -> Limits:
    """The defaults, with any of the ENVIRONMENT variables that are set applied."""
    environ = os.environ if environ is None else environ
    changes = {}
    for variable, (name, factor) in ENVIRONMENT.items():
        value = environ.get(variable, "").strip()
        if value:
            try:
                changes[name] = int(float(value) * factor)
            except ValueError as exc:
                raise ValueError(f"{variable}={value!r} is not a number") from exc
    return replace(Limits(), **changes)


DEFAULT = from_environment()


class LimitExceeded(ExtractionError):
    """A file is larger or more deeply nested than the limits allow."""


def check_document(data: bytes, what: str, limits: Limits = DEFAULT) -> None:
    if len(data) > limits.max_document_bytes:
        raise LimitExceeded(
            f"{what} is {len(data) / MB:.1f} MB, above the {limits.max_document_bytes / MB:.0f} MB "
            "limit for one document"
        )


def check_members(infos: list[zipfile.ZipInfo], what: str, limits: Limits = DEFAULT,
                  already_members: int = 0, already_bytes: int = 0) -> int:
    """Refuse a ZIP container whose directory promises too much; returns its inflated size.

    The sizes checked are the ones the directory declares; `read_member` enforces them while
    inflating, so a directory that lies cannot inflate more than it declared.
    """
    files = [i for i in infos if not i.is_dir()]
    if already_members + len(files) > limits.max_members:
        raise LimitExceeded(
            f"{what} holds {already_members + len(files)} files, above the limit of "
            f"{limits.max_members}"
        )
    total = already_bytes
    for info in files:
        total += info.file_size
        if total > limits.max_total_bytes:
            raise LimitExceeded(
                f"{what} inflates to more than {limits.max_total_bytes / MB:.0f} MB "
                f"(reached at member {info.filename!r}); refused as a possible zip bomb"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise LimitExceeded(
                f"{what}: member {info.filename!r} inflates {ratio:.0f} times its compressed size "
                f"(limit {limits.max_ratio}); refused as a possible zip bomb"
            )
    return total - already_bytes


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> bytes:
    """A member's bytes, never more than its declared size."""
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, ValueError) as exc:
        raise ExtractionError(f"{what}: member {info.filename!r} cannot be inflated ({exc})") from exc
    if len(data) > info.file_size:  # pragma: no cover - zipfile itself stops at file_size
        raise LimitExceeded(f"{what}: member {info.filename!r} inflates beyond its declared size")
    return data


def open_container(data: bytes, what: str, limits: Limits = DEFAULT) -> zipfile.ZipFile:
    """A ZIP-based file (xlsx, docx, zip) opened after the size checks."""
    check_document(data, what, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:  # ValueError: bad names too
        raise ExtractionError(f"{what} is not a readable ZIP container: {exc}") from exc
    check_members(archive.infolist(), what, limits)
    return archive


# --- The extraction worker, checks before any extractor, and names from outside ----------------
# Used by budgets/worker.py (every document, whatever its format) and the ingest command; the
# container checks above stay the ones every ZIP-based extractor calls itself.
# (Imported here, not at the top, so the two halves of this module merge without overlap.)
import posixpath  # noqa: E402
import re  # noqa: E402
import unicodedata  # noqa: E402
from pathlib import Path  # noqa: E402

def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ValueError(f"{name}={value!r} is not a number") from exc


# Wall-clock seconds and address space (RLIMIT_AS) one document's extraction may use.
PARSE_TIMEOUT_S = _env_number("BUDGETS_PARSE_TIMEOUT_S", 300)
WORKER_MEMORY_MB = _env_number("BUDGETS_WORKER_MEMORY_MB", 2048)


def human_size(n: float) -> str:
    for unit, size in (("GB", 1024 * MB), ("MB", MB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} bytes"


def check_document_size(size: int, name: str, limits: Limits = DEFAULT) -> None:
    """Refuse a file by its size alone, before anything reads it into memory."""
    if size > limits.max_document_bytes:
        raise LimitExceeded(
            f"{name} is {human_size(size)}, larger than the {limits.max_document_bytes / MB:.0f} MB "
            "limit for one document; raise BUDGETS_MAX_DOCUMENT_MB if it is a real disclosure"
        )


def check_archive(data: bytes, name: str, limits: Limits = DEFAULT) -> None:
    """Refuse a ZIP container (ZIP, XLSX, DOCX) that is damaged or would inflate too far."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError,
            NotImplementedError) as exc:
        raise ExtractionError(
            f"{name} is a damaged ZIP container ({exc}); the download may be truncated: fetch it again"
        ) from exc
    check_members(infos, name, limits)


_DTD_MARKERS = [marker.encode(codec) for marker in ("<!DOCTYPE", "<!ENTITY")
                for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def check_office_package(data: bytes, name: str, limits: Limits = DEFAULT) -> None:
    """Refuse an XLSX/DOCX whose XML declares a DTD: Office never writes one, and a DTD is how
    entity bombs (billion laughs) and external entities (XXE) get in. Macros and external links
    need no check: nothing here runs macros or fetches what a document links to."""
    check_archive(data, name, limits)
    archive = zipfile.ZipFile(io.BytesIO(data))
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(info) as member:
                prolog = member.read(64 * 1024)  # a DTD must come before the root element
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
                NotImplementedError) as exc:  # RuntimeError: an encrypted member
            raise ExtractionError(
                f"{name}: part {safe_member_name(info.filename)} cannot be read ({exc}); the file is "
                "damaged or password-protected: fetch it again or open it by hand"
            ) from exc
        if any(marker in prolog for marker in _DTD_MARKERS):
            raise ExtractionError(
                f"{name}: part {info.filename} declares an XML DTD/entities (an entity bomb or "
                "external-entity attack; Office files never contain one); not opened"
            )


_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\]')
_NAME_MAX = 180


def safe_member_name(name: str, fallback: str = "member") -> str:
    """A ZIP member or Content-Disposition name → a relative name with no way out of a folder:
    no absolute paths, drive letters, '..', control characters or device names; at most 180
    characters. '../../etc/passwd' → 'etc/passwd', 'C:\\x\\y.pdf' → 'x/y.pdf'."""
    text = unicodedata.normalize("NFC", str(name)).replace("\\", "/")
    text = re.sub(r"^/*[A-Za-z]:", "", text)  # a drive letter: 'C:\\x' or '/C:/x'
    parts = []
    for part in text.split("/"):
        part = _UNSAFE_CHARS.sub("_", part).strip(" .")
        if not part or part in (".", ".."):
            continue
        if re.fullmatch(r"(?i)(con|prn|aux|nul|com\d|lpt\d)(\..*)?", part):
            part = "_" + part
        parts.append(part)
    safe = posixpath.join(*parts) if parts else fallback
    if len(safe) > _NAME_MAX:
        stem, dot, ext = safe.rpartition(".")
        safe = (stem[: _NAME_MAX - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else safe[:_NAME_MAX]
        safe = safe_member_name(safe, fallback)  # the cut may leave a trailing '/' or '.'
    return safe


def safe_filename(name: str, fallback: str = "download") -> str:
    """One path component (e.g. from Content-Disposition): the last part of a safe member name."""
    return safe_member_name(name, fallback).rsplit("/", 1)[-1]


def safe_join(root: Path | str, name: str) -> Path:
    """Where to write `name` under `root`; never outside it, whatever `name` says."""
    root = Path(root).resolve()
    target = (root / safe_member_name(name)).resolve()
    if target != root and root not in target.parents:  # e.g. through a symlink already there
        raise ExtractionError(f"refusing to write {name!r} outside {root}")
    return target
