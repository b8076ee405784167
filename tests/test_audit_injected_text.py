"""Text defects injected into a real final account (上海市普陀区规划和自然资源局 2024 年度部门决算, as the
pipeline reads it): a placeholder name in a part heading and a doubled full stop in the 名词解释 are
found; the document as published raises neither."""
import re

import pytest

from budgets import db as database
from budgets.audit import placeholder, punctuation
from budgets.audit.model import Disclosure
from budgets.pipeline import Source, ingest_bytes
from conftest import CORPUS, needs_corpus

pytest.importorskip("extractors.pdf")
pytestmark = needs_corpus

FINAL_ACCOUNT = "putuo-govbudgetchecker/上海市普陀区规划和自然资源局 2024 年度部门决算.pdf"
DEPARTMENT = "上海市普陀区规划和自然资源局"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Disclosure:
    db = database.connect(tmp_path_factory.mktemp("injected") / "budgets.db")
    path = CORPUS / FINAL_ACCOUNT
    ingest_bytes(db, path.read_bytes(), Source(filename=path.name, raw_path=str(path)))

    def rows(sql):
        cursor = db.conn.execute(sql)
        return [dict(zip([c[0] for c in cursor.description], r)) for r in cursor.fetchall()]

    [document] = rows("SELECT * FROM documents")
    return Disclosure(document, paragraphs=rows("SELECT * FROM paragraphs ORDER BY page, position"),
                      tables=rows("SELECT * FROM tables"))


def injected(disclosure: Disclosure, paragraph_text: str, replace: str, by: str) -> Disclosure:
    """The paragraph as the PDF reader would give it had the page printed `by` for `replace`: the
    reader cuts after each full stop, so '资金。。' comes out as '资金。' and '。'."""
    paragraphs = []
    for paragraph in disclosure.paragraphs:
        if paragraph["text"] != paragraph_text:
            paragraphs.append(paragraph)
            continue
        for n, piece in enumerate(s for s in re.split(r"(?<=[。！？；])", paragraph["text"].replace(replace, by)) if s):
            paragraphs.append({**paragraph, "id": f"{paragraph['id']}-{n}", "position": paragraph["position"] + n / 10,
                               "text": piece})
    return Disclosure(disclosure.document, paragraphs=paragraphs, tables=disclosure.tables)


def test_the_published_text_has_no_placeholder_name_and_no_doubled_stop(published):
    # its one template leftover is real: p.25 '…减少0.15万元，下降（增长）27.78%'
    assert [f.message.split("“")[1].split("”")[0] for f in placeholder.check(published)] == ["下降（增长）"]
    assert not [f for f in punctuation.check(published) if f.severity != "info"]


def test_a_placeholder_department_in_a_part_heading_is_found(published):
    # p.20: '第三部分 上海市普陀区规划和自然资源局2024年度部门决算'
    heading = next(p["text"] for p in published.paragraphs if p["text"].startswith("第三部分") and p["page"] == 20)
    [finding] = [f for f in placeholder.check(injected(published, heading, DEPARTMENT, "XX局"))
                 if "下降（增长）" not in f.message]
    assert finding.severity == "warning" and "XX局" in finding.message and "p.20" in finding.evidence


def test_a_doubled_full_stop_in_the_glossary_is_found(published):
    # p.29, 名词解释 五: '…结转到本年按有关规定继续使用的资金。'
    glossary = next(p["text"] for p in published.paragraphs if p["page"] == 29 and p["text"].endswith("继续使用的资金。"))
    findings = punctuation.check(injected(published, glossary, "资金。", "资金。。"))
    [finding] = [f for f in findings if f.severity == "warning"]
    assert "p.29" in finding.evidence and "the same mark twice" in finding.message
