"""An amount whose column names no measure, in a table of no known kind, is never dropped
silently: it goes to `unplaced_cells` with its column's label, and the document is `partial`.

The table rebuilds the 专项资金 tables county sites attached to their 2014–2018 disclosures
(资金名称 | 下达金额 | 资金来源, under a title no template names): before, such a table loaded 0
lines and the document said `ok`.
"""
import os

from budgets.pipeline import Source, read_bytes
from extractors.model import Extraction, Table
from extractors.normalise import normalise
from extractors.titles import parse_title

PAGE = """<html><head><meta charset="utf-8"><title>某县民政局2016年专项资金安排情况</title></head><body>
<h1>某县民政局2016年专项资金安排情况</h1><p>单位：万元</p>
<table border="1">
<tr><td>资金名称</td><td>下达金额</td><td>资金来源</td></tr>
<tr><td>城乡低保资金</td><td>120.00</td><td>中央补助</td></tr>
<tr><td>临时救助资金</td><td>30.50</td><td>县级财政</td></tr>
</table></body></html>""".encode("utf-8")


def test_unknown_columns_of_an_unknown_table_go_to_unplaced_cells_with_their_label():
    table = Table(title="", unit="万元", header=[["资金名称", "下达金额", "资金来源"]],
                  rows=[["城乡低保资金", "120.00", "中央补助"], ["临时救助资金", "30.50", "县级财政"]])
    out = normalise(Extraction(tables=[table]), parse_title("某县民政局2016年专项资金安排情况"), "d" * 64)
    assert out.lines == []
    assert [(u["row_index"], u["text"], u["candidates"]) for u in out.unplaced] == [
        (0, "120.00", "下达金额"), (1, "30.50", "下达金额")]
    assert all("下达金额" in u["reason"] and u["table_index"] == 0 for u in out.unplaced)
    assert len({u["id"] for u in out.unplaced}) == 2


def test_a_document_whose_amounts_could_not_be_named_is_partial(monkeypatch):
    monkeypatch.setenv("BUDGETS_NO_WORKER", "1")
    reading = read_bytes(PAGE, Source(filename="zxzj.html", url="http://example.gov.cn/zxzj.html"))
    assert reading.document["status"] == "partial"
    assert "unplaced_cells" in reading.document["error"]
    assert [u["text"] for u in reading.unplaced] == ["120.00", "30.50"]
    assert reading.lines == []


def test_known_columns_of_an_unknown_table_still_load():
    """The same kind of table with a 金额 column: that names the total, so its cells are lines."""
    table = Table(title="", unit="万元", header=[["资金名称", "金额"]], rows=[["城乡低保资金", "120.00"]])
    out = normalise(Extraction(tables=[table]), parse_title("某县民政局2016年专项资金安排情况"), "d" * 64)
    assert [(l["measure"], l["amount_fen"]) for l in out.lines] == [("total", 120_000_000)]
    assert out.unplaced == []
