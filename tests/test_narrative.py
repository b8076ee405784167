"""One narrative parser: the sentences of a disclosure's text become statements (subject, amount,
unit, year, basis, change and the year it is measured against), read the same way by the text-dump
reader, which uses the 三公 figures to place cells, and by the audit.

The 三公 paragraph is the seed disclosure's (潼南区大数据应用发展管理局 2026), copied as printed; the
shorter sentences follow the same template."""
from decimal import Decimal

from extractors.evidence import narrative_facts
from extractors.narrative import Concept, parse

# seed line 26, as printed (half-width punctuation and all)
SEED_THREE = ("2026年“三公”经费预算5万元,比2025年减少0.5万元。其中:因公出国(境)费用0万元,比2025年减少(或增加) 0万元;"
              "公务接待费2.5万元,比2025年增加0.5万元;公务用车运行维护费2.5万元,比2025年减少1万元,主要原因是厉行节约,"
              "公务用车购置费0万元,比2025年无增减。")


def statements(text, year=2026):
    return {s.concept.measure: s for s in parse([{"id": "p", "position": 0, "text": text}], year)
            if s.concept.family == "three"}


def test_a_three_public_sentence_becomes_one_statement_per_item():
    found = statements(SEED_THREE)
    assert set(found) == {"total", "overseas_travel", "reception", "vehicle_operation", "vehicle_purchase"}
    reception = found["reception"]
    assert (reception.amount.wan, reception.unit, reception.change.wan, reception.compared_to) == (2.5, "万元", 0.5, 2025)
    assert (found["vehicle_operation"].change.wan, found["vehicle_operation"].compared_to) == (-1.0, 2025)
    assert (found["vehicle_purchase"].amount.fen, found["vehicle_purchase"].change.fen) == (0, 0)  # 无增减
    assert found["total"].year == 2026


def test_the_text_dump_reader_places_cells_with_the_same_statements():
    facts = set(narrative_facts(SEED_THREE, 2026))
    assert facts == {
        ("overseas_travel", 2026, Decimal("0")), ("overseas_travel", 2025, Decimal("0")),
        ("reception", 2026, Decimal("2.5")), ("reception", 2025, Decimal("2.0")),
        ("vehicle_operation", 2026, Decimal("2.5")), ("vehicle_operation", 2025, Decimal("3.5")),
        ("vehicle_purchase", 2026, Decimal("0")), ("vehicle_purchase", 2025, Decimal("0")),
    }
    # the parser's statements, converted: nothing read by the reader alone
    found = statements(SEED_THREE)
    for measure, year, value in facts:
        statement = found[measure]
        expected = statement.amount if year == 2026 else statement.amount - statement.change
        assert value == Decimal(expected.fen) / 1_000_000


def test_a_change_against_the_year_before_names_that_year():
    found = statements("公务接待费3万元，比上年减少1万元。", year=2025)
    assert (found["reception"].compared_to, found["reception"].change.wan) == (2024, -1.0)
    assert ("reception", 2024, Decimal("4")) in set(narrative_facts("公务接待费3万元，比上年减少1万元。", 2025))


def test_figures_stated_in_yuan_keep_their_unit_and_do_not_place_wan_tables():
    found = statements("公务接待费25000元。")
    assert (found["reception"].amount.fen, found["reception"].unit) == (2_500_000, "元")
    assert list(narrative_facts("公务接待费25000元。", 2026)) == []


def test_a_sentence_names_its_basis():
    [statement] = parse([{"text": "一般公共预算财政拨款支出年初预算为452.40万元。"}], 2024)
    assert statement.concept == Concept("expenditure", "general_budget", generic=False)
    assert (statement.basis, statement.amount.wan) == ("budget", 452.4)
