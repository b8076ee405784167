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
