"""Each figure once: the seed disclosure loaded in six formats (page, DOC, DOCX, XLS, XLSX, ZIP —
the demo site's content, which copies the real 潼南 column) counts once in every published view,
facet, canned query and page. Expected figures are read off the disclosure (附件2 一般公共预算财政
拨款支出预算表, 附件4 “三公”经费) and, for the other departments, off tests/datasette_sample.py."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

import datasette_sample as sample
from datasette_client import Site
import published_sample
from budgets.cli.serve import build_datasette
from budgets.views import FORMAT_PREFERENCE

BIGDATA, TONGNAN = sample.BIGDATA, sample.TONGNAN


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("six") / "budgets.db"
    ids = published_sample.build(path)
    return path, ids


@pytest.fixture(scope="module")
def site(built):
    return Site(build_datasette(built[0]))


@pytest.fixture(scope="module")
def sql(built):
    conn = sqlite3.connect(built[0])
    conn.row_factory = sqlite3.Row
    yield lambda query, *args: [dict(r) for r in conn.execute(query, args)]
    conn.close()


def test_the_disclosure_is_loaded_in_six_formats_and_every_copy_keeps_its_rows(sql):
    formats = {r["format"] for r in sql("select format from documents where department = ? and fiscal_year = 2026",
                                        BIGDATA)}
    assert formats >= published_sample.SEED_FORMATS
    # the 住房公积金 2026 预算数 of 附件2 is in budget_lines once per copy that has tables (five)
    copies = sql("select count(*) as n from budget_lines where subject_code = '2210201' and year = 2026 "
                 "and measure = 'total' and table_kind = 'general_budget_expenditure' and department = ?", BIGDATA)
    assert copies[0]["n"] == 5


def test_published_lines_count_each_figure_once(sql):
    rows = sql("select amount_fen, document_format from published_lines where subject_code = '2210201' "
               "and year = 2026 and measure = 'total' and table_kind = 'general_budget_expenditure' "
               "and department = ?", BIGDATA)
    assert [r["amount_fen"] for r in rows] == [23_990_000]  # 23.99 万元
    assert rows[0]["document_format"] == "xlsx"  # the most structured copy
    # no cell twice: (table, row, column) of the disclosure are unique in the published lines
    dupes = sql("select table_kind, row_index, column_index, count(*) from published_lines where department = ? "
                "and fiscal_year = 2026 group by 1, 2, 3 having count(*) > 1", BIGDATA)
    assert dupes == []


def test_the_most_structured_copy_supplies_each_table(sql):
    assert FORMAT_PREFERENCE[:6] == ["xlsx", "xls", "html", "docx", "doc", "pdf"]
    chosen = sql("select distinct format, copies from published_tables where department = ? and fiscal_year = 2026",
                 BIGDATA)
    assert chosen == [{"format": "xlsx", "copies": 5}]


def test_published_documents_list_the_disclosure_once(sql):
    rows = sql("select * from published_documents where department = ? and fiscal_year = 2026", BIGDATA)
    assert len(rows) == 1 and rows[0]["copies"] == 5
    assert rows[0]["title"] == "重庆市潼南区大数据应用发展管理局2026年部门预算公开"
    assert rows[0]["stage_label"] == "预算 · Budget"


def test_published_findings_count_the_disclosures_errors_once(sql):
    every_copy = sql("select count(*) as n from findings where severity = 'error' and department = ? "
                     "and fiscal_year = 2026", BIGDATA)[0]["n"]
    once = sql("select count(*) as n from published_findings where severity = 'error' and department = ? "
               "and fiscal_year = 2026", BIGDATA)[0]["n"]
    assert every_copy > 19
    assert once == 19  # the audit's 19 errors on the seed (README, Audit)
    # 附件8's 合计 1027.84 where 基本 404.68 + 项目 803.16 = 1207.84: one finding, not five
    identity = sql("select count(*) as n from published_findings where \"check\" = 'row_identity' "
                   "and severity = 'error' and department = ? and message like '%1027.84%'", BIGDATA)
    assert identity[0]["n"] == 1


def test_labels_in_chinese_and_english(sql):
    row = sql("select table_kind_label, measure_label, stage_label, basis_label from published_lines "
              "where department = ? and subject_code = '2210201' and year = 2026 and measure = 'total' "
              "and table_kind = 'general_budget_expenditure'", BIGDATA)[0]
    assert row == {"table_kind_label": "一般公共预算财政拨款支出表 · General public budget appropriations: expenditure",
                   "measure_label": "合计 · Total", "stage_label": "预算 · Budget", "basis_label": "预算数 · Budget"}


def test_the_facets_count_the_disclosure_once(site, sql):
    one_copy = sql("select lines from documents where department = ? and fiscal_year = 2026 and format = 'html'",
                   BIGDATA)[0]["lines"]
    facets = site.get("/budgets/published_lines.json?_facet=department&_facet=district&_size=0").json()
    counts = {f["value"]: f["count"] for f in facets["facet_results"]["department"]["results"]}
    seed_2025 = sql("select count(*) as n from published_lines where department = ? and fiscal_year = 2025",
                    BIGDATA)[0]["n"]
    assert counts[BIGDATA] == one_copy + seed_2025
    documents = site.get("/budgets/published_documents.json?_facet=department&_size=0").json()
    assert {f["value"]: f["count"] for f in documents["facet_results"]["department"]["results"]}[BIGDATA] == 2


@pytest.mark.parametrize("query, params, expect", [
    ("subject_across_departments", {"code": "2210201", "year": "2026"}, 1),
    ("three_public_expenses_ranking", {"year": "2026"}, 1),
    ("basic_project_share", {"year": "2026"}, 1),
    ("disclosures_by_audit_errors", {"year": "2026"}, 1),
    ("search", {"q": "数字重庆"}, 1),
])
def test_every_canned_query_counts_the_disclosure_once(site, query, params, expect):
    rows = site.rows(f"/budgets/{query}.json", **params)
    ours = [r for r in rows if r.get("department") == BIGDATA and r.get("kind", "项目 project") == "项目 project"]
    assert len(ours) == expect, rows
    assert len({tuple(r.values()) for r in rows}) == len(rows)  # no row twice (a sentence of five copies)


def test_the_canned_queries_give_the_disclosures_own_figures(site):
    [row] = [r for r in site.rows("/budgets/subject_across_departments.json", code="2210201", year="2026")
             if r["department"] == BIGDATA]
    assert row["amount_fen"] == 23_990_000
    [share] = [r for r in site.rows("/budgets/basic_project_share.json", year="2026") if r["department"] == BIGDATA]
    # 附件2's 类 rows: 52.84 + 20.70 + 1110.31 + 23.99 = 1207.84; 基本 404.68, 项目 803.16
    assert (share["total_wan"], share["basic_wan"], share["project_wan"]) == (1207.84, 404.68, 803.16)
    [ranked] = [r for r in site.rows("/budgets/three_public_expenses_ranking.json", year="2026")
                if r["department"] == BIGDATA]
    assert ranked["three_public_fen"] == 5_000_000 and ranked["prior_year_wan"] == 5.5  # 附件4: 5 and 5.5
    [errors] = [r for r in site.rows("/budgets/disclosures_by_audit_errors.json", year="2026")
                if r["department"] == BIGDATA]
    assert errors["errors"] == 19
    years = site.rows("/budgets/subject_over_years.json", code="2210201", department=BIGDATA, district="")
    assert [(r["year"], r["amount_fen"], r["departments"]) for r in years] == [
        (2024, 15_970_000, 1), (2025, 17_740_000, 1), (2026, 23_990_000, 1)]
    over = site.rows("/budgets/department_year_over_year.json", department=BIGDATA, district="")
    assert len([r for r in over if r["subject_code"] == "2210201" and r["year"] == 2026]) == 1


# subject_over_years as it read published_lines before the summary table: the specification the
# summary must reproduce
SUBJECT_OVER_YEARS_FROM_PUBLISHED_LINES = """
    with args as (select coalesce(nullif(:stage, ''), 'budget') as stage),
    picked as (
      select district, department, year, amount_fen, subject_name, fiscal_year,
             row_number() over (partition by district, department, year order by fiscal_year desc, id) as pick
      from published_lines l, args a
      where table_kind = 'general_budget_expenditure' and measure = 'total'
        and l.stage = a.stage and basis = case a.stage when 'budget' then 'budget' else 'actual' end
        and (subject_code = :code and (:code != '' or item in ('合计', '总计')))
        and (:department = '' or department = (select coalesce(max(case when department = :department then department end), case when count(distinct department) = 1 then max(department) end) from published_documents where department like '%' || :department || '%'))
        and (:district = '' or district = :district)
    )
    select year, sum(amount_fen) / 1000000.0 as amount_wan, sum(amount_fen) as amount_fen,
           count(*) as departments, max(subject_name) as subject_name,
           group_concat(distinct fiscal_year) as from_disclosures
    from picked where pick = 1
    group by year order by year
