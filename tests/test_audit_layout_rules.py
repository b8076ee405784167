"""Rules that fit the layouts of many provinces. Every figure below is read off the PDF page
named beside it (../shared/cities-2026/); none is taken from this tool's output."""
from budgets.audit import cross_table, hierarchy_sum, row_identity
from budgets.audit.model import Disclosure, column_number_rows


def fen(wan: str) -> int:
    return int(round(float(wan.replace(",", "")) * 1_000_000))


def line(table, row, item, measure, wan, kind, column=0, code="", label="", year=2026):
    return {"table_index": table, "row_index": row, "column_index": column, "item": item,
            "subject_code": code, "subject_name": item if code else "", "measure": measure,
            "amount_fen": fen(wan), "unit_printed": "万元", "table_kind": kind, "year": year,
            "column_label": label}


def disclosure(lines, tables):
    return Disclosure(document={"id": "x", "fiscal_year": 2026, "stage": "budget"}, lines=lines,
                      tables=[{"table_index": i, "label": lab, "title": title, "table_kind": kind,
                               "confidence": "confident"} for i, lab, title, kind in tables])


def summary(table, income, carried_in, spending, carried_out, total):
    kind = "dept_summary"
    return [line(table, 0, "本年收入合计", "total", income, kind, 1, label="收入/预算数"),
            line(table, 0, "本年支出合计", "total", spending, kind, 3, label="支出/预算数"),
            line(table, 1, "上年结余、结转", "total", carried_in, kind, 1, label="收入/预算数"),
            line(table, 1, "结转下年", "total", carried_out, kind, 3, label="支出/预算数"),
            line(table, 2, "收入总计", "total", total, kind, 1, label="收入/预算数"),
            line(table, 2, "支出总计", "total", total, kind, 3, label="支出/预算数")]


def test_a_summary_table_balances_with_what_is_carried_over():
    # 深圳 生态环境局 2026 表1 收支总表 (PDF p.77) and 国家信访局 公开表1 (p.5): the year's spending
    # exceeds the year's income by what the year before left over
    shenzhen = summary(1, "177,554.51", "12,727.46", "190,281.97", "0.00", "190,281.97")
    assert not [f for f in row_identity.balance(disclosure(shenzhen, [(1, "表1", "收支总表", "dept_summary")]))
                if f.severity == "error"]
    xinfang = summary(1, "48,362.82", "2,254.12", "50,616.94", "0.00", "50,616.94")
    assert not row_identity.balance(disclosure(xinfang, [(1, "公开表1", "部门收支总表", "dept_summary")]))


def test_a_summary_table_whose_carry_over_does_not_close_the_gap_is_an_error():
    wrong = summary(1, "177,554.51", "10,895.08", "190,281.97", "0.00", "190,281.97")  # only the 财政拨款 part
    found = row_identity.balance(disclosure(wrong, [(1, "表1", "收支总表", "dept_summary")]))
    assert [f.expected.wan for f in found if f.severity == "error"] == [188449.59]


def test_a_general_budget_table_is_not_held_against_the_department_total():
    # 泉州 公安局 2026: 2026年度支出预算总表 (p.12) 合计 81206.56; 2026年度一般公共预算拨款支出预算表
    # (p.14), read as the department's spending table, 合计 69059.36; the 政府性基金 table (p.15) 0.00
    lines = [line(3, 0, "合计", "total", "81,206.56", "dept_expenditure", label="合计"),
             line(5, 0, "合计", "total", "69,059.36", "dept_expenditure", label="小计"),
             line(6, 0, "合计", "total", "0.00", "dept_expenditure", label="小计")]
    tables = [(3, "", "2026年度支出预算总表", "dept_expenditure"),
              (5, "", "2026年度一般公共预算拨款支出预算表", "dept_expenditure"),
              (6, "", "2026年度政府性基金预算拨款支出预算表", "dept_expenditure")]
    assert not cross_table.check(disclosure(lines, tables))


def test_a_basic_expenditure_table_is_compared_with_basic_spending_only():
    # 泉州 人民政府办公室 2026: 一般公共预算支出经济分类情况表 (p.20) 302 商品和服务支出 5474.56 (basic and
    # project); 一般公共预算基本支出经济分类情况表 (p.21) 302 832.69
    lines = [line(8, 3, "商品和服务支出", "total", "5,474.56", "general_budget_expenditure", code="302"),
             line(9, 3, "商品和服务支出", "total", "832.69", "general_budget_basic_expenditure", code="302")]
    tables = [(8, "", "2026年度一般公共预算支出经济分类情况表", "general_budget_expenditure"),
              (9, "", "2026年度一般公共预算基本支出经济分类情况表", "general_budget_basic_expenditure")]
    assert not cross_table.check(disclosure(lines, tables))


