"""A subject across a renaming, as a person sees it: /-/subject in headless Chromium (as in
tests/test_browser.py) over the 江苏省人民检察院 budgets of 2017 and 2018 (../shared/corpus), loaded
with `budgets ingest`. The 2017 一般公共预算支出表 (p.14) prints 2040405 公诉和审判监督 150.00 万元; the
2018 one (p.17) prints 2040405 公诉、审判、侦查、执行等检察监督支出 1895.00: one code, two names."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import datasette_sample as sample
from budgets import db as database
from budgets.publish import prepare
from budgets.reference import refresh
from conftest import CORPUS, needs_corpus

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_corpus]

from test_browser import CHROMIUM, CHROMIUM_ARGS, shot  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PROCURATORATE = "jiangsu-open-budget/江苏省人民检察院"
DOCUMENTS = ["2017年省检察院部门预算.pdf", "2018年省检察院部门预算公开.pdf"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = CORPUS / PROCURATORATE
    path = tmp_path_factory.mktemp("subject-changes") / "budgets.db"
    subprocess.run([sys.executable, "-m", "budgets", "ingest", *(str(folder / name) for name in DOCUMENTS),
                    "--db", str(path)], cwd=ROOT, check=True, capture_output=True)
    db = database.connect(path)
    refresh(db)
    prepare(db)
    db.conn.close()
    with sample.Server(path) as running:
        yield running


@pytest.fixture
def page(server):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/install.sh --test)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def test_a_renamed_subject_is_one_series_marked_with_its_former_name_and_source(page, server):
    page.goto(server.url + "/-/subject?code=2040405")
    assert "2040405 公诉、审判、侦查、执行等检察监督支出" in page.locator("#subject-chart").inner_text()
    change = page.locator("#subject-changes li").first.inner_text()
    assert "2040405 公诉、审判、侦查、执行等检察监督支出 from 2018, was named 公诉和审判监督" in change
    assert "2017年省检察院部门预算.pdf p.12" in change  # the crosswalk's source, printed beside it
    row = page.locator("table.wide-subject tbody tr", has_text="人民检察院").inner_text()
    assert "150.00" in row and "1,895.00" in row  # both years in one row
    assert page.locator("th.printed-as").inner_text() == "2017†"
    assert "† 2017 印作 printed as 2040405 公诉和审判监督" in page.locator(".printed-as-note").inner_text()
    shot(page, "subject_2040405_renamed")


def test_a_renamed_subject_found_by_its_former_name(page, server):
    page.goto(server.url + "/-/subject?code=公诉和审判监督")
    assert "from 2018, was named 公诉和审判监督" in page.locator("#subject-changes").inner_text()
    shot(page, "subject_by_former_name")
