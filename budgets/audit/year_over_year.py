"""`year_over_year`: a change the text states (比上年增加 X万元) against the difference of the two
years the tables print; and this year's prior-year column against what last year's disclosure
of the same department printed, when the database has it."""
from __future__ import annotations

from collections import defaultdict

from budgets.audit.cross_table import single_fund
from budgets.audit.figures import figures, total_rows, year_pairs
from budgets.audit.model import Disclosure, Finding, amount, cell_name, judge, printed_steps, table_name, wan_text
from budgets.audit.narrative import certain, concept_words, read
from extractors.vocabulary import measure_name, row_label, subject_key

CHECK = "year_over_year"


def check(disclosure: Disclosure) -> list[Finding]:
    for source in (disclosure, disclosure.previous):
        if source is not None:
            printed_steps(source)  # each figure judged at the precision its table prints
    return stated_changes(disclosure) + prior_column_against_last_year(disclosure)


def stated_changes(disclosure: Disclosure) -> list[Finding]:
    if not disclosure.fiscal_year:
        return []
    grouped: dict[tuple, list] = defaultdict(list)
    for statement in read(disclosure.paragraphs, disclosure.fiscal_year):
        if statement.change is None:
            continue
        pairs = year_pairs(disclosure, statement.concept)
        severity_cap = None
        if pairs:
            differences = [(amount(now) - amount(before), now, before, disclosure)
                           for now, before in pairs]
        elif disclosure.previous is not None:
            earlier = figures(disclosure.previous, statement.concept, disclosure.fiscal_year - 1)
            current = figures(disclosure, statement.concept, disclosure.fiscal_year)
            differences = [(amount(now) - amount(before), now, before, disclosure.previous)
                           for now in current for before in earlier
                           if now.get("table_kind") == before.get("table_kind")]
            severity_cap = "warning"  # last year's disclosure may print the original, not the adjusted, budget
        else:
            continue
        if not differences:
            continue
        verdicts = [judge(d[0], statement.change) for d in differences]
        if None in verdicts:
            continue
        severity = "info" if "info" in verdicts else (severity_cap or "error")
        if severity == "error" and not certain(statement, [d[1] for d in differences], single_fund(disclosure.lines)):
            severity = "warning"
        expected, now, before, source = differences[0]
        grouped[(statement.change.fen, expected.fen)].append((statement, severity, expected, now, before, source))
    found = []
    for items in grouped.values():
        statement, severity, expected, now, before, source = items[0]
        others = len(items) - 1
        prior_where = table_name(source, before) + ("" if source is disclosure else " in last year's disclosure")
        found.append(Finding(
            check=CHECK, severity=severity,
            message=(f"The text says {concept_words(statement.concept)} changed by {statement.change_words} "
                     f"({'+' if statement.change.fen > 0 else ''}{wan_text(statement.change)}万元), but the tables print "
                     f"{wan_text(amount(now))}万元 for {disclosure.fiscal_year} and {wan_text(amount(before))}万元 "
                     f"for {disclosure.fiscal_year - 1} ({prior_where}), a change of {wan_text(expected)}万元."),
            evidence=statement.where + (f" (and {others} other sentence(s) stating the same change)" if others else ""),
            table_kind=now.get("table_kind") or "", subject_code=subject_key(now),
            measure=statement.concept.measure if statement.concept.measure != "class" else "total",
            year=disclosure.fiscal_year, expected=expected, actual=statement.change,
            key=f"stated|{statement.change.fen}|{expected.fen}|{statement.concept}",
        ))
    return found


def prior_column_against_last_year(disclosure: Disclosure) -> list[Finding]:
    """This year's 'prior year' column against last year's own figures for that year."""
    previous = disclosure.previous
    if previous is None or not disclosure.fiscal_year:
        return []
    prior_year = disclosure.fiscal_year - 1

    def keyed(source: Disclosure) -> dict:
        cells = {}
        for line in total_rows(source) + [l for l in source.lines if l.get("subject_code")]:
            if line.get("year") != prior_year:
                continue
            key = (line.get("table_kind"), subject_key(line) or "合计", line["measure"], line.get("basis") or "")
            cells.setdefault(key, line)
        return cells

    mine, theirs = keyed(disclosure), keyed(previous)
    found = []
    for key, line in mine.items():
        other = theirs.get(key)
        if other is None:
            continue
        expected, actual = amount(other), amount(line)
        severity = judge(expected, actual)
        if severity is None:
            continue
        kind, subject, measure, _ = key
        found.append(Finding(
            check=CHECK, severity="warning" if severity == "error" else severity,
            message=(f"{table_name(disclosure, line)} prints {prior_year} {subject} {row_label(line)} "
                     f"({measure_name(measure)}) as {wan_text(actual)}万元, but the {prior_year} disclosure of the "
                     f"same department printed {wan_text(expected)}万元 (the budget may have been adjusted)."),
            evidence=f"{cell_name(disclosure, line)}; last year: {cell_name(previous, other)}",
            table_kind=kind or "", subject_code=subject if subject != "合计" else "", measure=measure,
            year=prior_year, expected=expected, actual=actual, key=f"prior-column|{key}",
        ))
    return found
