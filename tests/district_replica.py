"""A district-scale rebuilt copy of a Chongqing district site, generated from the URL patterns in
docs/REAL-SITES.md §2.1 and §5 (nothing here was fetched; every page says which real pattern it
imitates in a `<meta name="imitates">`).

One district (荣昌's host, www.rongchang.gov.cn, also spelt rongchang.gov.cn) publishing the way
the platform's districts do, all variants at once so one crawl meets them all:
- a home page linking 政府信息公开, the 区政府部门 directory and the 镇街 directory, plus news and
  off-host links that must not be followed;
- ≥ 300 unit sub-sites spread over the documented path templates (`/bm/<slug>/`, `/bm_<n>/`,
  `/bmjz/bm/`, `/bmjz_sites/bm/`, `/qzfbm/`, `/zfbm_<n>/<slug>_<n>/`, `/bmjz/qzfbm_<n>/`) and
  column folders (`ysjs/{ysgk,jsgk}`, `ysjs_<n>/{ys,js}`, `ysjs1/js`, `czyjs_bm/{bmys_bm,bmjs_bm}`,
  `ysjs_<n>/` holding both, `ysjs_<n>/ys_bm`, `ysjs_<n>/<dept>ys<n>`), each unit's home → 政务公开 →
  法定主动公开内容 → 预算/决算 → 预算 | 决算;
- 21 towns under `/jz/<town>/`, `/jz_<n>/<town>/`, `/xz_<n>/<town>/`, `/bmjz_sites/jz/<town>_<n>/`,
  `/bmjz/zj_<n>/<town>_<n>/` with `ysjs/ysgk`, `czyjs_jz/{jzys_jz,jzjs_jz}`, `ysjsjz/ysgk`,
  `ysjs3334/{ysgk,jsgk}`;
- the main tree's centralised column `/zwgk_<n>/fdzdgknr/czyjs/qjysjs/qjbmys/<year>/` (大渡口's
  year folders) and `…/czyjs/ys_yzq/bmys_yzq/<dept>_ys/` (渝中's per-department folders);
- moved columns: a unit whose 2025 items sit in an older column its new one links as 历史预算;
- list pages with the TRS pager `createPageHTML`, rows whose link reads 查看 beside a `<p class=tit>`,
  `_wap` twins, notices and news to skip; attachments as `<a>`, `<iframe>`, pdf.js viewer, `onclick`,
  a download servlet named only by Content-Disposition, and an `.ofd`.

`build(night)` returns the resources; night 2 adds one unit and removes another (its pages 404), and
moves one column, so a second crawl can be checked for noticing them.
"""
from __future__ import annotations

import html
import zlib
from dataclasses import dataclass, field

from crawler.demo.server import Resource

HOST = "www.rongchang.gov.cn"
BASE = f"http://{HOST}"
DISTRICT = "重庆市荣昌区"


@dataclass
class Item:
    url: str
    title: str
    date: str
    attachments: list[tuple[str, str, str]] = field(default_factory=list)  # (url, how linked, ext)


@dataclass
class Col:
    url: str  # the column's index.html
    text: str  # how its link reads
    imitates: str
    items: list[Item] = field(default_factory=list)
    per_page: int = 15
    subs: list["Col"] = field(default_factory=list)
    chakan: bool = False  # rows read 查看, title beside


@dataclass
class Unit:
    name: str
    home: str  # the sub-site's home folder URL
    imitates: str
    columns: list[Col]  # reached home → 政务公开 → 法定主动公开内容 → these
    town: bool = False


def _doc_id(key: str) -> int:
    """An id in the platform's 2025–26 range (§2.1), the same for the same page on every build."""
    return 14_000_000 + zlib.crc32(key.encode()) % 2_000_000


def _detail_url(folder: str, date: str, key: str = "") -> str:
    ym, ymd = date[:7].replace("-", ""), date.replace("-", "")
    return f"{folder}{ym}/t{ymd}_{_doc_id(folder + date + key)}.html"


