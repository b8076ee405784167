"""What a column is, from its header labels, in layouts beyond the corpus's templates: code
columns under other names, measures decided by the group header above a leaf that says only
how much (合计, 预算数, 决算数), 三公 and 机关运行经费 columns.

Every table here rebuilds a real printed layout; each test names it. Expected measures are what
the printed headers say, not what the code returns.
"""
from decimal import Decimal

from extractors.model import Extraction, Table
from extractors.normalise import normalise
from extractors.tablekinds import table_kind
from extractors.titles import parse_title

BUDGET = parse_title("某县民政局2025年部门预算")
FINAL = parse_title("上海市普陀区规划和自然资源局 2024 年度部门决算")


def lines_of(table: Table, meta=BUDGET):
    return normalise(Extraction(title="x", tables=[table]), meta, "d" * 64).lines


def by_label(lines):
    return {l["column_label"]: l for l in lines}


# ---- code columns ---------------------------------------------------------------------------

def test_a_code_column_labelled_zhichu_gongneng_fenlei_kemu_bianma_is_codes_not_amounts():
    """The 财政部 final-account template as county sites print it (一般公共预算财政拨款支出决算表:
    支出功能分类科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出)."""
    table = Table(title="一般公共预算财政拨款支出决算表", unit="万元",
                  header=[["支出功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
                  rows=[["201", "一般公共服务支出", "120.50", "100.00", "20.50"],
                        ["20103", "政府办公厅(室)及相关机构事务", "120.50", "100.00", "20.50"],
                        ["2010301", "行政运行", "100.00", "100.00", ""]])
    lines = lines_of(table, FINAL)
    assert {l["column_label"] for l in lines} == {"合计", "基本支出", "项目支出"}
    assert {l["subject_code"] for l in lines} == {"201", "20103", "2010301"}
    assert not any(l["amount_fen"] == 2010301 * 1_000_000 for l in lines)
    basic = next(l for l in lines if l["subject_code"] == "2010301" and l["measure"] == "basic")
    assert basic["amount_fen"] == 100 * 1_000_000


def test_kemu_bianma_lei_kuan_xiang_in_brackets_is_a_code_column():
    """Older (2014–2018) county HTML templates: 科目编码（类款项） | 科目名称 | 金额."""
    table = Table(title="2016年一般公共预算支出表", unit="万元",
                  header=[["科目编码（类款项）", "科目名称", "金额"]],
                  rows=[["2080501", "归口管理的行政单位离退休", "12.34"]])
    lines = lines_of(table)
    assert [(l["subject_code"], l["measure"], l["amount_fen"]) for l in lines] == [("2080501", "total", 12_340_000)]


def test_a_column_of_subject_codes_under_a_name_the_vocabulary_lacks_is_still_codes():
    """A template's own word for the code column (功能科目 | 科目名称 | 合计, as some 2015 county
    budget tables print it): its cells are 类/款/项 codes, so it is no amount column."""
    table = Table(title="一般公共预算支出表", unit="万元",
                  header=[["功能科目", "科目名称", "合计"]],
                  rows=[["213", "农林水支出", "30.00"], ["21301", "农业农村", "30.00"],
                        ["2130101", "行政运行", "30.00"]])
    lines = lines_of(table)
    assert [(l["subject_code"], l["amount_fen"]) for l in lines] == [
        ("213", 30_000_000), ("21301", 30_000_000), ("2130101", 30_000_000)]


def test_unit_and_project_codes_are_not_subject_codes_nor_amounts():
    """项目支出预算表 of district budgets: 单位代码 | 单位名称 | 项目编码 | 项目名称 | 金额."""
    table = Table(title="2025年项目支出预算表", unit="万元",
                  header=[["单位代码", "单位名称", "项目编码", "项目名称", "金额"]],
                  rows=[["101001", "某县民政局", "51100025T000000012345", "低保资金", "88.00"]])
    lines = lines_of(table)
    assert [(l["column_label"], l["amount_fen"], l["item"]) for l in lines] == [("金额", 88_000_000, "低保资金")]


# ---- group headers decide the measure -------------------------------------------------------

FISCAL_IN_OUT = Table(
    title="一般公共预算财政拨款收入支出决算表", unit="万元",
    header=[["项目", "项目", "年初结转和结余", "本年收入", "本年支出", "本年支出", "本年支出", "本年支出",
             "本年支出", "年末结转和结余", "年末结转和结余", "年末结转和结余"],
            ["支出功能分类科目编码", "科目名称", "合计", "合计", "小计", "基本支出", "基本支出", "基本支出",
             "项目支出", "小计", "基本支出结转", "项目支出结转和结余"],
            ["支出功能分类科目编码", "科目名称", "合计", "合计", "小计", "小计", "人员经费", "日常公用经费",
             "项目支出", "小计", "基本支出结转", "项目支出结转和结余"]],
    rows=[["2010301", "行政运行", "10.00", "100.00", "90.00", "60.00", "40.00", "20.00", "30.00",
           "20.00", "5.00", "15.00"]],
)


def test_final_account_groups_carryover_income_spending_and_year_end_balance_are_different_measures():
    """The 财政部 final-account 一般公共预算财政拨款收入支出决算表 (财决 template since 2019): 年初结转
    和结余 | 本年收入 | 本年支出 (小计, 基本支出 小计/人员经费/日常公用经费, 项目支出) | 年末结转和结余
    (小计, 基本支出结转, 项目支出结转和结余); the 2024 普陀 final accounts print the 政府性基金 one."""
    got = {l["column_label"]: (l["measure"], l["amount_fen"] // 1_000_000) for l in lines_of(FISCAL_IN_OUT, FINAL)}
    assert got == {
        "年初结转和结余/合计": ("carryover", 10),
        "本年收入/合计": ("income", 100),
        "本年支出/小计": ("total", 90),
        "本年支出/基本支出/小计": ("basic", 60),
        "本年支出/基本支出/人员经费": ("personnel", 40),
        "本年支出/基本支出/日常公用经费": ("public_use", 20),
        "本年支出/项目支出": ("project", 30),
        "年末结转和结余/小计": ("carryover_end", 20),
        "年末结转和结余/基本支出结转": ("carryover_end_basic", 5),
        "年末结转和结余/项目支出结转和结余": ("carryover_end_project", 15),
    }
    assert {l["basis"] for l in lines_of(FISCAL_IN_OUT, FINAL)} == {"actual"}


def test_single_row_headers_of_the_same_table_give_the_same_measures():
    """The 2024 普陀 政府性基金预算财政拨款收入支出决算表: 年初结转和结余 | 本年收入 | 本年支出 (合计,
    基本支出, 项目支出) | 年末结转和结余, the flow columns without sub-columns."""
    table = Table(title="政府性基金预算财政拨款收入支出决算表", unit="万元",
                  header=[["功能分类科目编码", "科目名称", "年初结转和结余", "本年收入", "本年支出", "本年支出",
                           "本年支出", "年末结转和结余"],
                          ["功能分类科目编码", "科目名称", "年初结转和结余", "本年收入", "合计", "基本支出",
                           "项目支出", "年末结转和结余"]],
                  rows=[["2120801", "征地和拆迁补偿支出", "1.00", "9.00", "8.00", "", "8.00", "2.00"]])
    assert {l["column_label"]: l["measure"] for l in lines_of(table, FINAL)} == {
        "年初结转和结余": "carryover", "本年收入": "income", "本年支出/合计": "total",
        "本年支出/项目支出": "project", "年末结转和结余": "carryover_end"}


def test_income_total_beside_spending_total_is_income_but_alone_it_is_the_income_tables_total():
    """收入支出决算表 printed flat (年初结转和结余 | 本年收入合计 | 本年支出合计 | 年末结转和结余) against the
    2024 普陀 收入决算表 (本年收入合计 | 财政拨款收入 | 上级补助收入 …), where 本年收入合计 is the row's total."""
    both = Table(title="财政拨款收入支出决算表", unit="万元",
                 header=[["科目编码", "科目名称", "年初结转和结余", "本年收入合计", "本年支出合计", "年末结转和结余"]],
                 rows=[["2010301", "行政运行", "1.00", "9.00", "8.00", "2.00"]])
    assert [l["measure"] for l in lines_of(both, FINAL)] == ["carryover", "income", "total", "carryover_end"]
    income = Table(title="收入决算表", unit="万元",
                   header=[["功能分类科目编码", "科目名称", "本年收入合计", "财政拨款收入", "其他收入"]],
                   rows=[["2080501", "行政单位离退休", "54.53", "54.53", ""]])
    assert [l["measure"] for l in lines_of(income, FINAL)] == ["total", "fiscal_appropriation"]


def test_a_two_sided_summary_keeps_its_sides_value_columns_as_totals():
    """上海 budgets' 部门收支总表: 本年收入 (项目 | 预算数) | 本年支出 (项目 | 预算数): the groups are the
    two sides of the table, not measures."""
    table = Table(title="2025年部门收支总表", unit="元",
                  header=[["本年收入", "本年收入", "本年支出", "本年支出"], ["项目", "预算数", "项目", "预算数"]],
                  rows=[["一、一般公共预算资金", "100", "一、一般公共服务支出", "100"]])
    assert [l["measure"] for l in lines_of(table)] == ["total", "total"]


# ---- 三公 and 机关运行经费 columns -----------------------------------------------------------

def test_three_public_items_under_a_group_with_budget_and_actual_leaves():
    """The 2024 普陀 final accounts' 财政拨款“三公”经费支出决算表: four header rows, 预算数 | 决算数 under
    合计, 因公出国（境）费, 公务用车购置及运行维护费 (小计, 购置费, 运行维护费) and 公务接待费 (p.17 of
    上海市普陀区规划和自然资源局 2024 年度部门决算: 2.85 / 0.39 in 合计 and 公务接待费)."""
    groups = ["合计", "合计", "因公出国（境）费", "因公出国（境）费"] + ["公务用车购置及运行维护费"] * 6 + ["公务接待费"] * 2
    leaves = ["合计", "合计", "因公出国（境）费", "因公出国（境）费", "小计", "小计", "公务用车购置费", "公务用车购置费",
              "公务用车运行维护费", "公务用车运行维护费", "公务接待费", "公务接待费"]
    table = Table(title="财政拨款“三公”经费支出决算表", unit="万元",
                  header=[["财政拨款“三公”经费"] * 12, groups, leaves, ["预算数", "决算数"] * 6],
                  rows=[["2.85", "0.39", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "2.85", "0.39"]])
    got = [(l["measure"], l["basis"]) for l in lines_of(table, FINAL)]
    assert got == [(m, b) for m in ("total", "overseas_travel", "vehicles", "vehicle_purchase", "vehicle_operation",
                                    "reception") for b in ("budget", "actual")]


def test_three_public_total_and_vehicle_subtotal_and_short_names():
    """三公 tables of provincial departments: “三公”经费支出合计 | 因公出国(境)费 |
    公务用车购置及运行维护费小计 | 公务用车购置费 | 公务用车运行维护费 | 公务接待费; older county pages print
    公务车费 for the vehicles."""
    table = Table(title="2025年“三公”经费预算表", unit="万元",
                  header=[["“三公”经费支出合计", "因公出国(境)费", "公务用车购置及运行维护费小计", "公务用车购置费",
                           "公务用车运行维护费", "公务接待费"]],
                  rows=[["10.00", "1.00", "6.00", "2.00", "4.00", "3.00"]])
    assert [l["measure"] for l in lines_of(table)] == [
        "total", "overseas_travel", "vehicles", "vehicle_purchase", "vehicle_operation", "reception"]
    short = Table(title="2016年“三公”经费预算公开表", unit="万元",
                  header=[["合计", "因公出国(境)经费", "公务车费", "公务接待费"]],
                  rows=[["6.00", "1.00", "3.00", "2.00"]])
    assert [l["measure"] for l in lines_of(short)] == ["total", "overseas_travel", "vehicles", "reception"]


def test_admin_operating_columns_are_never_the_tables_total():
    """上海普陀 budgets print 2024年机关运行经费预算数 as the last column of the 三公 table; Jiangsu
    departments publish 机关运行经费 tables whose amount column is 机关运行经费支出; others group
    合计 under 机关运行经费."""
    table = Table(title="2025年“三公”经费和机关运行经费预算表", unit="元",
                  header=[["合计", "因公出国(境)费", "公务接待费", "2024年机关运行经费预算数"]],
                  rows=[["300", "100", "200", "5000"]])
    assert [l["measure"] for l in lines_of(table)][-1] == "admin_operating"
    jiangsu = Table(title="机关运行经费支出预算表", unit="万元",
                    header=[["科目编码", "科目名称", "机关运行经费支出"]], rows=[["302", "商品和服务支出", "12.00"]])
    assert [l["measure"] for l in lines_of(jiangsu)] == ["admin_operating"]
    grouped = Table(title="2025年机关运行经费预算表", unit="万元",
                    header=[["机关运行经费", "机关运行经费"], ["合计", "公用经费"]], rows=[["12.00", "12.00"]])
    assert [l["measure"] for l in lines_of(grouped)][0] == "admin_operating"


def test_an_untitled_table_whose_columns_are_the_three_expenses_is_the_three_public_table():
    """江苏省人民检察院 2017 prints its 三公 table with the title outside the table frame (the grid comes
    out untitled): 合计 | “三公”经费 (小计, 因公出国（境）费, 公务用车购置及运行维护费 …, 公务接待费) |
    会议费 | 培训费."""
    leaves = ["合计", "小计", "因公出国（境）费", "小计", "公务用车购置费", "公务用车运行维护费", "公务接待费",
              "会议费", "培训费"]
    assert table_kind("", leaves) == "three_public_expenses"
    assert table_kind("", ["项目", "合计"]) == "other"
