"""Which amount column is a row's total and which are its parts, on the real documents of
cities-2026: the header's words first (`vocabulary`), the table's own arithmetic second
(`columns.confirm_by_arithmetic`).

Each test reads the named pages of one real disclosure (cut out of the PDF, so only they are
read) and checks the lines against the figures printed on those pages. A rebuilt table says
which real layout it imitates.
"""
import io
from decimal import Decimal

import pypdfium2 as pdfium
import pytest

from extractors.columns import ColumnSpec, confirm_by_arithmetic, interpret_columns
from extractors.model import Extraction, Table
from extractors.normalise import normalise
from extractors.pdf import extract
from extractors.titles import parse_title
from tests.conftest import SHARED

CITIES = SHARED / "cities-2026"
needs_cities = pytest.mark.skipif(not CITIES.is_dir(), reason=f"the many-province corpus is not at {CITIES}")

_READ: dict = {}


def lines_on(name: str, page: int) -> list[dict]:
    """The budget lines of one printed page of a cities-2026 document."""
    if (name, page) not in _READ:
        source = pdfium.PdfDocument(str(CITIES / name))
        one = pdfium.PdfDocument.new()
        one.import_pages(source, [page - 1])
        buffer = io.BytesIO()
        one.save(buffer)
        meta = parse_title(name.split("__")[-1].rsplit(".", 1)[0])
        _READ[(name, page)] = normalise(extract(buffer.getvalue(), name), meta, "d" * 64).lines
    return _READ[(name, page)]


def row_of(lines: list[dict], first_label: str) -> dict[str, list[Decimal]]:
    """measure → the amounts (万元) one printed row holds, the row named by its code or label."""
    row = next(ln["row_index"] for ln in lines
               if first_label in (ln["subject_code"], ln["item"], ln["subject_name"])
               or ln["item"].endswith(first_label))
    found: dict[str, list[Decimal]] = {}
    for ln in sorted((ln for ln in lines if ln["row_index"] == row), key=lambda ln: ln["column_index"]):
        found.setdefault(ln["measure"], []).append(Decimal(ln["amount_fen"]) / 1_000_000)
    return found


SHENZHEN_TRANSPORT = "深圳__2026年深圳市交通运输局部门预算.pdf"
SHENZHEN_WEATHER = "深圳__2026年深圳市气象局部门预算.pdf"
GUANGZHOU_TRANSPORT = "广州__2026年广州市交通运输局部门预算.pdf"


# ---- a header group's 小计 is that group's total, not the row's ------------------------------

@needs_cities
def test_shenzhen_expenditure_total_is_zhichu_zongji_not_the_procurement_groups_xiaoji():
    """深圳市交通运输局 2026, page 27 (表3 支出总表): 支出总计 | 基本支出 | 项目支出 | 事业单位经营支出 |
    对附属单位补助支出 | 上缴上级支出 | 2026年政府采购项目 / 小计, 其中…中小企业, 其中…小型、微型企业.
    Printed row 深圳市交通运输局（本级）: 388,763.56 11,826.97 376,936.60 0.00 0.00 0.00 7,558.99
    2,726.35 131.67."""
    row = row_of(lines_on(SHENZHEN_TRANSPORT, 27), "深圳市交通运输局（本级）")
    assert row["total"] == [Decimal("388763.56")]
    assert row["basic"] == [Decimal("11826.97")] and row["project"] == [Decimal("376936.60")]
    assert row["procurement"] == [Decimal("7558.99")]
    assert row["procurement_sme"] == [Decimal("2726.35")]
    assert row["procurement_small_micro"] == [Decimal("131.67")]
    assert "other" not in row


@needs_cities
def test_guangzhou_basic_table_total_is_zongji_and_caizheng_bokuan_heji_is_the_appropriation():
    """广州市交通运输局 2026, page 24 (表11 部门预算基本支出预算表): 总计 | 财政拨款 / 合计, 一般公共预算,
    政府性基金预算, 国有资本经营预算 | 财政专户拨款 | 其他资金. Printed row 合计: 103,700.53 103,700.53
    103,700.53 0.00 0.00 0.00 0.00."""
    row = row_of(lines_on(GUANGZHOU_TRANSPORT, 24), "合计")
    assert row["total"] == [Decimal("103700.53")]
    assert row["fiscal_appropriation"] == [Decimal("103700.53")]
    assert row["general_budget"] == [Decimal("103700.53")]
    assert row["special_account"] == [Decimal("0")] and row["unit_funds"] == [Decimal("0")]