def _attachments(detail: str, n: int) -> list[tuple[str, str, str]]:
    folder = detail.rsplit("/", 1)[0] + "/"
    kinds = ["a", "iframe", "viewer", "onclick", "servlet", "ofd"]
    how = kinds[n % len(kinds)]
    stem = f"P0{detail.rsplit('_', 1)[1][:-5]}"
    if how == "servlet":
        return [(f"{BASE}/module/download/downfile.jsp?classid=0&fileid={stem}", how, "xls")]
    ext = {"ofd": "ofd", "onclick": "xls"}.get(how, "pdf")
    return [(f"{folder}{stem}.{ext}", how, ext)]


def _column(folder: str, text: str, imitates: str, owner: str, stage: str, n: int, years=(2025, 2026),
            per_page: int = 15, chakan: bool = False) -> Col:
    col = Col(folder + "index.html", text, imitates, per_page=per_page, chakan=chakan)
    for k, year in enumerate(years):
        if stage == "预算":
            date, title = f"{year}-02-{10 + k:02d}", f"{DISTRICT}{owner}{year}年单位预算情况说明"
        else:
            date, title = f"{year}-09-{20 + k:02d}", f"{DISTRICT}{owner}{year - 1}年度决算公开说明"
        url = _detail_url(folder, date, title)
        col.items.append(Item(url, title, date, _attachments(url, n + k) if (n + k) % 3 == 0 else []))
    return col


DEPARTMENTS = ["区教育委员会", "区卫生健康委员会", "区财政局", "区民政局", "区司法局", "区交通局", "区统计局",
               "区文化和旅游发展委员会", "区农业农村委员会", "区应急管理局", "区大数据发展局", "区人力资源和社会保障局",
               "区生态环境局", "区住房和城乡建设委员会", "区城市管理局", "区水利局", "区商务委员会", "区市场监督管理局",
               "区退役军人事务局", "区医疗保障局", "区审计局", "区规划和自然资源局", "区林业局", "区体育局",
               "区人民政府办公室", "区发展和改革委员会", "区经济和信息化委员会", "区科学技术局", "区公安局", "区档案馆"]
UNIT_KINDS = ["中学校", "小学校", "幼儿园", "卫生院", "事务中心", "服务中心", "管理所", "执法支队", "监测站", "图书馆"]
TOWNS = ["昌元街道", "昌州街道", "广顺街道", "双河街道", "安富街道", "峰高街道", "直升镇", "路孔镇", "清江镇",
         "仁义镇", "河包镇", "古昌镇", "吴家镇", "观胜镇", "铜鼓镇", "清流镇", "盘龙镇", "远觉镇", "清升镇",
         "荣隆镇", "龙集镇"]

