"""The audit judges a document's subject names by the catalogue of its own year, over the real
江苏省人民检察院 budgets of 2017 and 2018 (../shared/corpus) loaded with `budgets ingest`: 2040405 is
printed 公诉和审判监督 in 2017 (p.14) and 公诉、审判、侦查、执行等检察监督支出 in 2018 (p.17)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, needs_corpus

pytestmark = [pytest.mark.slow, needs_corpus]

ROOT = Path(__file__).resolve().parents[1]
PROCURATORATE = CORPUS / "jiangsu-open-budget/江苏省人民检察院"


@pytest.fixture(scope="module")
def procuratorate_db(tmp_path_factory):
    from budgets import db as database
    from budgets.reference import refresh

    path = tmp_path_factory.mktemp("procuratorate") / "budgets.db"
    subprocess.run([sys.executable, "-m", "budgets", "ingest", str(PROCURATORATE / "2017年省检察院部门预算.pdf"),
                    str(PROCURATORATE / "2018年省检察院部门预算公开.pdf"), "--db", str(path)],
                   cwd=ROOT, check=True, capture_output=True)
    db = database.connect(path)
    refresh(db)
    yield db
    db.conn.close()


def disclosure_of(db, year):
    from budgets.audit import load_disclosure, rows

    [document] = rows(db, "select * from documents where fiscal_year = ?", [year])
    return load_disclosure(db, document)


def test_the_audit_reads_each_document_against_the_catalogue_of_its_own_year(procuratorate_db):
    from budgets.audit import subject_name

    old, new = disclosure_of(procuratorate_db, 2017), disclosure_of(procuratorate_db, 2018)
    assert old.subjects[("functional", "2040405")] == "公诉和审判监督"
    assert new.subjects[("functional", "2040405")] == "公诉、审判、侦查、执行等检察监督支出"
    assert not [f for f in subject_name.check(old) if f.subject_code == "2040405"]
    # the 2018 text naming the subject by its 2017 name, beside its code
    new.paragraphs.append({"id": "added", "page": 5, "position": 99,
                           "text": "公共安全支出（204类）检察（04款）公诉和审判监督（05项）1,895.00万元。"})
    [finding] = [f for f in subject_name.check(new) if f.subject_code == "2040405"]
    assert "a former name" in finding.message
    assert "its official name for 2018 is “公诉、审判、侦查、执行等检察监督支出”" in finding.message


def test_the_database_holds_the_crosswalk_and_an_economic_lookup(procuratorate_db):
    db = procuratorate_db
    assert db.execute("select kind, from_year from subject_changes where old_code = '30311' and new_code = '30113'"
                      ).fetchall() == [("moved", 2018)]
    assert db.execute("select name, scheme from economic_subjects where code = '30113'").fetchall() == [
        ("住房公积金", "department")]
    assert db.execute("select name, scheme from economic_subjects where code = '509'").fetchall() == [
        ("对个人和家庭的补助", "government")]
    # the codes the 2017 basic-expenditure table prints are named in its own year's catalogue
    assert db.execute("select name from economic_subjects where code = '30311' and valid_to = 2017").fetchall() == [
        ("住房公积金",)]
