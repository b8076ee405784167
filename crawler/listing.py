"""How a column's list is filled, beyond the links in its HTML: list APIs a page's script calls
(docs/REAL-SITES.md §5.2). Pure: a mechanism turns a column page into the calls to make, and a
call's answer into links and further calls; the spider does the fetching.

- `JsonList`: JSON/POST list APIs (上海普陀 `POST /front/api/data/affair`, body with `channelList`,
  `pageSize`, `pageNo`; answer `data.list[].url/title/display_date`, `data.totalPage`).
- `HanwebDataproxy`: Hanweb's `POST /module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…`,
  for the pages after the first (`jpage({totalRecord, perPage})`); answers `<record><![CDATA[…]]>`.
- `TrsSearchApi`: TRS list pages paged by a search API with a channel id and page size
  (`/fjdzapp/search?chnlid=<id>&page=N&size=15`), answering JSON like `JsonList`.
- `GkmlptApi`: Guangdong's 政府信息公开 platform (`…/gkmlpt/index#<category>`), every city,
  district, county and department of the province: the index page carries the site id and the
  category tree, `GET …/gkmlpt/api/all/<category>?page=N&sid=<SID>` lists a category.
- `FujianSearch`: Fujian's shared TRS platform (福州, 莆田, 三明, 平潭, the province's departments):
  a column page's script posts `channelid=<site>&classsql=chnlid=<column>&page=N&prepage=15` to
  `/fjdzapp/search`, answering `{"pageCount", "recordCount", "data": [{"doctitle", "url",
  "docreltime", "files"}]}`.
- `AnyListApi`: whichever of the above a page turns out to use (sites known by their home URL).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit


@dataclass(frozen=True)
class ListCall:
    url: str
    method: str = "GET"
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    page: int = 1
    column: str = ""  # the column page it lists

    @property
    def key(self) -> str:
        return f"{self.method} {self.url} {self.body}"


def _dig(data, path: str):
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _answer_links(call: ListCall, text: str, items: str, url_keys: tuple[str, ...], title_key: str,
                  date_key: str) -> tuple[object, list[tuple[str, str, str]]]:
    """A list API's JSON answer (None when it is not JSON) and the items at `items` as links
    (url, title, date): an item's URL is the first of `url_keys` it has."""
    try:
        data = json.loads(text)
    except ValueError:
        return None, []
    links = []
    for item in _dig(data, items) or []:
        url = next((item[key] for key in url_keys if item.get(key)), None) if isinstance(item, dict) else None
        if url:
            links.append((urljoin(call.column, str(url)), str(item.get(title_key) or ""), str(item.get(date_key) or "")))
    return data, links


@dataclass
class JsonList:
    """A JSON list API. `body` is the request template: `{channel}` and `{page}` are filled in
    (for GET, `url` carries them). The channel id is read from the column's shell page."""

    url: str
    body: dict | None = None  # POST a JSON body; None: GET `url`
    channel: re.Pattern = re.compile(r"""channel(?:List|Id|_id)?["']?\s*[:=]\s*\[?\s*["']?([\w-]+)""")
    items: str = "data.list"
    url_key: str = "url"
    title_key: str = "title"
    date_key: str = "display_date"
    total_pages: str = "data.totalPage"
    page_size: int = 15

    def _call(self, column: str, channel: str, page: int) -> ListCall:
        if self.body is None:
            return ListCall(urljoin(column, self.url.format(channel=channel, page=page, size=self.page_size)),
                            page=page, column=column)
        body = json.dumps(self.body).replace('"{channel}"', json.dumps(channel)).replace(
            '"{page}"', str(page)).replace('"{size}"', str(self.page_size))
        return ListCall(urljoin(column, self.url), "POST", body, (("Content-Type", "application/json"),),
                        page, column)

    def first_calls(self, column: str, html: str) -> list[ListCall]:
        m = self.channel.search(html)
        return [self._call(column, m.group(1), 1)] if m else []

    def parse(self, call: ListCall, text: str) -> tuple[list[tuple[str, str, str]], list[ListCall]]:
        """(links as (url, title, date), further calls): page 1 asks for pages 2 … totalPage."""
        data, links = _answer_links(call, text, self.items, (self.url_key,), self.title_key, self.date_key)
        more = []
        if call.page == 1 and data is not None:
            total = _dig(data, self.total_pages)
            channel = re.search(r'"channelList":\s*\["([^"]+)"', call.body) if call.body else None
            chan = channel.group(1) if channel else dict(parse_qsl(urlsplit(call.url).query)).get("chnlid", "")
            if isinstance(total, (int, str)) and str(total).isdigit():
                more = [self._call(call.column, chan, p) for p in range(2, int(total) + 1)]
        return links, more


