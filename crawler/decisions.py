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

from dataclasses import dataclass
from urllib.parse import urljoin

from crawler.discovery import (breadcrumb_segments, breadcrumb_stage, breadcrumb_unit, column_stage, is_folder_url,
                               is_nav_text, is_under, is_unit_name)
from crawler.links import attachment_type, clean_text, host_allowed, is_generic_link_text, page_attachments, strip_dates


@dataclass(frozen=True)
class PageLink:
    url: str  # absolute
    text: str  # what the rules read: the link's text, or what stands for it
    named_by: str = "text"  # text | title | row


@dataclass(frozen=True)
class Verdict:
    url: str
    text: str
    action: str  # column | follow | document | attachment | pager | dropped
    rule: str
    stage: str = ""  # a column's: budget | final_account | both
    unit: str = ""  # the unit a followed page or column belongs to
    named_by: str = "text"

    @property
    def reached(self) -> bool:
        return self.action != "dropped"


def page_links(html: str, page_url: str, embedded_html: list[str] | tuple[str, ...] = ()) -> list[PageLink]:
    """Every `<a href>` of a page (and of the HTML fragments it carries in scripts), in page order,
    with the text the rules read: a list's shortened title gives way to its whole `title=""`, and
    a row's 查看 takes the row's title."""
    from scrapy.selector import Selector  # parsel, without a response

    anchors = list(Selector(text=html).css("a[href]"))
    for fragment in embedded_html:
        anchors += Selector(text=fragment).css("a[href]")
    links = []
    for anchor in anchors:
        href = anchor.attrib["href"].strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        text = clean_text(" ".join(anchor.css("::text").getall()))
        title = clean_text(anchor.attrib.get("title", ""))
        named_by = "text"
        if len(title) > len(text):
            text, named_by = title, "title"
        if is_generic_link_text(text):
            row = row_title(anchor)
            if row:
                text, named_by = row, "row"
        links.append(PageLink(urljoin(page_url, href), text, named_by))
    return links


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
                       year: int | None = None) -> list[Verdict]:
    """A page on the way to the columns: its columns are read, the links towards them followed
    within the site's depth limit, disclosure pages it links straight to fetched."""
    verdicts = []
    for link in links:
        href, text = link.url, link.text
        if not host_allowed(href, list(hosts)):
            verdicts.append(_verdict(link, "dropped", "off the allowed hosts"))
        elif not is_folder_url(href) or site.is_excluded_url(href):
            if site.is_disclosure(text, year) and site.is_detail_url(href):
                verdicts.append(_verdict(link, "document", "a disclosure's title and a detail page's URL"))
            elif site.is_excluded_url(href):
                verdicts.append(_verdict(link, "dropped", "a news, plan or report path"))
            else:
                verdicts.append(_verdict(link, "dropped", "not a folder, and not a disclosure page"))
        elif stage := column_stage(text):
            verdicts.append(_verdict(link, "column", "its text names a column", stage=stage, unit=unit))
        elif depth >= site.discovery_depth:
            verdicts.append(_verdict(link, "dropped", f"deeper than {site.discovery_depth} hops"))
        elif is_nav_text(text):
            verdicts.append(_verdict(link, "follow", "its text leads towards the columns",
                                     unit=text if is_unit_name(text) else unit))
        else:
            verdicts.append(_verdict(link, "dropped", "its text names no column and no way to one"))
    return verdicts


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
    marked = sel.xpath("//*[contains(text(),'当前位置') or contains(text(),'您的位置')]/..")
    return clean_text(" ".join(marked[0].css("::text").getall())) if marked else ""


def page_title(html: str) -> str:
    from scrapy.selector import Selector

    sel = Selector(text=html)
    return clean_text(sel.css("title::text").get() or sel.css("h1::text").get() or "")


def read_page(html: str, page_url: str, site, role: str = "", year: int | None = None) -> tuple[str, list[Verdict]]:
    """(role, verdicts) for a page as the spider reads it when it starts there: a page whose
    breadcrumb ends in a column is that column, any other a page on the way to the columns.
    `role` ('discovery', 'column', 'detail') says how to read it instead."""
    hosts = tuple(site.allowed_domains) + tuple(site.attachment_hosts)
    segments = breadcrumb_segments(page_breadcrumb(html))
    stage = breadcrumb_stage(segments) or ""
    role = role or ("column" if stage else "discovery")
    links = page_links(html, page_url, site.embedded_html(html))
    unit = breadcrumb_unit(segments)
    if role == "column":
        return role, column_verdicts(links, site, hosts, page_url, page_url, stage, unit, year)
    if role == "detail":
        return role, detail_verdicts(html, page_url, site, hosts, page_title(html))
    return role, discovery_verdicts(links, site, hosts, 0, unit, year)
