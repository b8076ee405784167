"""The `budgets` command line as a person meets it: version, help with descriptions, defaults
and examples for every command, commands that read a database refusing a missing one in one
line (and creating nothing), a failed first ingest leaving no file, and `budgets sites` aligned
by display width (Chinese district names are two columns a character) with the last error."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import unicodedata

import pytest

from budgets import cli
from budgets import db as database
from budgets.cli import main
from crawling import ROOT

COMMANDS = ["ingest", "crawl", "audit", "serve", "demo", "nightly", "merge", "smoke", "sites", "export"]


def test_version_names_the_package_version(capsys):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"budgets (district-budgets) {cli.version()}" and cli.version()[0].isdigit()


@pytest.mark.slow
def test_the_console_script_module_prints_the_version():
    result = subprocess.run([sys.executable, "-m", "budgets", "-V"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and "district-budgets" in result.stdout


def test_the_top_help_lists_every_command_with_a_description(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        line = next(line for line in out.splitlines() if line.strip().startswith(name + " "))
        assert len(line.split()) > 2, line  # a description beside the name
    assert "Examples:" in out


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_a_description_defaults_and_examples(name, capsys):
    assert main([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Usage: budgets {name}")
    assert "--db" in out and "[default: data/budgets.db]" in " ".join(out.split())
    assert "Examples:" in out and f"budgets {name}" in out.split("Examples:")[1]
    description = out.split("\n\n")[1].strip()
    assert len(description) > 20, description


def test_defaults_are_shown_and_kept():
    args = cli.build_parser().parse_args(["serve"])
    assert (args.host, args.port, str(args.db)) == ("127.0.0.1", 8001, "data/budgets.db")
    args = cli.build_parser().parse_args(["nightly", "--site", "a", "--site", "b", "-s", "X=1"])
    assert args.site == ["a", "b"] and args.set == ["X=1"] and args.workers == 1 and args.processes == 0
    args = cli.build_parser().parse_args(["crawl", "--all", "--year", "2026"])
    assert args.all and args.year == 2026 and args.site == []


@pytest.mark.parametrize("command", [["audit"], ["sites"], ["serve"], ["export", "--out", "x"]])
def test_a_command_that_reads_a_database_refuses_a_missing_one_and_creates_nothing(command, tmp_path, capsys):
    typo = tmp_path / "typo.db"
    assert main([*command, "--db", str(typo)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"no database at {typo}" in err and "never crawled" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_usage_error_is_exit_2_with_the_reason(capsys):
    assert main(["crawl", "--year", "next"]) == 2
    err = capsys.readouterr().err
    assert "Usage: budgets crawl" in err and "'next' is not a valid integer" in err


def test_a_failed_first_ingest_leaves_no_database_file(tmp_path, capsys):
    db = tmp_path / "new.db"
    assert main(["ingest", str(tmp_path / "missing.pdf"), "--db", str(db)]) == 2
    assert "missing.pdf does not exist" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_export_without_the_exporter_says_so(tmp_path, capsys, monkeypatch):
    db = tmp_path / "b.db"
    database.connect(db).conn.close()
    monkeypatch.setitem(sys.modules, "budgets.export", None)  # as if the module were absent
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "out"), "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "budgets export:" in err and "exporter" in err



def test_parquet_without_pyarrow_names_the_extra_in_one_line(tmp_path, capsys, monkeypatch):
    db = tmp_path / "b.db"
    database.connect(db).conn.close()
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if pyarrow were not installed
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert main(["export", "--format", "parquet", "--out", str(tmp_path / "out"), "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err
    assert err.startswith("budgets export:") and "pip install 'district-budgets[export]'" in err
    assert not (tmp_path / "out").exists()  # refused before writing anything


def test_export_help_and_the_readme_say_which_extra_parquet_needs(capsys):
    assert main(["export", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "district-budgets[export]" in help_text and "--no-bom" in help_text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [listed] = [line for line in readme.splitlines() if line.startswith("budgets export ")]
    assert "export" in listed.split("#", 1)[1] and "extra" in listed

def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_sites_are_aligned_by_display_width_and_show_the_last_error(tmp_path, capsys):
    db = tmp_path / "b.db"
    conn = database.connect(db)
    conn["crawl_runs"].insert({"site": "cqtn", "started_at": "2026-01-01T00:00:00+00:00",
                               "finished_at": "2026-01-01T00:01:00+00:00", "pages": 0, "documents_new": 0,
                               "documents_changed": 0, "documents_unchanged": 0, "documents_failed": 0,
                               "status": "failed",
                               "message": "finished: 0 pages; last error: cannot reach www.cqtn.gov.cn: "
                                          "DNS lookup failed / network unreachable — check your connection"})
    conn.conn.close()
    assert main(["sites", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0]
    rows = {line.split()[0]: line for line in lines[2:] if line.strip()}
    assert "DNS lookup failed" in rows["cqtn"] and "never crawled" in rows["jiangjin"]
    # every row's columns start at the same display column as the header's
    for name in ("kind", "columns", "last crawl"):
        at = display_width(header[:header.index(name)])
        for site, line in rows.items():
            cell_start = [display_width(line[:i]) for i in range(len(line) + 1)]
            assert at in cell_start and line[cell_start.index(at) - 1] == " " and line[cell_start.index(at)] != " ", \
                (name, site, line)


def severities_in(line: str, after: str) -> dict[str, int]:
    """'… as published (18 error, 2 warning, 5 info); …' → {'error': 18, …} after `after`."""
    part = line.split(after, 1)[1].split("(", 1)[1].split(")", 1)[0]
    return {s: int(n) for n, s in (item.split() for item in part.split(", "))}


def test_the_audit_line_counts_findings_as_the_site_does_and_the_copies_once(tmp_path, capsys):
    # the seed disclosure as a text dump alone: one copy, so every finding is published once
    one = tmp_path / "one.db"
    assert main(["ingest", str(ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.txt"),
                 "--db", str(one)]) == 0
    [alone] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("audited")]
    with sqlite3.connect(one) as conn:
        document = conn.execute("select status, error, audit_flag, (select count(*) from findings) from documents").fetchone()
    assert document[0] == "partial" and document[2] is None and document[3] > 0, document
    # the same disclosure as the demo publishes it: .doc, .docx, .xls, .xlsx and a ZIP of them
    copies = tmp_path / "copies.db"
    assert main(["ingest", str(ROOT / "crawler" / "demo" / "content" / "renditions"), "--db", str(copies)]) == 0
    [line] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("audited")]
    published = severities_in(line, "findings as published")
    assert published == severities_in(alone, "findings as published")  # one disclosure, counted once
    with sqlite3.connect(copies) as conn:
        assert published == dict(conn.execute("select severity, count(*) from published_findings group by 1"))
        raw, raw_errors = conn.execute("select count(*), sum(severity = 'error') from findings").fetchone()
    assert raw > sum(published.values())
    assert line.count("counting every copy") == 1 and f"{raw} counting every copy of each disclosure" in line
    assert f"({raw_errors} error)" in line
    assert main(["audit", "--db", str(copies)]) == 0
    again = capsys.readouterr().out
    assert severities_in(again, "findings as published") == published and f"{raw} counting every copy" in again
