"""What a person sees: Debian's headless Chromium (driven by Playwright) against `budgets serve`
running as a subprocess on a random loopback port. Screenshots go to tests/artifacts/."""
from __future__ import annotations

from pathlib import Path

import pytest

import datasette_sample as sample

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # The seed disclosure through `budgets ingest` (text dump and HTML), plus other departments.
    path = tmp_path_factory.mktemp("served") / "budgets.db"
    seed_id = sample.build_with_pipeline(path)
    with sample.Server(path) as running:
        running.seed_id = seed_id
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
    ARTIFACTS.mkdir(exist_ok=True)
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
    # the seed bureau once, although its disclosure was loaded twice (text dump and HTML)
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


def test_the_charts_page_draws_bars_and_a_line(page, server):
    page.goto(server.url + "/-/charts?code=2210201")
    bars = page.locator("svg.bar-chart rect.bar")
    assert bars.count() == 3
    widths = [bars.nth(i).bounding_box()["width"] for i in range(3)]
    assert widths[0] > widths[1] > widths[2] > 0  # drawn, largest first
    assert "重庆市潼南区 大数据应用发展管理局" in page.locator("svg.bar-chart").text_content()
    line = page.locator("svg.line-chart polyline.line")
    assert line.bounding_box()["width"] > 100
    assert page.locator("svg.line-chart g.point").count() == 3
    shot(page, "charts")

    page.select_option("select[name=who]", f"{sample.TONGLIANG}|财政局")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    assert "重庆市铜梁区 财政局" in page.locator("svg.line-chart").text_content()
    assert page.locator("svg.line-chart g.point").count() == 2
    shot(page, "charts_other_department")


def test_a_document_page_links_to_its_lines_and_findings(page, server):
    seed_id = server.seed_id
    page.goto(f"{server.url}/budgets/documents/{seed_id}")
    assert "重庆市潼南区大数据应用发展管理局2026年部门预算公开" in page.content()
    links = page.locator("ul li", has_text="budget_lines").inner_text()
    assert "251" in links  # the HTML copy's lines, listed through the foreign key
    shot(page, "document")
    page.locator(f"a[href='/budgets/findings?document_id={seed_id}']").click()
    page.wait_for_load_state()
    assert "住房保障支出166.94万元" in page.locator("table.rows-and-columns").inner_text()
    shot(page, "document_findings")
