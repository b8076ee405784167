"""`budgets smoke` against the replicas: a working column is OK, a shell filled by script EMPTY,
an anti-bot answer BLOCKED, a missing column MOVED, a host that does not resolve UNREACHABLE,
disclosures without files NO_ATTACHMENTS; the database is not touched and --save keeps what was fetched."""
import json

import pytest

import api_replicas
import replicas
from budgets.cli import main
from crawler.demo.server import Resource, SiteServer

pytestmark = pytest.mark.slow  # starts processes or servers


def smoke(capsys, resources, site, tmp_path, *extra):
    db = tmp_path / "budgets.db"
    with SiteServer(resources) as server:
        code = main(["smoke", "--site", site, "--db", str(db), "--replica", f"127.0.0.1:{server.port}", *extra])
    assert not db.exists()  # nothing written
    return code, capsys.readouterr().out


def test_a_column_with_disclosures_and_attachments_is_ok(capsys, tmp_path):
    if not replicas.CORPUS.exists():
        pytest.skip("../shared/corpus is not here")
    code, out = smoke(capsys, replicas.build("shpt"), "shpt", tmp_path)
    assert out.splitlines()[1].startswith("OK ") and code == 0, out
    assert "[2026] 上海市普陀区司法局2026年单位预算" in out and "pdf ×1" in out


def test_a_shell_filled_by_a_list_api_is_empty(capsys, tmp_path):
    resources = {k: v for k, v in api_replicas.build().items() if not k.endswith(" POST")}
    code, out = smoke(capsys, resources, "shpt", tmp_path)
    assert "EMPTY" in out and "built by a script" in out and code == 1, out


def test_an_anti_bot_answer_is_blocked(capsys, tmp_path):
    challenge = Resource(b"<html><script>var $_ts=window['$_ts'];</script></html>", status=412)
    resources = {k: challenge for k in replicas.build("cqtn")}
    code, out = smoke(capsys, resources, "cqtn", tmp_path)
    assert "BLOCKED" in out and "HTTP 412" in out and code == 1, out


def test_a_column_that_is_gone_is_moved(capsys, tmp_path):
    resources = {k: v for k, v in replicas.build("cqjlp").items() if "ysjs12" not in k}
    code, out = smoke(capsys, resources, "cqjlp", tmp_path)
    moved = [line for line in out.splitlines() if line.startswith("MOVED")]
    assert len(moved) == 1 and "ysjs12" in moved[0] and "HTTP 404" in moved[0], out


def test_disclosures_without_files_or_tables_are_no_attachments(capsys, tmp_path):
    code, out = smoke(capsys, replicas.build("cqtn"), "cqtn", tmp_path)
    assert "NO_ATTACHMENTS" in out and "pager page: HTTP 200" in out, out
    assert "[2026] 重庆市潼南区卫生健康委员会2026年部门预算情况说明" in out


def test_save_keeps_every_page_fetched(capsys, tmp_path):
    code, out = smoke(capsys, replicas.build("cqtn"), "cqtn", tmp_path, "--save", str(tmp_path / "saved"))
    index = json.loads((tmp_path / "saved" / "index.json").read_text(encoding="utf-8"))
    assert len(index) >= 3 and all((tmp_path / "saved" / e["file"]).exists() for e in index)


def test_requests_are_bounded(capsys, tmp_path):
    code, out = smoke(capsys, replicas.build("rongchang"), "rongchang", tmp_path, "--max-requests", "2")
    assert "2 requests" in out.splitlines()[0]


def test_a_name_that_does_not_resolve_is_unreachable_not_moved(capsys, tmp_path):
    # `.invalid` never resolves (RFC 2606): what an offline machine sees for www.cqtn.gov.cn
    db = tmp_path / "budgets.db"
    code = main(["smoke", "--site", "cqtn", "--db", str(db), "--replica", "nowhere.invalid:80", "--max-requests", "3"])
    out = capsys.readouterr().out
    verdicts = [line.split()[0] for line in out.splitlines()[1:] if not line.startswith(" ")]
    assert verdicts and set(verdicts) == {"UNREACHABLE"} and code == 1, out
    assert "DNS lookup failed" in out and "MOVED" not in out
    assert not db.exists()


def test_the_help_does_not_promise_a_database(capsys):
    assert main(["smoke", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "created when missing" not in help_text and "smoke stores nothing" in help_text
