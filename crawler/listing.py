"""How a column's list is filled, beyond the links in its HTML: list APIs a page's script calls
(docs/REAL-SITES.md §5.2). Pure: a mechanism turns a column page into the calls to make, and a
call's answer into links and further calls; the spider does the fetching.

- `JsonList`: JSON/POST list APIs (上海普陀 `POST /front/api/data/affair`, body with `channelList`,
  `pageSize`, `pageNo`; answer `data.list[].url/title/display_date`, `data.totalPage`).
- `HanwebDataproxy`: Hanweb's `POST /module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…`,
  for the pages after the first (`jpage({totalRecord, perPage})`); answers `<record><![CDATA[…]]>`.
- `TrsSearchApi`: TRS list pages paged by a search API with a channel id and page size
  (`/fjdzapp/search?chnlid=<id>&page=N&size=15`), answering JSON like `JsonList`.
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
        try:
            data = json.loads(text)
        except ValueError:
            return [], []
        links = []
        for item in _dig(data, self.items) or []:
            if isinstance(item, dict) and item.get(self.url_key):
                links.append((urljoin(call.column, str(item[self.url_key])), str(item.get(self.title_key) or ""),
                              str(item.get(self.date_key) or "")))
        more = []
        if call.page == 1:
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

    def parse(self, call: ListCall, text: str) -> tuple[list[tuple[str, str, str]], list[ListCall]]:
        from scrapy.selector import Selector

        links = []
        for record in HANWEB_RECORD.findall(text):
            for a in Selector(text=record).css("a[href]"):
                title = a.attrib.get("title") or " ".join(a.css("::text").getall())
                links.append((urljoin(call.column, a.attrib["href"]), title.strip(), ""))
        return links, []
