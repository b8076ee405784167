"""A table's kind (the contract's `table_kind`) from its title, then its columns."""
from __future__ import annotations

from extractors import vocabulary as v
from extractors.constants import TableKind


def title_key(title: str) -> str:
    """A title as kinds are matched: `label_key`, without '批复', older names made current."""
    key = v.label_key(title)
    for pattern, replacement in v.TITLE_KEY_REWRITES:
        key = pattern.sub(replacement, key)
    return key


def table_kind(title: str, column_labels: list[str] = ()) -> str:
    key = title_key(title)
    for kind, phrases, ruled_out in v.TABLE_KIND_VARIANTS:
        if any(v.label_key(p) in key for p in phrases) and not any(w in key for w in ruled_out):
            return kind
    for kind, phrases in v.TABLE_KIND_TITLES:
        if any(v.label_key(p) in key for p in phrases):
            return kind
    labels = {v.label_key(label) for label in column_labels}
    if {"基本支出", "项目支出"} <= labels and "科目编码" in labels:
        return TableKind.DEPT_EXPENDITURE
    if any(word in label for label in labels for word in v.PERFORMANCE_COLUMN_WORDS):
        return TableKind.PROJECT_PERFORMANCE
    # an untitled table whose columns are 因公出国(境)费, 公务接待费, 公务用车…: the 三公 table
    from extractors.columns import measure_of
    if len({measure_of(label) for label in column_labels} & v.THREE_PUBLIC_MEASURE_SET) >= 2:
        return TableKind.THREE_PUBLIC_EXPENSES
    return TableKind.OTHER