def test_a_procurement_group_is_not_a_scope_of_spending():
    # 深圳 统计局 2026 表3 支出总表 (p.19): 201 under 2026年政府采购项目/小计 94.28; 表1 prints 201 3478.72
    lines = [line(1, 0, "一般公共服务支出", "total", "3,478.72", "dept_summary", code="201", label="支出/2026年预算数"),
             line(4, 0, "一般公共服务支出", "total", "94.28", "dept_expenditure", code="201",
                  label="2026年政府采购项目/小计")]
    tables = [(1, "表1", "收支总表", "dept_summary"), (4, "表3", "支出总表", "dept_expenditure")]
    assert not cross_table.check(disclosure(lines, tables))


def test_a_table_listed_by_unit_is_summed_section_by_section():
    # 深圳 建筑工务署 2026 表8 一般公共预算支出表（按经济分类）, 基本支出 column: 本级 302 747.70 (p.47) over
    # its 款 on p.48-49; the next unit repeats 302 (p.50) and 303 = 30302 (p.52)
    kids = [("30201", "44.00"), ("30205", "5.00"), ("30206", "130.00"), ("30207", "16.30"), ("30209", "272.06"),
            ("30211", "35.00"), ("30212", "77.20"), ("30213", "0.50"), ("30214", "0.00"), ("30215", "1.00"),
            ("30216", "1.00"), ("30217", "1.00"), ("30226", "1.00"), ("30227", "0.50"), ("30228", "48.13"),
            ("30231", "6.00"), ("30239", "71.30"), ("30299", "37.72")]
    kind = "general_budget_expenditure"
    lines = [line(32, 0, "深圳市建筑工务署（本级）", "basic", "4,614.06", kind),
             line(32, 1, "商品和服务支出", "basic", "747.70", kind, code="302")]
    lines += [line(33, i, "款", "basic", amount, kind, code=code) for i, (code, amount) in enumerate(kids)]
    lines += [line(34, 0, "深圳市建筑工务署文体和水务工程管理中心", "basic", "4,226.45", kind),
              line(34, 1, "商品和服务支出", "basic", "373.50", kind, code="302"),
              line(34, 2, "对个人和家庭的补助", "basic", "304.24", kind, code="303"),
              line(34, 3, "退休费", "basic", "304.24", kind, code="30302")]
    tables = [(i, "表8", "一般公共预算支出表（按经济分类）", kind) for i in (32, 33, 34)]
    found = hierarchy_sum.check(disclosure(lines, tables))
    assert not [f for f in found if f.severity == "error"]
    assert [f.severity for f in found if f.subject_code == "302"] == ["info"]  # 747.71 against 747.70


def test_a_government_code_repeated_beside_department_codes_is_no_pair_of_children():
    # 部门经济分类 beside 政府经济分类: 30101 基本工资 and 30102 津贴补贴 both sit on 50101
    kind = "general_budget_basic_expenditure"
    lines = [line(1, 0, "工资福利支出", "basic", "300.00", kind, code="301"),
             line(1, 0, "机关工资福利支出", "basic", "300.00", kind, code="501"),
             line(1, 1, "基本工资", "basic", "100.00", kind, code="30101"),
             line(1, 1, "工资奖金津补贴", "basic", "100.00", kind, code="50101"),
             line(1, 2, "津贴补贴", "basic", "200.00", kind, code="30102"),
             line(1, 2, "工资奖金津补贴", "basic", "200.00", kind, code="50101")]
    found = hierarchy_sum.check(disclosure(lines, [(1, "表7", "一般公共预算基本支出表", kind)]))
    assert not found


def test_column_number_rows_are_structure():
    # 湖州 交通运输局 2026 表05 (p.30): `** ** 1 2 3 4 5` below the header
    kind = "general_budget_expenditure"
    lines = [line(8, 0, "**", m, str(n), kind, column=n) for n, m in
             enumerate(["total", "basic", "personnel", "public_use", "project"], start=1)]
    lines += [line(8, 1, "合计", "total", "52,244.36", kind, column=1)]
    assert column_number_rows(lines) == {(8, 0)}
    assert not row_identity.check(disclosure(lines, [(8, "表05", "一般公共预算支出表", kind)]))


def test_the_grand_total_is_the_pair_below_the_carry_over():
    # 泉州 公安局 2026 收支预算总表 (PDF p.10): 本年收入合计 73606.56 | 本年支出合计 81206.56; 上年结转结余
    # 7600.00 | 结转下年支出 0.00; then 收入合计 81206.56 | 支出合计 81206.56 (the grand total)
    kind = "dept_summary"
    lines = [line(1, 0, "本年收入合计", "total", "73606.56", kind, 1), line(1, 0, "本年支出合计", "total", "81206.56", kind, 3),
             line(1, 1, "上年结转结余", "total", "7600.00", kind, 1), line(1, 1, "结转下年支出", "total", "0.00", kind, 3),
             line(1, 2, "收入合计", "total", "81206.56", kind, 1), line(1, 2, "支出合计", "total", "81206.56", kind, 3)]
    assert not row_identity.balance(disclosure(lines, [(1, "", "2026年度收支预算总表", kind)]))


