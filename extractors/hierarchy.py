"""A subject table's hierarchy as printed: which rows are a coded row's children.

A 类 row's children are the 款 rows right below it, a 款's the 项 rows right below it, each
classification on its own (a table may print 部门经济分类 301… beside 政府经济分类 501…). Reading
them as printed, not by code across the table, matters where a table lists subjects once per
预算单位 (深圳's 支出总表 repeats 205 under every unit): the same code under another unit is not a
child of this one. The audit's `hierarchy_sum` and a table's reading (`extractors.reading`) judge
the same sections.
"""
from __future__ import annotations

from collections import defaultdict

from extractors.subjects import parent_of
from extractors.vocabulary import (TOTAL_LABELS, is_expenditure_total, line_classification as classification_of,
                                   row_label, subject_key)

# A parent followed by a row without a code: a child whose code was lost, or a unit's heading.
# Its children may be all there (then a sum that holds says so), never the ground for an error.
UNCERTAIN = "uncertain"


def classification(line: dict) -> tuple[str, str]:
    """The classification a code belongs to. An economic table may print 部门经济分类 (301…) beside
    政府经济分类 (501…) in one row: each is a hierarchy of its own."""
    return classification_of(line), subject_key(line)[:1]


def sections(column: list[dict], left_out: set = frozenset()) -> list[tuple[dict, list[dict], bool]]:
    """(parent, children, complete) as printed: a coded row's children are the rows of its
    classification right below it whose code extends it by one level. A part of the table that
    was left out (a gap in its parts, or its next part doubtful) ends every open parent as
    incomplete (False); a row without a code (a unit's heading in a table listed by 预算单位, or a
    child whose code was lost) ends them as UNCERTAIN. A parent whose children repeat a code
    (政府经济分类 beside 部门经济分类) is incomplete."""
    rows = sorted(column, key=lambda l: (l.get("table_index") or 0, l.get("row_index") or 0))
    open_parents: dict[tuple, list[tuple[dict, list[dict], list[bool]]]] = defaultdict(list)
    found = []

    def close_all(state=False):
        for stack in open_parents.values():
            for entry in stack:
                if entry[2][0] is True:
                    entry[2][0] = state
        open_parents.clear()

    previous_table = None
    for line in rows:
        table = line.get("table_index")
        if previous_table is not None and table is not None and table - previous_table > 1:
            close_all()
        previous_table = table
        code = subject_key(line)
        if not code:
            if not is_expenditure_total(line) and row_label(line) not in TOTAL_LABELS:
                close_all(UNCERTAIN)
            continue
        cls = classification(line)
        stack = open_parents[cls]
        parent = line.get("parent_code") or parent_of(code) or ""
        while stack and not (code.startswith(subject_key(stack[-1][0])) and len(code) > len(subject_key(stack[-1][0]))):
            stack.pop()
        if stack and parent and subject_key(stack[-1][0]) == parent:
            stack[-1][1].append(line)
        elif stack:
            stack[-1][2][0] = False  # a grandchild without its parent between: the level was not read
        entry = (line, [], [True])
        stack.append(entry)
        found.append(entry)
    if previous_table is not None and previous_table + 1 in left_out:
        close_all()  # the table goes on in a part the audit does not trust
    results = []
    for parent, kids, complete in found:
        codes = [subject_key(k) for k in kids]
        if kids and len(set(codes)) < len(codes):
            complete[0] = False
        results.append((parent, kids, complete[0]))
    return results


# A parent followed by a row without a code: a child whose code was lost, or a unit's heading.
# Its children may be all there (then a sum that holds says so), never the ground for an error.
UNCERTAIN = "uncertain"
