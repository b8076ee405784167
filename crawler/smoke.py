"""A quick look at a site's columns before trusting a config (`budgets smoke --site NAME`): per
column one list page, one pager page and two disclosure pages, bounded in requests and seconds,
nothing written to the database. The reading is pure (`read_list`, `read_detail`, `verdict`);
`Fetcher` is the only I/O.

Verdicts: OK · EMPTY (the list page answers but links no disclosure: a script builds it) ·
BLOCKED (HTTP 412/403/429, a refused connection or an anti-bot page: `$_ts`, wzws, a challenge) ·
MOVED (404/410, or a redirect away from the column) · UNREACHABLE (no answer at all: the name does
not resolve, the network is down, the connection timed out) · NO_ATTACHMENTS (disclosures found,
but their pages carry neither an attachment nor a table).
"""
from __future__ import annotations

import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.discovery import column_stage, is_folder_url
from crawler.links import clean_text, page_attachments, title_years

ANTI_BOT = re.compile(r"\$_ts|wzws|__jsl_clearance|challenge|安全验证|访问验证|滑动验证|请开启JavaScript|"
                      r"ssxmod|acw_sc__v2|yunsuo_session", re.I)
BLOCKED_STATUS = (403, 412, 429, 521)
GONE_STATUS = (404, 410)


@dataclass
class Fetched:
    url: str  # as asked
    status: int
    final_url: str
    redirects: list[str]
    headers: dict[str, str]
    body: bytes
    error: str = ""

    @property
    def charset(self) -> str:
        m = re.search(r"charset=([\w-]+)", self.headers.get("content-type", ""), re.I) or \
            re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", self.body[:2000], re.I)
        if not m:
            return ""
        value = m.group(1)
        return (value.decode("ascii", "replace") if isinstance(value, bytes) else value).lower()

    @property
    def text(self) -> str:
        for encoding in (self.charset or "utf-8", "utf-8", "gb18030"):
            try:
                return self.body.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
        return self.body.decode("utf-8", "replace")


@dataclass
class ColumnReport:
    url: str
    list_page: Fetched | None = None
    counts: dict[str, int] = field(default_factory=dict)
    titles: list[tuple[str, list[int]]] = field(default_factory=list)
    attachment_types: dict[str, int] = field(default_factory=dict)
    detail_tables: int = 0
    details_read: int = 0
    pager_status: int | None = None
    anti_bot: str = ""
    verdict: str = ""
    reason: str = ""


def anti_bot_marker(page: Fetched) -> str:
    if page.status in BLOCKED_STATUS:
        return f"HTTP {page.status}"
    m = ANTI_BOT.search(page.text[:20000])
    return m.group(0) if m else ""


def read_list(site, page: Fetched) -> tuple[dict[str, int], list[tuple[str, str]], list[str]]:
    """Link counts per rule, the disclosure links (url, title), and the pager URLs."""
    from scrapy.selector import Selector

    html = page.text
    anchors = list(Selector(text=html).css("a[href]"))
    for fragment in site.embedded_html(html):
        anchors += Selector(text=fragment).css("a[href]")
    counts = {"links": 0, "detail_urls": 0, "disclosures": 0, "pagers": 0, "attachments": 0, "columns": 0}
    disclosures, pagers = [], list(dict.fromkeys(u for u in site.pager_urls(page.final_url, html) if u != page.final_url))
    for a in anchors:
        href = a.attrib["href"].strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urllib.parse.urljoin(page.final_url, href)
        text = clean_text(a.attrib.get("title") or " ".join(a.css("::text").getall()))
        counts["links"] += 1
        if site.is_pager_url(url, page.final_url):
            counts["pagers"] += 1
            if url not in pagers and url != page.final_url:
                pagers.append(url)
        elif site.is_detail_url(url):
            counts["detail_urls"] += 1
            url = site.canonical(url)  # a _wap twin is the same page
            if site.is_disclosure(text) and url not in {u for u, _t in disclosures}:
                counts["disclosures"] += 1
                disclosures.append((url, text))
        elif page_attachments(f'<a href="{href}">{text}</a>', page.final_url):
            counts["attachments"] += 1
        elif column_stage(text) and is_folder_url(url):
            counts["columns"] += 1
    return counts, disclosures, pagers


def read_detail(page: Fetched, extensions) -> tuple[list[str], int]:
    """The attachment types a disclosure page links, and its number of <table>s."""
    kinds = [kind for _u, _t, kind in page_attachments(page.text, page.final_url, extensions)]
    tables = re.findall(r"<table\b.*?</table>", page.text, re.I | re.S)
    return kinds, sum(1 for t in tables if "索引号" not in t and "发布机构" not in t)  # not the metadata block


DNS_FAILED = "DNS lookup failed / network unreachable — check your connection"


def failure(exc: Exception) -> str:
    """A request that got no HTTP answer, in words (the crawl's words for a name that does not
    resolve, crawler/middlewares.py)."""
    if isinstance(getattr(exc, "reason", exc), socket.gaierror):
        return f"{DNS_FAILED} ({getattr(exc, 'reason', exc)})"
    return f"{type(exc).__name__}: {exc}"