"""


def test_the_subject_summary_holds_the_published_totals_and_answers_subject_over_years_alike(built):
    """subject_year_totals (refreshed by prepare) is the 合计 column of the published 一般公共预算财政
    拨款支出表 with each stage's own basis, line for line; subject_over_years over it gives the rows
    it gave over published_lines, for one department, a district, every department and 决算."""
    import yaml

    conn = sqlite3.connect(built[0])
    conn.row_factory = sqlite3.Row

    def sql(query, params=()):
        return [dict(r) for r in conn.execute(query, params)]

    columns = "id, district, department, stage, basis, year, fiscal_year, subject_code, item, amount_fen, subject_name"
    wanted = sql(f"select {columns} from published_lines where table_kind = 'general_budget_expenditure' "
                 "and measure = 'total' and basis = case stage when 'budget' then 'budget' else 'actual' end "
                 "order by id")
    assert sql(f"select {columns} from subject_year_totals order by id") == wanted
    assert {r["stage"] for r in wanted} == {"budget", "final_account"}
    meta = yaml.safe_load((published_sample.ROOT / "metadata.yml").read_text(encoding="utf-8"))
    canned = meta["databases"]["budgets"]["queries"]["subject_over_years"]["sql"]
    asked = [dict(code="2210201", department=BIGDATA, district="", stage=""),
             dict(code="", department=BIGDATA, district="", stage="budget"),
             dict(code="2210201", department="", district=TONGNAN, stage=""),
             dict(code="2210201", department="", district="", stage=""),
             dict(code="", department="", district="", stage=""),
             dict(code="2210201", department="财政局", district=TONGNAN, stage="final_account"),
             dict(code="2210201", department="大数据", district="", stage=""),  # part of a name
             dict(code="", department="财政", district="", stage="")]
    for params in asked:
        before = sql(SUBJECT_OVER_YEARS_FROM_PUBLISHED_LINES, params)
        assert before, params
        assert sql(canned, params) == before, params
    conn.close()


def test_final_accounts_are_their_own_stage_in_the_queries(site):
    years = site.rows("/budgets/subject_over_years.json", code="2210201", department="财政局", district=TONGNAN,
                      stage="final_account")
    assert [(r["year"], r["amount_wan"]) for r in years] == [(2024, 55.1), (2025, 58.4)]
    # year left empty: the latest year with a final account, not the latest budget year
    rows = site.rows("/budgets/subject_across_departments.json", code="2210201", year="", stage="final_account")
    assert [(r["department"], r["year"], r["basis"]) for r in rows] == [("财政局", 2025, "actual")]


def test_subject_department_year_is_one_row_per_department_with_budget_and_final_apart(sql):
    rows = sql("select * from subject_department_year where subject_code = '2210201' order by district, department")
    by = {(r["district"], r["department"]): r for r in rows}
    seed = by[(TONGNAN, BIGDATA)]
    assert (seed["budget_2024"], seed["budget_2025"], seed["budget_2026"]) == (15.97, 17.74, 23.99)
    assert seed["final_2024"] is None
    finance = by[(TONGNAN, "财政局")]
    assert (finance["final_2024"], finance["final_2025"], finance["budget_2026"]) == (55.1, 58.4, 57.8)
    assert len(rows) == len(by)


def test_the_pages_count_the_disclosure_once(site, built):
    page = site.get("/-/subject", code="2210201").text
    assert page.count(f">{BIGDATA}</a>") == 1 and "23.99" in page
    department = site.get("/-/department", department="大数据").text
    assert "1,207.84" in department and "404.68" in department and "803.16" in department
    assert department.count("✓ 计入 counted") == 2  # the 2026 XLSX copy and the 2025 disclosure
    assert "error: 19" in department


def test_a_name_or_part_of_one_finds_the_subject_and_the_department(site):
    assert "23.99" in site.get("/-/subject", code="住房公积金").text
    several = site.get("/-/subject", code="住房").text
    assert "匹配" in several and "2210201 住房公积金" in several
    nothing = site.get("/-/subject", code="不存在的科目").text
    assert "没有找到" in nothing and "Nothing matched" in nothing
    assert "没有找到" in site.get("/-/department", department="不存在的局").text
    choices = site.get("/-/department", department="财政局").text
    assert "2 departments match" in choices


def test_the_document_page_draws_its_tables_and_lists_its_findings(site, built):
    [xlsx] = [i for i in built[1]["seed_copies"] if site.rows("/budgets/documents.json", id=i)[0]["format"] == "xlsx"]
    page = site.get(f"/-/document/{xlsx}").text
    assert "重庆市潼南区大数据应用发展管理局2026年部门预算公开" in page
    assert page.count('class="document-table"') >= 9
    assert "2210201" in page and "住房公积金" in page and "1,207.84" in page
    assert "1027.84" in page  # the row_identity error is listed
    assert "Other copies of this disclosure" in page


def test_the_archived_copy_is_served_read_only_with_its_own_bytes(site, built):
    page_id = built[1]["page"]
    response = site.get(f"/-/raw/{page_id}")
    assert response.status_code == 200
    import hashlib

    assert hashlib.sha256(response.content).hexdigest() == page_id
    assert response.headers["content-security-policy"] == "sandbox"
    assert site.get("/-/raw/" + "0" * 64).status_code == 404
    assert "打开存档文件" in site.get(f"/-/document/{page_id}").text


def test_amounts_urls_and_codes_are_readable_on_the_table_pages(site):
    html = site.get("/budgets/budget_lines", table_kind="general_budget_expenditure", subject_code="",
                    department="教育委员会", measure="total", year="2025").text
    assert "54,321.09" in html  # 教育委员会's 合计, with the thousands separator
    assert "一般公共预算财政拨款支出表" in html  # the label beside the code
    assert "example.gov.cn/…/教育委员会.pdf" in html  # a shortened URL


def test_robots_txt_disallows_crawlers_unless_configured(built, tmp_path):
    site = Site(build_datasette(built[0]))
    assert site.get("/robots.txt").text.strip() == "User-agent: *\nDisallow: /"
    allow = tmp_path / "robots.txt"
    allow.write_text("User-agent: *\nDisallow: /budgets.db\n", encoding="utf-8")
    site = Site(build_datasette(built[0], robots=allow))
    assert site.get("/robots.txt").text.strip() == "User-agent: *\nDisallow: /budgets.db"


def test_a_text_dump_is_served_as_text(tmp_path):
    """Its format is `textdump` wherever the code names it, the raw page's content types too."""
    path = tmp_path / "budgets.db"
    seed = published_sample.ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.txt"
    subprocess.run([sys.executable, "-m", "budgets", "ingest", str(seed), "--db", str(path)],
                   cwd=published_sample.ROOT, check=True, capture_output=True, timeout=180)
    [doc_id] = [r[0] for r in sqlite3.connect(path).execute("select id from documents where format = 'textdump'")]
    response = Site(build_datasette(path)).get(f"/-/raw/{doc_id}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
