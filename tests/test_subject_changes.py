"""Subjects across years: the crosswalk (extractors/data/subject_changes.csv) is borne out by the
printed catalogue, makes the catalogue of each year, joins a moved code's series, and the audit
judges a document's subject names by the catalogue of its own year. The real documents are the
江苏省人民检察院 budgets of 2017 and 2018 (../shared/corpus): 2040405 is printed 公诉和审判监督 in
2017 (p.14) and 公诉、审判、侦查、执行等检察监督支出 in 2018 (p.17); 住房公积金 is 30311 784.22 万元 in
2017 (p.12) and 30113 1,073.77 万元 in 2018 (p.16)."""
from __future__ import annotations

import csv
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import CORPUS, needs_corpus
from extractors.subject_changes import CHANGES_CSV, KINDS, catalogue, changes, earlier_forms
from extractors.subjects import PRINTED_CSV, catalogue_name
from plugins.budgets_site.subject_changes import change_text, join_moved

ROOT = Path(__file__).resolve().parents[1]
PROCURATORATE = CORPUS / "jiangsu-open-budget/江苏省人民检察院"


def printed_years() -> dict[tuple, set[int]]:
    years = defaultdict(set)
    with PRINTED_CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            years[(row["classification"], row["code"], row["name"])].add(int(row["fiscal_year"]))
    return years


def test_every_crosswalk_entry_is_printed_on_both_sides_of_its_change():
    printed = printed_years()
    with CHANGES_CSV.open(encoding="utf-8") as f:
        entries = list(csv.DictReader(f))
    assert entries
    for e in entries:
        assert e["kind"] in KINDS and e["source"] and e["evidence"]
        old = printed[(e["classification"], e["old_code"], catalogue_name(e["old_name"]))]
        new = printed[(e["classification"], e["new_code"], catalogue_name(e["new_name"]))]
        assert int(e["old_until"]) in old and all(y <= int(e["old_until"]) for y in old), e
        assert new and all(y >= int(e["from_year"]) for y in new), e


def test_the_catalogue_of_a_year_names_a_code_as_that_year_prints_it():
    assert catalogue(2017)[("functional", "2040405")] == "公诉和审判监督"
    assert catalogue(2018)[("functional", "2040405")] == "公诉、审判、侦查、执行等检察监督支出"
    assert catalogue(2017)[("economic", "30311")] == "住房公积金"
    assert catalogue(2018)[("economic", "30113")] == "住房公积金"
    assert catalogue(2018)[("economic", "30307")] == "医疗费补助"
    assert catalogue(2016)[("functional", "210")] == "医疗卫生与计划生育支出"  # the reference list's renamings
    assert ("functional", "20805") not in catalogue(2021)  # between 2019 and 2023 the evidence is silent


def test_class_renamings_of_the_reference_list_are_in_the_crosswalk():
    [renaming] = [c for c in earlier_forms("functional", "210") if c["from_year"] == 2019]
    assert (renaming["old_name"], renaming["new_name"], renaming["kind"]) == ("医疗卫生与计划生育支出", "卫生健康支出", "renamed")
    assert any(c["old_code"] == "30311" and c["new_code"] == "30113" and c["kind"] == "moved" for c in changes())


def test_a_moved_code_is_said_the_way_a_researcher_reads_it():
    move = next(c for c in changes() if c["old_code"] == "30311")
    assert change_text(move) == "30113 住房公积金 from 2018, was 30311 住房公积金"
    split = next(c for c in changes() if c["old_code"] == "30307" and c["new_code"] == "30114")
    assert "split from 30307 医疗费" in change_text(split) and "not joined" in change_text(split)


def test_a_moved_codes_earlier_years_join_the_new_codes_row():
    move = next(c for c in changes() if c["old_code"] == "30311")
    procuratorate = {"district": "江苏省", "department": "人民检察院"}
    new = [{**procuratorate, "subject_code": "30113", "subject_name": "住房公积金", "budget_2017": None,
            "budget_2018": 1073.77}]
    old = [{**procuratorate, "subject_code": "30311", "subject_name": "住房公积金", "budget_2017": 784.22,
            "budget_2018": None}]
    [row] = join_moved(new, old, move, [2017, 2018])
    assert (row["subject_code"], row["budget_2017"], row["budget_2018"]) == ("30113", 784.22, 1073.77)
    assert row["joined_from"] == "30311"
    [only_old] = join_moved([], old, move, [2017, 2018])
    assert (only_old["subject_code"], only_old["budget_2017"]) == ("30113", 784.22)


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


@pytest.mark.slow
@needs_corpus
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


@pytest.mark.slow
@needs_corpus
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
