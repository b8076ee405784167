"""The published site as a researcher uses it: Datasette in-process over a sample database.

The sample (tests/datasette_sample.py) holds the seed disclosure's own figures for
重庆市潼南区大数据应用发展管理局 2026 plus a few departments of 潼南区 and 铜梁区 in 2025–2026.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

import datasette_sample as sample
from datasette_client import Site
from budgets import db as database
from budgets import schema
from budgets.cli.serve import build_datasette
from budgets.publish import prepare
from crawling import ROOT as PROJECT_ROOT

METADATA = yaml.safe_load((PROJECT_ROOT / "metadata.yml").read_text(encoding="utf-8"))
BUDGETS = METADATA["databases"]["budgets"]
PUBLIC_TABLES = {
    "documents": schema.DOCUMENT_COLUMNS, "budget_lines": schema.LINE_COLUMNS,
    "findings": schema.FINDING_COLUMNS, "departments": schema.DEPARTMENT_COLUMNS,
    "subjects": schema.SUBJECT_COLUMNS, "crawl_runs": schema.CRAWL_RUN_COLUMNS,
    "paragraphs": schema.PARAGRAPH_COLUMNS, "tables": schema.TABLE_COLUMNS,
    "unplaced_cells": schema.UNPLACED_COLUMNS,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # Any file name: the site always publishes it as /budgets.
    path = tmp_path_factory.mktemp("site") / "sample-2026.db"
    sample.build(path)
    return Site(build_datasette(path))


def by(rows, key):
    return {row[key]: row for row in rows}


# ---- metadata -------------------------------------------------------------------------------

def test_every_column_of_every_public_table_is_described():
    for table, columns in PUBLIC_TABLES.items():
        described = BUDGETS["tables"][table]["columns"]
        assert set(columns) - set(described) == set(), table
        assert BUDGETS["tables"][table]["description"]


def test_amount_columns_state_their_unit():
    columns = BUDGETS["tables"]["budget_lines"]["columns"]
    assert "万元" in columns["amount_wan"] and "分" in columns["amount_fen"]


def test_title_description_source_and_both_licences_are_bilingual():
    assert "预算" in METADATA["title"] and "budgets" in METADATA["title"]
    assert "MIT" in METADATA["license"] and "public government information" in METADATA["license"]
    assert "政府公开信息" in METADATA["license"]
    assert METADATA["source"] and METADATA["source_url"]


def test_at_least_six_canned_queries_each_with_title_description_and_parameters():
    queries = BUDGETS["queries"]
    assert len(queries) >= 6
    for name, query in queries.items():
        assert query["title"] and len(query["description"]) > 40, name
        assert query["params"], name
        for param in query["params"]:
            assert f":{param}" in query["sql"], (name, param)


# ---- pages ----------------------------------------------------------------------------------

def test_home_page_offers_search_tasks_and_charts(site):
    page = site.get("/").text
    assert "区县部门预算决算公开数据" in page
    assert 'action="/budgets/search"' in page
    assert "/-/charts" in page and "/budgets/three_public_expenses_ranking" in page


def test_database_is_published_as_budgets_and_read_only(site):
    databases = site.get("/-/databases.json").json()
    assert [(d["name"], d["is_mutable"]) for d in databases] == [("budgets", False)]
    assert site.get("/budgets.json").status_code == 200


def test_arbitrary_sql_may_read_but_not_write(site):
    assert site.rows("/budgets.json", sql="select count(*) as n from documents") == [{"n": 5}]
    response = site.get("/budgets.json", sql="delete from documents")
    assert response.status_code == 400
    assert site.rows("/budgets.json", sql="select count(*) as n from documents") == [{"n": 5}]


def test_sql_has_a_time_limit(site):
    settings = site.get("/-/settings.json").json()
    assert settings["sql_time_limit_ms"] == 3000
    slow = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    response = site.get("/budgets.json", sql=slow)
    assert response.status_code == 400 and "interrupted" in response.text.lower()


def test_fts_and_internal_tables_are_hidden(site):
    tables = {t["name"]: t["hidden"] for t in site.get("/budgets.json").json()["tables"]}
    assert not tables["budget_lines"] and not tables["findings"]
    assert tables["budget_lines_fts"] and tables["paragraphs_fts_data"]


def test_a_document_lists_its_lines_and_findings(site):
    seed_id = sample.document(sample.TONGNAN, sample.BIGDATA, 2026, url=sample.SEED_URL)["id"]
    page = site.get(f"/budgets/documents/{seed_id}").text
    assert "重庆市潼南区大数据应用发展管理局2026年部门预算公开" in page
    assert f"/budgets/budget_lines?document_id={seed_id}" in page
    assert f"/budgets/findings?document_id={seed_id}" in page


def test_a_line_links_to_its_document_and_source_page(site):
    page = site.get("/budgets/budget_lines", subject_code="2210201", fiscal_year="2026",
                    department=sample.BIGDATA, measure="total", year="2026").text
    assert sample.SEED_URL + "#page=5" in page  # the page column opens the source at its page
    assert "重庆市潼南区大数据应用发展管理局2026年部门预算公开" in page  # document_id labelled by title


def test_published_lines_offer_the_research_facets_and_budget_lines_none(site):
    facets = site.get("/budgets/published_lines.json").json()["facet_results"]
    assert {"district", "fiscal_year", "stage_label", "table_kind_label", "measure_label", "department"} <= set(facets)
    # the raw table holds every copy of a disclosure: counting there would count copies
    assert site.get("/budgets/budget_lines.json").json()["facet_results"] == {}


# ---- canned queries -------------------------------------------------------------------------

def test_one_subject_across_departments_and_districts_largest_first(site):
    rows = site.rows("/budgets/subject_across_departments.json", code="2210201", year="2026")
    assert [(r["district"], r["department"], r["amount_wan"]) for r in rows] == [
        ("重庆市铜梁区", "财政局", 67.8), ("重庆市潼南区", "财政局", 57.8),
        ("重庆市潼南区", sample.BIGDATA, 23.99)]
    assert rows[2]["amount_fen"] == 23_990_000 and rows[2]["source"] == sample.SEED_URL


def test_year_defaults_to_the_latest_disclosed_year(site):
    rows = site.rows("/budgets/subject_across_departments.json", code="2210201")
    assert {r["year"] for r in rows} == {2026}


def test_department_subjects_year_over_year_with_change_and_percentage(site):
    rows = site.rows("/budgets/department_year_over_year.json", department=sample.BIGDATA, district=sample.TONGNAN)
    total = {r["year"]: r for r in rows if r["subject_code"] == ""}
    assert total[2026]["amount_wan"] == 1207.84 and total[2026]["previous_wan"] == 786.48
    assert total[2026]["change_wan"] == pytest.approx(421.36) and total[2026]["change_pct"] == 53.6
    housing = {r["year"]: r for r in rows if r["subject_code"] == "2210201"}
    assert housing[2026]["change_wan"] == pytest.approx(6.25) and housing[2026]["from_disclosure"] == 2026


def test_three_public_expenses_ranked_with_change(site):
    rows = site.rows("/budgets/three_public_expenses_ranking.json", year="2026")
    assert [(r["rank"], r["department"], r["three_public_wan"]) for r in rows] == [
        (1, "财政局", 11.2), (2, "财政局", 9.6), (3, sample.BIGDATA, 5.0)]
    seed = rows[2]
    assert seed["prior_year_wan"] == 5.5 and seed["change_wan"] == -0.5 and seed["change_pct"] == -9.1
    assert seed["reception_wan"] == 2.5 and seed["vehicles_wan"] == 2.5


def test_basic_and_project_share_per_department(site):
    rows = by(site.rows("/budgets/basic_project_share.json", year="2026", district=sample.TONGNAN), "department")
    seed = rows[sample.BIGDATA]
    assert (seed["total_wan"], seed["basic_wan"], seed["project_wan"]) == (1207.84, 404.68, 803.16)
    assert (seed["basic_share_pct"], seed["project_share_pct"]) == (33.5, 66.5)


def test_disclosures_ranked_by_audit_errors(site):
    rows = site.rows("/budgets/disclosures_by_audit_errors.json")
    assert len(rows) == 1
    assert (rows[0]["department"], rows[0]["errors"], rows[0]["warnings"]) == (sample.BIGDATA, 2, 1)
    assert set(rows[0]["checks"].split(",")) == {"cross_table", "narrative"}


def test_coverage_shows_departments_without_a_disclosure_for_the_year(site):
    rows = site.rows("/budgets/coverage_gaps.json", year="2026")
    assert [(r["district"], r["department"], r["latest_year"]) for r in rows] == [("重庆市铜梁区", "教育委员会", 2025)]
    assert site.rows("/budgets/coverage_gaps.json", year="2025", district=sample.TONGLIANG)[0]["department"] == "财政局"


def test_subject_over_years_sums_the_newest_figure_for_each_year(site):
    rows = site.rows("/budgets/subject_over_years.json", code="", department=sample.BIGDATA)
    assert [(r["year"], r["amount_wan"]) for r in rows] == [(2024, 707.83), (2025, 786.48), (2026, 1207.84)]


def test_every_canned_query_runs_on_an_empty_database(tmp_path):
    path = tmp_path / "empty.db"
    prepare(database.connect(path))
    empty = Site(build_datasette(path))
    for name in BUDGETS["queries"]:
        assert empty.rows(f"/budgets/{name}.json") == [], name


# ---- search ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query, kind, match", [
    ("数字重庆", "项目 project", "推进数字重庆建设项目"),
    ("电子政务", "项目 project", "电子政务网络改造升级"),
    ("公积金", "科目 subject", "2210201 住房公积金"),
    ("公积", "科目 subject", "2210201 住房公积金"),  # two characters: below the trigram length
    ("机构改革", "说明 text", sample.SEED_SENTENCES[0]),
    ("财政", "部门 department", "财政局"),
    ("大数据应用", "部门 department", sample.BIGDATA),
])
def test_search_finds_departments_subjects_projects_and_sentences(site, query, kind, match):
    rows = site.rows("/budgets/search.json", q=query)
    assert (kind, match) in {(r["kind"], r["match"]) for r in rows}


def test_search_survives_quotes_and_operators(site):
    for query in ['"', 'a AND', "住房 OR", "NEAR(", "*"]:
        assert site.get("/budgets/search.json", q=query).status_code == 200


def test_table_search_box_uses_the_full_text_index(site):
    rows = site.rows("/budgets/paragraphs.json", _search="三公")
    assert rows == [] or all("三公" in r["text"] for r in rows)
    rows = site.rows("/budgets/paragraphs.json", _search="电子政务网络")
    assert len(rows) == 1 and "电子政务网络改造升级" in rows[0]["text"]


def test_search_index_follows_a_reloaded_document(tmp_path):
    path = tmp_path / "budgets.db"
    db = sample.build(path)
    doc = sample.document(sample.TONGNAN, sample.BIGDATA, 2026, url=sample.SEED_URL)
    renamed = [dict(line, item="智慧城市运营项目") if line["item"] == "数字化发展项目" else line
               for line in sample.project_lines(doc)]
    database.load_document(db, doc, renamed)
    prepare(db)
    site = Site(build_datasette(path))
    assert site.rows("/budgets/search.json", q="数字化发展") == []
    assert [r["match"] for r in site.rows("/budgets/search.json", q="智慧城市")] == ["智慧城市运营项目"]


# ---- export ---------------------------------------------------------------------------------

def test_csv_export_keeps_chinese_text_and_exact_amounts(site):
    response = site.get("/budgets/subject_across_departments.csv", code="2150599", year="2026")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0]["subject_name"] == "其他工业和信息产业支出"
    assert rows[0]["amount_fen"] == "803160000" and rows[0]["amount_wan"] == "803.16"


def test_json_export_keeps_chinese_text_and_integer_amounts(site):
    response = site.get("/budgets/budget_lines.json", _shape="array", subject_code="2150599",
                        fiscal_year="2026", measure="total", year="2026", table_kind="general_budget_expenditure")
    [line] = json.loads(response.content)
    assert line["subject_name"] == "其他工业和信息产业支出" and line["amount_fen"] == 803_160_000


def test_csv_of_a_whole_table_streams_every_row(site):
    response = site.get("/budgets/budget_lines.csv", _stream="on", _size="max")
    lines = response.content.decode("utf-8").splitlines()
    assert len(lines) - 1 == site.rows("/budgets.json", sql="select count(*) n from budget_lines")[0]["n"]


# ---- the charts page ------------------------------------------------------------------------

def test_charts_page_draws_a_subject_across_departments_and_a_line_over_years(site):
    page = site.get("/-/charts", code="2210201", who=f"{sample.TONGNAN}|{sample.BIGDATA}").text
    assert page.count('class="bar"') == 3 and "重庆市铜梁区 财政局" in page
    assert 'class="line"' in page and page.count('class="point"') == 3
    assert "/budgets/subject_across_departments?code=2210201" in page


def test_charts_page_without_parameters_picks_a_subject_compared_across_departments(site):
    page = site.get("/-/charts").text
    assert page.count('class="bar"') >= 3


# ---- prepare --------------------------------------------------------------------------------

def test_prepare_twice_changes_nothing(tmp_path):
    db = sample.build(tmp_path / "budgets.db")
    def counts():  # FTS segment tables (_data, _idx) may be merged differently: not content
        return {t: db[t].count for t in db.table_names() if not t.endswith(("_fts_data", "_fts_idx"))}

    before = counts()
    prepare(db)
    assert counts() == before
    assert {"current_documents", "current_lines", "older_revisions", "superseded_documents"} <= set(db.view_names())


def test_prepare_adds_document_foreign_keys_to_an_older_database(tmp_path):
    import sqlite3
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("create table documents (id text primary key, title text)")
    conn.execute("create table budget_lines (id text primary key, document_id text, item text, subject_name text)")
    conn.execute("insert into documents values ('d1', '旧文件')")
    conn.execute("insert into budget_lines values ('l1', 'd1', '数字化发展项目', '')")
    conn.execute("create table findings (id text primary key, document_id text)")
    conn.execute("insert into findings values ('f1', 'a document never loaded')")
    conn.commit()
    conn.close()
    db = database.connect(path)
    prepare(db)
    assert [(fk.column, fk.other_table) for fk in db["budget_lines"].foreign_keys] == [("document_id", "documents")]
    assert list(db.query("select rowid from budget_lines_fts where budget_lines_fts match '数字化'"))
    # rows naming a missing document are kept; that table just gets no foreign key
    assert db["findings"].foreign_keys == [] and db["findings"].count == 1


def test_departments_list_their_printed_names(site):
    rows = site.rows("/budgets/departments.json", district=sample.TONGNAN)
    seed = by(rows, "department")[sample.BIGDATA]
    assert json.loads(seed["variants"]) == ["重庆市潼南区大数据应用发展管理局"] and seed["documents"] == 2


def test_serve_refuses_a_missing_database(tmp_path, capsys):
    from budgets.cli import main

    assert main(["serve", "--db", str(tmp_path / "nothing.db")]) == 2
    assert "no database" in capsys.readouterr().err


# ---- revisions ------------------------------------------------------------------------------

def revised_rows() -> list[tuple]:
    """潼南 财政局's 2026 rows with every 221 (housing) figure changed to 60.00."""
    return [(c, n, p, "60.00" if c.startswith("221") else t, b, pr)
            for c, n, p, t, b, pr in sample.OTHER_BUDGETS[0][3]]


