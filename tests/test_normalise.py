"""The normaliser on grids as other formats produce them (PDF, Excel): 类/款/项 code columns,
amounts in 元, thousands separators, final-account columns."""
from decimal import Decimal

from extractors.model import Extraction, Table
from extractors.normalise import normalise
from extractors.titles import parse_title

META = parse_title("上海市普陀区司法局2026年部门预算")


def lines_of(table: Table, meta=META):
    return normalise(Extraction(title="x", tables=[table]), meta, "d" * 64).lines


def test_codes_printed_across_class_item_and_section_columns_are_joined():
    table = Table(
        title="2026年一般公共预算支出功能分类预算表", unit="元",
        header=[["功能分类科目编码", "功能分类科目编码", "功能分类科目编码", "功能分类科目名称", "合计", "基本支出", "项目支出"],
                ["类", "款", "项", "功能分类科目名称", "合计", "基本支出", "项目支出"]],
        rows=[["204", "", "", "公共安全支出", "12,345,678.90", "10,000,000.00", "2,345,678.90"],
              ["204", "06", "", "司法", "12,345,678.90", "10,000,000.00", "2,345,678.90"],
              ["204", "06", "01", "行政运行", "10,000,000.00", "10,000,000.00", "-"]],
    )
    lines = lines_of(table)
    codes = [(l["subject_code"], l["level"], l["parent_code"], l["measure"]) for l in lines]
    assert ("204", 1, None, "total") in codes
    assert ("20406", 2, "204", "basic") in codes
    assert ("2040601", 3, "20406", "total") in codes
    assert not any(l["subject_code"] == "2040601" and l["measure"] == "project" for l in lines)
    total = next(l for l in lines if l["subject_code"] == "204" and l["measure"] == "total")
    assert total["amount_fen"] == 1234567890
    assert total["unit_printed"] == "元"
    assert total["amount_wan"] == 1234.567890
    assert total["table_kind"] == "general_budget_expenditure"


def test_a_code_printed_with_spaces_is_read_as_digits():
    table = Table(title="一般公共预算支出表", unit="万元", header=[["科目编码", "科目名称", "合计"]],
                  rows=[["201 13 01", "行政运行", "3.00"]])
    assert lines_of(table)[0]["subject_code"] == "2011301"


def test_final_account_columns_give_basis_and_year():
    meta = parse_title("上海市普陀区规划和自然资源局 2024 年度部门决算")
    table = Table(title="财政拨款支出决算表", unit="元",
                  header=[["科目编码", "科目名称", "年初预算数", "调整预算数", "决算数"]],
                  rows=[["2200101", "行政运行", "100", "120", "118.5"]])
    by_label = {l["column_label"]: l for l in lines_of(table, meta)}
    assert by_label["年初预算数"]["basis"] == "budget"
    assert by_label["调整预算数"]["basis"] == "adjusted_budget"
    assert by_label["决算数"]["basis"] == "actual"
    assert {l["year"] for l in by_label.values()} == {2024}
    assert by_label["决算数"]["amount_fen"] == 11850


def test_prior_year_header_without_a_number_refers_to_the_year_before():
    table = Table(title="一般公共预算支出表", unit="万元",
                  header=[["科目编码", "科目名称", "上年预算数", "本年预算数"]],
                  rows=[["201", "一般公共服务支出", "1", "2"]])
    years = {l["column_label"]: l["year"] for l in lines_of(table)}
    assert years == {"上年预算数": 2025, "本年预算数": 2026}


def test_total_rows_are_kept_with_their_label_and_no_code():
    table = Table(title="部门支出总表", unit="万元", header=[["科目编码", "科目名称", "合计"]],
                  rows=[["合计", "合计", "9.5"]])
    line = lines_of(table)[0]
    assert (line["subject_code"], line["item"], line["classification"]) == ("", "合计", "none")


def test_empty_and_dash_cells_make_no_line():
    table = Table(title="部门支出总表", unit="万元", header=[["科目编码", "科目名称", "合计", "基本支出"]],
                  rows=[["201", "一般公共服务支出", "—", ""]])
    assert lines_of(table) == []


def test_performance_tables_yield_no_lines():
    table = Table(title="部门整体绩效目标表", unit="万元", header=[["指标名称", "指标值"]],
                  rows=[["满意度", "98"]])
    assert lines_of(table) == []


def test_a_fund_name_in_a_final_account_column_is_not_a_budget_basis():
    meta = parse_title("上海市普陀区规划和自然资源局 2024 年度部门决算")
    table = Table(title="一般公共预算财政拨款支出决算表", unit="元",
                  header=[["科目编码", "科目名称", "一般公共预算财政拨款"]],
                  rows=[["2200101", "行政运行", "100"]])
    assert lines_of(table, meta)[0]["basis"] == "actual"


def test_shanghai_vehicle_columns_under_their_group():
    table = Table(title="2026年“三公”经费预算表", unit="元",
                  header=[["合计", "因公出国(境)费", "公务用车购置及运行费", "公务用车购置及运行费", "公务用车购置及运行费", "公务接待费"],
                          ["合计", "因公出国(境)费", "小计", "购置费", "运行费", "公务接待费"]],
                  rows=[["30", "0", "20", "5", "15", "10"]])
    measures = [l["measure"] for l in lines_of(table)]
    assert measures == ["total", "overseas_travel", "vehicles", "vehicle_purchase", "vehicle_operation", "reception"]


def test_a_table_of_no_known_kind_and_no_known_measure_yields_no_lines():
    table = Table(title="今日天气", header=[["城市", "最高气温", "最低气温"]], rows=[["潼南", "18", "9"]])
    assert lines_of(table) == []


def test_a_table_of_unknown_title_still_yields_its_known_measures():
    table = Table(title="附表", unit="万元", header=[["科目编码", "科目名称", "基本支出"]],
                  rows=[["201", "一般公共服务支出", "5"]])
    assert [l["measure"] for l in lines_of(table)] == ["basic"]


def test_a_section_printed_without_its_leading_zero_is_padded():
    table = Table(title="一般公共预算支出表", unit="元",
                  header=[["类", "款", "项", "科目名称", "合计"]],
                  rows=[["201", "3", "1", "行政运行", "5"]])
    assert lines_of(table)[0]["subject_code"] == "2010301"


def test_a_figure_finer_than_one_fen_is_no_amount():
    table = Table(title="部门支出总表", unit="万元", header=[["科目编码", "科目名称", "合计", "基本支出"]],
                  rows=[["201", "一般公共服务支出", "1.0000001", "2"]])
    assert [l["column_label"] for l in lines_of(table)] == ["基本支出"]
