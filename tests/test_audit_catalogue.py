"""docs/AUDIT.md lists every check the audit runs, and `budgets audit --explain CHECK` prints it."""
from budgets.audit import CHECKS, explain
from budgets.cli import main


def test_every_check_has_a_catalogue_entry_with_its_severity_and_an_example():
    for name in CHECKS:
        text = explain(name)
        assert text and text.startswith(f"## {name}\n"), name
        assert "Severity" in text and "Example" in text, name


def test_explain_prints_the_checks_entry(capsys):
    assert main(["audit", "--explain", "comparison_word"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## comparison_word") and "决算数大于" in out and "## rate_base" not in out


def test_explain_of_an_unknown_check_names_the_known_ones(capsys):
    assert main(["audit", "--explain", "no_such_check"]) == 2
    assert "stated_change" in capsys.readouterr().err