# unit sub-site templates: (home path, 政务公开 folder, 法定主动公开 folder, columns, real pattern)
UNIT_TEMPLATES = [
    ("/bm/{s}/", "zwgk_70831/", "fdzdgknr_70834/", [("ysjs/", "预算/决算", [("ysgk/", "预算公开", "预算"), ("jsgk/", "决算公开", "决算")])],
     "rongchang /bm/<dept>/zwgk_70831/fdzdgknr_70834/ysjs/{ysgk,jsgk}/ (§1A #12–14)"),
    ("/bm_168/{s}/", "zwgk_61483/", "fdzdgknr_61485/", [("ysjs_61492/", "预算/决算", [("ys/", "预算", "预算"), ("js/", "决算", "决算")])],
     "cqfj /bm_168/<dept>/zwgk_61483/fdzdgknr_61485/ysjs_61492/ys/ (§1A #39)"),
    ("/bmjz/bm/{s}/", "zwgk_72304/", "fdzdgknr_72306/", [("ysjs_72313/", "预算/决算", [("ysgk/", "预算公开", "预算"), ("jsgk/", "决算公开", "决算")])],
     "cqsdj /bmjz/bm/<dept>/zwgk_72304/fdzdgknr_72306/ysjs_72313/ysgk/ (§5.1)"),
    ("/bmjz_sites/bm/{s}/", "zwgk_98942/", "fdzdgknr_98944/", [("ysjs_98950/", "预算/决算", [("ysgk/", "预算公开", "预算"), ("jsgk/", "决算公开", "决算")])],
     "cqwl /bmjz_sites/bm/<dept>/zwgk_98942/fdzdgknr_98944/ysjs_98950/{ysgk,jsgk}/ (§1A #18–20)"),
    ("/qzfbm/{s}/", "zwgk_53321/", "fdzdgknr_53323/", [("ysjs/", "预决算公开", [("ys/", "预算", "预算"), ("js/", "决算", "决算")])],
     "dazu /qzfbm/<dept>/zwgk_53321/fdzdgknr_53323/ysjs/ys/ (§1A #42)"),
    ("/zfbm_174/{s}_{n}/", "zwgk_72016/", "fdzdgknr/", [("ysjs/", "预算/决算", [("ys/", "预算", "预算"), ("js/", "决算", "决算")])],
     "psx /zfbm_174/<dept>_<n>/zwgk_72016/fdzdgknr/ysjs/ys/ (§1A #40)"),
    ("/bmjz/qzfbm_97119/{s}_{n}/", "zwgk_97124/", "fdzdgknr_97126/", [("ysjs/", "预算/决算", [("ys/", "预算", "预算")])],
     "cqjlp /bmjz/qzfbm_97119/<dept>_<n>/zwgk_97124/fdzdgknr_97126/ysjs/ys/ (§1A #31)"),
    ("/bm/{s}_{n}/", "zwgk_73772/", "fdzdgknr_73775/", [("czyjs_bm/", "财政预决算", [("bmys_bm/", "部门预算", "预算"), ("bmjs_bm/", "部门决算", "决算")])],
     "cqcs /bm/<dept>_<n>/zwgk_73772/fdzdgknr_73775/czyjs_bm/{bmys_bm,bmjs_bm}/ (§1A #29, §5.1)"),
    ("/bm_229/{s}/", "zwgk_97157/", "fdzdgknr_97159/", [("ysjs1/", "预算/决算", [("js/", "决算", "决算")])],
     "cqyz /bm_229/<dept>/zwgk_97157/fdzdgknr_97159/ysjs1/js/ (§5.1)"),
    ("/bmjz_89642/bm/{s}/", "zwgk_{n}/", "fdzdgknr_{n}/", [("ysjs_{n}/", "预算/决算", [])],
     "wz /bmjz_89642/bm/<dept>/zwgk_<n>/fdzdgknr_<n>/ysjs_<n>/ holding both stages (§1A #5–6)"),
    ("/bm/{s}/", "zwgk_25192/", "fdzdgknr/", [("ysjs_117571/", "预算/决算", [("ys_bm/", "预算", "预算")])],
     "cqtn /bm/<dept>/zwgk_25192/fdzdgknr/ysjs_117571/ys_bm/ (§1A #41)"),
    ("/bm/{s}/", "zwgk_56719/", "fdzdgknr_56721/", [("ysjs_56727/", "预算/决算", [("{s}ys11/", "预算", "预算")])],
     "ddk /bm/<dept>/zwgk_56719/fdzdgknr_56721/ysjs_56727/<dept>ys<n>/ (§1A #36)"),
]
TOWN_TEMPLATES = [
    ("/jz/{s}/", "zwgk_70755/", "fdzdgknr_70758/", [("ysjs/", "预算/决算", [("ysgk/", "预算公开", "预算")])],
     "rongchang /jz/<town>/zwgk_70755/fdzdgknr_70758/ysjs/ysgk/ (§1A #15–17)"),
    ("/jz_229/{s}/", "zwgk_97157/", "fdzdgknr_97159/", [("ysjs1/", "预算/决算", [("js/", "决算", "决算")])],
     "cqyz /jz_229/<street>/zwgk_97157/fdzdgknr_97159/ysjs1/js/ (§1A #2)"),
    ("/xz_168/{s}/", "zwgk_61002/", "fdzdgknr_61004/", [("ysjsjz/", "预算/决算", [("ysgk/", "预算公开", "预算")])],
     "cqfj /xz_168/<town>/zwgk_61002/fdzdgknr_61004/ysjsjz/ysgk/ (§5.1)"),
    ("/bmjz_sites/jz/{s}_{n}/", "zwgk_98958/", "fdzdgknr_98960/", [("ysjs/", "预算/决算", [("ys/", "预算", "预算")])],
     "cqwl /bmjz_sites/jz/<town>_<n>/zwgk_98958/fdzdgknr_98960/ysjs/ys/ (§5.1)"),
    ("/bmjz/zj_97268/{s}_{n}/", "zwgk_92018/", "fdzdgknr_92020/", [("ysjs/", "预算/决算", [("js/", "决算", "决算")])],
     "bishan /bmjz/zj_97268/<town>_<n>/zwgk_92018/fdzdgknr_92020/ysjs/js/ (§1A #21–22)"),
    ("/jz/{s}_{n}/", "zwgk_75373/", "fdzdgknr_75377/", [("czyjs_jz/", "财政预决算", [("jzys_jz/", "街镇预算", "预算"), ("jzjs_jz/", "街镇决算", "决算")])],
     "cqcs /jz/<town>_<n>/zwgk_75373/fdzdgknr_75377/czyjs_jz/{jzys_jz,jzjs_jz}/ (§5.1)"),
    ("/jz/{s}_{n}/", "zwgk_70755/", "fdzdgknr_70758/", [("ysjs3334/", "预算/决算", [("ysgk/", "预算公开", "预算"), ("jsgk/", "决算公开", "决算")])],
     "cqstl /jz/<town>_<n>/zwgk_70755/fdzdgknr_70758/ysjs3334/{ysgk,jsgk}/ (§1A #8–11)"),
]


