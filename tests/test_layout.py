"""Rebuilding columns of tables whose empty cells were dropped, on small made-up tables, so the
rules are shown apart from the seed's numbers."""
from extractors.layout import RawTable, agreement, rebuild
from decimal import Decimal


def dump_table(header_rows, body_rows, title="部门支出总表"):
    return rebuild(RawTable(title=title, header_rows=header_rows, body_rows=body_rows, unit="万元"), 2026, "budget")


def test_column_sums_decide_basic_or_project():
    table = dump_table(
        [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
        [["合计", "30", "10", "20"],
         ["201", "一般公共服务支出", "10", "10"],     # basic or project? the 合计 row says basic
         ["205", "教育支出", "20", "20"]],            # and this one project
    )
    assert table.rows[1] == ["201", "一般公共服务支出", "10", "10", ""]
    assert table.rows[2] == ["205", "教育支出", "20", "", "20"]
    assert table.unplaced == []


def test_a_parent_code_places_its_children():
    table = dump_table(
        [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
        [["合计", "9", "4", "5"],
         ["208", "社会保障和就业支出", "9", "4", "5"],
         ["20805", "行政事业单位养老支出", "4", "4"],
         ["20899", "其他社会保障和就业支出", "5", "5"]],
    )
    assert table.rows[2][3] == "4" and table.rows[3][4] == "5"


def test_header_group_is_chosen_by_the_body():
    table = dump_table(
        [["功能分类科目", "2025年预算数", "2026年预算数"], ["科目编码", "科目名称", "总计", "基本支出", "项目支出"]],
        [["合计", "7", "30", "10", "20"]],
        title="一般公共预算财政拨款支出预算表",
    )
    assert table.column_paths()[2] == ("2025年预算数",)
    assert table.column_paths()[3] == ("2026年预算数", "总计")


def test_a_cell_no_evidence_can_place_is_reported_not_guessed():
    table = dump_table(
        [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
        [["201", "一般公共服务支出", "10", "10"]],   # no 合计 row, no parent: basic or project?
    )
    assert [u.text for u in table.unplaced] == ["10"]
    assert table.rows[0][2] == "10"  # the total itself is certain


def test_rounding_gaps_count_as_agreement_but_less_than_exact():
    assert agreement(Decimal("328.37"), [Decimal("328.38")]) == 0.5
    assert agreement(Decimal("5"), [Decimal("2"), Decimal("3")]) == 1
    assert agreement(Decimal("5.00"), [Decimal("4.00")]) == -1