@needs_cities
def test_a_xiaoji_whose_group_label_was_lost_is_still_not_the_rows_total():
    """深圳市气象局 2026, page 25 (表3 支出总表), the same template as 交通运输局's: the group label
    2026年政府采购项目 is printed above 小计 only once and the reader may lose it. 支出总计 7,199.97 =
    基本支出 3,217.16 + 项目支出 3,982.81 stays the row's only total."""
    row = row_of(lines_on(SHENZHEN_WEATHER, 25), "深圳市气象局（本级）")
    assert row["total"] == [Decimal("7199.97")]
    assert row["basic"] == [Decimal("3217.16")] and row["project"] == [Decimal("3982.81")]


# ---- header words outside the old vocabulary --------------------------------------------------

@needs_cities
def test_spending_beside_basic_and_project_has_its_own_measures_also_when_wrapped():
    """深圳市气象局 2026, page 25: 事业单位 / 经营支出 and 对附属单位 / 补助支出 printed on two header
    lines; 深圳市交通运输局 page 27 prints them on one. Both read the same measures (0.00 in the
    本级 rows of both)."""
    for name, page, unit in ((SHENZHEN_WEATHER, 25, "深圳市气象局（本级）"),
                             (SHENZHEN_TRANSPORT, 27, "深圳市交通运输局（本级）")):
        row = row_of(lines_on(name, page), unit)
        assert row["operating_spending"] == [Decimal("0")], name
        assert row["subordinate_subsidy"] == [Decimal("0")], name
        assert row["remit_superior"] == [Decimal("0")], name


@needs_cities
def test_a_column_headed_only_yusuan_is_the_rows_amount():
    """广州市交通运输局 2026, page 17 (表6 一般公共预算基本支出情况表): 部门预算支出经济科目 | 预算;
    合计 103,700.53, [301]工资福利支出 83,774.35."""
    lines = lines_on(GUANGZHOU_TRANSPORT, 17)
    assert row_of(lines, "合计") == {"total": [Decimal("103700.53")]}
    assert row_of(lines, "工资福利支出") == {"total": [Decimal("83774.35")]}


@needs_cities
def test_qizhong_jiben_zhichu_is_basic_spending():
    """广州市交通运输局 2026, page 15 (表5 一般公共预算支出情况表): 一般公共预算支出 / 小计, 其中：基本支出,
    项目支出; 合计 456,990.37 103,700.53 353,289.84."""
    row = row_of(lines_on(GUANGZHOU_TRANSPORT, 15), "合计")
    assert row == {"total": [Decimal("456990.37")], "basic": [Decimal("103700.53")],
                   "project": [Decimal("353289.84")]}


@needs_cities
def test_shenzhen_income_total_and_carryover_words():
    """深圳市交通运输局 2026, page 26 (表2 收入总表): 收入总计 | 本年收入 … | 上年结余、结转; printed row
    深圳市交通运输局（本级）: 388,763.56 384,396.78 4,165.00 0.00 … 201.78."""
    row = row_of(lines_on(SHENZHEN_TRANSPORT, 26), "深圳市交通运输局（本级）")
    assert row["total"] == [Decimal("388763.56")]
    assert row["general_budget"] == [Decimal("384396.78")] and row["gov_fund"] == [Decimal("4165.00")]
    assert row["carryover"] == [Decimal("201.78")]


@pytest.mark.parametrize("label, measure", [
    ("本年预算", "total"), ("预算数（万元）", "total"), ("公共预算财政拨款", "general_budget"),
    ("人员经费支出", "personnel"), ("公用经费支出", "public_use"), ("日常公用支出", "public_use"),
    ("专项业务经费支出", "project"), ("支出总计", "total"), ("财政专户拨款", "special_account"),
    ("其他资金", "unit_funds"), ("上年结余、结转", "carryover"),
])
def test_header_words_of_other_templates(label, measure):
    (spec,) = interpret_columns([(label,)], 2026, "budget")
    assert (spec.measure, spec.source) == (measure, "vocabulary")


def test_a_label_wrapped_over_two_header_lines_is_joined():
    """日常公用 / 支出 and 对附属单 / 位补助支 / 出 (湖州 2026 支出预算总表 prints the latter)."""
    specs = interpret_columns([("日常公用", "支出"), ("对附属单", "位补助支", "出")], 2026, "budget")
    assert [s.measure for s in specs] == ["public_use", "subordinate_subsidy"]


