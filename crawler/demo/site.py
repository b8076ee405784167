"""The demo column: a replica of a Chongqing district 财政预决算 column (TRS platform paths, as on
潼南 cqtn.gov.cn), filled with real material:

- the seed disclosure (重庆市潼南区大数据应用发展管理局2026年部门预算) as an HTML page with its tables,
  served in GBK under a wrong `charset=utf-8` label, as district sites do;
- its XLSX/XLS/DOCX/DOC/ZIP renditions as attachments (both ship in crawler/demo/content/);
- when the project's shared corpus is beside the checkout (../shared/corpus, or BUDGETS_SHARED),
  real PDFs from it (Shanghai 普陀区 disclosures) as attachments of their pages; without it
  those pages and the final-accounts column that lists only them are left out, and `build` says so;

and the traps a crawler meets: three list pages paged by `createPageHTML`, two by plain links,
the same disclosure linked several times, a mobile `_wap` twin, notices that mention budgets,
a missing (404) attachment, one that always answers 503, a slow page, a UTF-8 page with a BOM labelled GBK, an attachment
behind a download script named only by Content-Disposition, and a robots.txt that forbids one
folder.
"""
from __future__ import annotations

import html
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from crawler.demo.seed import CONTENT, TITLE as SEED_TITLE, seed_page
from crawler.demo.server import Resource
from crawler.links import ATTACHMENT_EXTENSIONS

HOST = "demo.district-budgets.localhost"  # a name for the documents' URLs; served on 127.0.0.1
COLUMN = "/bm/dsjfzj/zwgk_25192/fdzdgknr/ysjs_117571"
BUDGETS = f"{COLUMN}/ys_bm"
FINALS = f"{COLUMN}/js_bm"
DISALLOWED = f"{BUDGETS}/nbsh/"
SLOW_SECONDS = 2.5
RENDITIONS = CONTENT / "renditions"


def shared_folder(environ=os.environ, module: Path = Path(__file__)) -> Path | None:
    """The project's shared material (optional): BUDGETS_SHARED, else `shared/` beside the
    checkout this module is in; None for an installed package, which has no checkout."""
    if environ.get("BUDGETS_SHARED"):
        return Path(environ["BUDGETS_SHARED"])
    checkout = module.resolve().parents[2]
    return checkout.parent / "shared" if (checkout / "pyproject.toml").is_file() else None


def missing_corpus_note(shared: Path | None) -> str:
    """What the demo says when the real PDFs are not here, naming where they would be found."""
    where = (f"{shared / 'corpus'} is not here (set BUDGETS_SHARED to the folder that holds corpus/ "
             "if it is elsewhere)" if shared else
             "the shared corpus is not here: this is an installed package, not a checkout (set "
             "BUDGETS_SHARED to the folder that holds corpus/, the shared/ folder beside a clone)")
    return (f"demo site: {where}, so the pages carrying real PDF disclosures (and the attachment that "
            "answers 503, and the final-accounts column) are left out; the seed page and its office "
            "renditions are served")


SHARED = shared_folder()
CORPUS = SHARED / "corpus" if SHARED else None

SEED_PAGE = f"{BUDGETS}/202601/t20260129_15366001.html"
SEED_WAP = f"{BUDGETS}/202601/t20260129_15366001_wap.html"
NOTICE = f"{BUDGETS}/202601/t20260105_15300001.html"
REPORT = "/zwgk_25185/zfxxgkml/zfgzbg/202601/t20260120_15300100.html"
DRAFT = f"{DISALLOWED}202601/t20260120_15300000.html"
MISSING = f"{BUDGETS}/202601/P020260130583917604999.xls"  # 404
UNAVAILABLE = f"{BUDGETS}/202602/P020260210391827364502.xls"  # 503, every time
DOWNLOAD = "/module/download/downfile.jsp?classid=0&id=15369931"


@dataclass
class Disclosure:
    """A disclosure page on a list, and the real PDF it carries."""

    path: str
    title: str
    date: str
    pdf: str  # file under the shared corpus
    pdf_path: str  # where the demo serves it
    official_url: str = ""
    encoding: str = "utf-8"
    label: str | None = None  # what the Content-Type header claims
    bom: bool = False
    delay: float = 0.0
    pdf_disposition: bool = False  # name the PDF by a GBK Content-Disposition header


