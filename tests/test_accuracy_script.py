"""scripts/accuracy.py on a small folder of real material: the seed's HTML rendering (the real
2026 budget of 重庆市潼南区大数据应用发展管理局) and a rebuilt county 专项资金 page whose table
names no known kind.

The figures checked are read off the documents: the seed prints four figures that contradict
their own table (附件8 部门支出总表 prints 208 as 52.48 over its 款 20805 of 52.84, and its 合计
row as 1027.84 where its 类 rows and 基本支出 404.68 + 项目支出 803.16 make 1207.84; 附件2 prints 款
21505 as 718.3 in 2025 over 项 adding up to 714.80; 附件3 prints 301 as 328.37 over 款 adding up to
328.38), and nothing else; the 专项资金 page has one table, two amounts under 下达金额.
"""
import importlib.util
import re
import shutil
import sys
from pathlib import Path

from conftest import ROOT
from test_measures_unplaced import PAGE

SEED_HTML = ROOT / "crawler" / "demo" / "content" / "tongnan-2026-bigdata-bureau-budget.html"


def run(folder: Path, capsys, *args) -> str:
    spec = importlib.util.spec_from_file_location("accuracy", ROOT / "scripts" / "accuracy.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["accuracy"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    assert module.main([str(folder), *args]) == 0
    return capsys.readouterr().out


def test_the_harness_reports_each_document_and_the_total(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BUDGETS_NO_WORKER", "1")
    shutil.copy(SEED_HTML, tmp_path / SEED_HTML.name)
    (tmp_path / "county").mkdir()
    (tmp_path / "county" / "zxzj.html").write_bytes(PAGE)
    (tmp_path / "NOTES.md").write_text("where these came from", encoding="utf-8")  # not a document
    out = run(tmp_path, capsys, "--misses")
    lines = out.splitlines()
    seed = next(l for l in lines if l.startswith(SEED_HTML.name))
    county = next(l for l in lines if l.startswith("county/zxzj.html"))
    total = lines[-1]

    assert "status ok" in seed and "stage budget" in seed
    assert "unplaced 0" in seed and "other tables 0 (0 with amounts)" in seed and "no dept/year 0" in seed
    assert "missing" not in seed
    checked = re.search(r"identities (\d+)/(\d+)", seed)
    ok, n = int(checked.group(1)), int(checked.group(2))
    misses = [l for l in lines if l.startswith("    MISS") and "audit" not in l]
    missed_rows = {re.search(r"\| row (\S+) \|", l).group(1) for l in misses}
    assert missed_rows == {"208", "合计", "0:合计", "21505", "301"}  # the document's own misprints
    assert n - ok == 5

    assert "status partial" in county and "0 lines" in county and "unplaced 2" in county
    assert "other tables 1 (1 with amounts)" in county and "missing stage" in county

    assert total.startswith("TOTAL: 2 documents")
    assert f"identities {ok}/{n}" in total and "unplaced 2" in total
    assert "other tables 1 (1 with amounts)" in total and "documents missing department/year/stage 1" in total
