"""What every site config says, and base classes for the content-management systems that
district sites share. A district is a few attributes on one of these classes.

A config that lacks a required attribute raises `NotConfigured` when it is created, so a
mistake fails before the first request, not halfway through a crawl.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from crawler.listing import HANWEB_RECORD, AnyListApi, FujianSearch, GkmlptApi, HanwebDataproxy, JsonList

from crawler.links import (ATTACHMENT_EXTENSIONS, NON_DISCLOSURE_PATH, PROXY_PATH, canonical_url, clean_text,
                           js_pager_urls, strip_dates, title_years)

YEAR = re.compile(r"(20\d\d)\s*年")
# a title without a year is a disclosure only if it is a document's name, not a column's
_MIN_YEARLESS_TITLE = 12


class Site:
    """A district site: where its budget and final-account columns are and how to read them."""

    name: str = ""  # what `-a site=NAME` and `budgets crawl --site NAME` take
    district: str = ""  # 重庆市潼南区: recorded when a document's title does not say
    start_urls: tuple[str, ...] = ()  # list pages of the 预算/决算 columns known beforehand
    # pages to discover columns from (crawler/discovery.py): home, department directory, 政府信息公开
    roots: tuple[str, ...] = ()
    discovery_depth = 6  # link hops from a root (home → 部门 → unit → 政务公开 → 法定主动公开 → 预算/决算 → 预算)
    max_discovery_pages = 5000
    allowed_domains: tuple[str, ...] = ()
    attachment_hosts: tuple[str, ...] = ()  # file servers on sibling hosts (attachments only)
    source: str = ""  # where the URL patterns come from, and how sure we are of them
    verified: str = ""  # date a person checked the config against the live site (`budgets smoke`)
    usable = True  # `--all` runs it (False: documented, but with nothing known to start from)

    # Which links are disclosures: their text names a budget or final account and a year,
    # and is not a notice about one.
    disclosure_title = re.compile(r"预算|决算")
    # 会议 but not 政治协商会议 (every 政协 body's name); news about the disclosure work itself
    excluded_title = re.compile(r"通知|公告|工作报告|征求意见|招标|中标|采购意向|(?<!政治协商)会议|培训|解读"
                                r"|公开工作|工作(圆满|顺利)?完成|圆满完成|顺利完成|国民经济和社会发展计划")
    detail_url = re.compile(r".")  # what a disclosure page's URL looks like on this CMS
    list_url = re.compile(r"/index(_\d+)?\.s?html?$")  # list pages of a column (pagination)
    attachment_extensions: tuple[str, ...] = ATTACHMENT_EXTENSIONS
    host_aliases: dict[str, str] = {}  # other spellings of a host → the one we record
    list_api = None  # a crawler/listing.py mechanism when scripts fill the list (JSON API, dataproxy)
    concurrency = 1  # requests at a time to this site (1–2 is polite)
    max_list_pages = 200

    required = ("name", "district", "allowed_domains", "source")

    def __init__(self):
        if not self.usable:  # documented as far as it goes (district, source); nothing to crawl yet
            return
        missing = [attr for attr in self.required if not getattr(self, attr, None)]
        if not self.start_urls and not self.roots:
            missing.append("start_urls (or roots)")
        if missing:
            raise NotConfigured(
                f"site config {type(self).__name__} ({self.name or 'no name'}) is missing "
                f"{', '.join(missing)}"
            )

    def is_disclosure(self, text: str, year: int | None = None) -> bool:
        """'重庆市潼南区…2026年部门预算公开' is; '关于做好2026年部门预算公开工作的通知' is not. A
        title without a year ('…安胜镇人民政府(本级)决算公开说明及公开报表') is, if it is long
        enough to name a body (a column's name, '部门预算', is not): its year comes from the page."""
        text = strip_dates(text)
        if not self.disclosure_title.search(text) or self.excluded_title.search(text):
            return False
        years = title_years(text)
        if not years:
            return len(text) >= _MIN_YEARLESS_TITLE
        return year is None or year in years

    def is_disclosure_in_column(self, text: str, stage: str, year: int | None = None) -> bool:
        """An item of a 预算/决算 column's list: a disclosure's title, or only a year and a body's
        name, which in such a column is that body's disclosure ('2026年三明市人民政协办公室' in 三明's
        2026年度三明市本级部门预算公开专栏)."""
        if self.is_disclosure(text, year):
            return True
        text = strip_dates(text)
        years = title_years(text)
        if not stage or not years or (year is not None and year not in years) or self.excluded_title.search(text):
            return False
        from crawler.discovery import is_unit_name

        return is_unit_name(YEAR.sub("", text).removeprefix("度"))

    def is_excluded_url(self, url: str) -> bool:
        """News, plans and work reports in the same trees, and proxy copies of pages."""
        path = urlsplit(url).path
        return bool(NON_DISCLOSURE_PATH.search(path) or PROXY_PATH.search(path))

    def is_detail_url(self, url: str) -> bool:
        return bool(self.detail_url.search(urlsplit(url).path)) and not self.is_excluded_url(url)

    def is_pager_url(self, url: str, list_page_url: str) -> bool:
        """A link to another page of the same column: index_N.html in the same folder."""
        here, there = urlsplit(list_page_url), urlsplit(url)
        return (here.netloc == there.netloc
                and there.path.rsplit("/", 1)[0] == here.path.rsplit("/", 1)[0]
                and bool(self.list_url.search(there.path)))

    def pager_urls(self, page_url: str, html: str) -> list[str]:
        return []

    def embedded_html(self, html: str) -> list[str]:
        """HTML fragments a list page carries outside its markup (in a script), whose links
        count as the page's own."""
        return []

    def canonical(self, url: str) -> str:
        return canonical_url(url, self.host_aliases)


class TRSSite(Site):
    """TRS WCM sites, among them the platform every Chongqing district shares: detail pages
    `…/YYYYMM/tYYYYMMDD_<id>.html` (a `_wap.html` mobile twin beside each), list pages
    `index.html`, `index_1.html` … written by the JavaScript pager `createPageHTML(n, i,
    "index", "html")`, attachments uploaded as `P0<date>….pdf|xls|…`."""

    detail_url = re.compile(r"/\d{6}/t\d{8}_\d+(_wap)?\.s?html?$")

    def pager_urls(self, page_url: str, html: str) -> list[str]:
        return js_pager_urls(page_url, html)


class ChongqingDistrictSite(TRSSite):
    """A Chongqing district or county site: all run on one shared TRS platform (one id
    sequence across districts). A department's disclosures sit in its sub-site
    (`/bm/<dept>/zwgk_<n>/fdzdgknr_<n>/ysjs_<n>/{ys,js}/`) or in the district's main tree
    (`/zwgk_<n>/fdzdgknr/czyjs/…`); a config lists the columns it knows. Hosts occur with and
    without `www.`: `host_aliases` records one spelling (see docs/REAL-SITES.md §2.1)."""


class ShanghaiZhengwuSite(Site):
    """Shanghai district 政务公开 sites (普陀 shpt.gov.cn): a department's column lists its
    budget and final-account disclosures, each a detail page `…/zhengwu/<dept>/<year>/<n>/<n>/
    <id>.html` or a PDF `…/<32-hex>.pdf` linked straight from the list."""

    detail_url = re.compile(r"/zhengwu/[\w-]+/20\d\d/\d+/\d+\.html$")


class JsonListSite(Site):
    """A site whose column pages are shells a script fills from a JSON list API: `list_api` is a
    `crawler.listing.JsonList` saying the request template and where the items, URLs, titles,
    dates and page count are."""

    required = Site.required + ("list_api",)


class ShanghaiJsonSite(JsonListSite, ShanghaiZhengwuSite):
    """Shanghai district sites whose column `index.html` is an empty shell (普陀, REAL-SITES §5.2):
    `POST /front/api/data/affair` with the column's channel id lists its pages."""

    list_api = JsonList(
        url="/front/api/data/affair",
        body={"channelList": ["{channel}"], "pageSize": "{size}", "orderFields": ["display_date"],
              "orderTypes": ["desc"], "pageNo": "{page}", "docFlag": "1"},
    )


class HanwebSite(Site):
    """Hanweb (大汉) JCMS sites (浙江, 山东): a column's list page `/col/col<colId>/index.html`
    carries its items inside `<script type="text/xml"><datastore>…<record><![CDATA[<li><a …>]]>
    </record>…`, which a browser's script turns into the list; detail pages are
    `/art/YYYY/M/D/art_<colId>_<docId>.html` (month and day not zero-padded). Further list pages
    come from a `dataproxy.jsp` POST (`jpage({totalRecord, perPage})`), which `list_api` makes."""

    detail_url = re.compile(r"/art/20\d\d/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$")
    list_url = re.compile(r"/col/col\d+/index\.html$")
    list_api = HanwebDataproxy()  # pages after the first: POST dataproxy.jsp

    def embedded_html(self, html: str) -> list[str]:
        return HANWEB_RECORD.findall(html)


class GuangdongGkmlptSite(Site):
    """Guangdong's 政府信息公开 platform (gkmlpt), which every city, district, county and department
    site of the province carries under `…/gkmlpt/`: the index page `…/gkmlpt/index` is a shell
    whose script lists each category (`#612 财政预决算`, `#613 部门预决算`) from a JSON API, which
    `list_api` calls; disclosures are `…/gkmlpt/content/<n>/<n>/post_<id>.html` with their files
    under `…/attachment/`. A department's platform may sit on its own host
    (`fszj.foshan.gov.cn/gkmlpt/index`) or in its folder on the city portal's
    (`www.foshan.gov.cn/fszsj/gkmlpt/index`, `www.yangjiang.gov.cn/yjzjj/gkmlpt/index`)."""

    detail_url = re.compile(r"/gkmlpt/content/\d+/\d+/post_\d+\.html$")
    list_url = re.compile(r"/gkmlpt/index$")
    list_api = GkmlptApi()


class AnyPlatformSite(Site):
    """The link rules with the detail-URL patterns of every CMS family seen (docs/REAL-SITES.md
    §2): what discovery and the REAL-SITES check use when the platform is not known."""

    name = "any-platform"
    from crawler.links import ANY_DETAIL_URL as detail_url
    list_api = AnyListApi((GkmlptApi(), HanwebDataproxy(), FujianSearch()))  # whichever a column page uses

    def embedded_html(self, html: str) -> list[str]:
        return HANWEB_RECORD.findall(html)  # Hanweb lists carry their rows in a script
