"""One small rebuilt copy per district config, from the patterns docs/REAL-SITES.md documents for
it: the config's root page leads (法定主动公开内容 → 预算/决算) to a column in the platform's main-tree
pattern, which lists one disclosure; and every documented disclosure page of the config
(`examples`) is listed in its own column, the config's seed. Every page names what it imitates."""
from __future__ import annotations

import html
import zlib
from urllib.parse import urlsplit

from crawler.demo.server import Resource
from crawler.sites.base import ChongqingDistrictSite
from crawler.sites.districts import column_of


def _page(title: str, imitates: str, body: str) -> Resource:
    return Resource((f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="imitates" '
                     f'content="{html.escape(imitates)}"><title>{html.escape(title)}</title></head>'
                     f"<body>{body}</body></html>").encode("utf-8"), "text/html; charset=utf-8")


def _list(pairs) -> str:
    return "<ul>" + "".join(f'<li><a href="{u}" title="{html.escape(t)}">{html.escape(t)}</a></li>' for u, t in pairs) + "</ul>"


def discovered_page(config) -> str:
    """The disclosure only discovery can reach: in the main tree, below the root's host."""
    root = urlsplit(config.canonical(config.roots[0]))
    doc = 14_000_000 + zlib.crc32(config.name.encode()) % 1_000_000
    if isinstance(config, ChongqingDistrictSite):
        return f"{root.scheme}://{root.netloc}/zwgk_900/fdzdgknr/ysjs/202602/t20260210_{doc}.html"
    return f"{root.scheme}://{root.netloc}/zhengwu/czyjs-czyjs/2026/41/{doc}.html"


def build(config) -> dict[str, Resource]:
    resources: dict[str, Resource] = {}

    def key(url: str) -> str:
        parts = urlsplit(config.canonical(url))
        return parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")

    detail = discovered_page(config)
    folder = detail.split("/20")[0] + "/"
    tree = folder.rsplit("/", 2)[0] + "/"
    chongqing = isinstance(config, ChongqingDistrictSite)
    pattern = ("Chongqing main tree /zwgk_<n>/fdzdgknr/ysjs/ (REAL-SITES §2.1)" if chongqing else
               "Shanghai /zhengwu/<col>/<year>/<day-of-year>/<id>.html (REAL-SITES §5.2–5.3)")
    resources[key(config.roots[0])] = _page(f"{config.district}人民政府", f"{config.name} root: {config.roots[0]}",
                                            _list([(tree + "index.html", "法定主动公开内容"), ("/xwzx/index.html", "新闻中心")]))
    resources[key(tree + "index.html")] = _page("法定主动公开内容", pattern,
                                                _list([(folder + "index.html", "预算/决算" if chongqing else "财政预决算")]))
    title = f"{config.district}机关事务服务中心2026年部门预算情况说明"
    resources[key(folder + "index.html")] = _page("预算/决算", pattern, _list([(detail, title)]))
    resources[key(detail)] = _page(title, pattern, f"<h1>{title}</h1><p>一、部门基本情况</p>")
    for url in getattr(config, "examples", ()):
        column = column_of(url)  # the config's seed for it
        year = url.split("/t")[-1][:4] if "/t20" in url else url.split("/")[-3]
        title = f"{config.district}某部门{year}年度部门预算公开说明"
        existing = resources.get(key(column))
        pairs = [(url, title)]
        body = _list(pairs)
        if existing:
            body = existing.body.decode().split("<body>")[1].split("</body>")[0] + body
        resources[key(column)] = _page("预算", f"{config.name} documented column of {url}", body)
        resources[key(url)] = _page(title, f"REAL-SITES: {url}", f"<h1>{title}</h1>")
    return resources
