"""The audit trusts only tables whose reading is not doubtful: a contradiction that only a doubtful
table shows is recorded as our reading problem (severity `reading`), never as the document's error."""
from budgets.audit import run_checks
from budgets.audit.model import READING, Disclosure
from extractors.reading import DOUBTFUL, read_table
from test_audit_seed_lines import DOCUMENT, make_table, seed_disclosure

# 深圳市交通运输局 2026 部门预算, page 27, 支出总表, as a misreading gives it: the group
# 2026年政府采购项目's 小计 (0.00) taken as each row's total, while 支出总计 prints 41.99 = 2.00 + 39.99
SHENZHEN_MISREAD = [("", "合计", ["0.00", "2.00", "39.99"]), ("205", "教育支出", ["0.00", "2.00", "39.99"]),
                    ("20508", "进修及培训", ["0.00", "2.00", "39.99"])]
COLUMNS = [("total", 2026, "2026年政府采购项目/小计"), ("basic", 2026, "基本支出"), ("project", 2026, "项目支出")]


def misread_disclosure():
    table, lines = make_table(0, "表3", "dept_expenditure", "支出总表", COLUMNS, SHENZHEN_MISREAD)
    table.update(read_table(lines, ["vocabulary"] * 3).as_row())
    assert table["confidence"] == DOUBTFUL
    return Disclosure(DOCUMENT, lines, tables=[table])


def test_a_contradiction_only_a_doubtful_table_shows_is_ours_not_the_documents():
    findings = run_checks(misread_disclosure())
    row_totals = [f for f in findings if f.check == "row_identity"]
    assert row_totals and all(f.severity == READING for f in row_totals)
    assert not [f for f in findings if f.severity == "error"]
    assert all(f.message.startswith("Probably our misreading") for f in row_totals)


def test_a_confident_table_keeps_its_errors():
    # the seed's 附件8 prints 合计 1,027.84 where 基本支出 + 项目支出 give 1,207.84 (a planted error); the
    # rest of its table adds up, so its reading is confident and the error is the document's
    disclosure = seed_disclosure()
    for table in disclosure.tables:
        table.update(read_table([ln for ln in disclosure.lines if ln["table_index"] == table["table_index"]],
                                []).as_row())
    assert DOUBTFUL not in {t["confidence"] for t in disclosure.tables}
    errors = [f for f in run_checks(disclosure) if f.check == "row_identity" and f.severity == "error"]
    assert [(f.expected.wan, f.actual.wan) for f in errors] == [(1207.84, 1027.84)]
