"""Rebuilt list APIs, for columns whose HTML is an empty shell or holds the first page only
(docs/REAL-SITES.md §5.2; the answers' shapes are the ones described there, the items invented):

- 上海普陀 (www.shpt.gov.cn): the column `index.html` is a shell whose script posts
  `{"channelList":["<id>"],"pageSize":15,…,"pageNo":N}` to `/front/api/data/affair`; the answer is
  `{"data":{"list":[{"id","title","url","display_date","channel_id"}],"pageNo","totalPage","totalCount"}}`.
- 绍兴上虞 (www.shangyu.gov.cn, Hanweb): the first page's items in `<datastore>`, the rest from
  `POST /module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=15`.

`ApiServer` is the replica server that also answers POSTs (`resources[host + path + " POST"]` is
a function of the request body and query)."""
from __future__ import annotations

import html
import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from crawler.demo.server import Resource, SiteServer

SHPT = "www.shpt.gov.cn"
SHPT_COLUMN = "https://www.shpt.gov.cn/zhengwu/sfjbb-sfj/index.html"
SHPT_CHANNEL = "4ac8f1e2"
SHANGYU = "www.shangyu.gov.cn"
SHANGYU_COLUMN = "http://www.shangyu.gov.cn/col/col1229415861/index.html"


class ApiServer(SiteServer):
    def _handler(self):
        base = super()._handler()
        site = self

        class Handler(base):
            def do_POST(self):
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                parts = urlsplit(self.path)
                site.requests.append(f"POST {self.path} {body}")
                site.requested_urls.append(f"POST {host}{self.path} {body}")
                answer = site.resources.get(f"{host}{parts.path} POST")
                resource = answer(body, parse_qs(parts.query)) if answer else Resource(b"not found", status=404)
                self.send_response(resource.status)
                self.send_header("Content-Type", resource.content_type)
                self.send_header("Content-Length", str(len(resource.body)))
                self.end_headers()
                self.wfile.write(resource.body)

        return Handler


def shpt_pages() -> list[dict]:
    """40 disclosures of the 司法局's column (invented ids), newest first."""
    out = []
    for n in range(40):
        year, doy = 2026 - n // 20, 60 - n
        out.append({"id": 300000 + n, "title": f"上海市普陀区{['司法局', '公证处', '法律援助中心', '社区矫正中心'][n % 4]}"
                    f"{year}年{'部门' if n % 2 else '单位'}预算", "display_date": f"{year}-02-{(n % 27) + 1:02d}",
                    "url": f"/zhengwu/sfjbb-sfj/{year}/{doy}/{300000 + n}.html", "channel_id": SHPT_CHANNEL})
    out.append({"id": 399999, "title": "普陀区2026年预算工作会议召开", "display_date": "2026-01-05",
                "url": "/zhengwu/sfjbb-sfj/2026/5/399999.html", "channel_id": SHPT_CHANNEL})
    return out


def shangyu_records() -> list[tuple[str, str]]:
    return [(f"/art/2025/2/{(n % 27) + 1}/art_1229415861_{4100000 + n}.html",
             f"绍兴市上虞区{['教育体育局', '卫生健康局', '民政局'][n % 3]}所属单位{n}2025年部门预算") for n in range(52)]


def _detail(title: str, imitates: str) -> Resource:
    return Resource(f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="imitates" content="{imitates}">'
                    f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
                    "<p>一、部门基本情况</p></body></html>".encode("utf-8"), "text/html; charset=utf-8")


def build() -> dict:
    r: dict = {}
    shell = ('<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="imitates" content="shpt column shell '
             '(REAL-SITES §5.2)"><title>部门预算</title></head><body><div id="list"></div><script>'
             f'var param = {{"channelList":["{SHPT_CHANNEL}"],"pageSize":15}};</script></body></html>')
    r[SHPT + "/zhengwu/sfjbb-sfj/index.html"] = Resource(shell.encode(), "text/html; charset=utf-8")
    pages = shpt_pages()

    def affair(body, _query):
        ask = json.loads(body)
        if ask.get("channelList") != [SHPT_CHANNEL]:
            return Resource(json.dumps({"data": {"list": [], "totalPage": 0}}).encode(), "application/json")
        size, no = int(ask["pageSize"]), int(ask["pageNo"])
        total = -(-len(pages) // size)
        answer = {"data": {"list": pages[(no - 1) * size:no * size], "pageNo": no, "totalPage": total,
                           "totalCount": len(pages)}}
        return Resource(json.dumps(answer, ensure_ascii=False).encode(), "application/json;charset=UTF-8")

    r[SHPT + "/front/api/data/affair POST"] = affair
    for p in pages:
        r[SHPT + p["url"]] = _detail(p["title"], "shpt /zhengwu/<col>/<year>/<day-of-year>/<id>.html")

    records = shangyu_records()

    def li(url, title):
        return f'<li><a href="{url}" title="{html.escape(title)}" target="_blank">{html.escape(title[:20])}</a></li>'

    first = "".join(f"<record><![CDATA[{li(u, t)}]]></record>" for u, t in records[:15])
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="imitates" content="Hanweb jpage list '
            '(REAL-SITES §5.2)"><title>财政预决算</title></head><body><div id="7"><script type="text/xml"><datastore>'
            '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3167&path=/'
            '&columnid=1229415861&unitid=5489123&webname=上虞区&permissiontype=0"></a>]]></nextgroup>'
            f"<recordset>{first}</recordset></datastore></script></div>"
            "<script>$(function(){$('#7').jpage({dataStore: dataStore, totalRecord: 52, perPage: 15, "
            "proxyUrl: '/module/web/jpage/dataproxy.jsp'});});</script></body></html>")
    r[SHANGYU + "/col/col1229415861/index.html"] = Resource(page.encode(), "text/html; charset=utf-8")

    def dataproxy(body, query):
        form = parse_qs(body)
        if form.get("columnid") != ["1229415861"] or form.get("unitid") != ["5489123"]:
            return Resource(b"<datastore></datastore>", "text/xml")
        start, end = int(query["startrecord"][0]), int(query["endrecord"][0])
        recs = "".join(f"<record><![CDATA[{li(u, t)}]]></record>" for u, t in records[start - 1:end])
        return Resource(f"<datastore><totalrecord>52</totalrecord><recordset>{recs}</recordset></datastore>"
                        .encode(), "text/xml; charset=utf-8")

    r[SHANGYU + "/module/web/jpage/dataproxy.jsp POST"] = dataproxy
    for u, t in records:
        r[SHANGYU + u] = _detail(t, "Hanweb /art/YYYY/M/D/art_<colId>_<docId>.html")
    return r
