"""Pure functions over URLs, link texts and list pages. No I/O, no Scrapy."""
from __future__ import annotations

import re
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit
from extractors.constants import Stage
from extractors.names import decoded_name
from crawler.navigation import ATTACHMENT_TEXT as _ATTACHMENT_TEXT, GENERIC_LINK_TEXT as _GENERIC_LINK_TEXT

ATTACHMENT_EXTENSIONS = ("pdf", "xls", "xlsx", "doc", "docx", "zip", "et", "wps", "ofd", "rar")
# fetched and recorded like any attachment; the extractors mark them `unsupported` (with the URL)
UNSUPPORTED_EXTENSIONS = ("ofd", "rar")

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
    return decoded_name(raw) or raw.decode("latin-1")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def host_allowed(url: str, allowed_domains: list[str]) -> bool:
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in allowed_domains)


# Years ------------------------------------------------------------------------------------------

# dates of list rows and metadata (2025-02-10, 2025/2/10, 2025年02月10日, 20250210) and document
# numbers (开州金府发〔2026〕18号) carry a year that is not the disclosure's
_DATE = re.compile(r"20\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|(?<!\d)20\d\d[01]\d[0-3]\d(?!\d)")
_DOC_NUMBER = re.compile(r"[〔\[［【(（]\s*20\d\d\s*[〕\]］】)）]")
_YEAR = re.compile(r"(?<!\d)(20[0-4]\d)(?!\d)")


def title_years(text: str) -> set[int]:
    """The years a title names, with or without 年 ('2024部门决算', '2026某区…预算公开'), not
    counting dates or document numbers printed beside it."""
    text = _DOC_NUMBER.sub(" ", _DATE.sub(" ", text or ""))
    return {int(y) for y in _YEAR.findall(text)}


def publication_year(text: str) -> int | None:
    """The year of the first date in `text` (a 发布日期 field, a list row, a `/YYYYMM/t…` URL)."""
    m = re.search(r"(20\d\d)\s*[-/.年]\s*\d{1,2}", text or "") or re.search(r"/(20\d\d)[01]\d/t20\d{6}_", text or "")
    return int(m.group(1)) if m else None


def disclosure_years(title: str, breadcrumb: str = "", published: str = "", stage: str = "") -> set[int]:
    """The fiscal years a disclosure is for: from its title; failing that its breadcrumb; failing
    that its publication date (a 决算 published in 2025 is for 2024, a 预算 for 2025)."""
    years = title_years(title) or title_years(breadcrumb)
    if years:
        return years
    year = publication_year(published)
    if year is None:
        return set()
    return {year - 1} if (stage == Stage.FINAL_ACCOUNT or ("决算" in title and "预算" not in title)) else {year}


# Official hosts and detail URLs of the CMS families seen (docs/REAL-SITES.md §2) ---------------

DETAIL_URL_FAMILIES = {
    "trs": r"/20\d{4}/t20\d{6}_\d+(_wap)?\.s?html?$",
    "hanweb": r"/art/20\d\d/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$",
    "hanweb_new": r"/art/20\d\d/art_[0-9a-f]{32}\.html$",  # /col/col<id>/art/… or the column's path/art/…
    "shanghai_doy": r"/20\d\d/\d{1,3}/\d+\.html$",  # /zhengwu|/zwgk|/xxgk/<col>/YYYY/<day-of-year>/<id>
    "qingpu": r"/20\d{6}/\d+\.html$",
    "court": r"/article/detail/20\d\d/\d\d/id/\d+\.shtml$",
    "vsb": r"/info/\d+/\d+\.htm$",
    "timestamp": r"/(news/show|mshow|new/detail)/\d{17}\.html$",
    "public": r"/public/\d+/\d+\.html$",
    "xxgk_show": r"/xxgk-show-\d+\.html$",
    "snowflake": r"/content_\d{15,20}\.html$",
    "dated_i": r"/20\d{6}/i\d+\.html$",
    "hex": r"/20\d{4}/[0-9a-f]{32}\.shtml$",
    "upload": r"/upload\d+/upload20\d{6}/[0-9A-F]{32}\.html$",
    "post": r"/content/post_\d+\.html$",
    "gkmlpt": r"/gkmlpt/content/\d+/\d+/post_\d+\.html$",  # Guangdong's 政府信息公开 platform
    "monthly_id": r"/20\d{4}/\d+\.shtml$",
    "cqrd": r"/web/article/\d+/web/content_\d+\.html$",
}
ANY_DETAIL_URL = re.compile("|".join(f"(?:{p})" for p in DETAIL_URL_FAMILIES.values()))
# copies that are not the publisher's page: beijing.gov.cn's traditional-Chinese gateway
PROXY_PATH = re.compile(r"^/gate/big5/")
# columns of the same trees that are not disclosures: plans, government work reports, news
NON_DISCLOSURE_PATH = re.compile(r"/(ghxx|gmjjhshfzgh|zfgzbg|zfbg|bmdt|gzdt|xwdt|tzgg|jdhy)/")


