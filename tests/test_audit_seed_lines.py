"""The seed disclosure (潼南区大数据应用发展管理局 2026 budget) as budget_lines, paragraphs and
tables rows, built by hand from its printed figures — misprints included — the way the contract
defines those rows. The audit tests run their checks on these."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from budgets.audit.model import Disclosure
from budgets.db import LINE_COLUMNS

SEED = Path(__file__).resolve().parent / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.txt"
DOCUMENT = {
    "id": "seed-tongnan-2026", "district": "重庆市潼南区", "department": "大数据应用发展管理局",
    "title": "重庆市潼南区大数据应用发展管理局2026年部门预算公开", "fiscal_year": 2026, "stage": "budget",
    "status": "ok", "url": "https://www.cqtn.gov.cn/seed", "fetched_at": "2026-01-20T00:00:00+00:00",
}
PREFIX = "重庆市潼南区"


def fen(text: str, unit: str = "万元") -> int:
    return int(Decimal(text) * (1_000_000 if unit == "万元" else 100))


def make_table(index, label, kind, title, columns, body, unit="万元", classification="functional"):
    """columns: [(measure, year, column_label)]; body: [(code, name, [cell or None per column])]."""
    lines, table = [], {"id": f"t{index}", "document_id": DOCUMENT["id"], "table_index": index, "label": label,
                        "title": title, "table_kind": kind, "unit": unit, "page": None, "rows": len(body)}
    for row_index, (code, name, cells) in enumerate(body):
        for column_index, ((measure, year, column_label), cell) in enumerate(zip(columns, cells)):
            if cell in (None, ""):
                continue
            level = {3: 1, 5: 2, 7: 3}.get(len(code)) if code else None
            line = {c: None for c in LINE_COLUMNS}
            line.update({
                "id": f"{index}-{row_index}-{column_index}", "document_id": DOCUMENT["id"],
                "district": DOCUMENT["district"], "department": DOCUMENT["department"],
                "department_raw": DOCUMENT["department"], "fiscal_year": 2026, "stage": "budget",
                "table_kind": kind, "table_title": title,
                "classification": (classification if code else "none"), "subject_code": code,
                "subject_name": name if code or not is_item(name) else "",
                "level": level, "parent_code": code[:-2] if len(code) in (5, 7) else "",
                "item": name if not code and is_item(name) else "", "measure": measure, "year": year,
                "basis": "budget", "amount_fen": fen(cell, unit), "amount_wan": float(Decimal(fen(cell, unit)) / 1_000_000),
                "unit_printed": unit, "table_index": index, "row_index": row_index, "column_index": column_index,
                "column_label": column_label, "source_text": f"{code} {name} {cell}".strip(),
            })
            lines.append(line)
    return table, lines


def is_item(name: str) -> bool:
    """Rows without a code: totals and income items go to `item`, 类 names of summary tables to
    `subject_name`."""
    return not name.endswith("支出") or any(w in name for w in ("合计", "总计", "本年"))


def seed_tables():
    y, p = 2026, 2025
    tables = []
    # 附件1 财政拨款收支总表: the income side (项目/预算数) and the spending side share rows.
    classes = [("(八)社会保障和就业支出", "52.48"), ("(十)卫生健康支出", "20.70"),
               ("(十五)资源勘探工业信息等支出", "1110.31"), ("(二十)住房保障支出", "166.94")]
    tables.append(make_table(
        0, "附件1", "fiscal_appropriation_summary", PREFIX + "大数据应用发展管理财政拨款收支总表",
        [("total", y, "预算数"), ("total", y, "合计"), ("general_budget", y, "一般公共预算")],
        [("", "一、本年收入", ["1207.84", None, None]),
         ("", "(一)一般公共预算拨款", ["1207.84", None, None]),
         ("", "一、本年支出", [None, "1207.84", "1207.84"])]
        + [("", name, [None, v, v]) for name, v in classes]
        + [("", "收入合计", ["1207.84", None, None]), ("", "支出合计", [None, "1207.84", None])],
    ))
    functional = [
        ("208", "社会保障和就业支出", "33.7", "52.84", "52.84", None),
        ("20805", "行政事业单位养老支出", "33.7", "52.84", "52.84", None),
        ("2080505", "机关事业单位基本养老保险缴费支出", "20.7", "31.68", "31.68", None),
        ("2080506", "机关事业单位职业年金缴费支出", "10.34", "15.84", "15.84", None),
        ("2080599", "其他行政事业单位养老支出", "2.66", "5.32", "5.32", None),
        ("210", "卫生健康支出", "16.74", "20.70", "20.70", None),
        ("21011", "行政事业单位医疗", "16.74", "20.70", "20.70", None),
        ("2101101", "行政单位医疗", "12.29", "13.63", "13.63", None),
        ("2101102", "事业单位医疗", "2.49", "4.11", "4.11", None),
        ("2101103", "公务员医疗补助", "1.28", "1.60", "1.60", None),
        ("2101199", "其他行政事业单位医疗支出", "0.68", "1.36", "1.36", None),
        ("215", "资源勘探工业信息等支出", "718.3", "1110.31", "307.15", "803.16"),
        ("21505", "工业和信息产业", "718.3", "1110.31", "307.15", "803.16"),
        ("2150501", "行政运行", "166.61", "211.13", "211.13", None),
        ("2150503", "机关服务", "48.19", "96.02", "96.02", None),
        ("2150599", "其他工业和信息产业支出", "500", "803.16", None, "803.16"),
        ("221", "住房保障支出", "17.74", "23.99", "23.99", None),
        ("22102", "住房改革支出", "17.74", "23.99", "23.99", None),
        ("2210201", "住房公积金", "17.74", "23.99", "23.99", None),
    ]
    tables.append(make_table(
        1, "附件2", "general_budget_expenditure", PREFIX + "大数据应用发展管理局一般公共预算财政拨款支出预算表",
        [("total", p, "2025年预算数"), ("total", y, "总计"), ("basic", y, "基本支出"), ("project", y, "项目支出")],
        [("", "合计", ["786.48", "1207.84", "404.68", "803.16"])]
        + [(code, name, [a, b, c, d]) for code, name, a, b, c, d in functional],
    ))
    economic = [
        ("301", "工资福利支出", "328.37", "328.37", None), ("30101", "基本工资", "73.96", "73.96", None),
        ("30102", "津贴补贴", "36.24", "36.24", None), ("30103", "奖金", "72.22", "72.22", None),
        ("30107", "绩效工资", "53.21", "53.21", None),
        ("30108", "机关事业单位基本养老保险缴费", "31.68", "31.68", None),
        ("30109", "职业年金缴费", "15.84", "15.84", None), ("30110", "职工基本医疗保险缴费", "17.74", "17.74", None),
        ("30112", "其他社会保障缴费", "0.94", "0.94", None), ("30113", "住房公积金", "23.99", "23.99", None),
        ("30114", "医疗费", "2.56", "2.56", None),
        ("302", "商品和服务支出", "70.59", None, "70.59"), ("30201", "办公费", "22.00", None, "22.00"),
        ("30205", "水费", "0.15", None, "0.15"), ("30206", "电费", "3.00", None, "3.00"),
        ("30211", "差旅费", "2.50", None, "2.50"), ("30216", "培训费", "2.99", None, "2.99"),
        ("30215", "会议费", "2.00", None, "2.00"), ("30217", "公务接待费", "2.50", None, "2.50"),
        ("30226", "劳务费", "4.00", None, "4.00"), ("30227", "委托业务费", "2.00", None, "2.00"),
        ("30228", "工会经费", "9.59", None, "9.59"), ("30231", "公务用车运行维护费", "2.50", None, "2.50"),
        ("30239", "其他交通费用", "9.96", None, "9.96"), ("30299", "其他商品和服务支出", "7.40", None, "7.40"),
        ("303", "对个人和家庭的补助", "5.72", "5.72", None), ("30305", "生活补助", "5.32", "5.32", None),
        ("30307", "医疗费补助", "0.40", "0.40", None),
    ]
    tables.append(make_table(
        2, "附件3", "general_budget_basic_expenditure", PREFIX + "大数据应用发展管理局一般公共预算财政拨款基本支出预算表",
        [("total", y, "总计"), ("personnel", y, "人员经费"), ("public_use", y, "日常公用经费")],
        [("", "合计", ["404.68", "334.09", "70.59"])] + [(c, n, [a, b, d]) for c, n, a, b, d in economic],
        classification="economic",
    ))
    three_columns = [("total", p, "总计"), ("overseas_travel", p, "因公出国(境)费用"), ("vehicles", p, "小计"),
                     ("vehicle_purchase", p, "公务用车购置"), ("vehicle_operation", p, "公务用车运行"),
                     ("reception", p, "公务接待费"),
                     ("total", y, "总计"), ("overseas_travel", y, "因公出国(境)费用"), ("vehicles", y, "小计"),
                     ("vehicle_purchase", y, "公务用车购置"), ("vehicle_operation", y, "公务用车运行"),
                     ("reception", y, "公务接待费")]
    three_values = ["5.5", None, "3.5", None, None, "2", "5", None, "2.5", None, None, "2.5"]
    tables.append(make_table(
        3, "附件4", "three_public_expenses", PREFIX + "大数据应用发展管理局一般公共预算支出“三公”经费预算表",
        three_columns, [("", "合计", three_values), ("", "大数据发展局", three_values)],
    ))
    empty = make_table(
        4, "附件5", "gov_fund_expenditure", PREFIX + "大数据应用发展管理局政府性基金预算支出表",
        [("total", y, "总计")], [],
    )
    empty[0]["notes"] = "(备注:本单位无政府性基金收支,故此表无数据。)"  # printed below its empty 合计 row
    tables.append(empty)
    summary_classes = [("八、社会保障和就业支出", "52.84"), ("十、卫生健康支出", "20.70"),
                       ("十五、资源勘探工业信息等支出", "1110.31"), ("二十、住房保障支出", "23.99")]
    tables.append(make_table(
        5, "附件6", "dept_summary", PREFIX + "大数据应用发展管理局部门收支总表",
        [("general_budget", y, "预算数"), ("total", y, "预算数")],
        [("", "一般公共预算拨款收入", ["1207.84", None])]
        + [("", name, [None, v]) for name, v in summary_classes]
        + [("", "本年收入合计", ["1207.84", None]), ("", "本年支出合计", [None, "1207.84"]),
           ("", "收入总计", ["1207.84", None]), ("", "支出总计", [None, "1207.84"])],
    ))
    income_rows = [(c, n.replace("其他工业和信息产业支出", "其他工业信息产业支出"), b) for c, n, _, b, _, _ in functional]
    tables.append(make_table(
        6, "附件7", "dept_income", PREFIX + "大数据应用发展管理局部门收入总表",
        [("total", y, "总计"), ("general_budget", y, "一般公共预算拨款收入")],
        [("", "合计", ["1207.84", "1207.84"])] + [(c, n, [v, v]) for c, n, v in income_rows],
    ))
    spending_rows = [(c, n.replace("其他工业和信息产业支出", "其他工业信息产业支出"), b, bb, pp)
                     for c, n, _, b, bb, pp in functional]
    spending_rows[0] = ("208", "社会保障和就业支出", "52.48", "52.48", None)  # the misprint
    tables.append(make_table(
        7, "附件8", "dept_expenditure", PREFIX + "大数据应用管理发展局部门支出总表",
        [("total", y, "合计"), ("basic", y, "基本支出"), ("project", y, "项目支出")],
        [("", "合计", ["1027.84", "404.68", "803.16"])] + [(c, n, [a, b, d]) for c, n, a, b, d in spending_rows],
    ))
    tables.append(make_table(
        8, "附件9", "procurement", PREFIX + "大数据应用管理发展局政府采购预算明细表",
        [("total", y, "总计"), ("general_budget", y, "一般公共预算拨款收入")],
        [("", "合计", ["420", "420"]), ("", "货物类", [None, None]), ("", "工程类", [None, None]),
         ("", "服务类", ["420", "420"])],
    ))
    tables.append(make_table(
        9, "附件10", "project_expenditure", PREFIX + "大数据应用管理发展局项目支出明细表",
        [("total", y, "合计")],
        [("", "合计", ["803.16"]), ("", "电子政务网络改造升级", ["345"]), ("", "数字化发展项目", ["400"]),
         ("", "推进数字重庆建设项目", ["58.16"])],
    ))
    tables.append(make_table(
        10, "附件11", "overall_performance", PREFIX + "大数据应用发展管理局整体绩效目标表", [], []))
    tables.append(make_table(11, "附件12-1", "project_performance", "2026年区级预算绩效目标申报表", [], []))
    return tables


def seed_paragraphs() -> list[dict]:
    """The narrative exactly as printed: every line of the seed before 附件1."""
    text = SEED.read_text(encoding="utf-8")
    narrative = text.split("\n附件1\n")[0].splitlines()
    return [{"id": f"p{n}", "document_id": DOCUMENT["id"], "page": None, "position": n, "text": line}
            for n, line in enumerate(narrative) if line.strip()]


def seed_disclosure(**changes) -> Disclosure:
    tables, lines = [], []
    for table, table_lines in seed_tables():
        tables.append(table)
        lines += table_lines
    disclosure = Disclosure(document=dict(DOCUMENT), lines=lines, paragraphs=seed_paragraphs(), tables=tables)
    for name, value in changes.items():
        setattr(disclosure, name, value)
    return disclosure


def replace_sentence(disclosure: Disclosure, old: str, new: str) -> Disclosure:
    for paragraph in disclosure.paragraphs:
        paragraph["text"] = paragraph["text"].replace(old, new)
    return disclosure


def set_cell(disclosure: Disclosure, label: str, row: str, measure: str, value: str, year: int = 2026) -> None:
    for line in disclosure.lines:
        info = disclosure.table_info(line["table_index"])
        if info.get("label") == label and (line["subject_code"] or line["item"] or line["subject_name"]) == row \
                and line["measure"] == measure and line["year"] == year:
            line["amount_fen"] = fen(value, line["unit_printed"])
            return
    raise KeyError((label, row, measure))


def findings_of(findings, severity=None):
    return [f for f in findings if severity is None or f.severity == severity]


def test_the_hand_built_seed_carries_every_printed_table():
    disclosure = seed_disclosure()
    assert [t["label"] for t in disclosure.tables][:10] == [
        "附件1", "附件2", "附件3", "附件4", "附件5", "附件6", "附件7", "附件8", "附件9", "附件10"]
    assert len(disclosure.lines) > 200
    assert any(re.search("支出较去年增加428.75万元", p["text"]) for p in disclosure.paragraphs)
