"""Fujian's shared TRS platform crawled from a column page alone: 三明's 2026年度三明市本级部门预算公开专栏
(www.sm.gov.cn, column id 40990), every department's 2026 budget, listed by `POST /fjdzapp/search`.

Where each part comes from:
- tests/fixtures/sanming_2026bmys/records.tsv: the 74 records of the list answer an archive of the
  site saved (changwu/sanming-policy-opening-html, `sanming/zw/zfxxgkzdgz/czzj/czyjsjsgjf/ys/2026bmys/
  _lists/api_p001.json`, recordCount 74): each record's id, the date part of its URL, its title and
  its file's stored name and title, copied field by field. The answer is served in that shape
  (`{"error", "page", "prepage", "pageCount", "recordCount", "data": [{"docid2", "chnl", "doctitle",
  "url", "docpuburl", "files": [{"appdesc", "appfile", "fileext", "_href"}]}]}`), 15 records a page
  as the site's own pages ask; the other fields of a record are left out.
- The request: the form public crawlers of Fujian sites post (`channelid`, `classsql=chnlid=<id>`,
  `page`, `prepage`, `sortfield`). The site's `channelid` (the document library) is invented; the
  column id 40990 and the column names of the breadcrumb are the archive's.
- The column page and the disclosure pages were not saved as HTML (the archive keeps their text):
  the column page is a shell with the breadcrumb and the script's ids, a disclosure page carries its
  title and links its file beside it (`./P0….pdf`), as 莆田's saved pages on the same platform do
  (changwu/putian-policy-opening-html). The files' bytes stand in for the PDFs.
"""
import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from api_replicas import ApiServer
from crawler.demo.server import Resource
from crawling import FAST, ROOT

pytestmark = pytest.mark.slow  # starts processes and servers

HOST = "www.sm.gov.cn"
FOLDER = "/zw/zfxxgkzdgz/czzj/czyjsjsgjf/ys/2026bmys/"
COLUMN = f"http://{HOST}{FOLDER}"
CHANNEL = "210001"  # invented: the site's document library
RECORDS = Path(__file__).parent / "fixtures" / "sanming_2026bmys" / "records.tsv"


def records() -> list[dict]:
    with RECORDS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for r in rows:
        month = FOLDER + r["published"][:6] + "/"
        r["page"] = f"{month}t{r['published']}_{r['docid']}.htm"
        r["href"] = month + r["file"]
    return rows


def answer(body: str, _query) -> Resource:
    form = {k: v[0] for k, v in parse_qs(body).items()}
    assert form["channelid"] == CHANNEL and form["classsql"] == "chnlid=40990", form
    page, size, rows = int(form["page"]), int(form["prepage"]), records()
    data = [{"docid2": int(r["docid"]), "chnl": "2026年度三明市本级部门预算公开专栏", "doctitle": r["title"],
             "url": f"http://{HOST}{r['page']}", "docpuburl": f"http://{HOST}{r['page']}",
             "files": [{"appdesc": r["file_name"], "appfile": r["file"], "fileext": "pdf",
                        "_href": f"http://{HOST}{r['href']}"}]}
            for r in rows[(page - 1) * size: page * size]]
    return Resource(json.dumps({"error": False, "page": page, "prepage": size, "pageCount": -(-len(rows) // size),
                                "recordCount": len(rows), "data": data}, ensure_ascii=False).encode(),
                    "application/json; charset=utf-8")


def resources() -> dict:
    html = "text/html; charset=utf-8"
    crumb = "当前位置：首页 > 政务公开 > 财政资金 > 财政预决算及三公经费 > 预算 > 2026年度三明市本级部门预算公开专栏"
    shell = (f'<html><head><meta charset="utf-8"><title>2026年度三明市本级部门预算公开专栏</title></head><body>'
             f'<div class="dqwz"><p>{crumb}</p></div><div id="list"></div>'
             f"<script>var searchParam = {{channelid: '{CHANNEL}', classsql: 'chnlid=40990', prepage: 15}};</script>"
             '</body></html>')
    out = {HOST + FOLDER: Resource(shell.encode(), html), f"{HOST}/fjdzapp/search POST": answer}
    for r in records():
        page = (f'<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{r["title"]}">'
                f'<title>{r["title"]}_2026年度三明市本级部门预算公开专栏</title></head><body>'
                f'<div class="dqwz"><p>{crumb}</p></div><div class="xl-nr-box"><h2>{r["title"]}</h2>'
                f'<div class="TRS_Editor"><p>{r["title"]}</p></div><div class="fj"><p>附件：'
                f'<a href="./{r["file"]}">{r["file_name"]}</a></p></div></div></body></html>')
        out[HOST + r["page"]] = Resource(page.encode(), html)
        out[HOST + r["href"]] = Resource(b"%PDF-1.4 " + r["file"].encode(), "application/pdf")
    return out


@pytest.fixture(scope="module")
def requested(tmp_path_factory):
    db = tmp_path_factory.mktemp("fujian") / "budgets.db"
    with ApiServer(resources()) as server:
        command = [sys.executable, "-m", "scrapy", "crawl", "disclosures", "-a", f"home={COLUMN}",
                   "-a", f"replica=127.0.0.1:{server.port}", "-s", f"BUDGETS_DB={db}",
                   "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "AUTOTHROTTLE_ENABLED=False",
                   "-s", 'ITEM_PIPELINES={"crawler.pipelines.RawFilesPipeline": 100}']
        for name, value in FAST.items():
            command += ["-s", f"{name}={value}"]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
        urls = list(server.requested_urls)
    assert result.returncode == 0, result.stderr[-3000:]
    return urls


def test_the_saved_answer_holds_the_74_records_it_announces():
    assert len(records()) == 74 == len({r["docid"] for r in records()})


def test_every_page_of_the_list_is_asked_for(requested):
    pages = sorted(int(parse_qs(u.split(" ", 2)[2])["page"][0]) for u in requested if "/fjdzapp/search" in u)
    assert pages == [1, 2, 3, 4, 5]  # 74 records, 15 a page


def test_every_department_budget_and_its_file_is_fetched(requested):
    asked = set(requested)
    missed = [r["title"] for r in records() if HOST + r["page"] not in asked or HOST + r["href"] not in asked]
    assert missed == []


def test_nothing_is_asked_twice_or_off_the_site(requested):
    assert [u for u, n in Counter(requested).items() if n > 1] == []
    assert all(u.split(" ")[-2 if u.startswith("POST") else 0].startswith(HOST) for u in requested)


def test_in_a_budget_column_a_year_and_a_bodys_name_is_that_bodys_disclosure():
    from crawler.sites.home import site_from_home

    site = site_from_home(COLUMN)
    assert not site.is_disclosure("2026年三明市人民政协办公室")
    assert site.is_disclosure_in_column("2026年三明市人民政协办公室", "budget")
    assert not site.is_disclosure_in_column("2026年三明市人民政协办公室", "")  # not known to be a budget column
    assert not site.is_disclosure_in_column("2026年三明市人民政协办公室", "budget", year=2025)
    assert not site.is_disclosure_in_column("关于三明市人民政协办公室的通知", "budget")