def official_host(url: str, extra_hosts: tuple[str, ...] = ()) -> bool:
    """A government host (`*.gov.cn`) or one a config names; mirrors copy the paths, not the host."""
    host = host_of(url)
    if PROXY_PATH.search(urlsplit(url).path):
        return False
    return host.endswith(".gov.cn") or host == "gov.cn" or any(
        host == h or host.endswith("." + h) for h in extra_hosts)


# Attachments wherever detail pages put them ------------------------------------------------------

# a viewer's file set by a script (Hanweb 温州: `var sPdfUrl = "/cms_files/…/X.pdf";`)
_SCRIPT_FILE = re.compile(r"""(?:var|let|const)\s+\w+\s*=\s*["']([^"'\s]+\.(?:%s))["']""" % "|".join(ATTACHMENT_EXTENSIONS), re.I)
_ONCLICK_URL = re.compile(r"""(?:window\.open|location\.href\s*=|location\.assign)\s*\(?\s*["']([^"']+)["']""")
_DOWNLOAD_SERVLET = re.compile(r"(download|downfile|getfile|attach|/file\b|fileid|resource/file)", re.I)


def query_file_name(url: str) -> str:
    """A download servlet's file name when it is only in the query: '…/file?pathname=…&filename=
    report.pdf' → 'report.pdf'; pdf.js 'viewer.html?file=/a/b.pdf' → '/a/b.pdf'."""
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=False):
        if key.lower() in ("file", "filename", "name", "fname", "filepath", "pathname", "path", "url"):
            if extension_of(value):
                return value
    return ""


def attachment_kind(href: str, text: str, extensions=ATTACHMENT_EXTENSIONS) -> str:
    """As attachment_type, and also for names carried in the query; '?' for a download servlet
    whose link names no type (its Content-Disposition will)."""
    kind = attachment_type(href, text, extensions)
    if kind:
        return kind
    name = query_file_name(href)
    if name and extension_of(name) in extensions:
        return extension_of(name)
    if _DOWNLOAD_SERVLET.search(urlsplit(href).path + "?" + urlsplit(href).query) and _ATTACHMENT_TEXT.search(text or ""):
        return "?"
    return ""


def script_files(html: str) -> list[str]:
    """Files a page's scripts set as a variable (a PDF viewer's source), as written."""
    return _SCRIPT_FILE.findall(html or "")


def page_attachments(html: str, base_url: str, extensions=ATTACHMENT_EXTENSIONS) -> list[tuple[str, str, str]]:
    """(absolute URL, text, type) of every attachment a detail page offers: `<a href>`, `<iframe
    src>`, `<embed src>`, `<object data>`, pdf.js `viewer?file=…`, `onclick="window.open('…')"`,
    a script's `var sPdfUrl = "….pdf"`.
    In page order, each URL once."""
    from scrapy.selector import Selector  # parsel, without a response

    sel = Selector(text=html)
    found: list[tuple[str, str, str]] = []
    seen: set[str] = set()

    def add(raw: str, text: str) -> None:
        raw = (raw or "").strip()
        if not raw or raw.startswith(("javascript:", "mailto:", "#")):
            return
        url = urljoin(base_url, raw)
        viewer_file = query_file_name(url) if re.search(r"viewer(\.html?)?$", urlsplit(url).path) else ""
        if viewer_file:
            url = urljoin(url, viewer_file)
        kind = attachment_kind(url, text, extensions)
        if kind and url not in seen:
            seen.add(url)
            found.append((url, clean_text(text), kind))

    for target in script_files(html):
        add(target, "")
    for node in sel.xpath("//a[@href]|//iframe[@src]|//embed[@src]|//object[@data]|//*[@onclick]"):
        text = clean_text(" ".join(node.css("::text").getall())) or node.attrib.get("title", "")
        for attr in ("href", "src", "data"):
            if attr in node.attrib:
                add(node.attrib[attr], text)
        for target in _ONCLICK_URL.findall(node.attrib.get("onclick", "")):
            add(target, text)
    return found


# List rows -----------------------------------------------------------------------------------------



def is_generic_link_text(text: str) -> bool:
    return bool(_GENERIC_LINK_TEXT.match(clean_text(text)))


def strip_dates(text: str) -> str:
    return clean_text(_DATE.sub(" ", text or ""))
