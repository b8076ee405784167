"""Which format a file really is, from its bytes first and its name second.

Sites mislabel files (an HTML error page served as .pdf), so the magic bytes win; the name only
decides between formats the bytes cannot tell apart, and names what the file claimed to be.
"""
from __future__ import annotations

import io
import zipfile

# File name extension → the format a file with that name claims to be.
CLAIMS = {"pdf": "pdf", "xlsx": "xlsx", "xls": "xls", "et": "xls", "docx": "docx", "doc": "doc",
          "wps": "doc", "zip": "zip", "html": "html", "htm": "html", "shtml": "html", "txt": "textdump"}
# Binary formats old report systems really do export as an HTML table under their name.
HTML_EXPORTS = ("xls", "doc")
# Names of binary files that this tool does not read but a site may still serve an error page as.
OTHER_BINARY_NAMES = ("rar", "7z", "ofd")

# Formats this tool does not read, by their magic: (magic, what it is, status, what to do).
UNREAD = [
    (b"Rar!\x1a\x07", "a RAR archive", "unsupported", "unpack it and ingest the folder"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unsupported", "unpack it and ingest the folder"),
    (b"\x1f\x8b", "a gzip file", "unsupported", "unpack it and ingest the result"),
    (b"\x89PNG", "a PNG image", "needs_ocr", "its tables need OCR"),
    (b"\xff\xd8\xff", "a JPEG image", "needs_ocr", "its tables need OCR"),
    (b"GIF8", "a GIF image", "needs_ocr", "its tables need OCR"),
    (b"II*\x00", "a TIFF image", "needs_ocr", "its tables need OCR"),
    (b"MM\x00*", "a TIFF image", "needs_ocr", "its tables need OCR"),
]

_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta", b"<table", b"<body")


def extension(filename: str) -> str:
    """'附件1.XLS' → 'xls'; '' for a name without one."""
    name = filename.rsplit("/", 1)[-1].lower()
    return name.rpartition(".")[2] if "." in name else ""


def claimed_format(filename: str) -> str | None:
    """The format a file's name says it is, or None."""
    return CLAIMS.get(extension(filename))


def names_a_binary_file(filename: str) -> bool:
    ext = extension(filename)
    return ext in OTHER_BINARY_NAMES or CLAIMS.get(ext) not in (None, "html", "textdump")


def detect_format(data: bytes, filename: str = "", content_type: str | None = None) -> str:
    """One of the formats `extractors.registry` reads, or 'unknown'."""
    head = data[:2048]
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"{\\rtf"):  # Rich Text, often saved under a .doc name; read as a .doc
        return "doc"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: legacy Office, WPS
        return "doc" if claimed_format(filename) == "doc" else "xls"
    text_head = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text_head.startswith(_HTML_STARTS) or b"<table" in data[:200000].lower() or b"<html" in text_head[:512]:
        return "html"
    content_type = content_type or ""
    claimed = claimed_format(filename)
    if claimed == "html" or content_type.startswith("text/html"):
        return "html"
    if claimed == "textdump" or content_type.startswith("text/plain"):
        return "textdump"
    return "unknown"  # including a name that says a format the bytes are not


def unread_format(data: bytes) -> tuple[str, str, str] | None:
    """(what it is, status, what to do) for a format this tool knows but does not read."""
    for magic, what, status, todo in UNREAD:
        if data.startswith(magic):
            return what, status, todo
    return None


def _zip_kind(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "zip"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    return "zip"