def test_a_changed_document_at_the_same_url_replaces_the_old_figures_in_the_queries(tmp_path):
    path = tmp_path / "budgets.db"
    db = sample.build(path)
    old = sample.document(sample.TONGNAN, "财政局", 2026)
    revised = dict(old, id="f" * 64, fetched_at="2026-03-01T09:00:00+00:00")
    database.load_document(db, revised, sample.general_budget_lines(revised, revised_rows()))
    prepare(db)
    site = Site(build_datasette(path))
    rows = site.rows("/budgets/subject_across_departments.json", code="2210201", year="2026")
    assert [(r["district"], r["department"], r["amount_wan"]) for r in rows] == [
        ("重庆市铜梁区", "财政局", 67.8), ("重庆市潼南区", "财政局", 60.0), ("重庆市潼南区", sample.BIGDATA, 23.99)]
    assert rows[1]["document_id"] == revised["id"]
    assert [r["id"] for r in site.rows("/budgets/superseded_documents.json")] == [old["id"]]
    # the old revision's lines stay in budget_lines, for history
    assert site.rows("/budgets.json", sql=f"select count(*) n from budget_lines where document_id = '{old['id']}'")[0]["n"]


def test_a_url_that_goes_back_to_bytes_it_served_before_shows_those_again(tmp_path):
    path = tmp_path / "budgets.db"
    db = sample.build(path)
    first = sample.document(sample.TONGNAN, "财政局", 2026)
    # the bytes first fetched on 12 February were replaced on the 20th; in March the site served
    # the first bytes again, so the nightly run marked the replacement superseded (budgets/revisions.py)
    replacement = dict(first, id="f" * 64, fetched_at="2026-02-20T09:00:00+00:00")
    database.load_document(db, dict(replacement, superseded_by=first["id"]),
                           sample.general_budget_lines(replacement, revised_rows()))
    db["documents"].update(first["id"], {"last_seen_at": "2026-03-01T09:00:00+00:00"})
    prepare(db)
    site = Site(build_datasette(path))
    rows = site.rows("/budgets/subject_across_departments.json", code="2210201", year="2026")
    assert [r["document_id"] for r in rows if r["department"] == "财政局" and r["district"] == sample.TONGNAN] == \
        [first["id"]]
    assert [r["id"] for r in site.rows("/budgets/older_revisions.json")] == [replacement["id"]]

