"""What a person sees: Debian's headless Chromium (driven by Playwright) against `budgets serve`
running as a subprocess on a random loopback port, over tests/published_sample.py's database (the
潼南 disclosure in six formats, other departments and years, two final accounts). Screenshots go to
$BUDGETS_SCREENSHOTS (default: budgets-screens in the temporary directory)."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import urllib.request
from pathlib import Path

import pytest

import datasette_sample as sample
import published_sample

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(os.environ.get("BUDGETS_SCREENSHOTS") or Path(tempfile.gettempdir()) / "budgets-screens")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("served") / "budgets.db"
    ids = published_sample.build(path)
    with sample.Server(path) as running:
        running.ids = ids
        yield running


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/install.sh --test)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    # No internet: any request leaving loopback would be a CDN dependency.
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None)
    yield page
    context.close()
    assert outside == [], f"the page fetched from outside the server: {outside}"


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_home_page_shows_the_site_in_chinese_with_search_and_questions(page, server):
    page.goto(server.url + "/")
    assert "区县部门预算决算公开数据" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="“三公”经费排名与变化", exact=False).is_visible()
    assert page.locator("input[name=q]").is_visible()
    assert chinese_glyphs_are_drawn(page)
    shot(page, "home")


def chinese_glyphs_are_drawn(page) -> bool:
    """Without a CJK font every character is drawn as the same empty box ('tofu'): two different
    words then give identical pixels. The canvas uses the page's own font fallback."""
    drawings = page.evaluate("""() => ['区县', '预算'].map(text => {
        const canvas = document.createElement('canvas');
        canvas.width = 120; canvas.height = 50;
        const context = canvas.getContext('2d');
        context.font = '32px ' + getComputedStyle(document.body).fontFamily;
        context.fillText(text, 4, 40);
        return Array.from(context.getImageData(0, 0, 120, 50).data).join(',');
    })""")
    return drawings[0] != drawings[1]


def test_a_person_runs_a_canned_query_with_parameters(page, server):
    page.goto(server.url + "/budgets/subject_across_departments")
    page.fill("input[name=code]", "2210201")
    page.fill("input[name=year]", "2026")
    page.locator("input[type=submit]").first.click()
    page.wait_for_load_state()
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() == 3
    first = rows.nth(0).inner_text()
    assert "重庆市铜梁区" in first and "财政局" in first and "67.8" in first
    # the seed bureau once, although its disclosure was loaded in six formats
    assert "大数据应用发展管理局" in rows.nth(2).inner_text() and "23.99" in rows.nth(2).inner_text()
    assert "住房公积金" in rows.nth(2).inner_text()
    # the source link opens the disclosure at its page
    assert page.locator("a[href='https://www.tongliang.example.gov.cn/2026/财政局.pdf#page=5']").count() == 1
    shot(page, "canned_query_subject_across_departments")


def test_a_person_searches_from_the_home_page(page, server):
    page.goto(server.url + "/")
    page.fill("input[name=q]", "数字重庆")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/budgets/search?q=*")
    table = page.locator("table.rows-and-columns").inner_text()
    assert "推进数字重庆建设项目" in table and "项目 project" in table
    shot(page, "search")


def rows_of(server, path):
    with urllib.request.urlopen(server.url + path, timeout=30) as response:
        return json.loads(response.read())


def test_a_person_walks_every_page_of_the_published_lines_and_sees_every_row_once(page, server):
    total = rows_of(server, "/budgets/published_lines.json?_size=0")["filtered_table_rows_count"]
    page.goto(server.url + "/budgets/published_lines?_size=100")
    ids, pages = [], 0
    while True:
        pages += 1
        ids += page.locator("table.rows-and-columns tbody td.col-id").all_inner_texts()
        if pages == 2:
            shot(page, "published_lines_page_2")
        following = page.get_by_role("link", name="Next page")
        if following.count() == 0:
            break
        following.click()
        page.wait_for_load_state()
    assert pages > 2 and total > 200
    assert len(ids) == total and len(set(ids)) == total
    # amounts read as 万元 with separators; codes carry their Chinese names
    assert page.locator("td.col-amount_wan span.wan").first.is_visible()