TrsSearchApi = JsonList  # the same shape: a GET `url` with {channel}, {page}, {size}


# Hanweb lists carry their items as <record><![CDATA[<li>…]]></record>, on the page and in dataproxy answers
HANWEB_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_DATAPROXY = re.compile(r"""["'](/module/web/jpage/dataproxy\.jsp\?[^"']+)["']""")
_TOTAL = re.compile(r"totalRecord\s*[:=]\s*['\"]?(\d+)")
_PER_PAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)")


@dataclass
class HanwebDataproxy:
    """Hanweb's jpage pager: the first page is in the page's datastore; the rest by POST."""

    fields: tuple[str, ...] = field(default=("col", "appid", "webid", "path", "columnid", "sourceContentType",
                                             "unitid", "webname", "permissiontype"))

    def first_calls(self, column: str, html: str) -> list[ListCall]:
        proxy, total, per_page = _DATAPROXY.search(html), _TOTAL.search(html), _PER_PAGE.search(html)
        if not (proxy and total and per_page):
            return []
        params = dict(parse_qsl(urlsplit(proxy.group(1)).query))
        body = urlencode({k: params[k] for k in self.fields if k in params})
        per, pages = int(per_page.group(1)), math.ceil(int(total.group(1)) / int(per_page.group(1)))
        calls = []
        for page in range(2, pages + 1):
            query = urlencode({"startrecord": (page - 1) * per + 1, "endrecord": page * per, "perpage": per})
            calls.append(ListCall(urljoin(column, f"/module/web/jpage/dataproxy.jsp?{query}"), "POST", body,
                                  (("Content-Type", "application/x-www-form-urlencoded"),), page, column))
        return calls

    def owns(self, call: ListCall) -> bool:
        return "/module/web/jpage/dataproxy.jsp" in call.url

    def parse(self, call: ListCall, text: str) -> tuple[list[tuple[str, str, str]], list[ListCall]]:
        from scrapy.selector import Selector

        links = []
        for record in HANWEB_RECORD.findall(text):
            for a in Selector(text=record).css("a[href]"):
                title = a.attrib.get("title") or " ".join(a.css("::text").getall())
                links.append((urljoin(call.column, a.attrib["href"]), title.strip(), ""))
        return links, []


# Guangdong's 政府信息公开 platform (gkmlpt). Described from public crawlers of it: the index page
# `…/gkmlpt/index` is a Vue shell whose `window._CONFIG = {…SID: '755041', …TREE: [{id, name,
# children, jump_url, post_count}, …], SERVICE_AREA_ID…}` names the site and its categories; the
# category `#612` of a link is read by the script, never sent. The list is
# `GET …/gkmlpt/api/all/<id>?page=N&sid=<SID>` answering `{"classify": {"post_count"}, "total",
# "articles": [{"id", "title", "url", "created_at", "attachment": [{"name", "url"}]}]}`, up to 100
# articles a page, pages counted from 1; a detail page is `…/gkmlpt/content/<id//10⁶>/<id//10³>/
# post_<id>.html` (hulelan/china-governance crawlers/gkmlpt.py and its research log; 阳江 住建局's
# `/yjzjj/gkmlpt/api/all/721?page=1&sid=662021` in a public test suite).
_GKMLPT_SID = re.compile(r"""\bSID\s*:\s*['"]?(\d+)""")
_GKMLPT_TREE = re.compile(r"\bTREE\s*:\s*(?=\[)")
_GKMLPT_INDEX = re.compile(r"^(.*?/gkmlpt)/index\b")


def gkmlpt_tree(html: str) -> list[dict]:
    """The category tree of a gkmlpt index page (`_CONFIG.TREE`), [] when there is none."""
    m = _GKMLPT_TREE.search(html)
    if not m:
        return []
    try:
        tree, _end = json.JSONDecoder().raw_decode(html, m.end())
    except ValueError:
        return []
    return tree if isinstance(tree, list) else []


def budget_categories(tree: list[dict], inside: bool = False) -> list[tuple[int, str]]:
    """The categories to list: every category named as a 预算/决算 column (财政预决算, 部门预决算,
    部门预算 …) and those below one, leaves only (a parent lists nothing of its own); categories
    that only jump to another page are not lists."""
    from crawler.discovery import column_stage

    found = []
    for node in tree:
        if not isinstance(node, dict) or node.get("jump_url"):
            continue
        here = inside or column_stage(str(node.get("name", ""))) is not None
        children = node.get("children") or []
        if children:
            found += budget_categories(children, here)
        elif here and str(node.get("id", "")).isdigit():
            found.append((int(node["id"]), str(node.get("name", ""))))
    return found