# ---- the table's arithmetic decides what the header does not --------------------------------

# The body of 深圳市交通运输局 2026 page 27 (支出总表), first three amount columns: 支出总计 | 基本支出 |
# 项目支出, as printed.
SHENZHEN_ROWS = [["深圳市交通运输局（本级）", "388,763.56", "11,826.97", "376,936.60"],
                 ["205 教育支出", "41.99", "2.00", "39.99"],
                 ["208 社会保障和就业支出", "1,260.37", "1,260.37", "0.00"]]
# The body of 广州市交通运输局 2026 page 15 (一般公共预算支出情况表): 小计 | 其中：基本支出 | 项目支出.
GUANGZHOU_ROWS = [["合计", "456,990.37", "103,700.53", "353,289.84"],
                  ["[201]一般公共服务支出", "16.25", "0.00", "16.25"],
                  ["[206]科学技术支出", "5,204.11", "0.00", "5,204.11"]]


@pytest.mark.parametrize("rows", [SHENZHEN_ROWS, GUANGZHOU_ROWS], ids=["shenzhen", "guangzhou"])
def test_a_total_column_under_a_word_the_vocabulary_lacks_is_found_by_its_sum(rows):
    specs = interpret_columns([("科目名称",), ("全年安排",), ("基本支出",), ("项目支出",)], 2026, "budget")
    assert specs[1].measure == "other"
    settled = confirm_by_arithmetic(specs, rows, "万元")
    assert (settled[1].measure, settled[1].source) == ("total", "arithmetic")
    assert [s.source for s in settled[2:]] == ["vocabulary", "vocabulary"]


@pytest.mark.parametrize("rows", [SHENZHEN_ROWS, GUANGZHOU_ROWS], ids=["shenzhen", "guangzhou"])
def test_a_header_total_that_adds_up_is_kept(rows):
    specs = interpret_columns([("科目名称",), ("合计",), ("基本支出",), ("项目支出",)], 2026, "budget")
    assert confirm_by_arithmetic(specs, rows, "万元") == specs


def test_a_group_total_read_as_the_rows_is_corrected_by_the_sum():
    """深圳 支出总表 (page 27 of 交通运输局) with its total column under a word the vocabulary lacks and
    the procurement group's 小计 first: the sum of 基本支出 and 项目支出 shows which is the row's."""
    rows = [[r[0], "7,558.99" if i == 0 else "0.00", *r[1:]] for i, r in enumerate(SHENZHEN_ROWS)]
    specs = [ColumnSpec("name", "科目名称"),
             ColumnSpec("amount", "小计", measure="total", year=2026),
             ColumnSpec("amount", "支出总额", measure="other", year=2026, source="unknown"),
             ColumnSpec("amount", "基本支出", measure="basic", year=2026),
             ColumnSpec("amount", "项目支出", measure="project", year=2026)]
    settled = confirm_by_arithmetic(specs, rows, "万元")
    assert [(s.measure, s.source) for s in settled[1:3]] == [("other", "unknown"), ("total", "arithmetic")]


def test_a_lost_header_gets_its_total_from_the_sum_of_the_columns_after_it():
    """The rows of 深圳 page 27 with no header over the amounts (a page that repeats only the body)."""
    specs = interpret_columns([("",), ("",), ("",), ("",)], 2026, "budget")
    settled = confirm_by_arithmetic(specs, SHENZHEN_ROWS, "万元")
    assert [(s.measure, s.source) for s in settled[1:]] == [("total", "arithmetic"), ("other", "unknown"),
                                                            ("other", "unknown")]


def test_a_total_equal_to_one_part_beside_zeros_proves_nothing():
    """Where every row has one part and zeros (广州 page 15's [201] and [206] rows alone), a column
    equal to the part could be any of them: arithmetic leaves the header's reading."""
    specs = interpret_columns([("科目名称",), ("全年安排",), ("基本支出",), ("项目支出",)], 2026, "budget")
    assert confirm_by_arithmetic(specs, GUANGZHOU_ROWS[1:], "万元")[1].measure == "other"


# ---- the 合计 column under a 类 款 项 header -----------------------------------------------------

# 上海市交通运输局 2026, page 8 (2026年预算单位收入预算总表, in 元): 功能分类科目编码 (类 款 项 on the line
# below) | 功能分类科目名称 | 合计 | 财政拨款收入 | 事业收入 …; first rows as printed.
SHANGHAI_ROWS = [["205", "", "", "教育支出", "326,658,710", "236,893,390"],
                 ["205", "03", "", "职业教育", "326,658,710", "236,893,390"],
                 ["205", "03", "05", "高等职业教育", "317,058,710", "236,893,390"]]