def test_a_person_exports_the_csv_for_excel_from_the_table_menu(page, server):
    page.goto(server.url + "/budgets/published_lines")
    page.locator("details.actions-menu-links summary").first.click()
    link = page.get_by_role("link", name=re.compile("CSV \\(Excel"))
    assert link.is_visible()
    shot(page, "export_menu")
    body = page.request.get(server.url + link.get_attribute("href")).body()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    total = rows_of(server, "/budgets/published_lines.json?_size=0")["filtered_table_rows_count"]
    assert len(rows) == total and len({r["id"] for r in rows}) == total
    xlsx = page.request.get(server.url + "/budgets/published_lines.xlsx")
    assert xlsx.ok and xlsx.body()[:2] == b"PK"


def test_a_person_types_a_subject_name_and_sees_every_department_over_three_years(page, server):
    page.goto(server.url + "/-/subject")
    page.fill("input[name=code]", "住房公积金")
    page.locator("form.chart-form input[type=submit]").click()
    page.wait_for_load_state()
    header = page.locator("table.wide-subject thead").inner_text()
    assert "预算数 budget" in header and "决算数 final account" in header
    assert all(str(y) in header for y in (2024, 2025, 2026))
    row = page.locator("table.wide-subject tbody tr", has_text=sample.BIGDATA)
    assert row.count() == 1  # six copies of the disclosure, one row
    assert "15.97" in row.inner_text() and "17.74" in row.inner_text() and "23.99" in row.inner_text()
    series = page.locator("svg.line-chart g.series")
    assert series.count() >= 4
    assert page.locator("svg.line-chart text.tick").count() >= 3  # a y axis with ticks
    assert page.locator("svg.line-chart polyline[stroke-dasharray]").count() >= 1  # 决算 dashed
    shot(page, "subject_2210201")
    page.fill("input[name=code]", "不存在的科目")
    page.locator("form.chart-form input[type=submit]").click()
    page.wait_for_load_state()
    assert "没有找到" in page.locator(".nothing-matched").inner_text()
    shot(page, "subject_nothing_matched")


def test_a_person_types_part_of_a_department_name_and_reads_its_page(page, server):
    page.goto(server.url + "/-/department")
    page.fill("input[name=department]", "大数据")
    page.locator("form.chart-form input[type=submit]").click()
    page.wait_for_load_state()
    assert f"{sample.TONGNAN} {sample.BIGDATA}" in page.locator("h1").inner_text()
    totals = page.locator("#totals table").inner_text()
    assert "1,207.84" in totals and "404.68" in totals and "803.16" in totals
    assert "5.00" in page.locator("#three-public table").inner_text()
    assert "error: 19" in page.locator("#findings").inner_text()
    assert page.locator("#documents tbody tr").count() >= 6
    shot(page, "department_bigdata")

    page.locator("#documents tbody tr", has_text="xlsx").get_by_role("link").first.click()
    page.wait_for_load_state()
    assert "重庆市潼南区大数据应用发展管理局2026年部门预算公开" in page.locator("h1").inner_text()
    tables = page.locator("section.document-table")
    assert tables.count() >= 9
    general = page.locator("section.document-table", has_text="一般公共预算财政拨款支出")
    assert "住房公积金" in general.first.inner_text() and "1,207.84" in general.first.inner_text()
    assert page.locator("table.findings").inner_text().count("error") >= 13
    shot(page, "document_xlsx")


def test_a_document_page_links_its_archived_copy(page, server):
    page.goto(f"{server.url}/-/document/{server.ids['page']}")
    link = page.locator("a.archived")
    assert link.is_visible()
    response = page.request.get(server.url + link.get_attribute("href"))
    assert response.ok and response.headers["content-security-policy"] == "sandbox"
    shot(page, "document_page")


def test_the_charts_for_final_accounts(page, server):
    page.goto(server.url + "/-/charts?code=2210201")
    page.select_option("select[name=stage]", "final_account")
    page.locator("form.chart-form input[type=submit]").click()
    page.wait_for_load_state()
    bars = page.locator("svg.bar-chart rect.bar")
    assert bars.count() == 1  # only 潼南区财政局 published a 决算 with 2210201, latest 2025
    assert "2025" in page.locator("svg.bar-chart .chart-title").text_content()
    assert "58.4" in page.locator("svg.bar-chart").text_content()
    lines = page.locator("svg.line-chart g.series")
    assert lines.count() == 1 and "决算" in lines.first.get_attribute("data-name")
    assert page.locator("svg.line-chart g.point").count() == 2
    assert page.locator("select[name=who] option").first.inner_text().startswith("全部部门")
    shot(page, "charts_final_account")

    page.select_option("select[name=who]", f"{sample.TONGNAN}|财政局")
    page.locator("form.chart-form input[type=submit]").click()
    page.wait_for_load_state()
    names = [g.get_attribute("data-name") for g in page.locator("svg.line-chart g.series").all()]
    assert names == [f"{sample.TONGNAN} 财政局 · 预算", f"{sample.TONGNAN} 财政局 · 决算"]
    shot(page, "charts_one_department_budget_and_final")