@dataclass
class GkmlptApi:
    """Guangdong's gkmlpt: every budget category of the index page's tree, page by page."""

    page_size: int = 100  # what the platform answers; the count of page 1 is trusted over it

    def owns(self, call: ListCall) -> bool:
        return "/gkmlpt/api/all/" in call.url

    def _call(self, column: str, category: int, sid: str, page: int) -> ListCall:
        base = _GKMLPT_INDEX.match(column).group(1)
        return ListCall(f"{base}/api/all/{category}?page={page}&sid={sid}", page=page, column=column)

    def first_calls(self, column: str, html: str) -> list[ListCall]:
        sid = _GKMLPT_SID.search(html)
        if not (sid and _GKMLPT_INDEX.match(column)):
            return []
        return [self._call(column, category, sid.group(1), 1) for category, _ in budget_categories(gkmlpt_tree(html))]

    # the index page picks its budget categories itself, so it is read wherever it is reached
    column_calls = first_calls

    def parse(self, call: ListCall, text: str) -> tuple[list[tuple[str, str, str]], list[ListCall]]:
        data, links = _answer_links(call, text, "articles", ("url", "post_url"), "title", "created_at")
        articles = [a for a in (_dig(data, "articles") or []) if isinstance(a, dict)]
        more = []
        if call.page == 1 and articles:
            total = _dig(data, "classify.post_count") or data.get("total") or 0
            pages = math.ceil(int(total) / len(articles)) if str(total).isdigit() else 1
            query = dict(parse_qsl(urlsplit(call.url).query))
            category = int(urlsplit(call.url).path.rsplit("/", 1)[1])
            more = [self._call(call.column, category, query["sid"], p) for p in range(2, pages + 1)]
        return links, more


# Fujian's platform. The form is the one public crawlers of fujian.gov.cn, scjgj.fujian.gov.cn and
# pingtan.gov.cn post (channelid = the site's document library, classsql = chnlid=<column id>,
# sortfield -docorderpri,-docreltime, prepage 15); the answer is the one an archive of
# www.sm.gov.cn saved (changwu/sanming-policy-opening-html, `…/_lists/api_p001.json`).
_FJ_CHANNEL = re.compile(r"""channelid["']?\s*[:=]\s*["']?(\d+)""")
_FJ_COLUMN = re.compile(r"chnlid\s*=\s*(\d+)")


@dataclass
class FujianSearch:
    """`POST /fjdzapp/search`, page by page, for a column page whose script names its ids."""

    page_size: int = 15

    def owns(self, call: ListCall) -> bool:
        return "/fjdzapp/search" in call.url

    def _call(self, column: str, channel: str, chnl: str, page: int) -> ListCall:
        body = urlencode({"channelid": channel, "sortfield": "-docorderpri,-docreltime", "classsql": f"chnlid={chnl}",
                          "page": page, "prepage": self.page_size})
        return ListCall(urljoin(column, "/fjdzapp/search"), "POST", body,
                        (("Content-Type", "application/x-www-form-urlencoded"),), page, column)

    def first_calls(self, column: str, html: str) -> list[ListCall]:
        channel, chnl = _FJ_CHANNEL.search(html), _FJ_COLUMN.search(html)
        return [self._call(column, channel.group(1), chnl.group(1), 1)] if channel and chnl else []

    def parse(self, call: ListCall, text: str) -> tuple[list[tuple[str, str, str]], list[ListCall]]:
        data, links = _answer_links(call, text, "data", ("url", "docpuburl"), "doctitle", "docreltime")
        pages = _dig(data, "pageCount")
        more = []
        if call.page == 1 and str(pages).isdigit():
            form = dict(parse_qsl(call.body))
            more = [self._call(call.column, form["channelid"], form["classsql"].split("=", 1)[1], p)
                    for p in range(2, int(pages) + 1)]
        return links, more


@dataclass
class AnyListApi:
    """The list mechanisms a page may turn out to use, for a site known only by its home URL:
    each page is asked of every mechanism; an answer goes back to the one that made the call."""

    mechanisms: tuple = ()

    def first_calls(self, column: str, html: str) -> list[ListCall]:
        return [call for mechanism in self.mechanisms for call in mechanism.first_calls(column, html)]

    def column_calls(self, column: str, html: str) -> list[ListCall]:
        """The calls of the mechanisms that find the budget columns on any page they are reached."""
        return [call for m in self.mechanisms if hasattr(m, "column_calls") for call in m.column_calls(column, html)]

    def parse(self, call: ListCall, text: str) -> tuple[list[tuple[str, str, str]], list[ListCall]]:
        for mechanism in self.mechanisms:
            if mechanism.owns(call):
                return mechanism.parse(call, text)
        return [], []
