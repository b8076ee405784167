"""Subjects across years: the crosswalk of codes renamed, moved and split between editions of the
classification (data/subject_changes.csv), and the catalogue of one year it makes with the
reference list (data/subjects.csv).

A change is `renamed` (one code, a new name: the series goes on), `moved` (one name, a new code:
the series goes on under the new code) or `split` (the old code's meaning is divided: the series
breaks, and the page says so). `old_until` is the last year the old form is printed or listed,
`from_year` the first year of the new one; between them the evidence says nothing.
"""
from __future__ import annotations

import csv
from functools import lru_cache

from extractors.subjects import SOURCE, SUBJECTS_CSV, catalogue_name, level_of, parent_of, reference

CHANGES_CSV = SUBJECTS_CSV.with_name("subject_changes.csv")
KINDS = ("renamed", "moved", "split")
JOINED = ("renamed", "moved")  # the kinds whose old and new code are one series
PRINTED = ("printed in disclosures of both sides of the change (extractors/data/subject_changes.csv; "
           "evidence says which documents)")


@lru_cache(maxsize=1)
def changes() -> list[dict]:
    """Every change: the crosswalk file's rows, then the class (类) renamings of the reference list
    (one code listed under one name up to a year and another after)."""
    with CHANGES_CSV.open(encoding="utf-8") as f:
        rows = [{**row, "old_until": int(row["old_until"]), "from_year": int(row["from_year"]),
                 "source": PRINTED if row["source"].startswith("printed") else row["source"]}
                for row in csv.DictReader(f)]
    listed = sorted((r for r in reference() if r["valid_from"]), key=lambda r: (r["classification"], r["code"], r["valid_from"]))
    for before, after in zip(listed, listed[1:]):
        if (before["code"], before["classification"]) == (after["code"], after["classification"]) \
                and before["name"] != after["name"]:
            rows.append({"classification": before["classification"], "old_code": before["code"],
                         "new_code": after["code"], "old_name": before["name"], "new_name": after["name"],
                         "old_until": before["valid_to"] or after["valid_from"] - 1, "from_year": after["valid_from"],
                         "kind": "renamed", "source": SOURCE, "evidence": "extractors/data/subjects.csv"})
    return rows


@lru_cache(maxsize=1)
def catalogue_rows() -> list[dict]:
    """The reference list with the names the crosswalk dates: the old name up to `old_until`, the
    new one from `from_year` (rows of the `subjects` table; a name the reference already lists in
    those years is not repeated)."""
    rows = [dict(r) for r in reference()]
    listed = {(r["classification"], r["code"], catalogue_name(r["name"])) for r in rows}
    for change in changes():
        for code, name, start, end in ((change["old_code"], change["old_name"], None, change["old_until"]),
                                       (change["new_code"], change["new_name"], change["from_year"], None)):
            key = (change["classification"], code, catalogue_name(name))
            if key in listed:
                continue
            listed.add(key)
            rows.append({"code": code, "name": name, "level": level_of(code), "parent": parent_of(code),
                         "classification": change["classification"], "valid_from": start, "valid_to": end,
                         "source": change["source"]})
    return rows


@lru_cache(maxsize=64)
def catalogue(year: int) -> dict[tuple[str, str], str]:
    """(classification, code) → the name of the catalogue of `year`."""
    return {(r["classification"], r["code"]): r["name"] for r in catalogue_rows()
            if (r["valid_from"] or 0) <= year <= (r["valid_to"] or 9999)}


def other_names(classification: str, code: str, year: int) -> set[str]:
    """The names `code` has in the catalogues of other years than `year` (its former or later names);
    none where the catalogue of `year` does not name it (between the last year an old name is
    printed and the first of the new one, the evidence does not say which holds)."""
    current = catalogue(year).get((classification, code))
    if current is None:
        return set()
    return {r["name"] for r in catalogue_rows()
            if (r["classification"], r["code"]) == (classification, code) and r["name"] != current}


def earlier_forms(classification: str, code: str) -> list[dict]:
    """The changes that lead to `code` (its former names and codes), oldest first."""
    return sorted((c for c in changes() if c["classification"] == classification and c["new_code"] == code),
                  key=lambda c: c["from_year"])
