"""Which encoding an HTML page is really in.

District sites serve GBK/GB2312 pages labelled UTF-8 (and the reverse), and UTF-8 pages with a
byte-order mark. UTF-8 is tried first because GBK text practically never decodes as valid UTF-8,
while UTF-8 text often decodes as (wrong) GBK; then the declared encodings, then GB18030.
GB2312 and GBK are read as GB18030, their superset.
"""
from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def normalise_encoding(name: str | None) -> str | None:
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return _SUPERSETS.get(canonical, canonical)


def declared_in_meta(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def html_encoding(body: bytes, header_charset: str | None = None) -> str:
    """The encoding to read `body` with: a BOM, else the first of (UTF-8, HTTP header, <meta>,
    GB18030) that decodes it cleanly, else UTF-8 (with replacement characters)."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    candidates = ["utf-8", header_charset, declared_in_meta(body), "gb18030"]
    for name in candidates:
        encoding = normalise_encoding(name)
        if not encoding:
            continue
        try:
            body.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "utf-8"
