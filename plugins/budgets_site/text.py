"""Amounts, links and text made ready for reading on a page (pure functions)."""
from __future__ import annotations

import html
import urllib.parse


def wan_text(value) -> str:
    """An amount in 万元 for reading: thousands separators, two decimals (the exact figure is in
    the cell's title and in every export)."""
    return f"{value:,.2f}"


def short_url(url: str, room: int = 48) -> str:
    """host/…/last part, unquoted, for a link's text; the link keeps the whole URL."""
    parts = urllib.parse.urlsplit(url)
    path = urllib.parse.unquote(parts.path)
    last = path.rstrip("/").rsplit("/", 1)[-1] + ("?" + urllib.parse.unquote(parts.query) if parts.query else "")
    text = parts.hostname + ("/…/" if path.count("/") > 1 else "/") + last
    return text if len(text) <= room else text[: room - 1] + "…"


def escape(text) -> str:
    return html.escape(str(text), quote=True)


def web_url(value) -> bool:
    """Only absolute http(s) URLs with a host become links: a query can return any text, and
    `javascript:`, `data:` or a scheme-relative `//evil.example` must stay plain text."""
    if not isinstance(value, str) or any(ch in value for ch in "\\\r\n\t") or value != value.strip():
        return False
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def site_path(value) -> bool:
    """A path on this site ("/budgets/..."), not "//host" nor "/\\host" which browsers read as hosts."""
    return (isinstance(value, str) and value.startswith("/") and not value.startswith(("//", "/\\"))
            and not any(ch in value for ch in "\\\r\n\t"))
