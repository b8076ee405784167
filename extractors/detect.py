"""Which format a file really is, from its bytes first and its name second.

Sites mislabel files (an HTML error page served as .pdf), so the magic bytes win.
"""
from __future__ import annotations

import zipfile
import io

FORMATS = ("pdf", "html", "textdump", "xlsx", "xls", "docx", "doc", "zip", "et", "wps")


def detect_format(data: bytes, filename: str = "", content_type: str | None = None) -> str:
    name = filename.lower()
    head = data[:2048]
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"{\\rtf"):  # Rich Text, often saved under a .doc name
        return "doc"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: legacy Office, WPS
        if name.endswith((".doc", ".wps")):
            return "doc"
        return "xls"
    text_head = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text_head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta", b"<table", b"<body")) \
            or b"<table" in data[:200000].lower() or b"<html" in text_head[:512]:
        return "html"
    if name.endswith((".html", ".htm", ".shtml")) or (content_type or "").startswith("text/html"):
        return "html"
    if name.endswith(".txt") or (content_type or "").startswith("text/plain"):
        return "textdump"
    for ext in ("pdf", "xlsx", "xls", "docx", "doc", "zip", "et", "wps"):
        if name.endswith("." + ext):
            return "unknown"  # the name says a format the bytes are not
    return "unknown"


def _zip_kind(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return "zip"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    return "zip"