def verdict(report: ColumnReport, script_built: bool) -> tuple[str, str]:
    page = report.list_page
    if page is None:
        return "MOVED", "not fetched"
    if page.status == 0 and page.error:  # the site never answered: nothing says it moved
        return ("BLOCKED" if "refused" in page.error else "UNREACHABLE"), page.error
    if report.anti_bot:
        return "BLOCKED", f"anti-bot: {report.anti_bot}"
    if page.status in GONE_STATUS:
        return "MOVED", f"HTTP {page.status}"
    if page.redirects and urlsplit(page.final_url).path.rsplit("/", 1)[0] != urlsplit(page.url).path.rsplit("/", 1)[0]:
        return "MOVED", f"redirected to {page.final_url}"
    if page.status != 200:
        return "BLOCKED", f"HTTP {page.status}"
    if not report.counts.get("disclosures"):
        why = "the list is built by a script (list API)" if script_built else "no disclosure links on the list page"
        return "EMPTY", why
    if report.details_read and not report.attachment_types and not report.detail_tables:
        return "NO_ATTACHMENTS", "disclosure pages carry no attachment and no table"
    return "OK", ""


class Fetcher:
    """urllib, bounded: at most `max_requests` requests and `max_seconds` in all. With a replica
    address every request goes there, with the real host in the Host header."""

    def __init__(self, user_agent: str, max_requests: int = 30, max_seconds: float = 60, timeout: float = 15,
                 replica: str | None = None):
        self.user_agent, self.max_requests, self.timeout, self.replica = user_agent, max_requests, timeout, replica
        self.deadline = time.monotonic() + max_seconds
        self.requests = 0
        self.pages: list[Fetched] = []

    @property
    def exhausted(self) -> bool:
        return self.requests >= self.max_requests or time.monotonic() >= self.deadline

    def get(self, url: str, max_redirects: int = 5) -> Fetched | None:
        redirects, current = [], url
        while not self.exhausted:
            self.requests += 1
            parts = urlsplit(current)
            target = current if not self.replica else \
                f"http://{self.replica}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")
            request = urllib.request.Request(target, headers={"User-Agent": self.user_agent, "Host": parts.netloc})
            opener = urllib.request.build_opener(_NoRedirect)
            timeout = max(0.1, min(self.timeout, self.deadline - time.monotonic()))
            try:
                with opener.open(request, timeout=timeout) as response:
                    status, headers, body = response.status, dict(response.headers), response.read(5_000_000)
            except urllib.error.HTTPError as exc:
                status, headers, body = exc.code, dict(exc.headers or {}), exc.read(200_000) if exc.fp else b""
            except (urllib.error.URLError, OSError) as exc:
                page = Fetched(url, 0, current, redirects, {}, b"", error=failure(exc))
                self.pages.append(page)
                return page
            headers = {k.lower(): v for k, v in headers.items()}
            if status in (301, 302, 303, 307, 308) and headers.get("location") and len(redirects) < max_redirects:
                redirects.append(current)
                current = urllib.parse.urljoin(current, headers["location"])
                continue
            page = Fetched(url, status, current, redirects, headers, body)
            self.pages.append(page)
            return page
        return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def smoke_column(site, fetcher: Fetcher, url: str) -> ColumnReport:
    report = ColumnReport(url)
    page = fetcher.get(url)
    report.list_page = page
    if page is None:
        report.verdict, report.reason = "BLOCKED", "request or time budget used up"
        return report
    report.anti_bot = anti_bot_marker(page) if page.status else ""
    script_built = False
    if page.status == 200 and not report.anti_bot:
        report.counts, disclosures, pagers = read_list(site, page)
        script_built = bool(site.list_api and site.list_api.first_calls(page.final_url, page.text))
        report.titles = [(t, sorted(title_years(t))) for _u, t in disclosures[:5]]
        if pagers:
            pager = fetcher.get(pagers[0])
            report.pager_status = pager.status if pager else None
        for detail_url, _t in disclosures[:2]:
            detail = fetcher.get(detail_url)
            if detail is None or detail.status != 200:
                continue
            report.details_read += 1
            kinds, tables = read_detail(detail, site.attachment_extensions)
            report.detail_tables += tables
            for kind in kinds:
                report.attachment_types[kind] = report.attachment_types.get(kind, 0) + 1
    report.verdict, report.reason = verdict(report, script_built)
    return report


def columns_to_check(site, fetcher: Fetcher, limit: int = 5) -> list[str]:
    """The config's start URLs, or, for a roots-only config, the first columns its roots link."""
    urls = [site.canonical(u) for u in site.start_urls]
    if urls:
        return urls[:limit]
    found: list[str] = []
    for root in site.roots:
        page = fetcher.get(site.canonical(root))
        if page is None or page.status != 200:
            found.append(site.canonical(root))
            continue
        from scrapy.selector import Selector

        for a in Selector(text=page.text).css("a[href]"):
            url = urllib.parse.urljoin(page.final_url, a.attrib["href"])
            if column_stage(" ".join(a.css("::text").getall())) and is_folder_url(url) and url not in found:
                found.append(site.canonical(url))
    return found[:limit]