# ---- drawing and rendering ------------------------------------------------------------------

def load_plugin(module="svg"):
    """A module of the plugin's package, loaded the way Datasette loads the plugin."""
    import importlib
    import importlib.util

    spec = importlib.util.spec_from_file_location("budgets_site_plugin", PROJECT_ROOT / "plugins" / "budgets_site.py")
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    return importlib.import_module(f"budgets_site.{module}")


def test_every_hook_of_the_plugin_package_is_handed_to_datasette():
    """Datasette finds hooks only in plugins/budgets_site.py: a hook written in a module of the
    package and not named there would never run."""
    import importlib
    import importlib.util
    import pkgutil

    spec = importlib.util.spec_from_file_location("budgets_site_plugin", PROJECT_ROOT / "plugins" / "budgets_site.py")
    loader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loader)
    package = importlib.import_module("budgets_site")
    written = {(module.name, name) for module in pkgutil.iter_modules(package.__path__)
               for name, value in vars(importlib.import_module(f"budgets_site.{module.name}")).items()
               if hasattr(value, "datasette_impl")}
    handed = {name for name, value in vars(loader).items() if hasattr(value, "datasette_impl")}
    assert {name for _, name in written} == handed
    assert len(written) == len(handed)  # no hook written twice
    assert handed >= {"register_routes", "render_cell", "prepare_connection", "asgi_wrapper"}