def _unit(name: str, slug: str, n: int, template, town: bool) -> Unit:
    home_t, zwgk, fd, cols, imitates = template
    home = BASE + home_t.format(s=slug, n=90000 + n)
    tree = home + zwgk.format(n=90000 + n) + fd.format(n=90000 + n)
    columns = []
    for folder_t, text, subs in cols:
        folder = tree + folder_t.format(s=slug, n=90000 + n)
        if not subs:  # one column holds both stages (万州)
            col = _column(folder, text, imitates, name, "预算", n)
            col.items += _column(folder, text, imitates, name, "决算", n + 1, years=(2025,)).items
        else:
            col = Col(folder + "index.html", text, imitates)
            for sub_t, sub_text, stage in subs:
                col.subs.append(_column(folder + sub_t.format(s=slug, n=n), sub_text, imitates, name, stage, n,
                                        per_page=1 if n % 7 == 0 else 15, chakan=n % 5 == 0))
        columns.append(col)
    return Unit(name, home, imitates, columns, town)


# the units REAL-SITES §1A #12–17 documents on 荣昌 itself keep their real slugs and template
REAL_SLUGS = {"区教育委员会": "qjw", "区文化和旅游发展委员会": "qwhlyw", "远觉镇": "yjz", "观胜镇": "gsz"}


def units(night: int = 1) -> list[Unit]:
    out = []
    n = 0
    for d, dept in enumerate(DEPARTMENTS):
        names = [dept] + [f"{DISTRICT[3:]}{dept[1:3]}第{k}{UNIT_KINDS[(d + k) % len(UNIT_KINDS)]}" for k in range(1, 10)]
        for name in names:
            n += 1
            template = UNIT_TEMPLATES[0 if name in REAL_SLUGS else n % len(UNIT_TEMPLATES)]
            out.append(_unit(name, REAL_SLUGS.get(name, f"dw{n:03d}"), n, template, town=False))
    for t, town in enumerate(TOWNS):
        n += 1
        template = TOWN_TEMPLATES[0 if town in REAL_SLUGS else t % len(TOWN_TEMPLATES)]
        out.append(_unit(f"{town}人民政府" if town.endswith("镇") else f"{town}办事处",
                         REAL_SLUGS.get(town, f"jz{t:02d}"), n, template, town=True))
    if night == 2:
        out = [u for u in out if u.name != REMOVED_UNIT]
        n += 1
        out.append(_unit(ADDED_UNIT, "dw999", n, UNIT_TEMPLATES[0], town=False))
    return out


REMOVED_UNIT = f"{DISTRICT[3:]}卫生第4服务中心"  # one of 区卫生健康委员会's units
ADDED_UNIT = "区数字重庆建设服务中心"


