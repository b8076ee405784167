"""A disclosure page in HTML → its tables (real <table> markup) and its narrative.

Merged cells (rowspan/colspan) are repeated into every grid position they cover, so a header
cell over three columns labels all three. `&nbsp;` cells are empty. The page's encoding is read
from its bytes (BOM, <meta charset>), since sites often label GBK pages wrongly.
"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from extractors import html_positioned
from extractors import vocabulary as v
from extractors.framing import frame
from extractors.model import Extraction, ExtractionError, Paragraph
from extractors.numbers import is_amount

# what an error or login page says in its title or heading
ERROR_PAGE = re.compile(r"\b(40[0-9]|50[0-9])\b|not found|forbidden|error|页面不存在|找不到|无法访问|出错|错误|"
                        r"登录|登陆|验证码|访问受限|拒绝访问|安全验证|维护中", re.I)
AMOUNT_IN_TEXT = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|亿元|元)")
DOCUMENT_LINK = re.compile(r"\.(pdf|xlsx?|docx?|wps|et|zip|rar|ofd)\b", re.I)
NOT_A_DISCLOSURE = "not a disclosure"  # what a page of a site that names no disclosure is said to be
MIN_PICTURES = 3  # a disclosure printed as pictures shows a page per picture, side by side in the article
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


def parse(data: bytes, filename: str = ""):
    try:
        # huge_tree: libxml2 otherwise drops every text node over 10 MB, and the rest of the
        # page with it, without a word; the page is already within the document size limit
        return lxml.html.document_fromstring(decode(data), parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"{filename or 'the page'} is not readable HTML ({exc})") from exc


def heading(root) -> str:
    """The page's <title>, else its first <h1>, as one line."""
    for element in root.xpath("//title|//h1")[:2]:
        text = cell_text(element)
        if text:
            return text
    return ""


def is_error_page(root) -> bool:
    """An error or login page: its title or heading says so, or it prints almost nothing."""
    if ERROR_PAGE.search(heading(root)) and not AMOUNT_IN_TEXT.search(root.text_content()):
        return True
    return len("".join(root.text_content().split())) < 40


def _has_amounts(tables) -> bool:
    return any(is_amount(cell) for table in tables for row in table.rows for cell in row)


def not_a_disclosure(root, title: str) -> tuple[str, str] | None:
    """(status, what the page is) for a page without a table of amounts that is no disclosure,
    or None. Its narrative is not kept: a site's menus and news are not the department's text.

    - a page whose disclosure is a set of pictures: `needs_ocr`;
    - a page that only lists links (to a disclosure's files, to the disclosures of several
      units or years), or a site's home or column page (its title names no year and no
      预算/决算): `ok`, without tables, saying so.
    """
    text = root.text_content()
    if AMOUNT_IN_TEXT.search(text):
        return None  # a narrative with figures: a disclosure in prose
    links = [a for a in root.xpath("//a")  # a link's target may be a script's: onclick="downloadFj(…)"
             if DOCUMENT_LINK.search(a.get("href") or a.get("onclick") or "") or v.YEAR_AND_STAGE.search(cell_text(a))]
    if v.YEAR_AND_STAGE.search(title):
        pictures = _article_pictures(root)
        if len(pictures) >= MIN_PICTURES:
            return "needs_ocr", (f"the page prints the disclosure '{title[:60]}' as {len(pictures)} pictures "
                                 "(its text is not in the page): fetch the pictures and read them by OCR")
        named = "; ".join(dict.fromkeys(cell_text(a) for a in links if cell_text(a)))
        linked = f" ({named[:160]}); ingest the linked files" if named else ""
        return "ok", (f"a list of links, not a disclosure: the page '{title[:60]}' prints no figure and "
                      f"links to {len(links)} documents{linked}")
    return "ok", (f"{NOT_A_DISCLOSURE}: the page '{title[:60]}' names no budget year (a site's home or column "
                  "page); no tables or text loaded")


def _article_pictures(root) -> list:
    """The most distinct pictures one element holds side by side (a logo, a QR code or a banner
    stands alone or inside a link; a menu repeats one icon)."""
    groups: dict[object, list] = {}
    for img in root.xpath("//img[@src]"):
        if not re.search(r"\.(jpe?g|png|gif|bmp|webp)$", img.get("src"), re.I):
            continue
        if any(a.tag == "a" for a in img.iterancestors()):
            continue
        holder = img.getparent()
        while holder is not None and holder.tag in ("p", "span", "strong", "center", "font"):
            holder = holder.getparent()
        groups.setdefault(holder, []).append(img)
    return max(({img.get("src"): img for img in imgs}.values() for imgs in groups.values()), key=len, default=[])


def extract(data: bytes, filename: str = "") -> Extraction:
    root = parse(data, filename)
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
    if not _has_amounts(tables):
        placed = parse(data, filename)  # again, with the <style> rules that size a converted PDF's text
        if html_positioned.is_positioned(placed):
            return html_positioned.extract_positioned(placed, title, filename)
    if not _has_amounts(tables):
        verdict = not_a_disclosure(root, title)
        if verdict:
            status, what = verdict
            return Extraction(title=title, status=status, error=what)
    if not tables and not paragraphs:
        raise ExtractionError(f"{filename or 'the page'} has no text or tables: is it a disclosure page?",
                              status="unsupported")
    return Extraction(title=title, tables=tables, paragraphs=paragraphs)
