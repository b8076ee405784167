"""HTML pages as district sites serve them: real <table> markup with merged cells, &nbsp;
cells, thousands separators, GBK bytes labelled GB2312, tables inside layout tables."""
from extractors.html import extract, table_grid
import lxml.html

PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>重庆市某区某局2026年部门预算公开</title></head><body>
<table class="layout"><tr><td>
  <h1>重庆市某区某局2026年部门预算公开</h1>
  <p>一、单位基本情况</p>
  <p>附件2</p>
  <table border="1">
    <tr><td colspan="6">重庆市某区某局一般公共预算财政拨款支出预算表</td></tr>
    <tr><td colspan="6">单位：万元</td></tr>
    <tr><td colspan="2">功能分类科目</td><td rowspan="2">2025年预算数</td><td colspan="3">2026年预算数</td></tr>
    <tr><td>科目编码</td><td>科目名称</td><td>总计</td><td>基本支出</td><td>项目支出</td></tr>
    <tr><td colspan="2">合计</td><td>1,786.48</td><td>2,207.84</td><td>404.68</td><td>1,803.16</td></tr>
    <tr><td>208</td><td>社会保障和就业支出</td><td>33.7</td><td>52.84</td><td>52.84</td><td>&nbsp;</td></tr>
    <tr><td>2080505</td><td>机关事业单位基本养老保险缴费支出</td><td>20.7</td><td>31.68</td><td>31.68</td><td>&nbsp;</td></tr>
  </table>
  <p>(备注:本表反映当年一般公共预算财政拨款支出情况。)</p>
</td></tr></table></body></html>"""


def page_bytes():
    # GBK-only character (镕) on a page that says gb2312: must still decode
    return PAGE.replace("某局", "镕局").encode("gbk")


def test_gbk_page_labelled_gb2312_decodes():
    extraction = extract(page_bytes(), "page.html")
    assert extraction.title == "重庆市某区镕局2026年部门预算公开"


def test_merged_header_cells_label_every_column_they_cover():
    table = extract(page_bytes()).tables[0]
    assert table.column_paths() == [
        ("功能分类科目", "科目编码"), ("功能分类科目", "科目名称"), ("2025年预算数",),
        ("2026年预算数", "总计"), ("2026年预算数", "基本支出"), ("2026年预算数", "项目支出"),
    ]


def test_title_unit_label_and_note_are_found():
    table = extract(page_bytes()).tables[0]
    assert table.title == "重庆市某区镕局一般公共预算财政拨款支出预算表"
    assert table.unit == "万元"
    assert table.label == "附件2"
    assert table.notes == ["(备注:本表反映当年一般公共预算财政拨款支出情况。)"]


def test_nbsp_cells_are_empty_and_spans_repeat():
    table = extract(page_bytes()).tables[0]
    assert table.rows[0][:2] == ["合计", "合计"]
    assert table.rows[1][5] == ""
    assert table.rows[0][2] == "1,786.48"


def test_only_innermost_tables_are_data_tables():
    assert len(extract(page_bytes()).tables) == 1


def test_narrative_paragraphs_are_kept():
    texts = [p.text for p in extract(page_bytes()).paragraphs]
    assert "一、单位基本情况" in texts


def test_rowspan_and_colspan_together():
    grid = table_grid(lxml.html.fragment_fromstring(
        "<table><tr><td rowspan=2 colspan=2>A</td><td>B</td></tr><tr><td>C</td></tr></table>"))
    assert grid == [["A", "A", "B"], ["A", "A", "C"]]