def main_tree_columns() -> list[Col]:
    """The centralised columns of the district's 政务公开 tree."""
    root = f"{BASE}/zwgk_70700/fdzdgknr/czyjs/"
    yearly = Col(root + "qjysjs/qjbmys/index.html", "区级部门预算",
                 "ddk /bm/qczj/zwgk_56734/fdzdgknr_56736/qjysjs/qjbmys/<year>/ (§5.1)")
    for year in (2025, 2026):
        folder = f"{root}qjysjs/qjbmys/{year}/"
        col = Col(folder + "index.html", f"{year}年", yearly.imitates)
        for k, dept in enumerate(("区委党群服务中心", "区机关事务服务中心", "区融媒体中心")):
            date = f"{year}-02-{13 + k}"
            url = _detail_url(folder, date, dept)
            col.items.append(Item(url, f"中共{DISTRICT}{dept}{year}年单位预算情况说明", date,
                                  _attachments(url, k) if k == 0 else []))
        yearly.subs.append(col)
    per_dept = Col(root + "ys_yzq/bmys_yzq/index.html", "部门预算",
                   "cqyz /zwgk_229/fdzdgknr/czyjs/ys_yzq/bmys_yzq/<dept>_ys/ (§1A #1)")
    for slug, dept in (("qzfbgs", "区人民政府办公室"), ("qfgw", "区发展和改革委员会")):
        folder = f"{root}ys_yzq/bmys_yzq/{slug}_ys/"
        col = Col(folder + "index.html", dept, per_dept.imitates)
        date = "2026-02-12"
        col.items.append(Item(_detail_url(folder, date, dept), f"{DISTRICT}{dept}2026年部门预算情况说明", date))
        per_dept.subs.append(col)
    top = Col(root + "index.html", "财政预决算", "main tree /zwgk_<n>/fdzdgknr/czyjs/ (§2.1)", subs=[yearly, per_dept])
    return [top]


def moved_column(night: int) -> Col:
    """区财政预算评审中心: its column moves between nights (2025's items in the old one)."""
    old = f"{BASE}/bm/qczpsz/zwgk_58390/fdzdgknr_58392/ysjs_58398/ys/"
    new = f"{BASE}/bm/qczpsz/zwgk_58390/fdzdgknr_58392/czyjs_bm/bmys_bm/"
    folder = old if night == 1 else new
    col = _column(folder, "预算", "cqqj /bm/<dept>/zwgk_58390/fdzdgknr_58392/ysjs_58398/ys/ (§1D #80), moved",
                  "区财政预算评审中心", "预算", 7, years=(2026,))
    if night == 2:  # the old column's items stay, linked from the new one as 历史预算
        history = _column(old, "历史预算", col.imitates, "区财政预算评审中心", "预算", 8, years=(2025,))
        col.subs.append(history)
    return col


# pages ------------------------------------------------------------------------------------------

def _page(title: str, imitates: str, body: str, crumb: str = "") -> bytes:
    crumb_html = f'<div class="crumb">您当前的位置：{crumb}</div>' if crumb else ""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="imitates" content="{html.escape(imitates)}">'
            f"<title>{html.escape(title)}</title></head><body>{crumb_html}"
            '<div class="head"><a href="http://www.cq.gov.cn/">重庆市人民政府</a> '
            '<a href="http://www.kfps.com.cn/bm/qmzj/">镜像站</a> <a href="/xwzx/index.html">新闻中心</a></div>'
            f"{body}</body></html>").encode("utf-8")


def _links(pairs) -> str:
    return "<ul>" + "".join(f'<li><a href="{u}">{html.escape(t)}</a></li>' for u, t in pairs) + "</ul>"


def _detail(item: Item, col: Col, crumb: str) -> bytes:
    parts = []
    for url, how, _ext in item.attachments:
        name = url.rsplit("/", 1)[-1]
        parts.append({
            "a": f'<p><a href="./{name}">附件1：部门预算公开表</a></p>',
            "iframe": f'<iframe src="./{name}" width="100%"></iframe>',
            "viewer": f'<iframe src="/pdfjs/web/viewer.html?file={url[len(BASE):]}"></iframe>',
            "onclick": f"""<p><span onclick="window.open('./{name}')">附件：公开报表</span></p>""",
            "servlet": f'<p><a href="{url[len(BASE):]}">附件1</a></p>',
            "ofd": f'<p><a href="./{name}">附件（OFD版式文件）</a></p>',
        }[how])
    body = (f'<table class="gkxx"><tr><td>[ 索引号 ]</td><td>11500226MB1X/2026-0001</td><td>[ 体裁分类 ]</td>'
            f'<td>财政预算、决算</td></tr><tr><td>[ 发布日期 ]</td><td>{item.date}</td></tr></table>'
            f'<h1>{html.escape(item.title)}</h1><div class="trs_editor_view"><p>一、单位基本情况</p>'
            f'<p>（一）职能职责。</p><p>二、单位收支总体情况</p>{"".join(parts)}</div>')
    return _page(item.title, col.imitates + " detail …/YYYYMM/tYYYYMMDD_<id>.html", body, crumb + " &gt; 正文")


