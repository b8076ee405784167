"""ZIP archives → their member files, each to be ingested as a document of its own.

Finance offices bundle a year's tables as one ZIP, usually made on Chinese Windows, whose
member names are GBK bytes without the UTF-8 flag; `extractors.names` decodes them again and
makes them safe and unique. Sizes are checked against `extractors.limits` before anything is
inflated, and ZIPs inside the ZIP are opened in place down to a small depth; one that cannot
be opened is handed on as a member of its own (its documents row says why it failed) and the
rest of the archive is kept. Nothing is written to disk and nothing in a member is run.
"""
from __future__ import annotations

import posixpath

from extractors import limits as limits_module
from extractors.detect import detect_format
from extractors.limits import LimitExceeded, Limits, Tally
from extractors.model import Extraction, ExtractionError
from extractors.names import member_name, safe_member_name, unique_name

JUNK_PREFIXES = ("__MACOSX/",)
JUNK_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


def extract(data: bytes, filename: str = "", limits: Limits | None = None) -> Extraction:
    """The archive's members as `children`: (safe unique name, bytes), nested archives' members
    under their archive's name (`更多附件.zip/附件2.xlsx`)."""
    limits = limits or limits_module.DEFAULT
    what = filename or "the archive"
    result = Extraction(title=posixpath.splitext(posixpath.basename(filename))[0] if filename else "")
    skipped: list[str] = []
    _unpack(data, what, "", 0, limits, Tally(), result.children, skipped)
    if skipped:
        result.status = "partial"
        result.error = "; ".join(skipped)
    elif not result.children:
        result.status = "partial"
        result.error = f"{what} holds no files"
    return result


def _unpack(data: bytes, what: str, prefix: str, depth: int, limits: Limits, tally: Tally,
            children: list, skipped: list) -> None:
    archive = limits_module.open_container(data, what, limits, tally)
    used = {name for name, _ in children}
    for number, info in enumerate(archive.infolist(), 1):
        if limits_module.is_folder(info):
            continue
        name = member_name(info)
        if name.startswith(JUNK_PREFIXES) or posixpath.basename(name) in JUNK_NAMES:
            continue
        name = unique_name(safe_member_name(prefix + safe_member_name(name, f"member-{number}")), used)
        if limits_module.is_encrypted(info):
            skipped.append(f"{name} is encrypted and was not opened")
            continue
        try:
            member = limits_module.read_member(archive, info, what)
        except ExtractionError as exc:  # one damaged member; the others are still read
            skipped.append(f"{name} could not be inflated: {exc.__cause__ or exc}")
            continue
        if detect_format(member, name) == "zip":
            if depth + 1 > limits.max_depth:
                skipped.append(f"{name} is a ZIP nested deeper than {limits.max_depth} levels; not opened")
                continue
            try:
                _unpack(member, f"{what}/{name}", name + "/", depth + 1, limits, tally, children, skipped)
                continue
            except LimitExceeded:  # a limit of the whole archive: nested members count against it
                raise
            except ExtractionError as exc:  # one unreadable inner ZIP; its siblings are still read
                # kept as a member of its own, so it gets a documents row that says it failed
                skipped.append(f"{name} could not be opened: {exc}")
        used.add(name)
        children.append((name, member))