@pytest.mark.parametrize("total_path", [("合计", "类款项"), ("功能分类科目编码", "合计"), ("合计", "类")],
                         ids=["line-under-total", "total-read-into-the-code-label", "lei-under-total"])
def test_the_total_column_stays_an_amount_when_the_lei_kuan_xiang_line_runs_under_it(total_path):
    """Where the reader hands the 类 款 项 line (or the code's label) to the 合计 column too, the
    column's cells, all money and no code, keep it the row's total."""
    paths = [("功能分类科目编码", "类"), ("功能分类科目编码", "款"), ("功能分类科目编码", "项"),
             ("功能分类科目名称",), total_path, ("财政拨款收入",)]
    header = [[p[level] if level < len(p) else "" for p in paths] for level in range(2)]
    table = Table(title="2026年预算单位收入预算总表", unit="元", header=header, rows=SHANGHAI_ROWS)
    assert table.column_paths() == paths
    lines = normalise(Extraction(title="x", tables=[table]), parse_title("上海市交通运输局2026年部门预算"),
                      "d" * 64).lines
    totals = {ln["subject_code"]: ln["amount_fen"] for ln in lines if ln["measure"] == "total"}
    assert totals == {"205": 32_665_871_000, "20503": 32_665_871_000, "2050305": 31_705_871_000}


@needs_cities
@pytest.mark.parametrize("name, page", [("苏州__2026年苏州市审计局部门预算.pdf", 14),
                                        ("苏州__2026年苏州市应急管理局部门预算.pdf", 15)])
def test_a_xiaoji_that_lost_its_group_is_basic_spending_by_its_sum(name, page):
    """苏州 2026 公开05表 财政拨款支出表（功能科目）: 合计 | 基本支出 / 小计, 人员经费, 公用经费 | 项目支出, the
    group 基本支出 printed over its three columns. 合计 stays the row's total (it is 人员经费 + 公用经费 +
    项目支出, not the 小计 that is 人员经费 + 公用经费). 审计局 page 14, 合计 row: 4,651.67 4,312.17
    3,916.57 395.60 339.50."""
    lines = lines_on(name, page)
    first = min(ln["row_index"] for ln in lines)
    row = row_of(lines, next(ln["item"] or ln["subject_code"] for ln in lines if ln["row_index"] == first))
    assert row["total"][0] == row["basic"][0] + row["project"][0]
    assert row["basic"][0] == row["personnel"][0] + row["public_use"][0]
    if "审计局" in name:
        assert (row["total"], row["basic"]) == ([Decimal("4651.67")], [Decimal("4312.17")])


@needs_cities
@pytest.mark.parametrize("name, page, code, total", [
    # 表08 2026年市级部门政府性基金预算支出表: 合计 | 基本支出 | 项目支出 printed over amounts that the
    # reader places in the blank columns beside them; every row is project spending
    ("湖州__2026年湖州市交通运输局部门预算.pdf", 36, "2290403", "15500.00"),
    ("湖州__2026年湖州市卫生健康委员会部门预算.pdf", 43, "", "27600.00"),
])
def test_a_header_set_off_its_body_gives_its_labels_to_the_columns_the_amounts_are_in(name, page, code, total):
    lines = [ln for ln in lines_on(name, page) if ln["subject_code"] == code and (code or ln["item"] == "合计")]
    by_measure = {ln["measure"]: ln["amount_wan"] for ln in lines}
    assert by_measure["total"] == by_measure["project"] == float(Decimal(total))


def test_a_blank_column_under_a_group_label_only_is_no_column_of_its_own():
    """上海市普陀区人民政府办公室 2025 财务收支预算总表 as poppler's converted page frames it:
    本年收入 over 项目 | (the merged cell's width) | 预算数."""
    from extractors.columns import labels_by_position

    paths = [("本年收入", "项目"), ("本年收入",), ("本年收入", "预算数"), ("本年支出", "项目"), ("本年支出",),
             ("本年支出", "预算数")]
    rows = [["一、财政拨款收入", "", "91,016,775.35", "一、一般公共服务支出", "", "82,096,797.42"]]
    assert labels_by_position(paths, rows) == [paths[0], (), paths[2], paths[3], (), paths[5]]