def _attachment_resource(url: str, ext: str) -> Resource:
    tag = url.encode()
    if ext == "pdf":
        return Resource(b"%PDF-1.4\n% " + tag + b"\n%%EOF\n", "application/pdf")
    if ext == "ofd":
        return Resource(b"PK\x03\x04ofd " + tag, "application/ofd")
    # an .xls that a download servlet names only in Content-Disposition (or a plain .xls link)
    return Resource(b"\xd0\xcf\x11\xe0 " + tag, "application/vnd.ms-excel",
                    headers={"Content-Disposition": 'attachment; filename="gongkaibiao.xls"'})


def _column_pages(col: Col, crumb: str, resources: dict, parent_links=()) -> None:
    crumb = f"{crumb} &gt; {html.escape(col.text)}"
    chunks = [col.items[i:i + col.per_page] for i in range(0, len(col.items), col.per_page)] or [[]]
    folder = col.url.rsplit("/", 1)[0] + "/"
    for n, chunk in enumerate(chunks):
        rows = []
        for item in chunk:
            href = "./" + item.url[len(folder):]
            if col.chakan:
                rows.append(f'<li><p class="tit">{html.escape(item.title)}</p><span>{item.date}</span>'
                            f'<a target="_blank" href="{href}">查看</a></li>')
            else:
                rows.append(f'<li><a target="_blank" href="{href}" title="{html.escape(item.title)}">'
                            f'{html.escape(item.title[:24])}</a><span>{item.date}</span></li>')
                rows.append(f'<li class="m"><a href="{href.replace(".html", "_wap.html")}">{html.escape(item.title)}</a></li>')
        if n == 0:
            rows.append(f'<li><a href="./202601/t20260105_{_doc_id(folder)}.html">关于做好2026年部门预算公开工作的通知</a>'
                        '<span>2026-01-05</span></li>')
        subs = [(s.url, s.text) for s in col.subs]
        pager = f'<script>createPageHTML({len(chunks)}, {n}, "index", "html");</script>'
        body = _links(list(parent_links) + subs) + f'<ul class="list">{"".join(rows)}</ul>{pager}'
        name = "index.html" if n == 0 else f"index_{n}.html"
        resources[HOST + folder[len(BASE):] + name] = Resource(
            _page(col.text, col.imitates + " list index.html / index_N.html", body, crumb), "text/html; charset=utf-8")
    for item in col.items:
        resources[HOST + item.url[len(BASE):]] = Resource(_detail(item, col, crumb), "text/html; charset=utf-8")
        for url, _how, ext in item.attachments:
            key = HOST + url[len(BASE):]
            resources[key] = _attachment_resource(url, ext)
    for sub in col.subs:
        _column_pages(sub, crumb, resources)


