"""A table's reading knows how sure it is: the table's own arithmetic, checked on its lines.

Figures are read off the documents named in each test (cities-2026, the seed)."""
from decimal import Decimal

import pytest

from extractors.reading import CONFIDENT, DOUBTFUL, UNCHECKED, read_table
from extractors.subjects import classification_of, parent_of
from tests.conftest import SHARED

CITIES = SHARED / "cities-2026"


def line(row, col, measure, amount, code="", item="", label="", year=2026, basis="budget"):
    return {"row_index": row, "column_index": col, "measure": measure, "subject_code": code, "item": item,
            "parent_code": parent_of(code) if code else "", "classification": classification_of(code),
            "year": year, "basis": basis, "amount_fen": int(Decimal(amount) * 1_000_000), "unit_printed": "万元",
            "column_label": label or measure}


# 深圳市交通运输局 2026 部门预算, page 27, 支出总表: 支出总计 | 基本支出 | 项目支出 | 事业单位经营支出 |
# 对附属单位补助支出 | 上缴上级支出 | 2026年政府采购项目/小计 | …
SHENZHEN_ROWS = [  # code, 支出总计, 基本支出, 项目支出, 政府采购项目小计
    ("205", "41.99", "2.00", "39.99", "0.00"),
    ("20508", "41.99", "2.00", "39.99", "0.00"),
    ("2050803", "41.99", "2.00", "39.99", "0.00"),
    ("208", "1260.37", "1260.37", "0.00", "0.00"),
    ("20805", "1260.37", "1260.37", "0.00", "0.00"),
    ("2080501", "353.70", "353.70", "0.00", "0.00"),
    ("2080505", "611.41", "611.41", "0.00", "0.00"),
    ("2080506", "295.26", "295.26", "0.00", "0.00"),
]


def shenzhen(total_column):
    lines = []
    for r, (code, whole, basic, project, procurement) in enumerate(SHENZHEN_ROWS):
        lines += [line(r, 3, "total" if total_column == 3 else "other", whole, code, label="支出总计"),
                  line(r, 4, "basic", basic, code), line(r, 5, "project", project, code),
                  line(r, 9, "total" if total_column == 9 else "other", procurement, code,
                       label="2026年政府采购项目/小计")]
    return lines


def test_a_reading_under_which_the_table_adds_up_is_confident():
    reading = read_table(shenzhen(total_column=3), ["vocabulary"] * 4)
    assert reading.confidence == CONFIDENT
    assert reading.checked == reading.held > len(SHENZHEN_ROWS)  # every row and every parent


def test_a_group_subtotal_read_as_the_rows_total_makes_the_table_doubtful():
    reading = read_table(shenzhen(total_column=9), ["vocabulary"] * 3 + ["unknown"])
    assert reading.confidence == DOUBTFUL
    assert "8 of 8 row totals are not the sum of their parts" in reading.reason
    assert "2026年政府采购项目/小计" in reading.reason
    assert reading.as_row()["columns_unknown"] == 1


def test_a_document_that_slips_once_in_a_table_keeps_a_confident_reading():
    lines = shenzhen(total_column=3)
    slip = next(ln for ln in lines if ln["subject_code"] == "2080505" and ln["measure"] == "total")
    slip["amount_fen"] += 1_000_000  # 612.41 printed where the parts give 611.41
    reading = read_table(lines, [])
    assert reading.held == reading.checked - 2  # its row, and its parent 20805
    assert reading.confidence == CONFIDENT


def test_a_rounding_gap_within_the_printed_precision_holds():
    # three parts of 0.01 precision may be 0.03 apart from their printed total
    lines = [line(0, 1, "total", "100.00", item="合计"), line(0, 2, "basic", "33.34", item="合计"),
             line(0, 3, "project", "66.67", item="合计")]
    assert read_table(lines, []).confidence == CONFIDENT


def test_the_two_sides_of_a_summary_table_are_checked_apart():
    # 上海市交通运输局 2026, page 7, 财务收支预算总表: 一、财政拨款收入 30,441.39 on the income side of the
    # row that prints 一、教育支出 32,665.871 = 人员经费 15,011.903 + 公用经费 10,415.421 + 项目支出 7,238.547
    lines = [line(0, 1, "total", "30441.39", item="一、财政拨款收入", label="本年收入/预算数"),
             line(0, 3, "total", "32665.871", item="一、教育支出", label="本年支出/预算数/合计"),
             line(0, 4, "personnel", "15011.903", item="一、教育支出"),
             line(0, 5, "public_use", "10415.421", item="一、教育支出"),
             line(0, 6, "project", "7238.547", item="一、教育支出")]
    reading = read_table(lines, [])
    assert (reading.checked, reading.held, reading.confidence) == (1, 1, CONFIDENT)


def test_a_column_number_row_read_as_amounts_fails_its_only_check():
    # 湖州市交通运输局 2026, page 32, 一般公共预算基本支出表: under the header '** ** 1 2 3'
    lines = [line(0, 2, "total", "1", item="**"), line(0, 3, "personnel", "2", item="**"),
             line(0, 4, "public_use", "3", item="**")]
    assert read_table(lines, []).confidence == DOUBTFUL


def test_a_table_with_nothing_to_check_is_unchecked():
    assert read_table([line(0, 1, "total", "5.00", item="合计")], ["vocabulary"]).confidence == UNCHECKED


def test_a_code_repeated_under_each_unit_is_checked_against_the_children_printed_below_it():
    # 深圳市人力资源和社会保障局 2026, 支出总表 from page 65: the table lists the subjects once per 预算单位,
    # so 205 is printed under each unit with that unit's own 款 right below it
    printed = [("", "深圳市人力资源和社会保障局（本级）", "156491.01"), ("205", "", "13184.10"),
               ("20503", "", "12695.48"), ("20508", "", "309.92"), ("20509", "", "178.70"),
               ("", "深圳市人力资源和社会保障数据管理中心", "4077.84"), ("205", "", "3.08"), ("20508", "", "3.08"),
               ("", "深圳鹏城技师学院", "37659.13"), ("205", "", "33052.63"), ("20503", "", "25980.13"),
               ("20509", "", "7072.50")]
    lines = [line(r, 3, "total", amount, code, item=item) for r, (code, item, amount) in enumerate(printed)]
    reading = read_table(lines, ["vocabulary"])
    assert [(c.line["subject_code"], c.held) for c in reading.checks] == [("205", True)] * 3
    assert reading.confidence == CONFIDENT


@pytest.mark.skipif(not CITIES.is_dir(), reason=f"the many-province corpus is not at {CITIES}")
@pytest.mark.parametrize("name, page, printed", [
    # the text sits half a row off the ruling lines: '20602 机构运行' where 20602 is 基础研究, 机构运行 is 2060201
    ("重庆__2026年重庆市科学技术局部门预算.pdf", 9, ("20602", "机构运行")),
    # '301 基本工资' where 301 is 工资福利支出 and 基本工资 is 30101
    ("重庆__2026年重庆市气象局部门预算.pdf", 14, ("301", "基本工资")),
])
def test_names_read_a_row_off_their_codes_make_the_table_doubtful(name, page, printed):
    from tests.test_column_roles import lines_on

    lines = lines_on(name, page)
    assert printed in {(ln["subject_code"], ln["subject_name"]) for ln in lines}
    by_table = {}
    for ln in lines:
        by_table.setdefault(ln["table_index"], []).append(ln)
    table = next(t for t in by_table.values() if printed in {(ln["subject_code"], ln["subject_name"]) for ln in t})
    reading = read_table(table, [])
    assert reading.confidence == DOUBTFUL and "a row apart" in reading.reason
