"""A replica of Guangdong's 政府信息公开 platform (gkmlpt) as 广州市财政局 (czj.gz.gov.cn) runs it,
served on 127.0.0.1 by a real HTTP server. Where each part comes from:

- The home page `https://czj.gz.gov.cn/` is the real page, saved as served
  (../shared/cities-2026/广州__财政局_2026年部门预算.html, SOURCES.md). Its links to the platform,
  `/gkmlpt/index#612 财政预决算`, `#613 部门预决算`, `#610 工作动态`, `#595 领导分工` …, are its own,
  and so is its site id, `window.NFCMS_SITE_ID=200024`, used here as the platform's SID.
- The index page `/gkmlpt/index` is rebuilt: a shell whose `window._CONFIG = {SID: '…', TREE: […],
  SERVICE_AREA_ID: …}` carries the category tree (the shape public crawlers of the platform read:
  hulelan/china-governance crawlers/gkmlpt.py). The categories the home page links are in it
  under their real ids and names; 财政信息 as their parent and the children 部门预算 / 部门决算 of
  613 (ids 21001, 21002) are invented, as is the jump-only 政策文件 category.
- The list API `GET /gkmlpt/api/all/<id>?page=N&sid=200024` answers `{"classify": {"id", "name",
  "post_count"}, "total", "articles": [{"id", "title", "url", "created_at", "attachment": [{"id",
  "name", "type", "url"}]}]}`, 100 articles a page (the same source; the field names also in a
  public test of 阳江 住建局's `/yjzjj/gkmlpt/api/all/721?page=1&sid=662021`).
- Detail pages `/gkmlpt/content/<id//10⁶>/<id//10³>/post_<id>.html` are rebuilt with the platform's
  metadata table (索引号, 分类, 发布机构, 成文日期, 名称, 发布日期) and their files linked as
  `<a class="nfw-cms-attachment" href="/attachment/0/<n>/<att>/<id>.pdf">` (the 阳江 test's page).
  The departments are 广州's municipal departments; the article ids are invented; every file is
  the bytes of one real small budget PDF from ../shared/cities-2026.

Scale: 46 departments × budgets 2022–2026 (230 articles, 3 pages) and final accounts 2021–2024
(184, 2 pages), 10 city-level 预决算 articles, each with one or two files; news in 工作动态 and a
notice about the disclosures that the crawler must leave alone.
"""
from __future__ import annotations

import json
import math

from conftest import SHARED
from crawler.demo.server import Resource

HOST = "czj.gz.gov.cn"
HOME = f"https://{HOST}/"
SID = "200024"
PAGE_SIZE = 100
HOME_PAGE = SHARED / "cities-2026" / "广州__财政局_2026年部门预算.html"
FILE_BYTES = SHARED / "cities-2026" / "重庆__2026年重庆市民政局部门预算.pdf"

DEPARTMENTS = (
    "发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
    "人力资源和社会保障局", "规划和自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水务局",
    "农业农村局", "商务局", "文化广电旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局",
    "人民政府国有资产监督管理委员会", "市场监督管理局", "体育局", "统计局", "医疗保障局",
    "城市管理和综合执法局", "林业和园林局", "政务服务和数据管理局", "信访局", "港务局", "地方金融监督管理局",
    "人民政府外事办公室", "人民政府研究室", "民族宗教事务局", "档案局", "机关事务管理局", "协作办公室",
    "人民防空办公室", "供销合作总社", "总工会", "共青团广州市委员会", "妇女联合会", "科学技术协会",
    "残疾人联合会", "红十字会",
)
BUDGET_YEARS = (2022, 2023, 2024, 2025, 2026)
FINAL_YEARS = (2021, 2022, 2023, 2024)


def _post(post_id: int) -> str:
    return f"/gkmlpt/content/{post_id // 1_000_000}/{post_id // 1000}/post_{post_id}.html"


def _attachment(att_id: int, post_id: int) -> str:
    return f"/attachment/{att_id // 1_000_000}/{att_id // 1000}/{att_id}/{post_id}.pdf"


def _article(post_id: int, title: str, date: str, files: int) -> dict:
    return {"id": post_id, "title": title, "url": f"https://{HOST}{_post(post_id)}", "created_at": f"{date} 09:30:00",
            "publisher": "广州市财政局", "attachment": [
                {"id": post_id * 10 + k, "name": f"{title}{'（表格）' if k else ''}.pdf", "type": "pdf",
                 "url": f"https://{HOST}{_attachment(post_id * 10 + k, post_id)}"} for k in range(files)]}


