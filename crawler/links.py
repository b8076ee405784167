"""Pure functions over URLs, link texts and list pages. No I/O, no Scrapy."""
from __future__ import annotations

import re
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

ATTACHMENT_EXTENSIONS = ("pdf", "xls", "xlsx", "doc", "docx", "zip", "et", "wps")

# TRS list pages write their pager with `createPageHTML(countPage, currentPage, "index", "html")`;
# newer templates put the pager's element id first and the record count last, and some pass
# variables (`var countPage = 5`) instead of numbers.
_CREATE_PAGE_HTML = re.compile(
    r"createPageHTML\(\s*(?:[\"'][\w-]*[\"']\s*,\s*)?(\w+)\s*,\s*(\w+)\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']"
)
_WAP = re.compile(r"_wap(\.s?html?)$", re.I)
_SPACES = re.compile(r"\s+")


def js_pager_urls(page_url: str, html: str) -> list[str]:
    """Every list page a TRS `createPageHTML(n, i, "index", "html")` pager stands for:
    index.html, index_1.html … index_{n-1}.html, next to `page_url`."""
    urls: list[str] = []
    for count, _current, prefix, suffix in _CREATE_PAGE_HTML.findall(html):
        if not count.isdigit():
            declared = re.search(rf"\b{re.escape(count)}\s*=\s*(\d+)", html)
            if not declared:
                continue
            count = declared.group(1)
        for n in range(int(count)):
            name = f"{prefix}.{suffix}" if n == 0 else f"{prefix}_{n}.{suffix}"
            urls.append(urljoin(page_url, name))
    return urls


def canonical_url(url: str, host_aliases: dict[str, str] | None = None) -> str:
    """One URL per document: the desktop page for a `_wap` mobile twin, one spelling of the
    host, no fragment."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    host = (host_aliases or {}).get(host, host)
    path = _WAP.sub(r"\1", parts.path)
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


def extension_of(url_or_name: str) -> str:
    """'…/附件1.XLSX?x=1' → 'xlsx'; '' when the last path segment has no suffix."""
    path = urlsplit(url_or_name).path if "://" in url_or_name else url_or_name
    return PurePosixPath(unquote(path)).suffix.lower().lstrip(".")


def attachment_type(href: str, text: str, extensions=ATTACHMENT_EXTENSIONS) -> str:
    """The attachment type a link points at, from its URL or, for download scripts such as
    `downfile.jsp?id=…`, from the file name printed as its text; '' for an ordinary link."""
    for candidate in (href, clean_text(text)):
        ext = extension_of(candidate)
        if ext in extensions:
            return ext
    return ""


def clean_text(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip()


def filename_from(url: str, content_disposition: bytes | str | None = None) -> str:
    """The file's own name: Content-Disposition (RFC 6266 `filename*`, or a raw UTF-8/GBK
    `filename=`) first, then the last segment of the URL path, percent-decoded."""
    if content_disposition:
        raw = content_disposition
        if isinstance(raw, bytes):
            raw = _decode_header_bytes(raw)
        msg = Message()
        msg["content-disposition"] = raw
        name = msg.get_filename()
        if name:
            return PurePosixPath(name.replace("\\", "/")).name
    return PurePosixPath(unquote(urlsplit(url).path)).name


def _decode_header_bytes(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def host_allowed(url: str, allowed_domains: list[str]) -> bool:
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in allowed_domains)
