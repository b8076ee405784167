"""ZIP archives → their member files, each to be ingested as a document of its own.

Finance offices bundle a year's tables as one ZIP, usually made on Chinese Windows, whose
member names are GBK bytes without the UTF-8 flag; Python reads those as cp437, so they are
decoded again. Names are made safe (no '..', no absolute paths), sizes are checked against
`extractors.limits` before anything is inflated, and ZIPs inside the ZIP are opened in place
down to a small depth. Nothing is written to disk and nothing in a member is run.
"""
from __future__ import annotations

import io
import posixpath
import zipfile

from extractors import limits as limits_module
from extractors.detect import detect_format
from extractors.limits import Limits
from extractors.model import Extraction, ExtractionError

UTF8_FLAG = 0x800
JUNK_PREFIXES = ("__MACOSX/",)
JUNK_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


def extract(data: bytes, filename: str = "", limits: Limits = limits_module.DEFAULT) -> Extraction:
    what = filename or "the archive"
    result = Extraction(title=posixpath.splitext(posixpath.basename(filename))[0] if filename else "")
    budget = {"members": 0, "bytes": 0}
    skipped: list[str] = []
    _unpack(data, what, "", 0, limits, budget, result.children, skipped)
    if skipped:
        result.status = "partial"
        result.error = "; ".join(skipped)
    elif not result.children:
        result.status = "partial"
        result.error = f"{what} holds no files"
    return result


def _unpack(data: bytes, what: str, prefix: str, depth: int, limits: Limits, budget: dict,
            children: list, skipped: list) -> None:
    limits_module.check_document(data, what, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:  # ValueError: bad names too
        raise ExtractionError(f"{what} is not a readable ZIP archive: {exc}") from exc
    budget["bytes"] += limits_module.check_members(
        infos, what, limits, already_members=budget["members"], already_bytes=budget["bytes"])
    budget["members"] += sum(1 for i in infos if not i.is_dir())
    used = {name for name, _ in children}
    for number, info in enumerate(infos):
        if info.is_dir():
            continue
        name = member_name(info)
        if name.startswith(JUNK_PREFIXES) or posixpath.basename(name) in JUNK_NAMES:
            continue
        name = _unique(prefix + (safe_path(name) or f"member-{number + 1}"), used)
        if info.flag_bits & 0x1:
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
            _unpack(member, f"{what}/{name}", name + "/", depth + 1, limits, budget, children, skipped)
            continue
        used.add(name)
        children.append((name, member))


def member_name(info: zipfile.ZipInfo) -> str:
    """The name as its author typed it: names without the UTF-8 flag are re-read as UTF-8,
    then as GBK (GB18030), the encodings Chinese archivers use, before cp437 is believed."""
    name = info.filename
    if info.flag_bits & UTF8_FLAG:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def safe_path(name: str) -> str:
    """A relative path with no way out: '../../etc/passwd' → 'etc/passwd', 'C:\\x\\y' → 'x/y'."""
    name = name.replace("\\", "/")
    if len(name) > 1 and name[1] == ":":
        name = name[2:]
    parts = [p for p in name.split("/") if p not in ("", ".", "..")]
    parts = ["".join(ch for ch in p if ch >= " " and ch != "\x7f") for p in parts]
    return "/".join(p for p in parts if p)


def _unique(name: str, used: set) -> str:
    if name not in used:
        return name
    stem, ext = posixpath.splitext(name)
    n = 2
    while f"{stem}-{n}{ext}" in used:
        n += 1
    return f"{stem}-{n}{ext}"