def build(night: int = 1) -> dict[str, Resource]:
    resources: dict[str, Resource] = {}
    all_units = units(night)
    dept_units = [u for u in all_units if not u.town]
    towns = [u for u in all_units if u.town]
    home_links = [("/zwgk_70700/index.html", "政府信息公开"), ("/bm/index.html", "区政府部门"),
                  ("/jz/index.html", "镇街"), ("/xwzx/index.html", "新闻中心"),
                  ("/bm/qczj/bmdt/202512/t20251201_15199705.html", "我区2024年度部门决算公开工作圆满完成")]
    resources[HOST + "/"] = resources[HOST + "/index.html"] = Resource(
        _page("重庆市荣昌区人民政府", "rongchang home", _links(home_links)), "text/html; charset=utf-8")
    resources[HOST + "/xwzx/index.html"] = Resource(
        _page("新闻中心", "news column (not followed)", _links([("/xwzx/index_1.html", "下一页")])))
    resources[HOST + "/bm/index.html"] = Resource(_page(
        "区政府部门", "department directory", _links([(u.home + "index.html", u.name) for u in dept_units]
                                                    + [(moved_column(night).url.split("zwgk_")[0] + "index.html",
                                                        "区财政预算评审中心")])))
    resources[HOST + "/jz/index.html"] = Resource(_page(
        "镇街", "town directory", _links([(u.home + "index.html", u.name) for u in towns])))
    for unit in all_units:
        zwgk = unit.columns[0].url.split("fdzdgknr")[0]
        fd = unit.columns[0].url[:unit.columns[0].url.index("/", len(zwgk)) + 1]
        crumb = f"首页 &gt; {'镇街' if unit.town else '部门'} &gt; {html.escape(unit.name)}"
        resources[HOST + unit.home[len(BASE):] + "index.html"] = Resource(_page(
            unit.name, unit.imitates + " sub-site home", _links([(zwgk + "index.html", "政务公开"),
                                                                 (unit.home + "bmdt/index.html", "部门动态")])))
        resources[HOST + zwgk[len(BASE):] + "index.html"] = Resource(_page(
            "政务公开", unit.imitates, _links([(fd + "index.html", "法定主动公开内容"),
                                               (zwgk + "zcwj/index.html", "政策文件")]), crumb + " &gt; 政务公开"))
        resources[HOST + fd[len(BASE):] + "index.html"] = Resource(_page(
            "法定主动公开内容", unit.imitates, _links([(c.url, c.text) for c in unit.columns]
                                                     + [(fd + "jgzn/index.html", "机构职能")]),
            crumb + " &gt; 政务公开 &gt; 法定主动公开内容"))
        for col in unit.columns:
            _column_pages(col, crumb + " &gt; 政务公开 &gt; 法定主动公开内容", resources)
    moved = moved_column(night)
    moved_home = moved.url.split("zwgk_")[0]
    fd = moved.url.split("ysjs_")[0] if "ysjs_" in moved.url else moved.url.split("czyjs_bm")[0]
    resources[HOST + moved_home[len(BASE):] + "index.html"] = Resource(_page(
        "区财政预算评审中心", moved.imitates, _links([(fd + "index.html", "法定主动公开内容")])))
    resources[HOST + fd[len(BASE):] + "index.html"] = Resource(_page(
        "法定主动公开内容", moved.imitates, _links([(moved.url, "预算")])))
    _column_pages(moved, "首页 &gt; 部门 &gt; 区财政预算评审中心", resources)
    tree = f"{BASE}/zwgk_70700/"
    resources[HOST + "/zwgk_70700/index.html"] = Resource(_page(
        "政府信息公开", "main tree /zwgk_<n>/ (§2.1)", _links([(tree + "fdzdgknr/index.html", "法定主动公开内容")])))
    resources[HOST + "/zwgk_70700/fdzdgknr/index.html"] = Resource(_page(
        "法定主动公开内容", "main tree", _links([(c.url, c.text) for c in main_tree_columns()]
                                              + [(tree + "fdzdgknr/ghxx/index.html", "规划信息")])))
    for col in main_tree_columns():
        _column_pages(col, "首页 &gt; 政府信息公开 &gt; 法定主动公开内容", resources)
    return resources


def _all_columns(night: int) -> list[Col]:
    cols = [c for u in units(night) for c in u.columns] + main_tree_columns() + [moved_column(night)]
    out = []
    while cols:
        c = cols.pop()
        out.append(c)
        cols += c.subs
    return out


def expected(night: int = 1) -> dict[str, set[str]]:
    """URLs the crawl must fetch: disclosure pages and attachments."""
    pages, attachments = set(), set()
    for col in _all_columns(night):
        for item in col.items:
            pages.add(item.url)
            attachments.update(u for u, _h, _e in item.attachments)
    return {"pages": pages, "attachments": attachments}


def column_urls(night: int = 1) -> set[str]:
    return {c.url for c in _all_columns(night)}
