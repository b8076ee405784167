"""Subjects across years: the crosswalk (extractors/data/subject_changes.csv) is borne out by the
printed catalogue, makes the catalogue of each year and joins a moved code's series. The figures
are the 江苏省人民检察院 budgets' (../shared/corpus): 住房公积金 is 30311 784.22 万元 in 2017 (p.12)
and 30113 1,073.77 万元 in 2018 (p.16). The audit's side: tests/test_audit_subject_years.py."""
from __future__ import annotations

import csv
from collections import defaultdict

from extractors.subject_changes import CHANGES_CSV, KINDS, catalogue, changes, earlier_forms
from extractors.subjects import PRINTED_CSV, catalogue_name
from plugins.budgets_site.subject import printed_as_notes
from plugins.budgets_site.subject_changes import change_text, join_moved


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


def test_the_years_printed_before_a_change_are_noted_together():
    was = "20805 行政事业单位离退休"
    assert printed_as_notes({2017: was, 2018: was, 2019: was}) == [{"years": "2017–2019", "was": was}]
