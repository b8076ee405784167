"""What a row is, where the row rather than the column says it: 三公 tables that print the
expenses as rows under one amount column, and final-account tables that print 类, 款 and 项 in
columns of their own and leave the 类 and 款 of the rows above blank.

Each table rebuilds a real printed layout (named in the test); expected values are what the
printed rows say.
"""
from extractors.model import Extraction, Table
from extractors.normalise import normalise
from extractors.titles import parse_title

BUDGET = parse_title("某县财政局2025年部门预算")
FINAL = parse_title("某县财政局2019年度部门决算")


def lines_of(table: Table, meta=BUDGET):
    return normalise(Extraction(title="x", tables=[table]), meta, "d" * 64).lines


def test_three_public_items_printed_as_rows_take_their_measure_from_the_row():
    """The vertical 三公 table county sites print (项目 | 2025年预算数 | 2024年预算数), one row per
    expense, the vehicle parts in 其中 rows below 公务用车购置及运行维护费."""
    table = Table(title="2025年“三公”经费预算表", unit="万元",
                  header=[["项目", "2025年预算数", "2024年预算数"]],
                  rows=[["合计", "16.00", "18.00"],
                        ["1.因公出国(境)费用", "2.00", "3.00"],
                        ["2.公务接待费", "4.00", "5.00"],
                        ["3.公务用车购置及运行维护费", "10.00", "10.00"],
                        ["其中：公务用车运行维护费", "6.00", "10.00"],
                        ["公务用车购置费", "4.00", ""]])
    got = [(l["measure"], l["year"], l["amount_fen"] // 1_000_000) for l in lines_of(table)]
    assert got == [("total", 2025, 16), ("total", 2024, 18),
                   ("overseas_travel", 2025, 2), ("overseas_travel", 2024, 3),
                   ("reception", 2025, 4), ("reception", 2024, 5),
                   ("vehicles", 2025, 10), ("vehicles", 2024, 10),
                   ("vehicle_operation", 2025, 6), ("vehicle_operation", 2024, 10),
                   ("vehicle_purchase", 2025, 4)]
    assert lines_of(table)[2]["item"] == "1.因公出国(境)费用"  # the row as printed stays its item


def test_short_item_rows_under_the_vehicles_row():
    """决算 pages of the same template: 项目 | 决算数, with 公务(用)车费 and 其中：运行维护费 / 购置费."""
    table = Table(title="2019年“三公”经费支出决算表", unit="万元",
                  header=[["项目", "决算数"]],
                  rows=[["因公出国(境)费", "1.00"], ["公务车费", "3.00"], ["其中：运行维护费", "2.00"],
                        ["购置费", "1.00"], ["公务接待费", "0.50"]])
    assert [l["measure"] for l in lines_of(table, FINAL)] == [
        "overseas_travel", "vehicles", "vehicle_operation", "vehicle_purchase", "reception"]


LEI_KUAN_XIANG = [["类", "款", "项", "科目名称", "合计", "基本支出", "项目支出"]]


def test_lei_and_kuan_left_blank_below_are_carried_down():
    """财政部 final-account tables exported from the 决算 software (2016–2019 templates): 类 | 款 | 项 |
    科目名称, each code printed once, the rows below leaving it blank."""
    table = Table(title="一般公共预算财政拨款支出决算表", unit="万元", header=LEI_KUAN_XIANG,
                  rows=[["201", "", "", "一般公共服务支出", "30.00", "20.00", "10.00"],
                        ["", "03", "", "政府办公厅(室)及相关机构事务", "25.00", "20.00", "5.00"],
                        ["", "", "01", "行政运行", "20.00", "20.00", ""],
                        ["", "", "02", "一般行政管理事务", "5.00", "", "5.00"],
                        ["", "06", "", "财政事务", "5.00", "", "5.00"],
                        ["", "", "01", "行政运行", "5.00", "", "5.00"],
                        ["208", "", "", "社会保障和就业支出", "4.00", "4.00", ""],
                        ["", "05", "", "行政事业单位养老支出", "4.00", "4.00", ""],
                        ["", "", "05", "机关事业单位基本养老保险缴费支出", "4.00", "4.00", ""]])
    rows = {}
    for l in lines_of(table, FINAL):
        rows.setdefault(l["row_index"], (l["subject_code"], l["subject_name"], l["level"], l["parent_code"]))
    assert [rows[r] for r in sorted(rows)] == [
        ("201", "一般公共服务支出", 1, None),
        ("20103", "政府办公厅(室)及相关机构事务", 2, "201"),
        ("2010301", "行政运行", 3, "20103"),
        ("2010302", "一般行政管理事务", 3, "20103"),
        ("20106", "财政事务", 2, "201"),
        ("2010601", "行政运行", 3, "20106"),
        ("208", "社会保障和就业支出", 1, None),
        ("20805", "行政事业单位养老支出", 2, "208"),
        ("2080505", "机关事业单位基本养老保险缴费支出", 3, "20805"),
    ]


def test_a_lei_printed_on_every_row_with_the_kuan_left_blank_gets_the_kuan_from_above():
    """The same template where the 类 column repeats on every row but 款 is printed once: 201 | | 01
    行政运行 is 2010301, not the 款-level 20101 (which also made 行政运行 look like a second name of 20101)."""
    table = Table(title="一般公共预算财政拨款支出决算表", unit="万元", header=LEI_KUAN_XIANG,
                  rows=[["201", "", "", "一般公共服务支出", "20.00", "20.00", ""],
                        ["201", "01", "", "人大事务", "20.00", "20.00", ""],
                        ["201", "", "01", "行政运行", "20.00", "20.00", ""],
                        ["204", "", "01", "行政运行", "1.00", "1.00", ""]])
    codes = {l["row_index"]: l["subject_code"] for l in lines_of(table, FINAL)}
    assert codes[2] == "2010101"
    assert codes[3] == ""  # 204 with a 项 and no 款 of its own above: no code rather than a wrong one


def test_the_grid_identities_read_the_codes_carried_down_as_the_normaliser_does():
    """The same 财政部 决算-software layout, read by the PDF second opinion (`pdf_checks`): each
    row's code is its 类/款/项 with the blank 类 and 款 carried down, so 201 = 20103 + 20106 and
    20103 = 2010301 + 2010302 are checked (they were not: '03' alone is no code)."""
    from extractors.pdf_checks import check_table, row_codes

    table = Table(title="一般公共预算财政拨款支出决算表", unit="万元", header=LEI_KUAN_XIANG,
                  rows=[["201", "", "", "一般公共服务支出", "30.00", "20.00", "10.00"],
                        ["", "03", "", "政府办公厅(室)及相关机构事务", "25.00", "20.00", "5.00"],
                        ["", "", "01", "行政运行", "20.00", "20.00", ""],
                        ["", "", "02", "一般行政管理事务", "5.00", "", "5.00"],
                        ["", "06", "", "财政事务", "5.00", "", "5.00"],
                        ["", "", "01", "行政运行", "4.00", "", "4.00"]])
    assert row_codes(table) == ["201", "20103", "2010301", "2010302", "20106", "2010601"]
    misses = {(c.row, c.column) for c in check_table(table) if c.kind == "hierarchy" and not c.ok}
    assert misses == {("20106", "合计"), ("20106", "项目支出")}  # 财政事务 5.00 over its 行政运行 4.00
