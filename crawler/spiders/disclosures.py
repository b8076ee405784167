"""The one spider: walks a site's 预算/决算 columns, yields every disclosure page and attachment.

    scrapy crawl disclosures -a site=cqtn [-a year=2026]
    scrapy crawl disclosures -a site=cqtn -a replica=127.0.0.1:8765   # a rebuilt copy on loopback
    scrapy crawl disclosures -a home=https://www.example.gov.cn/ [-a site=NAME]   # a site from its home URL

It only finds links; storing, extracting and reporting happen in pipelines and extensions.
"""
from __future__ import annotations


import scrapy
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest, NotConfigured
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TimeoutError as TxTimeoutError

from budgets.pipeline import document_id
from crawler import sites
from crawler.columns import ColumnLedger
from crawler.decisions import (beyond_the_column, column_verdicts, detail_verdicts, discovery_verdicts, page_breadcrumb,
                               page_links)
from crawler.discovery import breadcrumb_segments, breadcrumb_stage, breadcrumb_unit
from crawler.items import FetchedDocument, now
from crawler.links import attachment_type, clean_text, disclosure_years, filename_from, host_allowed
from crawler.pipelines import db_path
from crawler.replica import replica_settings
from crawler.sites.home import site_from_home


class DisclosuresSpider(scrapy.Spider):
    name = "disclosures"

    def __init__(self, site: str | None = None, year: str | int | None = None,
                 replica: str | None = None, home: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if home:  # a site from its home URL alone: every platform's rules, its registrable domain
            self.site = site_from_home(home, name=site or "")
        elif not site:
            raise NotConfigured(f"which site? scrapy crawl disclosures -a site=NAME ({', '.join(sites.names())}) "
                                "or -a home=URL")
        else:
            try:
                self.site = sites.load(site)
            except KeyError as exc:
                raise NotConfigured(str(exc).strip("'\"")) from exc
        self.year = int(year) if year else None
        self.replica = replica
        # attachment hosts are allowed to the downloader; links to pages there are not followed
        self.allowed_domains = list(self.site.allowed_domains) + list(self.site.attachment_hosts)
        self.list_pages: set[str] = set()
        self.discover_pages: set[str] = set()
        self.columns = ColumnLedger(self.site.name)
        self.urls_seen: set[str] = set()  # every document URL linked this run (for withdrawals)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.columns.bind(db_path(crawler.settings))
        crawler.settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", spider.site.concurrency, priority="spider")
        if spider.replica:
            for name, value in replica_settings(spider.replica).items():
                crawler.settings.set(name, value, priority="spider")
        return spider

    def closed(self, reason):
        self.columns.close(reason, complete=self._walked_everything(reason), stats=self.crawler.stats)

    def _walked_everything(self, reason: str) -> bool:
        """Only a finished discovery that hit no cap and lost no page can say a column vanished."""
        stats = self.crawler.stats
        if self.crawler.settings.getbool("BUDGETS_SHARED_FRONTIER"):  # one worker sees part of the walk
            return False
        return (reason == "finished" and bool(self.site.roots) and not stats.get_value("budgets/discovery_capped")
                and not stats.get_value("budgets/list_pages_capped") and not stats.get_value("budgets/list_errors"))

    async def start(self):
        for url in self.site.start_urls:
            if request := self._list_request(url, found_from="config"):
                yield request
        for url in self.columns.known_urls():
            if request := self._list_request(url, found_from="columns table", known=True):
                yield request
        for url in self.site.roots:
            if request := self._discover_request(url, depth=0, unit=""):
                yield request

    # discovery: from the roots to the columns ----------------------------------------------------

    def _discover_request(self, url: str, depth: int, unit: str, entry: str = "") -> scrapy.Request | None:
        url = self.site.canonical(url)
        if url in self.list_pages or url in self.discover_pages:
            return None
        if len(self.discover_pages) >= self.site.max_discovery_pages:
            self.crawler.stats.inc_value("budgets/discovery_capped")
            return None
        self.discover_pages.add(url)
        return scrapy.Request(url, callback=self.parse_discover, errback=self.failed,
                              meta={"role": "discover", "depth": depth, "unit": unit, "entry": entry})

    def parse_discover(self, response):
        """A page on the way to the columns: follow its columns and, within the depth limit, the
        links towards them; a page whose breadcrumb ends in a column is a column itself."""
        self.crawler.stats.inc_value("budgets/discovery_pages")
        if not isinstance(response, TextResponse):
            return
        segments = breadcrumb_segments(self._breadcrumb(response))
        stage = breadcrumb_stage(segments)
        unit = response.meta.get("unit") or breadcrumb_unit(segments)
        depth, entry = response.meta.get("depth", 0), response.meta.get("entry", "")
        links, title = self._page_links(response), self._page_title(response)
        if stage:
            self.columns.found(response.url, unit, stage, "breadcrumb")
            yield from self._parse_column(response, stage, unit)
            verdicts = beyond_the_column(links, self.site, self.allowed_domains, response.url, stage, unit, depth,
                                         self.year, title, entry)
        else:
            verdicts = discovery_verdicts(links, self.site, self.allowed_domains, depth, unit, self.year, title, entry)
            yield from self._script_filled_lists(response, unit)
        for verdict in verdicts:
            if verdict.action == "document":
                yield self._document_request(verdict.url, verdict.text, parent_id=None, callback=self.parse_detail)
            elif verdict.action == "attachment":
                yield self._document_request(verdict.url, verdict.text, parent_id=None)
            elif verdict.action == "column":
                if request := self._list_request(verdict.url, found_from="link text", unit=verdict.unit or unit,
                                                 stage=verdict.stage):
                    yield request
            elif verdict.action == "follow":
                if request := self._discover_request(verdict.url, depth + 1, verdict.unit, verdict.entry):
                    yield request

    def _script_filled_lists(self, response, unit: str):
        """A page on the way whose script lists the columns itself (Guangdong's gkmlpt index,
        reached as 信息公开 rather than by a column's name): its list API is called as a column's
        would be, and the page is not asked for again as a column."""
        api = self.site.list_api
        calls = api.column_calls(response.url, response.text) if hasattr(api, "column_calls") else []
        if calls:
            self.list_pages.add(self.site.canonical(response.url))
            self.columns.found(response.url, unit, "both", "list API")
        for call in calls:
            if request := self._api_request(call, "both"):
                yield request

    # list pages -----------------------------------------------------------------------------

    def _list_request(self, url: str, found_from: str = "", unit: str = "", stage: str = "",
                      known: bool = False, column: str | None = None) -> scrapy.Request | None:
        url = self.site.canonical(url)
        if url in self.list_pages:
            return None
        again = url in self.discover_pages  # reached before on the way, now known to be a column
        if len(self.list_pages) >= self.site.max_list_pages:
            self.crawler.stats.inc_value("budgets/list_pages_capped")
            return None
        self.list_pages.add(url)
        return scrapy.Request(url, callback=self.parse_list, errback=self.failed, dont_filter=again,
                              meta={"role": "list", "found_from": found_from, "unit": unit, "stage": stage,
                                    "known_column": known, "column": column})

    def parse_list(self, response):
        self.crawler.stats.inc_value("budgets/pages")
        if not isinstance(response, TextResponse):
            return
        meta = response.meta
        if meta.get("column") is None:  # a column's first page, not one of its pager pages
            segments = breadcrumb_segments(self._breadcrumb(response))
            unit = meta.get("unit") or breadcrumb_unit(segments)
            stage = meta.get("stage") or breadcrumb_stage(segments) or ""
            self.columns.found(response.url, unit, stage, meta.get("found_from") or "")
        yield from self._parse_column(response, meta.get("stage") or "", meta.get("unit") or "")

    def _api_request(self, call, stage: str = "") -> scrapy.Request | None:
        if call.key in self.list_pages:
            return None
        if len(self.list_pages) >= self.site.max_list_pages:
            self.crawler.stats.inc_value("budgets/list_pages_capped")
            return None
        self.list_pages.add(call.key)
        return scrapy.Request(call.url, method=call.method, body=call.body or None, headers=dict(call.headers),
                              callback=self.parse_api, errback=self.failed,
                              meta={"role": "list", "call": call, "column": call.column, "stage": stage})

    def parse_api(self, response):
        """An answer of the column's list API: its links, and the further pages it announces."""
        self.crawler.stats.inc_value("budgets/list_api_pages")
        call = response.meta["call"]
        links, more = self.site.list_api.parse(call, response.text)
        stage = response.meta.get("stage", "")
        for url, title, _date in links:
            if not host_allowed(url, list(self.site.allowed_domains)) \
                    or not self.site.is_disclosure_in_column(title, stage, self.year):
                continue
            if attachment_type(url, title, self.site.attachment_extensions):
                yield self._document_request(url, title, parent_id=None)
            elif self.site.is_detail_url(url):
                yield self._document_request(url, title, parent_id=None, callback=self.parse_detail)
        for next_call in more:
            if request := self._api_request(next_call, stage):
                yield request

    def _parse_column(self, response, stage: str, unit: str):
        """Disclosures, further pages, and the column's own sub-columns (per year, per department,
        预算 and 决算 below 预算/决算)."""
        column = response.meta.get("column") or response.url
        if self.site.list_api is not None and response.meta.get("column") is None:
            for call in self.site.list_api.first_calls(response.url, response.text):
                if request := self._api_request(call, stage):
                    yield request
        for url in self.site.pager_urls(response.url, response.text):
            if request := self._list_request(url, column=column):
                yield request
        for verdict in column_verdicts(self._page_links(response), self.site, self.allowed_domains, response.url,
                                       column, stage, unit, self.year):
            if verdict.action == "pager":
                if request := self._list_request(verdict.url, column=column):
                    yield request
            elif verdict.action == "attachment":
                yield self._document_request(verdict.url, verdict.text, parent_id=None)
            elif verdict.action == "document":
                yield self._document_request(verdict.url, verdict.text, parent_id=None, callback=self.parse_detail)
            elif verdict.action == "column":
                if request := self._list_request(verdict.url, found_from="sub-column", unit=verdict.unit,
                                                 stage=verdict.stage):
                    yield request

    # disclosure pages and attachments --------------------------------------------------------

    def parse_detail(self, response):
        if not isinstance(response, TextResponse):  # the "page" link served a file itself
            yield self._document(response)
            return
        self.crawler.stats.inc_value("budgets/pages")
        title = response.meta["title_hint"] or self._page_title(response)
        if self.year and not self._is_of_year(response, title):
            return
        page = self._document(response)
        yield page
        for verdict in detail_verdicts(response.text, response.url, self.site, self.allowed_domains, title):
            if verdict.action == "attachment":
                yield self._document_request(verdict.url, verdict.text, parent_id=page.id)

    def _is_of_year(self, response, title: str) -> bool:
        """A page whose link named no year: its breadcrumb or publication date decides."""
        crumb = self._breadcrumb(response)
        published = " ".join(response.xpath("//*[contains(text(),'发布日期')]/following::text()[1]").getall()) \
            or response.url
        years = disclosure_years(title, crumb, published)
        return not years or self.year in years

    def parse_attachment(self, response):
        yield self._document(response)

    def failed(self, failure):
        """A request that got no usable response: a documents row with the reason, or for a
        list page a counted error; requests refused by robots.txt are only counted."""
        request = failure.request
        stats = self.crawler.stats
        if failure.check(IgnoreRequest) and not failure.check(HttpError) and not _redirect_loop(failure):
            stats.inc_value("budgets/refused")
            self.logger.info("not fetched (robots.txt or off-site): %s", request.url)
            return
        reason = self._reason(failure)
        stats.inc_value("budgets/errors")
        stats.set_value("budgets/last_error", reason)
        self.logger.warning("%s", reason)
        if request.meta.get("known_column") and failure.check(HttpError) \
                and failure.value.response.status in (404, 410):
            stats.inc_value("budgets/columns_gone")  # a column found before is not there: vanished
            return
        if request.meta.get("role") == "list":
            stats.inc_value("budgets/list_errors")
            return
        if request.meta.get("role") == "discover":
            stats.inc_value("budgets/discovery_errors")
            return
        yield FetchedDocument(
            url=request.url, site=self.site.name, district_hint=self.site.district,
            title_hint=request.meta.get("title_hint", ""), fetched_at=now(),
            parent_id=request.meta.get("parent_id"),
            filename=filename_from(request.url), error=reason,
        )

    def _reason(self, failure) -> str:
        """'HTTP 404 fetching URL', 'HTTP 503 (3 attempts) fetching URL', 'timed out after 60 s
        (4 attempts) fetching URL', or the network error's own words."""
        url = failure.request.url
        tries = failure.request.meta.get("retry_times", 0) + 1
        attempts = f" ({tries} attempts)" if tries > 1 else ""
        if failure.check(HttpError):
            return f"HTTP {failure.value.response.status}{attempts} fetching {url}"
        if failure.check(DownloadTimeoutError, TxTimeoutError):
            timeout = failure.request.meta.get("download_timeout") or self.settings.getfloat("DOWNLOAD_TIMEOUT")
            return f"timed out after {timeout:g} s{attempts} fetching {url}"
        if _redirect_loop(failure):
            return f"redirect loop: more than {self.settings.getint('REDIRECT_MAX_TIMES')} redirects fetching {url}"
        if "download max size" in str(failure.value):
            limit = self.settings.getint("DOWNLOAD_MAXSIZE") / 1024 / 1024
            return (f"larger than the {limit:.0f} MB download limit, not downloaded: {url} "
                    "(raise BUDGETS_MAX_DOCUMENT_MB if it is a real disclosure)")
        if "DataLoss" in type(failure.value).__name__:
            return (f"connection cut before the end{attempts} fetching {url} (fewer bytes than its "
                    "Content-Length); the site may be overloaded: the next crawl tries again")
        return f"{type(failure.value).__name__}{attempts} fetching {url}: {failure.getErrorMessage()}"

    # helpers ---------------------------------------------------------------------------------

    def _document_request(self, href, text, parent_id, callback=None):
        role = "page" if callback else "attachment"
        request = scrapy.Request(self.site.canonical(href), callback=callback or self.parse_attachment,
                                 errback=self.failed,
                                 meta={"role": role, "title_hint": clean_text(text), "parent_id": parent_id})
        self.urls_seen.add(request.url)  # as requested: percent-encoded
        return request

    def _document(self, response) -> FetchedDocument:
        headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1")
                   for k, v in response.headers.items()}
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        return FetchedDocument(
            url=response.url, site=self.site.name, district_hint=self.site.district,
            title_hint=response.meta.get("title_hint", ""), fetched_at=now(),
            parent_id=response.meta.get("parent_id"), body=response.body, id=document_id(response.body),
            filename=filename_from(response.url, response.headers.get("Content-Disposition")),
            content_type=content_type, headers=headers,
        )

    def _page_links(self, response):
        return page_links(response.text, response.url, self.site.embedded_html(response.text))

    @staticmethod
    def _breadcrumb(response) -> str:
        return page_breadcrumb(response.text)

    @staticmethod
    def _page_title(response) -> str:
        return clean_text(response.css("title::text").get() or response.css("h1::text").get() or "")


def _redirect_loop(failure) -> bool:
    """Scrapy gives up a redirect loop with IgnoreRequest, as it does an off-site link; a loop is
    an error to record, not a refusal."""
    return failure.check(IgnoreRequest) is not None and "max redirections" in str(failure.value)
