"""Names from the outside world (ZIP members, Content-Disposition) → names that stay inside a folder.

A ZIP member's name becomes part of the document's stored URL (`<archive url>#<member name>`), so
it is made safe and unique once, here, and nowhere else.
"""
from __future__ import annotations

import posixpath
import re
import unicodedata
import zipfile
from pathlib import Path

from extractors.model import ExtractionError

UTF8_FLAG = 0x800
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\]')
_DEVICE = re.compile(r"(?i)(con|prn|aux|nul|com\d|lpt\d)(\..*)?")
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
        if _DEVICE.fullmatch(part):
            part = "_" + part
        parts.append(part)
    safe = posixpath.join(*parts) if parts else fallback
    if len(safe) > _NAME_MAX:
        stem, dot, ext = safe.rpartition(".")
        safe = (stem[: _NAME_MAX - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else safe[:_NAME_MAX]
        safe = safe_member_name(safe, fallback)  # the cut may leave a trailing '/' or '.'
    return safe


def unique_name(name: str, used: set[str]) -> str:
    """`name`, or `stem-2.ext`, `stem-3.ext` … when an earlier member already took it."""
    if name not in used:
        return name
    stem, ext = posixpath.splitext(name)
    n = 2
    while f"{stem}-{n}{ext}" in used:
        n += 1
    return f"{stem}-{n}{ext}"


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


def decoded_name(raw: bytes) -> str | None:
    """A name as Chinese software writes it, UTF-8 or else GBK (GB18030); None when it is neither."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


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
    return decoded_name(raw) or name
