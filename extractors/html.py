"""A disclosure page in HTML → its tables (real <table> markup) and its narrative.

Merged cells (rowspan/colspan) are repeated into every grid position they cover, so a header
cell over three columns labels all three. `&nbsp;` cells are empty. The page's encoding is read
from its bytes (BOM, <meta charset>), since sites often label GBK pages wrongly.
"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from extractors import vocabulary as v
from extractors.framing import frame
from extractors.model import Extraction, ExtractionError, Paragraph

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "li", "td", "span")
MAX_SPAN = 200


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    declared = _META_CHARSET.search(data[:4096])
    candidates = []
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        # GB2312 and GBK labels are often wrong about characters outside them: read as GB18030
        candidates.append("gb18030" if name in ("gb2312", "gbk", "gb18030", "x-gbk") else name)
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace")


def cell_text(element) -> str:
    text = " ".join(t.strip() for t in element.itertext() if t.strip())
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def table_grid(table) -> list[list[str]]:
    """Rows of a <table> with spans expanded into every grid position they cover."""
    grid: list[list[str | None]] = []
    pending: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.iter("tr") if _owning_table(tr) is table]
    for r, tr in enumerate(rows):
        line: list[str] = []
        col = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, col) in pending:
                line.append(pending.pop((r, col)))
                col += 1
            text = cell_text(cell)
            colspan = _span(cell.get("colspan"))
            rowspan = _span(cell.get("rowspan"))
            for dc in range(colspan):
                line.append(text)
                for dr in range(1, rowspan):
                    pending[(r + dr, col + dc)] = text
            col += colspan
        while (r, col) in pending:
            line.append(pending.pop((r, col)))
            col += 1
        grid.append(line)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid]


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def _owning_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def page_title(root) -> str:
    """The article's title: a CMS's <meta name="ArticleTitle">, then its title element
    (`vocabulary.ARTICLE_TITLE_XPATHS`: .article-title, #title, .bt, h1, .title, h2), then
    <title>. Many CMSs print the column and the site name in <title> ('部门预算_某区人民政府'),
    so the first candidate that names a year wins; without one, the first candidate found."""
    candidates = []
    for name in v.ARTICLE_TITLE_META:
        for content in root.xpath(f"//meta[@name='{name}' or @property='{name}']/@content"):
            candidates.append(re.sub(r"\s+", " ", content).strip())
    for xpath in v.ARTICLE_TITLE_XPATHS:
        for element in root.xpath(xpath)[:3]:
            if not element.xpath(".//table"):
                candidates.append(cell_text(element))
    title_el = root.find(".//title")
    if title_el is not None:
        # the part of '某局2016年部门预算_某县人民政府' that names the year, else the whole
        whole = cell_text(title_el)
        candidates += [p for p in v.TITLE_PARTS.split(whole) if v.NAMES_A_YEAR.search(p)][:1] + [whole]
    candidates = [c for c in candidates if c and len(c) <= 200]
    return next((c for c in candidates if v.NAMES_A_YEAR.search(c)), candidates[0] if candidates else "")


def extract(data: bytes, filename: str = "") -> Extraction:
    text = decode(data)
    try:
        # huge_tree: libxml2 otherwise drops every text node over 10 MB, and the rest of the
        # page with it, without a word; the page is already within the document size limit
        root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"{filename or 'the page'} is not readable HTML ({exc})") from exc
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    title = page_title(root)
    tables, paragraphs, recent = [], [], []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "table" and not element.xpath(".//table"):
            after = element.getnext()
            below = [cell_text(after)] if after is not None and isinstance(after.tag, str) else []
            tables.extend(frame(table_grid(element), before=recent, after=below, start_index=len(tables)))
            recent = []
        elif tag in ("p", "h1", "h2", "h3", "h4", "li") or (tag == "div" and not element.xpath(".//p|.//div|.//table")):
            owner = _owning_table(element)
            if owner is not None and not owner.xpath(".//table"):
                continue  # text inside a data table; a layout table around the page is no table
            line = cell_text(element)
            if line:
                recent.append(line)
                if not tables and not v.split_label(line)[0]:
                    paragraphs.append(Paragraph(line))
    if not tables and not paragraphs:
        raise ExtractionError(f"{filename or 'the page'} has no text or tables: is it a disclosure page?",
                              status="unsupported")
    return Extraction(title=title, tables=tables, paragraphs=paragraphs)