PDF_PAGES = [
    Disclosure(
        path=f"{BUDGETS}/202602/t20260210_15400001.html", date="2026-02-10",
        title="上海市普陀区司法局2026年单位预算", pdf="putuo-govbudgetchecker/unit_budget.pdf",
        pdf_path=f"{BUDGETS}/202602/上海市普陀区司法局2026年单位预算.pdf",
        official_url="https://www.shpt.gov.cn/zhengwu/sfjbb-sfj/2026/69/202298/b0fd8c9eee7a4ce7b26cf9bcfa234254.pdf",
    ),
    Disclosure(
        path=f"{BUDGETS}/202402/t20240205_12800001.html", date="2024-02-05",
        title="上海市普陀区社会福利院2024年单位预算", pdf="putuo-tianbaoxitong/1769321433314-826553525.pdf",
        pdf_path=f"{BUDGETS}/202402/P020240205384756102938.pdf",
        bom=True, label="text/html; charset=gbk", pdf_disposition=True,
    ),
    Disclosure(
        path=f"{FINALS}/202509/t20250915_15000001.html", date="2025-09-15",
        title="中共上海市普陀区委社会工作部2024年度部门决算",
        pdf="putuo-govbudgetchecker/中共上海市普陀区委社会工作部 2024 年度部门决算.pdf",
        pdf_path=f"{FINALS}/202509/P020250915615243780011.pdf", delay=SLOW_SECONDS,
    ),
]


def page(title: str, body: str, charset: str = "utf-8") -> str:
    return (f"<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
            f"charset={charset}\"><title>{html.escape(title)}</title></head>\n<body>\n"
            f"<div class=\"crumb\">您当前的位置：首页 &gt; 部门 &gt; 区大数据发展局 &gt; 政务公开 &gt; "
            f"法定主动公开内容 &gt; 预算/决算</div>\n{body}\n</body></html>\n")


def list_page(title: str, items: list[tuple[str, str, str]], pager: str) -> str:
    rows = "\n".join(
        f'<li><a href="{href}" target="_blank" title="{html.escape(full)}">{html.escape(shown)}</a>'
        f"<span>{date}</span></li>"
        for href, full, shown, date in [(h, t, t if len(t) <= 24 else t[:22] + "…", d) for h, t, d in items]
    )
    return page(title, f"<h2>{title}</h2>\n<ul class=\"list\">\n{rows}\n</ul>\n{pager}", charset="gb2312")


def js_pager(n: int, current: int) -> str:
    return (f'<div class="page"><script type="text/javascript">'
            f'createPageHTML({n}, {current}, "index", "html");</script></div>')


def gbk(text: str) -> bytes:
    return text.encode("gbk", errors="xmlcharrefreplace")


def renditions() -> list[Path]:
    """The seed's office renditions (XLSX first: it goes behind the download script)."""
    kinds = [k for k in ATTACHMENT_EXTENSIONS if k != "pdf"]
    kinds.sort(key=lambda k: k != "xlsx")
    return [p for kind in kinds for p in sorted(RENDITIONS.glob(f"*.{kind}"))]


def pdf_pages() -> list[Disclosure]:
    """The disclosure pages whose real PDF is here to serve."""
    return [d for d in PDF_PAGES if CORPUS and (CORPUS / d.pdf).is_file()]