def test_a_summary_table_over_two_pages_carries_over_on_its_second_page():
    # 深圳 退役军人事务局 2026 表1 收支总表: 本年收入合计 54,937.88 | 本年支出合计 55,028.56 at the foot of
    # p.19; 上年结余、结转 90.68 | 结转下年 0.00 on p.20, under the same label
    kind = "dept_summary"
    lines = [line(1, 9, "本年收入合计", "total", "54,937.88", kind, 1), line(1, 9, "本年支出合计", "total", "55,028.56", kind, 3),
             line(2, 0, "上年结余、结转", "total", "90.68", kind, 1), line(2, 0, "结转下年", "total", "0.00", kind, 3)]
    tables = [(1, "表1", "收支总表", kind), (2, "表1", "收支总表", kind)]
    assert not row_identity.balance(disclosure(lines, tables))


def test_a_three_public_row_with_an_unread_travel_column_is_not_judged():
    # 重庆 商务委员会 2026 表八 (p.23): 890.97 | 因公出国 (境)费 552.00 | 217.90 | 217.90 | 121.07, the travel
    # header printed as `因公出国 (境)费` that the reader did not name
    kind = "three_public_expenses"
    lines = [line(7, 0, "", m, v, kind, column=i) for i, (m, v) in enumerate(
        [("total", "890.97"), ("other", "552.00"), ("vehicles", "217.90"), ("vehicle_operation", "217.90"),
         ("reception", "121.07")])]
    assert not row_identity.check(disclosure(lines, [(7, "表八", "2026年财政拨款“三公”经费支出情况表", kind)]))


def test_the_basic_groups_subtotal_read_as_the_total_is_not_judged():
    # 苏州 水务局 2026 公开07表 (p.20): 合计 48,592.98 | 基本支出 小计 2,147.85 | 人员经费 1,941.88 | 公用经费
    # 205.97 | 项目支出 46,445.13; 苏州 生态环境局 公开07表 (p.18): 41,183.84 | 3,373.21 | 3,014.75 | 358.46 | 37,810.63.
    # The 合计 cell was not read and the 小计 was taken as the row's total.
    kind = "general_budget_expenditure"
    for values in (("2,147.85", "1,941.88", "205.97", "46,445.13"), ("3,373.21", "3,014.75", "358.46", "37,810.63")):
        lines = [line(6, 0, "", m, v, kind, column=i, label=lab) for i, (m, v, lab) in enumerate(
            zip(("total", "personnel", "public_use", "project"), values, ("小计", "基本支出/人员经费", "公用经费", "项目支出")))]
        assert not row_identity.check(disclosure(lines, [(6, "公开07表", "一般公共预算支出表", kind)]))


def test_a_whole_yuan_figure_beside_fen_is_within_one_yuan():
    # 2026年预算单位财务收支预算总表 of a justice bureau's unit budget (corpus `unit_budget.pdf`, p.8), in 元:
    # 一、公共安全支出 79,189,400.34 | 人员经费 12,604,173 | 公用经费 1,744,680 | 项目支出 64,840,547
    text = "一、财政拨款收入 86,959,408.34 一、公共安全支出 79,189,400.34 12,604,173 1,744,680 64,840,547"
    cells = [("total", "79189400.34"), ("personnel", "12604173"), ("public_use", "1744680"), ("project", "64840547")]
    lines = [{**line(0, 0, "一、公共安全支出", m, "0", "dept_summary", column=i), "amount_fen": int(round(float(v) * 100)),
              "unit_printed": "元", "source_text": text} for i, (m, v) in enumerate(cells)]
    table = [(0, "", "2026年预算单位财务收支预算总表", "dept_summary")]
    assert not row_identity.check(disclosure(lines, table))  # 79,189,400 at whole 元
    wrong = text.replace("12,604,173", "12,604,183")  # ten 元 more than the row's total allows
    lines = [{**l, "source_text": wrong} for l in lines if l.pop("_step", True)]
    lines[1]["amount_fen"] += 1000
    assert [f.severity for f in row_identity.check(disclosure(lines, table))] == ["error"]


def test_a_subject_printed_without_a_code_is_no_ground_for_an_error():
    # 深圳市科技创新局 2026 收支总表 (本级), p.19, prints names only: 科技成果转化与扩散 8,120.00 and
    # 其他技术研究与开发支出 6,000.00; the catalogue's placing of the second under the first's 款 is ours
    from test_audit_seed_lines import DOCUMENT, make_table

    table, lines = make_table(0, "表1", "dept_expenditure", "收支总表", [("total", 2026, "2026年预算数")],
                              [("20604", "科技成果转化与扩散", ["8120.00"]), ("2060499", "其他技术研究与开发支出", ["6000.00"])])
    for line in lines:
        line["code_source"] = "catalogue"
    found = hierarchy_sum.check(Disclosure(DOCUMENT, lines, tables=[table]))
    assert found and {f.severity for f in found} == {"warning"}
    assert "without a code" in found[0].message