def categories() -> dict[int, tuple[str, list[dict]]]:
    """Category id → (name, articles), newest first as the platform lists them."""
    post = iter(range(9_103_000, 9_200_000))
    budgets = [_article(next(post), f"广州市{dept}{year}年部门预算", f"{year}-02-{10 + i % 18:02d}", 1 + i % 2)
               for year in reversed(BUDGET_YEARS) for i, dept in enumerate(DEPARTMENTS)]
    finals = [_article(next(post), f"广州市{dept}{year}年部门决算", f"{year + 1}-09-{10 + i % 18:02d}", 1 + i % 2)
              for year in reversed(FINAL_YEARS) for i, dept in enumerate(DEPARTMENTS)]
    notice = _article(next(post), "关于做好2026年部门预算公开工作的通知", "2026-01-20", 0)
    city = [_article(next(post), f"广州市{year}年{kind}", f"{year}-03-01", 1)
            for year in (2026, 2025, 2024, 2023, 2022) for kind in ("市本级预算", "市本级决算")]
    news = [_article(next(post), f"市财政局召开2026年第{n}次局务会议", "2026-03-05", 0) for n in range(1, 31)]
    return {21001: ("部门预算", [notice] + budgets), 21002: ("部门决算", finals), 612: ("财政预决算", city),
            610: ("工作动态", news), 595: ("领导分工", []), 596: ("机构职能", []), 614: ("三公经费", []),
            616: ("减税降费信息", []), 617: ("财政收支", []), 14833: ("地方政府债务信息", []), 620: ("网站工作年度报表", [])}


def disclosures() -> list[dict]:
    """Every article that is a disclosure (what the crawl must reach): budgets, final accounts and
    the city's 预决算; not the notice, not the news."""
    cats = categories()
    return [a for cid in (21001, 21002, 612) for a in cats[cid][1] if "通知" not in a["title"]]


def _tree() -> list[dict]:
    cats = categories()

    def node(cid, children=()):
        return {"id": cid, "name": cats[cid][0], "parent": 0, "post_count": len(cats[cid][1]), "jump_url": "",
                "children": list(children)}

    finance = {"id": 611, "name": "财政信息", "parent": 0, "post_count": 0, "jump_url": "", "children": [
        node(612), {"id": 613, "name": "部门预决算", "parent": 611, "post_count": 0, "jump_url": "",
                    "children": [node(21001), node(21002)]},
        node(614), node(617), node(616), node(14833)]}
    return [{"id": 594, "name": "机构概况", "parent": 0, "post_count": 0, "jump_url": "",
             "children": [node(595), node(596)]}, node(610), finance, node(620),
            {"id": 622, "name": "政策文件", "parent": 0, "post_count": 0,
             "jump_url": f"https://{HOST}/gkmlpt/policy", "children": []}]


def _index_page() -> bytes:
    config = (f"window._CONFIG = {{SID: '{SID}', SITE_NAME: '广州市财政局', "
              f"TREE: {json.dumps(_tree(), ensure_ascii=False)}, SERVICE_AREA_ID: 440100}};")
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>广州市财政局政府信息公开平台</title>'
            f'<script>{config}</script></head><body><div class="header"><a href="/">广州市财政局</a>'
            '<a href="/gkmlpt/guide">政府信息公开指南</a></div><div id="app"></div>'
            '<script src="/gkmlpt/gkml/pc/js/app.js"></script></body></html>').encode()


def _detail_page(article: dict) -> bytes:
    files = "".join(f'<p><a class="nfw-cms-attachment" href="{f["url"].split(HOST, 1)[1]}">{f["name"]}</a></p>'
                    for f in article["attachment"])
    date = article["created_at"][:10]
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{article["title"]}</title></head><body>'
            f'<div class="classify"><table><tr><td>索引号：</td><td>11440100006950063W/{date[:4]}-{article["id"] % 1000:05d}'
            f'</td><td>分类：</td><td>财政预决算</td></tr><tr><td>发布机构：</td><td>广州市财政局</td><td>成文日期：</td>'
            f'<td>{date}</td></tr><tr><td>名称：</td><td colspan="3">{article["title"]}</td></tr>'
            f'<tr><td>发布日期：</td><td>{date}</td></tr></table></div>'
            f'<div class="content"><h1>{article["title"]}</h1>{files}</div></body></html>').encode()


def _api_answer(cid: int, name: str, articles: list[dict], page: int) -> bytes:
    chunk = articles[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return json.dumps({"classify": {"id": cid, "name": name, "post_count": len(articles)}, "total": len(articles),
                       "articles": chunk}, ensure_ascii=False).encode()


def resources() -> dict[str, Resource]:
    html = "text/html; charset=utf-8"
    out = {HOST + "/": Resource(HOME_PAGE.read_bytes(), html),
           HOST + "/gkmlpt/index": Resource(_index_page(), html)}
    pdf = FILE_BYTES.read_bytes()
    for cid, (name, articles) in categories().items():
        for page in range(1, max(1, math.ceil(len(articles) / PAGE_SIZE)) + 1):
            out[f"{HOST}/gkmlpt/api/all/{cid}?page={page}&sid={SID}"] = Resource(
                _api_answer(cid, name, articles, page), "application/json; charset=utf-8")
        for article in articles:
            out[HOST + _post(article["id"])] = Resource(_detail_page(article), html)
            for f in article["attachment"]:
                out[HOST + f["url"].split(HOST, 1)[1]] = Resource(pdf, "application/pdf")
    return out