def build() -> dict[str, Resource]:
    """Every resource of the demo site, by path."""
    r: dict[str, Resource] = {}
    if len(pdf_pages()) < len(PDF_PAGES):
        print(missing_corpus_note(CORPUS.parent if CORPUS else None), file=sys.stderr, flush=True)
    r["/robots.txt"] = Resource(
        f"User-agent: *\nDisallow: {DISALLOWED}\nDisallow: /search/\n".encode(), "text/plain")

    # the seed page and its attachments --------------------------------------------------------
    seed_html, seed_source = seed_page()
    attachments = []
    for number, path in enumerate(renditions()):
        label = f"附件{number + 1}：{path.name}"
        if path.suffix == ".xlsx" and DOWNLOAD not in r:  # behind a download script: only its
            # link text and Content-Disposition name it
            href = DOWNLOAD
            headers = {"Content-Disposition": "attachment; filename*=UTF-8''" + quote(path.name)}
        else:
            href = f"{BUDGETS}/202601/{path.name}"
            headers = {}
        r[href] = Resource(path.read_bytes(), "application/octet-stream", headers=headers)
        attachments.append((href, label, path.name))
    attachments.append((MISSING, "附件（旧版，已撤回）：部门预算公开表.xls", "nothing: this link is broken on purpose"))
    links = "\n".join(f'<p><a href="{href}">{html.escape(text)}</a></p>' for href, text, _ in attachments)
    if attachments and attachments[0][0] == DOWNLOAD:
        links += f'\n<p><a href="{DOWNLOAD}">{html.escape(attachments[0][1])}</a>（同上）</p>'
    provenance = "; ".join(f"{href} ← {src}" for href, _, src in attachments)
    seed_body = seed_html.replace("</body>", f"<div class=\"attachments\">\n{links}\n</div>\n</body>")
    seed_body = seed_body.replace("charset=\"utf-8\"", "charset=\"gb2312\"").replace("charset=utf-8", "charset=gb2312")
    seed_body = (f"<!-- demo replica: page made from {seed_source}; attachments: {provenance} -->\n"
                 + seed_body)
    r[SEED_PAGE] = Resource(gbk(seed_body), "text/html; charset=utf-8")  # mislabelled, as seen live
    r[SEED_WAP] = Resource(gbk(seed_body), "text/html; charset=utf-8")

    # pages carrying real PDFs -----------------------------------------------------------------
    present = pdf_pages()
    for d in present:
        source = CORPUS / d.pdf
        broken = (f'<p>附件2：<a href="{UNAVAILABLE}">{html.escape(d.title)}公开表.xls</a></p>\n'
                  if d is PDF_PAGES[0] else "")
        body = page(d.title, (
            f"<!-- demo replica: attachment is corpus/{d.pdf} of the project's shared material"
            f"{' (published at ' + d.official_url + ')' if d.official_url else ''} -->\n"
            f"<h1>{d.title}公开</h1>\n<p>发布日期：{d.date}</p>\n"
            f"<p>根据《中华人民共和国预算法》和部门预算公开的有关规定，现将{d.title}公开如下，详见附件。</p>\n"
            f'<p>附件：<a href="{d.pdf_path}">'
            f"{html.escape(d.title)}.pdf</a></p>\n{broken}"
            f"<p class=\"note\">演示副本：附件为真实公开文件 {html.escape(Path(d.pdf).name)}。</p>"))
        data = ("\ufeff" + body).encode("utf-8") if d.bom else body.encode(d.encoding)
        r[d.path] = Resource(data, d.label or f"text/html; charset={d.encoding}", delay=d.delay)
        headers = {}
        if d.pdf_disposition:  # a raw GBK file name, as older Chinese servers send it
            headers["Content-Disposition"] = b'attachment; filename="' + gbk(f"{d.title}.pdf") + b'"'
        r[d.pdf_path] = Resource(source.read_bytes(), "application/pdf", headers=headers)

    r[UNAVAILABLE] = Resource(b"<html><body>503 Service Unavailable</body></html>", status=503)

    # notices that mention budgets but are not disclosures, and a page robots.txt forbids -----
    r[NOTICE] = Resource(gbk(page("关于做好2026年部门预算公开工作的通知", "<p>各单位：……</p>", "gb2312")),
                         "text/html")
    r[REPORT] = Resource(gbk(page("潼南区2026年政府工作报告", "<p>……</p>", "gb2312")), "text/html")
    r[DRAFT] = Resource(gbk(page(f"{SEED_TITLE}（内部审核稿）", "<p>……</p>", "gb2312")), "text/html")

    # list pages ---------------------------------------------------------------------------------
    budget_items = [
        [(SEED_PAGE, SEED_TITLE, "2026-01-30"),
         ("202601/t20260129_15366001.html", SEED_TITLE, "2026-01-30"),  # the same page, relative
         (NOTICE, "关于做好2026年部门预算公开工作的通知", "2026-01-05"),
         (SEED_WAP, SEED_TITLE + "（手机版）", "2026-01-30")],
        [(d.path, d.title, d.date) for d in present if d.path.startswith(BUDGETS)]
        + [(DRAFT, SEED_TITLE + "（内部审核稿）", "2026-01-20"),
           (REPORT, "潼南区2026年政府工作报告", "2026-01-20")],
        [(SEED_PAGE, SEED_TITLE, "2026-01-30"),  # listed again on a later page
         (f"{BUDGETS}/202512/t20251215_15250001.html", "区大数据发展局开展数据安全培训", "2025-12-15")],
    ]
    for n, items in enumerate(budget_items):
        name = "index.html" if n == 0 else f"index_{n}.html"
        r[f"{BUDGETS}/{name}"] = Resource(
            gbk(list_page("预算", items, js_pager(len(budget_items), n))), "text/html")
    final_items = [
        [("/zwgk_25185/zfxxgkml/zfcg/202509/t20250901_14990001.html", "潼南区2025年度政府采购意向公开", "2025-09-01")],
        [(d.path, d.title, d.date) for d in present if d.path.startswith(FINALS)],
    ]
    pagers = ['<div class="page"><a href="index_1.html">下一页</a> <a href="index_1.html">尾页</a></div>',
              '<div class="page"><a href="index.html">首页</a> <a href="index.html">上一页</a></div>']
    if not has_finals():
        return r
    for n, items in enumerate(final_items):
        name = "index.html" if n == 0 else f"index_{n}.html"
        r[f"{FINALS}/{name}"] = Resource(gbk(list_page("决算", items, pagers[n])), "text/html; charset=gb2312")
    return r


def has_finals() -> bool:
    """Is there a final-accounts column? Its disclosures are all real PDFs: without the corpus
    the column would list none, and a column of list pages that link to nothing reads as a
    redesigned site (the crawl's "list pages keep their shape" alert) on every demo run."""
    return any(d.path.startswith(FINALS) for d in pdf_pages())


def start_urls() -> list[str]:
    return [f"http://{HOST}{BUDGETS}/index.html"] + ([f"http://{HOST}{FINALS}/index.html"] if has_finals() else [])
