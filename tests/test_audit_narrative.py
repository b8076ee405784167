"""narrative: figures stated in the text against the tables, and the text against itself."""
from budgets.audit import narrative
from extractors.narrative import Concept, parse
from test_audit_seed_lines import seed_disclosure, replace_sentence, seed_paragraphs


def check(disclosure):
    return narrative.check(disclosure)


def test_statements_are_read_with_their_subject_amount_and_change():
    statements = parse(seed_paragraphs(), 2026)
    basic = [s for s in statements if s.concept == Concept("expenditure", "basic")]
    assert [(s.amount and s.amount.wan, s.change.wan) for s in basic] == [
        (None, 90.59), (None, -90.59), (404.68, 90.59)]
    three = next(s for s in statements if s.concept == Concept("three", "total"))
    assert (three.amount.wan, three.change.wan) == (5.0, -0.5)
    classes = [s.concept.subject for s in statements if s.concept.measure == "class"]
    assert classes == ["208", "210", "221", "215"]


def test_a_sentence_whose_parts_do_not_make_its_total_is_an_error():
    # 支出较去年增加428.75万元,主要是基本支出减少90.59万元,项目支出增加338.16万元
    [finding] = [f for f in check(seed_disclosure()) if "change-parts" in f.key]
    assert finding.severity == "error"
    assert (finding.expected.wan, finding.actual.wan) == (247.57, 428.75)
    assert "支出较去年增加428.75万元" in finding.evidence


def test_the_same_change_stated_as_increase_and_decrease_is_an_error():
    [finding] = [f for f in check(seed_disclosure()) if f.key.endswith("direction")]
    assert finding.measure == "basic"
    assert (finding.expected.wan, finding.actual.wan) == (90.59, -90.59)
    assert "基本支出减少90.59万元" in finding.evidence


def test_procurement_said_to_be_zero_but_printed_420_in_the_table_is_an_error():
    findings = [f for f in check(seed_disclosure()) if f.table_kind == "procurement"]
    against_table = next(f for f in findings if f.key.endswith("amount"))
    assert (against_table.expected.wan, against_table.actual.wan) == (420.0, 0.0)
    against_parts = next(f for f in findings if "parts" in f.key)
    assert against_parts.expected.wan == 420.0 and against_parts.severity == "error"


def test_a_leftover_template_alternative_is_info():
    [finding] = [f for f in check(seed_disclosure()) if f.key.endswith("template")]
    assert finding.severity == "info" and "减少(或增加)" in finding.message


def test_figures_the_tables_confirm_raise_nothing():
    findings = check(seed_disclosure())
    assert {f.subject_code for f in findings if f.subject_code} == set()
    assert not [f for f in findings if f.table_kind == "three_public_expenses"]
    assert not [f for f in findings if f.measure in ("admin_operating", "project")]
    assert len([f for f in findings if f.severity == "error"]) == 4


def test_a_class_amount_the_tables_contradict_is_an_error():
    disclosure = replace_sentence(seed_disclosure(), "住房保障支出23.99万元", "住房保障支出32.99万元")
    [finding] = [f for f in check(disclosure) if f.subject_code == "221" and f.key.endswith("amount")]
    assert (finding.expected.wan, finding.actual.wan) == (23.99, 32.99)
    assert finding.severity == "error" and "附件2" in finding.message


def test_text_that_agrees_with_one_of_the_tables_is_left_to_cross_table():
    # 附件1 misprints 住房保障支出 as 166.94; a sentence repeating it agrees with that table
    disclosure = replace_sentence(seed_disclosure(), "住房保障支出23.99万元", "住房保障支出166.94万元")
    assert not [f for f in check(disclosure) if f.subject_code == "221" and f.key.endswith("amount")]


def test_a_stated_figure_rounded_to_fewer_decimals_agrees():
    disclosure = replace_sentence(seed_disclosure(), "基本支出404.68万元", "基本支出404.7万元")
    assert not [f for f in check(disclosure) if f.measure == "basic" and f.key.endswith("amount")]


def test_a_percentage_that_does_not_follow_from_the_amounts_is_an_error():
    # 5.5 → 5: 减少0.5万元 is 9.09%
    good = replace_sentence(seed_disclosure(), "比2025年减少0.5万元。", "比2025年减少0.5万元,下降9.09%。")
    assert not [f for f in check(good) if "percent" in f.key]
    bad = replace_sentence(seed_disclosure(), "比2025年减少0.5万元。", "比2025年减少0.5万元,下降10%。")
    [finding] = [f for f in check(bad) if "percent" in f.key]
    assert finding.severity == "error" and "-9.09%" in finding.message


def test_a_percentage_pointing_the_other_way_is_an_error():
    bad = replace_sentence(seed_disclosure(), "比2025年减少0.5万元。", "比2025年减少0.5万元,增长9.09%。")
    [finding] = [f for f in check(bad) if "percent" in f.key]
    assert "direction" in finding.message