def test_bars_are_proportional_to_the_amounts():
    svg = load_plugin().bar_chart_svg([("甲", 200.0), ("乙", 50.0)], "标题")
    widths = [float(w) for w in __import__("re").findall(r'class="bar" x="\d+" y="\d+" width="([\d.]+)"', svg)]
    assert widths[0] == 4 * widths[1]


def test_chart_labels_are_escaped():
    svg = load_plugin().bar_chart_svg([('<script>alert(1)</script>"', 1.0)], "<b>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg


def test_a_chart_without_rows_says_so():
    plugin = load_plugin()
    assert "没有数据" in plugin.bar_chart_svg([], "t") and "没有数据" in plugin.line_chart_svg([], "t")


def test_line_points_rise_with_the_amounts():
    svg = load_plugin().line_chart_svg([(2024, 10.0), (2025, 20.0), (2026, 15.0)], "t")
    points = __import__("re").search(r'class="line" points="([^"]+)"', svg).group(1).split()
    ys = [float(p.split(",")[1]) for p in points]
    assert ys[1] < ys[2] < ys[0]  # SVG y grows downwards


def test_findings_show_the_subject_name_beside_the_code(site):
    page = site.get("/budgets/findings", subject_code="221").text
    assert '221 <span class="subject-name">住房保障支出</span>' in page
    csv_text = site.get("/budgets/findings.csv", subject_code="221").content.decode("utf-8")
    assert "住房保障支出" not in csv_text.splitlines()[1].split(",")[8]  # exports keep the bare code


def test_query_results_link_each_row_to_its_document(site):
    page = site.get("/budgets/subject_across_departments", code="2210201", year="2026").text
    seed_id = sample.document(sample.TONGNAN, sample.BIGDATA, 2026, url=sample.SEED_URL)["id"]
    assert f'<a href="/budgets/documents/{seed_id}">重庆市潼南区大数据应用发展管理局2026年部门预算公开</a>' in page


def test_a_department_found_by_search_lists_its_disclosures(site):
    [found] = [r for r in site.rows("/budgets/search.json", q="大数据应用") if r["kind"] == "部门 department"]
    assert found["link"].startswith("/-/department?")
    page = site.get(found["link"]).text
    for title in ("重庆市潼南区大数据应用发展管理局2025年部门预算公开", "重庆市潼南区大数据应用发展管理局2026年部门预算公开"):
        assert title in page


def test_every_table_view_and_query_exports_csv_and_json(site):
    names = list(PUBLIC_TABLES) + ["current_documents", "current_lines", "superseded_documents", "older_revisions",
                                   "current_tables"] \
        + list(BUDGETS["queries"])
    for name in names:
        for extension in ("csv", "json"):
            response = site.get(f"/budgets/{name}.{extension}")
            assert response.status_code == 200, (name, extension, response.text[:200])
    documents = csv.DictReader(io.StringIO(site.get("/budgets/documents.csv").content.decode("utf-8")))
    assert sorted(d["fiscal_year"] for d in documents if d["department"] == "大数据应用发展管理局") == ["2025", "2026"]


def test_serve_refuses_a_file_that_is_not_a_database(tmp_path, capsys):
    from budgets.cli import main

    not_a_database = tmp_path / "budgets.db"
    not_a_database.write_text("部门预算", encoding="utf-8")
    assert main(["serve", "--db", str(not_a_database)]) == 2
    assert "not a database" in capsys.readouterr().err


def test_serve_prepares_a_database_that_a_loader_left_unprepared(tmp_path):
    from budgets.cli.serve import make_ready
    from budgets.publish import is_prepared

    path = tmp_path / "budgets.db"
    db = sample.build(path)
    extra = sample.document(sample.TONGLIANG, "财政局", 2025)
    database.load_document(db, extra, sample.general_budget_lines(extra, sample.OTHER_BUDGETS[1][3]))
    db.conn.close()  # loaded the way a crawler does: no reference.refresh, no prepare
    assert not is_prepared(database.connect(path))
    make_ready(path)
    assert is_prepared(database.connect(path))
    site = Site(build_datasette(path))
    rows = site.rows("/budgets/coverage_gaps.json", year="2025")
    assert ("重庆市铜梁区", "财政局") not in {(r["district"], r["department"]) for r in rows}
    assert site.rows("/budgets/departments.json", district=sample.TONGLIANG, department="财政局")[0]["documents"] == 2


def test_each_table_of_a_disclosure_is_counted_once_whatever_copies_were_loaded(tmp_path):
    path = tmp_path / "budgets.db"
    db = sample.build(path)
    page = sample.document(sample.TONGNAN, "财政局", 2026)
    # the same disclosure again as an XLS attachment whose title is its first table's
    copy = dict(sample.document(sample.TONGNAN, "财政局", 2026, number=1), format="xls",
                parent_id=page["id"], title="重庆市潼南区财政局财政拨款收支总表")
    database.load_document(db, copy, sample.general_budget_lines(copy, sample.OTHER_BUDGETS[0][3]))
    # and a separate attachment with a table the page does not have
    projects = dict(sample.document(sample.TONGNAN, "财政局", 2026, number=2), parent_id=page["id"],
                    title="重庆市潼南区财政局2026年项目支出明细表")
    database.load_document(db, projects, sample.project_lines(projects))
    prepare(db)
    site = Site(build_datasette(path))
    rows = [r for r in site.rows("/budgets/subject_across_departments.json", code="2210201", year="2026")
            if r["district"] == sample.TONGNAN and r["department"] == "财政局"]
    # once, from the XLS copy: a spreadsheet's cells are read as typed (budgets/views.py FORMAT_PREFERENCE)
    assert [(r["amount_wan"], r["document_id"]) for r in rows] == [(57.8, copy["id"])]
    published = {r["table_kind"]: r["document_id"] for r in site.rows(
        "/budgets/published_tables.json", district=sample.TONGNAN, department="财政局", fiscal_year="2026")}
    assert published["general_budget_expenditure"] == copy["id"] and published["project_expenditure"] == projects["id"]
    # current_tables (the contract's table) makes the same choice: one rule for the copy that counts
    kinds = {r["table_kind"]: r["document_id"] for r in site.rows(
        "/budgets/current_tables.json", district=sample.TONGNAN, department="财政局", fiscal_year="2026")}
    assert kinds == published
    # every copy supplies some table (the page its others, the copy 一般公共预算财政拨款支出表): none is left out
    assert page["id"] in published.values() and site.rows("/budgets/superseded_documents.json") == []


def test_a_table_printed_in_yi_yuan_shows_its_figures_in_yi_yuan(tmp_path):
    """Under 单位 亿元 a figure reads in 亿元: 123456万元 is 12.35, not 123,456.00."""
    path = tmp_path / "budgets.db"
    db = sample.build(path)
    doc = sample.document(sample.TONGNAN, "城市管理局", 2026)
    line = dict(sample._line(doc, "fiscal_appropriation_summary", "财政拨款收支总表", 1, 1, 1, "", "本年收入", "total",
                             2026, "123456"), unit_printed="亿元")
    table = {"id": f"{doc['id'][:16]}:t1", "document_id": doc["id"], "table_index": 1, "title": "财政拨款收支总表",
             "table_kind": "fiscal_appropriation_summary", "unit": "亿元", "page": 5, "rows": 1, "lines": 1}
    database.load_document(db, doc, [line], tables=[table])
    prepare(db)
    page = Site(build_datasette(path)).get(f"/-/document/{doc['id']}").text
    assert "单位 亿元" in page and ">12.35<" in page and "123,456.00" not in page


# ---- what a first afternoon tripped over (issue 34) -------------------------------------------

def test_every_column_of_every_canned_query_has_a_chinese_and_english_label(site):
    labels = load_plugin("column_labels").COLUMN_LABELS
    for name, query in BUDGETS["queries"].items():
        response = site.get(f"/budgets/{name}.json", **{param: "" for param in query["params"]})
        assert response.status_code == 200, (name, response.text)
        for column in response.json()["columns"]:
            label = labels.get(column, "")
            assert any("\u4e00" <= ch <= "\u9fff" for ch in label) and any(ch.isascii() and ch.isalpha()
                                                                             for ch in label), (name, column)


NINE_DEPARTMENTS = ["财政局", "大数据应用发展管理局", "教育委员会", "司法局", "民政局", "卫生健康委员会",
                    "人力资源和社会保障局", "统计局", "审计局"]


def nine_series():
    """Nine departments whose lines end close together in 2026, as a subject followed across a
    district does."""
    return [{"name": f"重庆市潼南区 {name} · 预算", "dashed": False,
             "points": [(2024, 10.0 + 3 * i), (2025, 12.0 + 2.5 * i), (2026, 20.0 + 0.5 * i)]}
            for i, name in enumerate(NINE_DEPARTMENTS)]


def test_nine_series_get_nine_colours_of_tableau_10():
    import re

    svg = load_plugin().lines_chart_svg(nine_series(), "t")
    colours = [re.search(r"stroke:(#[0-9a-f]{6})", group).group(1)
               for group in re.findall(r'<g class="series".*?</g></g>', svg)]
    tableau_10 = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                  "#9c755f", "#bab0ac"]
    assert colours == tableau_10[:9]


def test_each_line_is_named_where_it_ends_and_the_names_never_overprint():
    import re

    svg = load_plugin().lines_chart_svg(nine_series(), "t")
    labels = re.findall(r'<g class="end-label" data-name="([^"]+)">.*?<text x="([\d.]+)" y="([\d.]+)"', svg)
    assert sorted(name for name, _, _ in labels) == sorted(s["name"] for s in nine_series())
    baselines = sorted(float(y) for _, _, y in labels)
    assert all(below - above >= 14 for above, below in zip(baselines, baselines[1:]))
    last_year_x = max(float(x) for x in re.findall(r'<text class="year" x="([\d.]+)"', svg))
    assert all(float(x) > last_year_x for _, x, _ in labels)  # to the right of the 2026 points


def test_end_labels_stay_near_their_lines_and_inside_the_plot():
    spread = load_plugin().spread_labels
    assert spread([50.0, 120.0], 40, 300) == [54.0, 124.0]  # apart already: beside their own lines
    assert spread([100.0, 101.0, 102.0], 40, 300) == [104.0, 118.0, 132.0]
    assert spread([295.0, 296.0], 40, 300) == [286.0, 300.0]  # pushed back up above the axis
