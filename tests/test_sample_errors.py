"""scripts/sample_errors.py draws error findings for judging by hand: fixed seed, at most N per document."""
import sqlite3
import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from sample_errors import draw, page_of  # noqa: E402


def _db():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE documents (id TEXT, raw_path TEXT, url TEXT)")
    conn.execute('CREATE TABLE findings (id TEXT, document_id TEXT, severity TEXT, "check" TEXT, message TEXT, '
                 "evidence TEXT)")
    for d in "abc":
        conn.execute("INSERT INTO documents VALUES (?, ?, '')", [d, f"/x/{d}.pdf"])
        for k in range(10):
            conn.execute("INSERT INTO findings VALUES (?, ?, ?, 'row_identity', 'm', ?)",
                         [f"{d}{k}", d, "error" if k % 2 else "warning", f"附件3 表: row “合计”, p.{k}"])
    return conn


def test_the_draw_is_the_same_for_the_same_seed_and_takes_at_most_n_per_document():
    first = draw(_db(), 30, 3, seed=7)
    assert [r["id"] for r in first] == [r["id"] for r in draw(_db(), 30, 3, seed=7)]
    assert len(first) == 9 and all(sum(r["document_id"] == d for r in first) == 3 for d in "abc")
    assert all(r["id"][1] in "13579" for r in first)  # errors only


def test_the_page_is_read_from_the_evidence():
    assert page_of("附件8 部门支出总表: row “合计”, column “合计”, p.12; 附件9 …, p.13") == "12,13"
    assert page_of("no page") == "?"