def test_the_charts_for_budgets_across_all_departments(page, server):
    page.goto(server.url + "/-/charts?code=2210201")
    bars = page.locator("svg.bar-chart rect.bar")
    assert bars.count() == 3
    widths = [bars.nth(i).bounding_box()["width"] for i in range(3)]
    assert widths[0] > widths[1] > widths[2] > 0  # drawn, largest first
    assert page.locator("svg.line-chart g.series").count() == 3  # one line a department, never summed
    shot(page, "charts_budget")


def test_robots_txt_disallows_crawlers(page, server):
    response = page.request.get(server.url + "/robots.txt")
    assert response.text().strip() == "User-agent: *\nDisallow: /"


def test_a_person_types_part_of_a_department_name_into_a_canned_query(page, server):
    page.goto(server.url + "/budgets/department_year_over_year")
    assert page.locator("input[name=department]").get_attribute("list") == "choices-department"
    page.fill("input[name=department]", "大数据")
    page.locator("input[type=submit]").first.click()
    page.wait_for_load_state()
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() > 10
    assert "2210201" in page.locator("table.rows-and-columns").inner_text()
    shot(page, "canned_query_department_typed")
    page.fill("input[name=department]", "不存在的局")
    page.locator("input[type=submit]").first.click()
    page.wait_for_load_state()
    assert "nothing matched" in page.locator(".nothing-matched").inner_text()


@pytest.fixture(scope="module")
def doubtful_server(tmp_path_factory):
    """The seed's 表3 as its HTML page prints it (tests/badinputs.good_html_table), once as printed
    and once with four of its ten rows' 小计 unequal to 基本支出 + 项目支出 (a column read a row
    apart leaves such rows)."""
    from badinputs import good_html_table
    from budgets import db as database
    from budgets.afterload import settle
    from budgets.pipeline import Source, ingest_bytes
    from budgets.publish import prepare

    good = good_html_table()
    head, _, _ = good.decode().partition("<tr><td></td><td>合计</td>")
    # four of ten rows wrong: a table we doubt; wrong nearly throughout, the digits themselves are
    # doubted and nothing is loaded (extractors.budget_quality.sums_fail)
    rows = "".join(f"<tr><td>2080{n:03d}</td><td>行政运行{n}</td><td>10.00</td><td>{91 if n <= 4 else 19}.00</td>"
                   "<td>10.00</td><td>9.00</td></tr>" for n in range(1, 11))
    wrong = (head + rows + "</table></body></html>").replace("大数据应用发展管理局", "统计局").encode()
    path = tmp_path_factory.mktemp("doubtful") / "budgets.db"
    db = database.connect(path)
    ids = {"wrong": ingest_bytes(db, wrong, Source(filename="wrong.html"))["id"],
           "right": ingest_bytes(db, good, Source(filename="right.html"))["id"]}
    settle(db)
    prepare(db)
    db.conn.close()
    with sample.Server(path) as running:
        running.ids = ids
        yield running


def test_a_document_page_says_which_tables_are_read_with_doubt(browser, doubtful_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{doubtful_server.url}/-/document/{doubtful_server.ids['wrong']}")
        verdict = page.locator("p.table-confidence").first
        assert "存疑 · doubtful" in verdict.inner_text()
        assert "4 of 10 row totals are not the sum of their parts" in verdict.inner_text()
        assert "reading" in page.locator("table.findings").inner_text()
        shot(page, "document_doubtful_table")
        page.goto(f"{doubtful_server.url}/-/document/{doubtful_server.ids['right']}")
        assert "可信 · confident" in page.locator("p.table-confidence").first.inner_text()
        page.goto(f"{doubtful_server.url}/budgets/published_lines?table_confidence=confident")
        assert "统计局" not in page.locator("table.rows-and-columns").inner_text()
        shot(page, "published_lines_confident_only")
    finally:
        context.close()
