"""A department whose 信息公开 entry is on the city portal's host (苏州, 宁波, 常州 and every
Guangdong city keep them there): crawled from the department's home URL alone, the entry is
followed, the rest of the portal is not.

The replica imitates 阳江's: the 住房和城乡建设局's platform sits on the portal's host under its own
folder, `http://www.yangjiang.gov.cn/yjzjj/gkmlpt/index`, with SID 662021, its category 721
工程造价信息, its list API `/yjzjj/gkmlpt/api/all/721?page=1&sid=662021`, detail pages
`/yjzjj/gkmlpt/content/0/963/post_963149.html` and files `/yjzjj/attachment/0/88/88389/963149.pdf`
(these URLs, ids and a title are in a public test suite's fixture for that bureau; the platform's
shapes as in tests/gkmlpt_replica.py). Rebuilt, not saved: the bureau's own home page on
`zjj.yangjiang.gov.cn` (host invented) with the portal and the other departments in its footer;
the index page, whose header links the portal and two other departments' platforms (财政局
`/yjcz/`, 教育局 `/yjjyj/`, each serving budgets of its own); the category 部门预决算 (id 730) and
its articles (本级 and one subordinate unit, budgets 2020–2026, final accounts 2019–2025).
"""
import json
from collections import Counter
from urllib.parse import urlsplit

import pytest

from crawler.demo.server import Resource, SiteServer
from crawling import crawl_from_home

pytestmark = pytest.mark.slow  # starts processes and servers

HOME_HOST = "zjj.yangjiang.gov.cn"
PORTAL = "www.yangjiang.gov.cn"
HOME = f"http://{HOME_HOST}/"
HTML = "text/html; charset=utf-8"
UNITS = ("阳江市住房和城乡建设局", "阳江市建设工程质量安全监督站")


def page(title: str, body: str) -> Resource:
    return Resource(f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
                    f'<body>{body}</body></html>'.encode(), HTML)


def articles(folder: str, first_id: int, titles: list[str]) -> list[dict]:
    out = []
    for n, title in enumerate(titles):
        post = first_id + n
        att = post // 10 - 8_000 + n
        out.append({"id": post, "title": title, "created_at": "2026-03-01 10:00:00",
                    "url": f"http://{PORTAL}/{folder}/gkmlpt/content/{post // 10**6}/{post // 1000}/post_{post}.html",
                    "attachment": [{"id": att, "name": f"{title}.pdf", "type": "pdf",
                                    "url": f"http://{PORTAL}/{folder}/attachment/{att // 10**6}/{att // 1000}/{att}/{post}.pdf"}]})
    return out


def platform(folder: str, sid: str, name: str, categories: dict[int, tuple[str, list[dict]]],
             header: str) -> dict[str, Resource]:
    """One department's gkmlpt on the portal's host: index page, list API, detail pages, files."""
    tree = [{"id": cid, "name": cname, "parent": 0, "jump_url": "", "children": []}
            for cid, (cname, _) in categories.items()]
    config = f"window._CONFIG = {{SID: '{sid}', TREE: {json.dumps(tree, ensure_ascii=False)}, SERVICE_AREA_ID: 441700}};"
    out = {f"{PORTAL}/{folder}/gkmlpt/index": page(f"{name}政府信息公开", f"<script>{config}</script>{header}"
                                                   '<div id="app"></div>')}
    for cid, (cname, items) in categories.items():
        out[f"{PORTAL}/{folder}/gkmlpt/api/all/{cid}?page=1&sid={sid}"] = Resource(json.dumps(
            {"classify": {"id": cid, "name": cname, "post_count": len(items)}, "total": len(items), "articles": items},
            ensure_ascii=False).encode(), "application/json")
        for a in items:
            files = "".join(f'<a class="nfw-cms-attachment" href="{f["url"]}">{f["name"]}</a>' for f in a["attachment"])
            out[PORTAL + urlsplit(a["url"]).path] = page(a["title"], f"<h1>{a['title']}</h1>{files}")
            for f in a["attachment"]:
                out[PORTAL + urlsplit(f["url"]).path] = Resource(b"%PDF-1.4 " + f["name"].encode(), "application/pdf")
    return out


def bureau_disclosures() -> list[dict]:
    titles = [f"{unit}{year}年部门{kind}" for unit in UNITS for year, kind in
              [(y, "预算") for y in range(2026, 2019, -1)] + [(y, "决算") for y in range(2025, 2018, -1)]]
    return articles("yjzjj", 963_100, titles)


HEADER = (f'<div class="top"><a href="http://{PORTAL}/">阳江市人民政府门户网站</a>'
          '<a href="/yjcz/gkmlpt/index">市财政局信息公开</a><a href="/yjjyj/gkmlpt/index">市教育局信息公开</a>'
          '<a href="/yjzjj/gkmlpt/guide">政府信息公开指南</a></div>')


def resources() -> dict[str, Resource]:
    cost = articles("yjzjj", 963_149, ["2026年5月份阳江市工程造价信息"])
    out = {
        HOME_HOST + "/": page("阳江市住房和城乡建设局", (
            '<div class="nav"><a href="/">首页</a><a href="/gzdt/index.html">工作动态</a>'
            f'<a href="http://{PORTAL}/yjzjj/gkmlpt/index">政府信息公开</a><a href="/hdjl/index.html">互动交流</a></div>'
            f'<div class="footer"><a href="http://{PORTAL}/">阳江市人民政府</a>'
            f'<a href="http://{PORTAL}/yjcz/">阳江市财政局</a><a href="http://{PORTAL}/yjjyj/">阳江市教育局</a></div>')),
        PORTAL + "/": page("阳江市人民政府门户网站", '<a href="/zwgk/index.html">政务公开</a>'),
    }
    out |= platform("yjzjj", "662021", "阳江市住房和城乡建设局",
                    {721: ("工程造价信息", cost), 730: ("部门预决算", bureau_disclosures())}, HEADER)
    for folder, sid, name, first in (("yjcz", "662005", "阳江市财政局", 970_000), ("yjjyj", "662007", "阳江市教育局", 971_000)):
        out |= platform(folder, sid, name, {740: ("部门预决算", articles(folder, first, [f"{name}2026年部门预算"]))}, HEADER)
    return out


@pytest.fixture(scope="module")
def requested(tmp_path_factory):
    with SiteServer(resources()) as server:
        return crawl_from_home(server, HOME, tmp_path_factory.mktemp("entry") / "budgets.db", timeout=300)


def test_the_entry_on_the_portal_is_followed_to_every_disclosure_and_file(requested):
    wanted = [PORTAL + urlsplit(u).path for a in bureau_disclosures()
              for u in [a["url"]] + [f["url"] for f in a["attachment"]]]
    assert len(wanted) == 56  # 28 disclosures, a file each
    assert [u for u in wanted if u not in requested] == []


def test_the_portal_beyond_the_entry_is_not_crawled(requested):
    on_portal = [u for u in requested if u.startswith(PORTAL + "/") and u != PORTAL + "/robots.txt"]
    assert [u for u in on_portal if not u.startswith(PORTAL + "/yjzjj/")] == []
    assert f"{PORTAL}/yjzjj/gkmlpt/guide" not in requested


def test_only_the_budget_category_is_listed_and_nothing_is_asked_twice(requested):
    assert [u for u in requested if "/api/all/" in u] == [f"{PORTAL}/yjzjj/gkmlpt/api/all/730?page=1&sid=662021"]
    assert [u for u, n in Counter(requested).items() if n > 1] == []
