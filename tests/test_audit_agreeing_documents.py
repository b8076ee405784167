"""Real disclosures of three provinces whose figures agree, through the whole pipeline: the audit
raises no `error` on them, and the lists of parts their texts give are read (a rounding gap of
0.01万元 is an `info`)."""
import pytest

from budgets import db as database
from budgets import reference
from budgets.audit import audit_all
from budgets.pipeline import Source, ingest_bytes
from conftest import SHARED

pytest.importorskip("extractors.pdf")
CITIES = SHARED / "cities-2026"
AGREEING = [
    "无锡__2026年无锡市统计局部门预算.pdf",  # 江苏
    "武汉__2026年武汉市信访局部门预算.pdf",  # 湖北
    "深圳__2026年深圳市审计局部门预算.pdf",  # 广东
]
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CITIES.is_dir(), reason=f"the many-province corpus is not at {CITIES}")]


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    db = database.connect(tmp_path_factory.mktemp("agreeing") / "budgets.db")
    for name in AGREEING:
        path = CITIES / name
        ingest_bytes(db, path.read_bytes(), Source(filename=path.name, raw_path=str(path)))
    reference.refresh(db)
    audit_all(db)
    cursor = db.conn.execute("SELECT f.*, d.raw_path FROM findings f JOIN documents d ON d.id = f.document_id")
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


@pytest.mark.parametrize("name", AGREEING)
def test_a_disclosure_whose_figures_agree_has_no_error(findings, name):
    assert [f["message"] for f in findings if f["raw_path"].endswith(name) and f["severity"] == "error"] == []


def test_a_list_of_parts_a_rounding_gap_apart_is_read_and_is_info(findings):
    # 深圳市审计局 p.10: '预算10,737.69万元，包括在职人员经费6,516.50万元、公用经费1,079.33万元、对个人和家庭的
    # 补助支出958.75万元、增人增资651.65万元、项目支出1,531.45万元' — 10,737.68 in all
    [gap] = [f for f in findings if f["check"] == "narrative" and "包括在职人员经费6,516.50万元" in f["evidence"]]
    assert (gap["severity"], gap["expected_wan"], gap["actual_wan"]) == ("info", 10737.68, 10737.69)
