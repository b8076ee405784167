"""A replica of 三明's city portal (www.sm.gov.cn) on Fujian's shared TRS platform, from its home
page down to the 2026年度三明市本级部门预算公开专栏, whose list comes from `POST /fjdzapp/search`.
Served on 127.0.0.1 by a real HTTP server. Everything named here is the archive's
(changwu/sanming-policy-opening-html, read file by file); the markup is rebuilt, because the
archive keeps each page's text (`page.txt`) and its files, not its HTML.

Where each part comes from:
- The header and footer of every page: the text every saved page of the archive begins and ends
  with (sanming/msfwtp/page.txt, sanming/inc/yysjds/page.txt): 国务院 / 省政府 / 市人大 / 市政协,
  the menu 首页 · 政务公开 · 解读回应 · 办事服务 · 互动交流 · 走进三明 and its 政务公开 submenu
  (政府信息公开 … 专题专栏), and in the footer the directory of 市政府部门, 各县（市、区）, 省内重要网站
  and 关于我们 | 隐私保护 | 联系我们 | 站点地图 | 使用帮助. The menu's targets are the folders the
  archive's README lists under those names (政务公开 = /zw/, 财政资金 = /zw/zfxxgkzdgz/czzj/, 解读回应 =
  /zcjd/ …); the 政府信息公开 platform is /smsrmzfbgs/smsrmzf/ (its 指南, 制度, 年报, 申请 and 法定主动公开内容
  folders are there). The departments' sites are the hosts of the archive's 子站_ folders
  (rsj.sm.gov.cn, gaj.sm.gov.cn …); those of the counties and of the province are invented addresses.
  Class names (`header`, `nav`, `footer`, `dqwz`) are invented, except the breadcrumb's `dqwz`
  and the article's `xl-nr-box` / `TRS_Editor`, which 莆田's saved pages on the same platform use
  (changwu/putian-policy-opening-html).
- The home page's news and 最新文件 blocks: titles and URLs of the archive's _index.tsv.
- The folder pages 政务公开, 重点领域信息公开, 财政资金, 财政预决算及三公经费, 预算 and 决算: their sub-columns
  as the README's column table lists them, under their folder names, in its order; their
  breadcrumbs as the saved disclosure pages print them (首页 > 政务公开 > 重点领域信息公开 > 财政资金 >
  财政预决算及三公经费 > 预算 > 2026年度三明市本级部门预算公开专栏).
- The columns that list their documents by script (the year columns, 市级政府财政预决算, 区县财政预决算,
  有关单位预决算公开): a shell naming the column's id (the README's 频道ID) for `POST /fjdzapp/search`.
  Only the 2026 budget column's answer is in our fixture (tests/fixtures/sanming_2026bmys/records.tsv:
  the 74 records of the archive's `ys/2026bmys/_lists/api_p001.json`); the others answer an empty
  list, so the test counts their requests but no documents. 财政资金收支审计 (4115) and the platform's
  法定主动公开内容 (22341) are served the same way: columns the crawler looks at and leaves.
- Disclosure pages carry their title and link their file beside it (`./P0….pdf`), as the archive's
  links.tsv of each one records; the files' bytes stand in for the PDFs.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import parse_qs

from crawler.demo.server import Resource

HOST = "www.sm.gov.cn"
HOME = f"https://{HOST}/"
FOLDER = "/zw/zfxxgkzdgz/czzj/czyjsjsgjf/ys/2026bmys/"
COLUMN = f"https://{HOST}{FOLDER}"
CHNL = "40990"  # the 2026 budget column's id, from the README
CHANNEL = "210001"  # invented: the site's document library
RECORDS = Path(__file__).parent / "fixtures" / "sanming_2026bmys" / "records.tsv"
HTML = "text/html; charset=utf-8"

CZZJ = "/zw/zfxxgkzdgz/czzj/"
YJS = CZZJ + "czyjsjsgjf/"
# (folder, name, column id) of the columns listed by script, from the README's column table
SCRIPT_COLUMNS = [(YJS + f"ys/{y}bmys/", f"{y}年度三明市本级部门预算公开专栏", i)
                  for y, i in ((2026, "40990"), (2025, "40193"), (2024, "38167"), (2023, "34708"), (2022, "27674"))]
SCRIPT_COLUMNS += [(YJS + f"js/{p}bmjs/", f"{y}年度三明市本级部门决算公开专栏", i)
                   for p, y, i in (("20245", 2025, "40991"), ("2024", 2024, "40194"), ("2023", 2023, "38183"),
                                   ("2022", 2022, "35776"), ("2021", 2021, "28190"))]
SCRIPT_COLUMNS += [(YJS + "sbjczyjs/", "市级政府财政预决算", "11901"), (CZZJ + "qxczyjs/", "区县财政预决算", "29849"),
                   (CZZJ + "yjsgk/", "有关单位预决算公开", "26939")]
# columns off the budget path that the folder names lead the crawler to look at
OTHER_COLUMNS = [(CZZJ + "qtczzj/", "财政资金收支审计", "4115", ["首页", "政务公开", "重点领域信息公开", "财政资金"]),
                 ("/smsrmzfbgs/smsrmzf/fdzdgk/", "法定主动公开内容", "22341", ["首页", "政府信息公开"])]
REPORT = ("/zw/gzbg/czbg/202601/t20260128_2186879.htm", "关于三明市2025年预算执行情况及2026年预算草案的报告")

# the menu of every page (sanming/msfwtp/page.txt), with the README's folders as targets
MENU = [("/", "首页"), ("/zw/", "政务公开"), ("/zcjd/", "解读回应"), ("https://zwfw.fujian.gov.cn/", "办事服务"),
        ("/hdjl/", "互动交流"), ("/zjsm/", "走进三明")]
ZW_MENU = [("/smsrmzfbgs/smsrmzf/", "政府信息公开"), ("/zw/zxwj/", "最新文件"), ("/zw/zfgb/", "政府公报"),
           ("/zw/rsxx/", "人事信息"), (CZZJ, "财政资金"), ("/zw/zfxxgkzdgz/", "重点领域信息公开"),
           ("/zw/sjkf/", "数据开放"), ("/zw/sjfb/", "数据发布"), ("/ztzl/", "专题专栏")]
ZCJD_MENU = [("/zw/zcwjk/", "政策文件库"), ("/zcjd/hygq/", "回应关切"), ("/zcjd/bszcjd/", "政策解读"),
             ("/zcjd/xwfbh/", "新闻发布会")]
HDJL_MENU = [("/hdjl/zxts/", "咨询投诉"), ("/hdjl/zxft/", "在线访谈"), ("/hdjl/wsdc/", "网上调查"),
             ("/hdjl/yjzj/", "意见征集")]
# the footer's directory (sanming/inc/yysjds/page.txt); hosts of the archive's 子站_ folders
DEPARTMENTS = [("fgw", "市发改委"), ("smjy", "市教育局"), ("smkj", "市科技局"), ("jxw", "市工信局"), ("gaj", "市公安局"),
               ("mzj", "市民政局"), ("smsfj", "市司法局"), ("cz", "市财政局"), ("rsj", "市人社局"),
               ("zrzyj", "市自然资源局"), ("shb", "市生态环境局"), ("zjj", "市住建局"), ("jtj", "市交通运输局"),
               ("smsl", "市水利局"), ("smsnyj", "市农业农村局"), ("swj", "市商务局"), ("wlj", "市文旅局"),
               ("wjw", "市卫健委"), ("gsj", "市市场监管局"), ("smstyj", "市体育局"), ("tjj", "市统计局"),
               ("rfb", "市国动办")]
COUNTIES = ["三元区", "沙县区", "永安市", "明溪县", "清流县", "宁化县", "建宁县", "泰宁县", "将乐县", "尤溪县", "大田县"]
CITIES = ["福建省", "福州市", "厦门市", "漳州市", "泉州市", "莆田市", "南平市", "龙岩市", "宁德市", "平潭综合实验区"]
# the home page's blocks (titles and URLs of the archive's _index.tsv)
NEWS = [("/zw/zwxx/sjdt/202609/t20260902_2313345.htm", "市第八期“就是这个理”读书沙龙举办"),
        ("/zw/zwxx/sjdt/202608/t20260822_2291575.htm", "市领导在三元区调研"),
        ("/zw/zwxx/sjdt/202608/t20260827_2296121.htm", "全市防御台风“沙德尔” 视频会商会召开")]
LATEST = [("/smsrmzfbgs/smsrmzf/zfxxgkml/cxjsgl/202609/t20260901_2313021.htm",
           "三明市人民政府关于三明生态新城G基本单元局部地块详细规划的批复"),
          REPORT,
          ("/zw/gsgg/qt_5599/202609/t20260907_2314361.htm",
           "三明市关于第二轮中央生态环境保护督察“闽江流域小水电生态环境”问题销号公示")]
# the folder pages: their sub-columns as the README's column table lists them
ZW = [("/zw/zxwj/", "最新文件"), ("/zw/zfgb/", "三明市人民政府公报"), ("/zw/ghjh/", "规划计划"), ("/zw/gzbg/", "工作报告"),
      ("/zw/rsxx/", "人事信息"), ("/zw/tjxx/", "统计信息"), ("/zw/gsgg/", "通知公告"), ("/zw/szfjg/", "市政府机构"),
      ("/zw/sld/", "市领导"), ("/zw/zfxxgkzdgz/", "重点领域信息公开"), ("/zw/zcwjk/", "政策文件库")]
ZDLY = [("aqsc", "安全生产"), ("czzj", "财政资金"), ("fp", "乡村振兴"), ("gcjsxmzbtb", "工程建设招标投标"),
        ("ggqsy", "公共企事业"), ("gyqy", "国有企业"), ("gysy", "公共文化体育"), ("hjbh", "环境保护"),
        ("jgsf", "价格和收费"), ("jy", "教育"), ("jycy", "稳岗就业"), ("jytabl_27084", "建议提案办理"),
        ("qsypaq", "食品药品安全"), ("shbxyjz", "社会保障"), ("shfl", "社会福利"), ("shjz", "社会救助"),
        ("szjs", "市政建设"), ("tdsyqcr", "国有土地使用权出让"), ("xzqlyx", "行政权力"), ("ylbxyl", "医疗保障"),
        ("ylfw", "养老服务"), ("ylws", "医疗卫生"), ("zdjcygk", "重大决策预公开"), ("zdjsxm", "重点项目建设"),
        ("zf", "住房保障"), ("zfcg", "政府采购"), ("zhsgjy", "灾害事故救援")]
CZZJ_COLUMNS = [("czyjsjsgjf/", "财政预决算及三公经费"), ("qtczzj/", "财政资金收支审计"), ("qxczyjs/", "区县财政预决算"),
                ("yjsgk/", "有关单位预决算公开"), ("zxgzzj/", "专项工作资金")]
YJS_COLUMNS = [("sbjczyjs/", "市级政府财政预决算"), ("ys/", "预算"), ("js/", "决算")]
GKPT = [("zfxxgkzn/", "政府信息公开指南"), ("zfxxgkzd/", "政府信息公开制度"), ("fdzdgk/", "法定主动公开内容"),
        ("zfxxgkndbg/", "政府信息公开年报"), ("ysqgk/", "政府信息公开申请"), ("zfxxgkml/", "市政府文件"),
        ("szfgz/", "市政府规章"), ("zc/xzgfxwj/", "行政规范性文件")]

CRUMB_CZZJ = ["首页", "政务公开", "重点领域信息公开", "财政资金"]


def records() -> list[dict]:
    with RECORDS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for r in rows:
        month = FOLDER + r["published"][:6] + "/"
        r["page"] = f"{month}t{r['published']}_{r['docid']}.htm"
        r["href"] = month + r["file"]
    return rows


def _links(items, base: str = "") -> str:
    return "".join(f'<li><a href="{base}{href}" target="_blank">{text}</a></li>' for href, text in items)


def _page(title: str, crumb: list[str], main: str, script: str = "") -> bytes:
    """A page of the portal: header with the menu, breadcrumb, content, footer directory."""
    top = ('<div class="top"><a href="http://www.gov.cn/">国务院</a><a href="http://www.fujian.gov.cn/">省政府</a>'
           '<a href="http://www.smrd.gov.cn/">市人大</a><a href="http://www.smzx.gov.cn/">市政协</a>'
           '<a href="/fanti/">繁体版</a><a href="/login/">登录</a><a href="/register/">注册</a></div>')
    menu = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in MENU)
    subs = (f'<div class="nav-sub"><ul>{_links(ZW_MENU)}</ul><ul>{_links(ZCJD_MENU)}</ul>'
            f'<ul>{_links(HDJL_MENU)}</ul></div>')
    header = f'<div class="header">{top}<div class="nav"><ul>{menu}</ul>{subs}</div></div>'
    where = f'<div class="dqwz"><p>当前位置：{" > ".join(crumb)}</p></div>' if crumb else ""
    directory = (f'<div class="footer"><div class="yqlj"><h4>市政府部门</h4><ul>'
                 f'{_links((f"http://{h}.sm.gov.cn/", n) for h, n in DEPARTMENTS)}</ul>'
                 f'<h4>各县（市、区）</h4><ul>{_links((f"http://www.county{i}.gov.cn/", n) for i, n in enumerate(COUNTIES))}'
                 f'</ul><h4>省内重要网站</h4><ul>{_links((f"http://www.city{i}.gov.cn/", n) for i, n in enumerate(CITIES))}'
                 f'</ul></div><p><a href="/gywm/">关于我们</a> | <a href="/yszc/">隐私保护</a> | <a href="/lxwm/">联系我们</a>'
                 ' | <a href="/wzdt/">站点地图</a> | <a href="/syzn/">使用帮助</a></p>'
                 '<p>网站标识码： 3504000001 主办：三明市人民政府办公室</p></div>')
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{header}{where}'
            f'<div class="main">{main}</div>{directory}{script}</body></html>').encode()


def _folder(title: str, crumb: list[str], columns, base: str) -> Resource:
    main = f'<div class="left"><h3>{title}</h3><ul>{_links(columns, base)}</ul></div><div class="list"></div>'
    return Resource(_page(title, crumb, main), HTML)


def _shell(folder: str, name: str, chnl: str, crumb: list[str]) -> Resource:
    script = (f"<script>var searchParam = {{channelid: '{CHANNEL}', classsql: 'chnlid={chnl}', prepage: 15}};"
              "</script>")
    return Resource(_page(name, crumb + [name], '<div id="list"></div>', script), HTML)


def answer(body: str, _query) -> Resource:
    """`POST /fjdzapp/search`: the 2026 budget column's records, 15 a page; any other column empty."""
    form = {k: v[0] for k, v in parse_qs(body).items()}
    assert form["channelid"] == CHANNEL, form
    chnl = form["classsql"].removeprefix("chnlid=")
    page, size = int(form["page"]), int(form["prepage"])
    rows = records() if chnl == CHNL else []
    data = [{"docid2": int(r["docid"]), "chnl": "2026年度三明市本级部门预算公开专栏", "doctitle": r["title"],
             "url": f"https://{HOST}{r['page']}", "docpuburl": f"https://{HOST}{r['page']}",
             "files": [{"appdesc": r["file_name"], "appfile": r["file"], "fileext": "pdf",
                        "_href": f"https://{HOST}{r['href']}"}]}
            for r in rows[(page - 1) * size: page * size]]
    return Resource(json.dumps({"error": False, "page": page, "prepage": size, "pageCount": -(-len(rows) // size),
                                "recordCount": len(rows), "data": data}, ensure_ascii=False).encode(),
                    "application/json; charset=utf-8")


def home_page() -> Resource:
    main = (f'<div class="news"><div class="hd"><span>三明要闻</span><a href="/zw/zwxx/sjdt/">更多>></a></div>'
            f'<ul>{_links(NEWS)}</ul></div>'
            f'<div class="zwgk"><div class="hd"><span>最新文件</span><a href="/zw/zxwj/">更多>></a></div>'
            f'<ul>{_links(LATEST)}</ul></div>')
    return Resource(_page("三明市人民政府", [], main), HTML)


def resources() -> dict:
    crumb = CRUMB_CZZJ + ["财政预决算及三公经费"]
    out = {
        HOST + "/": home_page(),
        HOST + "/zw/": _folder("政务公开", ["首页", "政务公开"], ZW, ""),
        HOST + "/smsrmzfbgs/smsrmzf/": _folder("政府信息公开", ["首页", "政府信息公开"], GKPT, "/smsrmzfbgs/smsrmzf/"),
        HOST + "/zw/zfxxgkzdgz/": _folder("重点领域信息公开", CRUMB_CZZJ[:3], [(f"{f}/", n) for f, n in ZDLY],
                                          "/zw/zfxxgkzdgz/"),
        HOST + CZZJ: _folder("财政资金", CRUMB_CZZJ, CZZJ_COLUMNS, CZZJ),
        HOST + YJS: _folder("财政预决算及三公经费", crumb, YJS_COLUMNS, YJS),
        HOST + YJS + "ys/": _folder("预算", crumb + ["预算"], [(f, n) for f, n, _ in SCRIPT_COLUMNS if "/ys/" in f], ""),
        HOST + YJS + "js/": _folder("决算", crumb + ["决算"], [(f, n) for f, n, _ in SCRIPT_COLUMNS if "/js/" in f], ""),
        f"{HOST}/fjdzapp/search POST": answer,
    }
    for folder, name, chnl in SCRIPT_COLUMNS:
        parent = crumb + (["预算"] if "/ys/" in folder else ["决算"] if "/js/" in folder else [])
        out[HOST + folder] = _shell(folder, name, chnl, parent if folder.startswith(YJS) else CRUMB_CZZJ)
    for folder, name, chnl, parent in OTHER_COLUMNS:
        out[HOST + folder] = _shell(folder, name, chnl, parent)
    report = f'<div class="xl-nr-box"><h2>{REPORT[1]}</h2><div class="TRS_Editor"><p>{REPORT[1]}</p></div></div>'
    out[HOST + REPORT[0]] = Resource(_page(REPORT[1], ["首页", "政务公开", "工作报告", "财政报告"], report), HTML)
    column_crumb = crumb + ["预算", "2026年度三明市本级部门预算公开专栏"]
    for r in records():
        main = (f'<div class="xl-nr-box"><h2>{r["title"]}</h2><div class="TRS_Editor"><p>{r["title"]}</p></div>'
                f'<div class="fj"><p>附件：<a href="./{r["file"]}">{r["file_name"]}</a></p></div></div>')
        page = _page(f'{r["title"]}_2026年度三明市本级部门预算公开专栏', column_crumb, main)
        page = page.replace(b"<title>", f'<meta name="ArticleTitle" content="{r["title"]}"><title>'.encode(), 1)
        out[HOST + r["page"]] = Resource(page, HTML)
        out[HOST + r["href"]] = Resource(b"%PDF-1.4 " + r["file"].encode(), "application/pdf")
    return out
