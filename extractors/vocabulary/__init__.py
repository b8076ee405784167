"""Template knowledge as data: how provinces title their tables and label their columns.

A new province or template is new entries here, not new code. Labels are compared after
`label_key()` (no spaces, full-width brackets made half-width, quotes dropped).

One module per vocabulary: labels (how labels are compared), tables (titles, captions, the tables
a disclosure must publish), measures (column labels, totals, row identities, the basis of an
amount), rows (budget lines as the audit reads them, the 类 by name), documents (titles, issuers,
stages) and narrative (placeholders, a stated figure's concept). Every name is offered here too, so
`from extractors import vocabulary as v` reads them all.
"""
from __future__ import annotations

from extractors.vocabulary.labels import (  # noqa: F401
    CJK_CHARACTER, ITEM_HEADING, ITEM_SUBHEADING, ITEM_NUMBERING, label_key, plain)
from extractors.vocabulary.tables import (  # noqa: F401
    TABLE_KIND_TITLES, TEXT_TABLE_KINDS, PERFORMANCE_COLUMN_WORDS, UNIT_LINE, UNIT_LINE_CUT,
    UNIT_IN_BRACKETS, UNIT_ALONE, UNITS, TABLE_LABEL, TABLE_LABEL_IN_LINE, TABLE_NOTE, PREPARER,
    TITLE_END, TITLE_LINE, TITLE_IN_FRAME, TITLE_BLOCKERS, TITLE_NUMBER, PART_HEADING,
    NARRATIVE_HEADING, PAGE_NUMBER, COVER_ISSUER, COVER_KIND, HEADING_YEAR, CONTENTS_TITLE,
    CONTENTS_LEADER, YEAR_AND_STAGE, EMPTY_BODY_MARKERS, SUBJECT_CODE, SUBJECT_CODE_SPACED,
    CODE_AND_NAME, GOV_ECONOMIC_LABEL, GOV_ECONOMIC_CODE_START, COLUMN_NUMBER_MARKERS, unit_in,
    unit_in_brackets, normal_label, split_label, label_in_line, is_note, MANDATED, FAMILY_EXTRA,
    TABLE_NAMES, mandated_tables, family_name, TITLE_KEY_REWRITES, TABLE_KIND_VARIANTS,
    TITLE_WITHOUT_TABLE, TITLE_LOOKBACK_LINES, SENTENCE_END, CAPTION_YEAR)
from extractors.vocabulary.measures import (  # noqa: F401
    MEASURE_LABELS, TRUNCATED_MEASURE_LABELS, SUBTOTAL_LABELS, GROUP_MEASURES,
    CARRYOVER_PART_SUFFIX, CARRYOVER_PARTS, MEASURE_PATTERNS, PART_OF_PREFIX, UNIT_SUFFIX,
    LEADING_YEAR, ROW_PART_PREFIX, THREE_PUBLIC_ROW_PARTS, THREE_PUBLIC_ROW_SPENDING,
    AMOUNT_ONLY_LABEL, GRAND_TOTAL_LABELS, INCOME_TOTAL_LABEL, SPENDING_WORD,
    THREE_PUBLIC_MEASURE_SET, EXPENDITURE_TOTALS, INCOME_TOTALS, TOTAL_ROW_LABELS, TOTAL_LABELS,
    CLOSING_TOTALS, CODE_LABELS, CODE_PART_LABELS, CODE_PARTS_LINE, UNIT_CODE_LABEL,
    PROJECT_CODE_LABEL, CODE_LABEL, SUBJECT_NAME_LABELS, ITEM_LABELS, PROJECT_LABELS, UNIT_LABELS,
    UNIT_CODE_LABELS, SEQUENCE_LABELS, TEXT_LABELS, CLASSIFICATION_GROUP_LABELS, INCOME_SOURCES,
    OTHER_SPENDING, DECOMPOSITIONS, PART_TOTALS, BALANCES, EXPENDITURE_SIDE, MEASURE_BY_LABEL,
    basis_of, MEASURE_NAMES, measure_name, EXECUTION_COLUMN)
from extractors.vocabulary.rows import (  # noqa: F401
    SUBJECTS_CSV, CLASS_NAMES, NOT_A_SPENDING_SUBJECT, class_code, row_label, is_total_row,
    is_expenditure_total, subject_key, line_classification)
from extractors.vocabulary.documents import (  # noqa: F401
    ARTICLE_TITLE_META, ARTICLE_TITLE_XPATHS, NAMES_A_YEAR, TITLE_PARTS, ISSUER_LINE,
    PRINTER_SUFFIX, AFTER_DEPARTMENT, NOT_A_DEPARTMENT, ORGANISATION_NAME, EXECUTION_TITLE, STAGES,
    STAGE_NAMES)
from extractors.vocabulary.narrative import (  # noqa: F401
    TEMPLATE_LEFTOVER, PLACEHOLDERS, UNIT_SAYS_DEPARTMENT, DEPARTMENT_SAYS_UNIT,
    CONCEPT_NARROWED_BEFORE, CONCEPT_WHOLE_AFTER, REASON_MARKER, USE_MARKER, POSSESSED)
