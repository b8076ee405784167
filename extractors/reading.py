"""How sure a table's reading is: its own arithmetic, checked on the lines it gave.

A table's lines are a reading of its grid: which column is a row's total, which are its parts,
which subject each row is. Where the reading is right, the table's identities hold wherever the
document itself is consistent; where it is wrong they fail throughout. So every table gets:

- the identities checked on its lines and how many held: within a row and year, each
  decomposition of the vocabulary (合计 = 基本支出 + 项目支出, = 人员经费 + 公用经费, …) whose
  total and two or more parts it printed; down a column, a parent subject = the sum of the
  children printed right below it (`extractors.hierarchy`, each classification on its own);
- whether its names stand a row off their codes (each the usual name of the code above or below);
- where each amount column's meaning came from (the header's words, the arithmetic, the cells,
  or nowhere), and how many cells were left unplaced;
- a confidence: ``confident`` (identities checked, failures no more than a document's own slips),
  ``doubtful`` (they fail beyond that, or the names slipped: a misreading is likelier than a
  document this wrong; the reason says which), or ``unchecked`` (nothing to check it by).

The same checks, over a whole database, are `budgets health`. Figures are compared with
`extractors.identities`, the project's one arithmetic.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from extractors import vocabulary as v
from extractors.constants import TableKind
from extractors.hierarchy import sections
from extractors.identities import MISMATCH, Amount, best_agreement, compare, total
from extractors.subjects import catalogue_name, usual_names

CONFIDENT = "confident"
DOUBTFUL = "doubtful"
UNCHECKED = "unchecked"
COLUMN_SOURCES = ("vocabulary", "arithmetic", "content", "unknown")
# A document slips here and there (a typo, a figure left from a draft, a total not updated); a
# misread column fails in most rows. Failures in more than this share of the checks (and more than
# one), or in every check, are a reading that does not fit the table.
SLIP_SHARE = 0.25
# 人员经费 + 公用经费 make up 基本支出: a row that prints 基本支出 sums them to it, not to 合计
RULES = tuple(v.DECOMPOSITIONS) + (("basic", ("personnel", "public_use")),
                                   ("total", ("personnel", "public_use", "project")))
BASIC_PROJECT = (("total", ("basic", "project")),)


@dataclass(frozen=True)
class Check:
    kind: str  # row | parent
    held: bool
    line: dict  # the total's line (row) or the parent's line (parent)
    parts: tuple = ()  # the parts' lines
    rule: tuple = ()  # (total measure, part measures) of a row check


def _amount(line: dict) -> Amount:
    return Amount.of_line(line)


def row_checks(lines: list[dict], rules=RULES) -> list[Check]:
    """Each decomposition whose total and parts a row prints for one subject, year and basis (the
    two sides of a summary table are two subjects): all its parts, or two or more where the row
    prints no other named measure. Where a row prints a total twice (合计 and a group's 小计) it
    holds if either is the sum. Amounts in columns no label names (事业单位经营支出 beside 基本支出
    and 项目支出) may be parts too: it holds with them or without them."""
    by_row: dict[tuple, dict] = defaultdict(lambda: defaultdict(list))
    unnamed: dict[tuple, list] = defaultdict(list)
    for line in sorted(lines, key=lambda ln: ln["column_index"]):
        key = (line["row_index"], line.get("subject_code"), line.get("item"), line["year"], line["basis"])
        if line["measure"] in (None, "other"):
            unnamed[key].append(line)
        else:
            by_row[key][line["measure"]].append(line)
    checks = []
    for key, found in by_row.items():
        complete = [(w, set(p)) for w, p in rules if w in found and all(m in found for m in p)]
        printed_parts = [(w, set(p), {m for m in p if m in found}) for w, p in rules if w in found]
        for whole, parts in rules:
            present = [found[p][0] for p in parts if p in found]
            if whole not in found or len(present) < 2:
                continue
            if len(present) < len(parts) and set(found) - {whole, *parts}:
                continue
            if any(w != whole and w in found and p == set(parts) for w, p in complete):
                continue  # the parts add up to a nearer whole the row prints (基本支出, not 合计)
            printed = {m for m in parts if m in found}
            if any(w == whole and (q > printed or (q == printed and p == q != set(parts)))
                   for w, p, q in printed_parts):
                # a rule the row prints more of (人员经费 + 公用经费 + 项目支出, printed in full or not), or
                # the same parts printed in full (合计 = 基本 + 项目)
                continue
            sums = [total(map(_amount, present))]
            if unnamed.get(key):
                sums.append(total(map(_amount, present + unnamed[key])))
            held = best_agreement([_amount(w) for w in found[whole]], sums)[0] != MISMATCH
            checks.append(Check("row", held, found[whole][0], tuple(present), (whole, parts)))
    return checks


def parent_checks(lines: list[dict]) -> list[Check]:
    """Within one amount column, each subject printed with children equals their sum, the children
    read as printed (`extractors.hierarchy.sections`: the rows right below it, each classification
    on its own). A parent whose children were not all read is not checked; one whose children run
    into a row without a code (a unit's heading, a code lost) counts only where it holds."""
    by_column: dict[int, list] = defaultdict(list)
    for line in lines:
        by_column[line["column_index"]].append(line)
    checks = []
    for column in by_column.values():
        for parent, kids, complete in sections(column):
            if not kids or not complete:
                continue
            held = compare(total(map(_amount, kids)), _amount(parent)) != MISMATCH
            if held or complete is True:
                checks.append(Check("parent", held, parent, tuple(kids)))
    return checks


def names_off_their_codes(lines: list[dict]) -> tuple[int, int]:
    """(rows whose printed name is the usual name of the code a row above or below prints and not of
    its own, rows whose code has a usual name): names and codes read a row apart, as where a page's
    text sits half a row off its ruling lines (重庆市科学技术局 2026 p.9: '20602 机构运行')."""
    rows: dict[int, tuple[str, str]] = {}
    for line in sorted(lines, key=lambda ln: ln["row_index"]):
        if line.get("subject_code") and line.get("subject_name") and line.get("code_source", "printed") == "printed":
            rows.setdefault(line["row_index"], (line["subject_code"], catalogue_name(line["subject_name"])))
    printed = [rows[r] for r in sorted(rows)]
    usual = usual_names()
    checkable = shifted = 0
    for k, (code, name) in enumerate(printed):
        if code not in usual:
            continue
        checkable += 1
        near = [printed[j][0] for j in (k - 1, k + 1) if 0 <= j < len(printed)]
        if name != usual[code] and any(usual.get(other) == name for other in near):
            shifted += 1
    return shifted, checkable


@dataclass
class Reading:
    """The confidence of one table's reading (the `tables` row's reading columns)."""

    checks: list[Check] = field(default_factory=list)
    columns: dict = field(default_factory=lambda: dict.fromkeys(COLUMN_SOURCES, 0))
    unplaced: int = 0
    shifted: tuple = (0, 0)  # names_off_their_codes

    @property
    def names_slipped(self) -> bool:
        shifted, checkable = self.shifted
        return shifted >= 3 and shifted * 3 >= checkable

    @property
    def checked(self) -> int:
        return len(self.checks)

    @property
    def held(self) -> int:
        return sum(c.held for c in self.checks)

    @property
    def confidence(self) -> str:
        failed = self.checked - self.held
        if self.names_slipped:
            return DOUBTFUL
        if not self.checked:
            return UNCHECKED
        doubtful = failed == self.checked or (failed > 1 and failed > SLIP_SHARE * self.checked)
        return DOUBTFUL if doubtful else CONFIDENT

    @property
    def reason(self) -> str:
        if self.confidence != DOUBTFUL:
            return ""
        if self.names_slipped:
            return (f"on {self.shifted[0]} of {self.shifted[1]} coded rows the name is the usual name of the code a "
                    "row above or below prints: names and codes are read a row apart")
        failed = [c for c in self.checks if not c.held]
        rows = sum(c.kind == "row" for c in failed)
        parents = len(failed) - rows
        said = []
        if rows:
            said.append(f"{rows} of {sum(c.kind == 'row' for c in self.checks)} row totals are not the sum of "
                        "their parts")
        if parents:
            said.append(f"{parents} of {sum(c.kind == 'parent' for c in self.checks)} parent subjects are not "
                        "the sum of their children")
        first = failed[0].line
        where = f"first at row {first['row_index'] + 1}, column “{first.get('column_label') or ''}”"
        return "; ".join(said) + f" ({where}): the columns or rows are probably misread"

    def as_row(self) -> dict:
        return {
            "identities_checked": self.checked, "identities_held": self.held,
            "columns_vocabulary": self.columns["vocabulary"], "columns_arithmetic": self.columns["arithmetic"],
            "columns_content": self.columns["content"], "columns_unknown": self.columns["unknown"],
            "unplaced": self.unplaced, "confidence": self.confidence, "confidence_reason": self.reason or None,
        }


def read_table(lines: list[dict], column_sources: list[str], unplaced: int = 0) -> Reading:
    """The reading of one table from its lines, where each amount column's meaning came from,
    and its unplaced cells."""
    reading = Reading(checks=row_checks(lines) + parent_checks(lines), unplaced=unplaced,
                      shifted=names_off_their_codes(lines))
    for source in column_sources:
        reading.columns[source if source in reading.columns else "unknown"] += 1
    return reading


def expects_lines(table: dict) -> bool:
    """Whether a table (a `tables` row) should give budget lines: one with body rows, or one whose
    title names a budget table, unless it is a table of text (performance targets). A document
    with such tables and not one line did not read them."""
    kind = table.get("table_kind")
    return kind not in v.TEXT_TABLE_KINDS and (bool(table.get("rows")) or kind not in (None, "", TableKind.OTHER))
