"""What the spider makes of every link of a page, and the rule that decided: pure functions over
a page's HTML, used by the spider (crawler/spiders/disclosures.py) to make its requests and by
`budgets links` to show why a site yields what it yields.

A page is read in one of three roles, as the spider reaches it: a page on the way to the
columns (`discovery_verdicts`), a column's list page (`column_verdicts`), a disclosure page
(`detail_verdicts`). Each link gets one action:

    column      a 预算/决算 column (or a sub-column): its list is read
    follow      a page on the way to the columns
    document    a disclosure page
    attachment  a disclosure file
    pager       another page of the same column
    dropped     left alone; `rule` says why
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from crawler import navigation as nav
from crawler.discovery import (breadcrumb_segments, breadcrumb_stage, breadcrumb_unit, column_stage, is_folder_url,
                               is_home_page, is_nav_text, is_not_disclosure_folder, is_portal_name, is_site_furniture,
                               is_under, is_unit_name, is_year_folder)
from crawler.links import (attachment_type, clean_text, host_allowed, host_of, is_generic_link_text, page_attachments,
                           script_files, strip_dates)

_MAX_HEADING = 16  # a block's heading is a column's name, not a sentence


@dataclass(frozen=True)
class PageLink:
    url: str  # absolute
    text: str  # what the rules read: the link's text, or what stands for it
    named_by: str = "text"  # text | title | alt | image | heading | row | script
    in_footer: bool = False  # in a footer or 友情链接 block: other sites, not this one's tree


@dataclass(frozen=True)
class Verdict:
    url: str
    text: str
    action: str  # column | follow | document | attachment | pager | dropped
    rule: str
    stage: str = ""  # a column's: budget | final_account | both
    unit: str = ""  # the unit a followed page or column belongs to
    named_by: str = "text"
    entry: str = ""  # a followed page on another host than the roots': the department's entry there

    @property
    def reached(self) -> bool:
        return self.action != "dropped"


def page_links(html: str, page_url: str, embedded_html: list[str] | tuple[str, ...] = ()) -> list[PageLink]:
    """Every `<a href>` of a page (and of the HTML fragments it carries in scripts), in page order,
    with the text the rules read: a list's shortened title gives way to its whole `title=""`; a
    link without text (an image button) takes its image's `alt`, its `title` or the image's file
    name; a row's 查看 takes the row's title, a block's 更多>> the block's heading."""
    from scrapy.selector import Selector  # parsel, without a response

    anchors = list(Selector(text=html).css("a[href]"))
    for fragment in embedded_html:
        anchors += Selector(text=fragment).css("a[href]")
    links = []
    for anchor in anchors:
        href = anchor.attrib["href"].strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        text, named_by = link_text(anchor)
        links.append(PageLink(urljoin(page_url, href), text, named_by, in_footer(anchor)))
    seen = {link.url for link in links}
    for target in script_files(html):  # a PDF viewer's file: the page's own disclosure
        url = urljoin(page_url, target)
        if url not in seen:
            seen.add(url)
            links.append(PageLink(url, "", "script"))
    return links


def link_text(anchor) -> tuple[str, str]:
    """(the text the rules read for a link, where it came from)."""
    text = clean_text(" ".join(anchor.css("::text").getall()))
    title = clean_text(anchor.attrib.get("title", ""))
    if len(title) > len(text):
        return title, "title"
    if not text:
        alt = clean_text(" ".join(anchor.css("img::attr(alt), img::attr(title)").getall()))
        if alt:
            return alt, "alt"
        image = anchor.css("img::attr(src)").get() or ""
        name = image_name(image)
        if name:
            return name, "image"
    if is_more_link_text(text):
        heading = block_heading(anchor)
        if heading:
            return heading, "heading"
    if is_generic_link_text(text):
        row = row_title(anchor)
        if row:
            return row, "row"
    return text, "text"


def image_name(src: str) -> str:
    """'/images/czyjs.png' → 'czyjs'; '预决算公开.jpg' → '预决算公开'."""
    name = unquote(urlsplit(src.strip()).path.rsplit("/", 1)[-1])
    return re.sub(r"\.(png|jpe?g|gif|svg|webp|bmp)$", "", name, flags=re.I) if "." in name else ""


def is_more_link_text(text: str) -> bool:
    return bool(nav.MORE_LINK_TEXT.match(clean_text(text)))


def block_heading(anchor) -> str:
    """The heading of the block a 更多>> link sits in: the nearest enclosing block's other short
    text (`<div class="hd"><span>财政预决算</span><a>更多>></a></div>`), or the first heading
    element (h1–h5, class *tit* or *title*) inside it."""
    own = set(anchor.css("::text").getall())
    for block in reversed(anchor.xpath("ancestor::*[position() <= 3]")):  # nearest first
        if block.root.tag in ("body", "html"):
            break
        rest = clean_text(" ".join(t for t in block.css("::text").getall() if t not in own))
        if rest and len(rest) <= _MAX_HEADING:
            return rest
        for head in block.xpath(".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or "
                                "contains(@class,'tit') or contains(@class,'hd')]"):
            text = clean_text(" ".join(head.css("::text").getall()))
            if text and len(text) <= _MAX_HEADING and not is_more_link_text(text):
                return text
    return ""


def in_footer(anchor) -> bool:
    for block in anchor.xpath("ancestor::*[self::footer or @class or @id]"):
        if nav.FOOTER_BLOCK.search(f"{block.root.tag} {block.attrib.get('class', '')} {block.attrib.get('id', '')}"):
            return True
    return False


def row_title(anchor) -> str:
    """The title of the list row an anchor reading 查看 sits in: an element of class *tit*, a
    title="" attribute, or the row's own text, never the row's date."""
    rows = anchor.xpath("ancestor::*[self::li or self::tr or self::dd or self::dl][1]") or \
        anchor.xpath("ancestor::*[self::div or self::p][1]")
    if not rows:
        return ""
    row = rows[0]
    for candidate in (row.css("[class*=tit] ::text").getall(), row.css("[title]::attr(title)").getall()):
        text = strip_dates(" ".join(candidate))
        if text and not is_generic_link_text(text):
            return text
    own = set(anchor.css("::text").getall())
    return strip_dates(" ".join(t for t in row.css("::text").getall() if t not in own))


def _verdict(link: PageLink, action: str, rule: str, **kw) -> Verdict:
    return Verdict(link.url, link.text, action, rule, named_by=link.named_by, **kw)


def discovery_verdicts(links: list[PageLink], site, hosts, depth: int = 0, unit: str = "",
                       year: int | None = None, page_title: str = "", entry: str = "") -> list[Verdict]:
    """A page on the way to the columns: its columns are read, the links towards them followed
    within the site's depth limit, disclosures it links straight to fetched. `entry` is set on
    a department's entry on another host (the city portal's): only that entry's part of the
    portal is followed."""
    verdicts = [_discovery_verdict(link, site, hosts, depth, unit, year, page_title, entry) for link in links]
    return _year_folders_of_columns(verdicts)


def _discovery_verdict(link: PageLink, site, hosts, depth, unit, year, page_title, entry) -> Verdict:
    href, text = link.url, link.text
    if not host_allowed(href, list(hosts)):
        return _verdict(link, "dropped", "off the allowed hosts")
    if not is_folder_url(href) or site.is_excluded_url(href):
        if attachment_type(href, text, site.attachment_extensions):
            if site.is_disclosure(text, year):
                return _verdict(link, "attachment", "a disclosure's title on a file")
            if page_title and site.is_disclosure(page_title, year):
                return _verdict(link, "attachment", "a file of a page titled as a disclosure")
            return _verdict(link, "dropped", "a file that names no disclosure")
        if site.is_disclosure(text, year) and site.is_detail_url(href):
            return _verdict(link, "document", "a disclosure's title and a detail page's URL")
        if site.is_excluded_url(href):
            return _verdict(link, "dropped", "a news, plan or report path")
        return _verdict(link, "dropped", "not a folder, and not a disclosure page")
    if stage := column_stage(text):
        return _verdict(link, "column", "its text names a column", stage=stage, unit=unit)
    if depth >= site.discovery_depth:
        return _verdict(link, "dropped", f"deeper than {site.discovery_depth} hops")
    if is_not_disclosure_folder(text):
        return _verdict(link, "dropped", "the 公开指南, 年报, 制度 or 申请 of the catalogue")
    if is_home_page(href) and (link.in_footer or is_portal_name(text)):
        return _verdict(link, "dropped", "a portal's or another site's home page")
    if link.in_footer:
        return _verdict(link, "dropped", "in the footer: a directory of other sites")
    if is_site_furniture(text):
        return _verdict(link, "dropped", "its text names the site's own pages or services (首页, 新闻, 互动 …)")
    if not is_nav_text(text):
        return _verdict(link, "dropped", "its text names no column and no way to one")
    if entry and not within_entry(href, entry):
        return _verdict(link, "dropped", "the portal beyond the department's entry")
    next_unit = text if is_unit_name(text) else unit
    if site.roots and host_of(site.canonical(href)) not in {host_of(site.canonical(r)) for r in site.roots}:
        if not entry:
            return _verdict(link, "follow", "a department's entry on another host of the site", unit=next_unit,
                            entry=href)
        return _verdict(link, "follow", "within the department's entry", unit=next_unit, entry=entry)
    return _verdict(link, "follow", "its text leads towards the columns", unit=next_unit)


def within_entry(url: str, entry: str) -> bool:
    """A page of a department's entry on the portal: on its host, below its folder, or the same
    catalogue page with the same department (`xxgkml_bm.shtml?deptcode=…`)."""
    here, there = urlsplit(entry), urlsplit(url)
    if here.netloc != there.netloc:
        return True  # back on the department's own hosts
    if here.query and here.path == there.path:
        return bool(set(parse_qsl(here.query)) & set(parse_qsl(there.query)))
    return there.path.startswith(here.path.rsplit("/", 1)[0] + "/")


def _year_folders_of_columns(verdicts: list[Verdict]) -> list[Verdict]:
    """A year's folder (2026年) below a column linked on the same page is part of that column
    (温州's breadcrumb: 部门预算 > 2026年 > 市级部门预算)."""
    columns = [v for v in verdicts if v.action == "column"]
    out = []
    for v in verdicts:
        if v.action == "dropped" and is_year_folder(v.text) and is_folder_url(v.url):
            parent = next((c for c in columns if is_under(v.url, c.url)), None)
            if parent is not None:
                v = replace(v, action="column", rule="a year's folder below a column", stage=parent.stage,
                            unit=parent.unit)
        out.append(v)
    return out


def column_verdicts(links: list[PageLink], site, hosts, page_url: str, column: str, stage: str = "",
                    unit: str = "", year: int | None = None) -> list[Verdict]:
    """A column's list page: its disclosures, its further pages, and its sub-columns (per year,
    per department, 预算 and 决算 below 预算/决算)."""
    verdicts = []
    for link in links:
        href, text = link.url, link.text
        if not host_allowed(href, list(hosts)):
            verdicts.append(_verdict(link, "dropped", "off the allowed hosts"))
        elif site.is_pager_url(href, page_url):
            verdicts.append(_verdict(link, "pager", "another page of the column"))
        elif site.roots and is_folder_url(href) and not site.is_excluded_url(href) and column_stage(text):
            verdicts.append(_verdict(link, "column", "a sub-column", stage=column_stage(text), unit=unit))
        elif site.is_disclosure(text, year):
            if attachment_type(href, text, site.attachment_extensions):
                verdicts.append(_verdict(link, "attachment", "a disclosure's title on a file"))
            elif site.is_detail_url(href):
                verdicts.append(_verdict(link, "document", "a disclosure's title and a detail page's URL"))
            else:
                verdicts.append(_verdict(link, "dropped", "a disclosure's title, but no detail page's URL"))
        elif site.roots and is_folder_url(href) and not site.is_excluded_url(href):
            sub_stage = column_stage(text)
            if sub_stage or is_under(href, column):
                sub_unit = text if is_unit_name(text) and not sub_stage else unit
                verdicts.append(_verdict(link, "column", "a sub-column" if sub_stage else "a folder below the column",
                                         stage=sub_stage or stage, unit=sub_unit))
            else:
                verdicts.append(_verdict(link, "dropped", "a folder outside the column"))
        else:
            verdicts.append(_verdict(link, "dropped", "not a disclosure"))
    return verdicts


def detail_verdicts(html: str, page_url: str, site, hosts, title: str) -> list[Verdict]:
    """A disclosure page: its attachments are fetched (named after the page); nothing else."""
    verdicts = []
    for href, text, _kind in page_attachments(html, page_url, site.attachment_extensions):
        link = PageLink(href, f"{title} {text}")
        if host_allowed(href, list(hosts)):
            verdicts.append(_verdict(link, "attachment", "an attachment of a disclosure page"))
        else:
            verdicts.append(_verdict(link, "dropped", "an attachment off the allowed hosts"))
    return verdicts


def page_breadcrumb(html: str) -> str:
    """The text of a page's 当前位置 line: an element whose class says crumb, position, location or
    dqwz, or the parent of a 当前位置 / 您的位置 label."""
    from scrapy.selector import Selector

    sel = Selector(text=html)
    nodes = sel.xpath("//*[contains(@class,'crumb') or contains(@class,'position') or "
                      "contains(@class,'location') or contains(@class,'dqwz')]")
    if nodes:
        return clean_text(" ".join(nodes[0].css("::text").getall()))
    marked = sel.xpath("//*[contains(text(),'当前位置') or contains(text(),'您的位置') or contains(text(),'您现在的位置')]/..")
    return clean_text(" ".join(marked[0].css("::text").getall())) if marked else ""


def page_title(html: str) -> str:
    from scrapy.selector import Selector

    sel = Selector(text=html)
    return clean_text(sel.css("title::text").get() or sel.css("h1::text").get() or "")


def root_column_verdicts(links: list[PageLink], site, hosts, page_url: str, stage: str, unit: str,
                         depth: int = 0, year: int | None = None, page_title: str = "",
                         entry: str = "") -> list[Verdict]:
    """A page reached on the way whose breadcrumb ends in a column: read as that column, and the
    links a column leaves alone (its breadcrumb's 财政信息, 预决算公开统一平台 …, a viewer's file)
    as on the way, so that the column's siblings (决算 beside 预算) are found too."""
    as_column = column_verdicts(links, site, hosts, page_url, page_url, stage, unit, year)
    on_the_way = discovery_verdicts(links, site, hosts, depth, unit, year, page_title, entry)
    return [c if c.reached else w for c, w in zip(as_column, on_the_way)]


def beyond_the_column(links: list[PageLink], site, hosts, page_url: str, stage: str, unit: str,
                      depth: int = 0, year: int | None = None, page_title: str = "",
                      entry: str = "") -> list[Verdict]:
    """Of root_column_verdicts, those a column's reading does not make (the spider reads the
    column's own links as a column)."""
    as_column = column_verdicts(links, site, hosts, page_url, page_url, stage, unit, year)
    merged = root_column_verdicts(links, site, hosts, page_url, stage, unit, depth, year, page_title, entry)
    return [m for c, m in zip(as_column, merged) if not c.reached and m.reached]


def read_page(html: str, page_url: str, site, role: str = "", year: int | None = None) -> tuple[str, list[Verdict]]:
    """(role, verdicts) for a page as the spider reads it when it starts there: a page whose
    breadcrumb ends in a column is that column, any other a page on the way to the columns.
    `role` ('discovery', 'column', 'detail') says how to read it instead."""
    hosts = tuple(site.allowed_domains) + tuple(site.attachment_hosts)
    segments = breadcrumb_segments(page_breadcrumb(html))
    stage = breadcrumb_stage(segments) or ""
    links = page_links(html, page_url, site.embedded_html(html))
    unit = breadcrumb_unit(segments)
    title = page_title(html)
    if role == "column":
        return role, column_verdicts(links, site, hosts, page_url, page_url, stage, unit, year)
    if role == "detail":
        return role, detail_verdicts(html, page_url, site, hosts, title)
    if stage:
        return "column (its breadcrumb ends in one)", root_column_verdicts(links, site, hosts, page_url, stage, unit,
                                                                          0, year, title)
    return "discovery", discovery_verdicts(links, site, hosts, 0, unit, year, title)
