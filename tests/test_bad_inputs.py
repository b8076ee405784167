"""Bad inputs: every bad file gets a clear recorded error, the rest of the run loads, nothing
escapes the data folder, and the whole run stays within 3 GB of address space and a time limit.

The corpus is made by tests/badinputs.py at test time. One `budgets ingest` run over all of it
(in a subprocess under `ulimit -v 3 GB`) is shared by the tests below; the table of what each
input got is printed (pytest -s) and written to tests/artifacts/bad-inputs.txt.
"""
from __future__ import annotations

import importlib.util
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from badinputs import BAD, GB, MB, bad_inputs, good_inputs, seed_text, write_corpus, zip_of
from budgets.cli.ingest import ingest_file
from extractors.archive import extract as unpack

ROOT = Path(__file__).resolve().parents[1]
MEMORY_LIMIT = 3 * GB
TIME_LIMIT_S = 240
INPUTS = {item.name: item for item in bad_inputs()}


def available(module: str) -> bool:
    return not module or importlib.util.find_spec(module) is not None


def budgets_cli(args: list[str], cwd: Path, timeout: float = TIME_LIMIT_S, env: dict | None = None):
    """`python -m budgets ...` from this checkout, under the memory limit."""
    def limit_memory():
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETS_PARSE_TIMEOUT_S": "60", **(env or {})}
    return subprocess.run([sys.executable, "-m", "budgets", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout, preexec_fn=limit_memory)


def files_under(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-run")
    corpus = root / "corpus"
    write_corpus(corpus)
    work = root / "work"
    (work / "data").mkdir(parents=True)
    before = files_under(root)
    files = sorted(str(path) for path in corpus.iterdir())  # named one by one: a folder skips .jpg/.rar
    result = budgets_cli(["ingest", *files, "--db", "data/budgets.db"], cwd=work)
    db = sqlite3.connect(work / "data" / "budgets.db")
    db.row_factory = sqlite3.Row
    documents = [dict(row) for row in db.execute("SELECT * FROM documents")]
    by_name = {Path(d["raw_path"]).name: d for d in documents if d["raw_path"]}
    lines = {row[0]: row[1] for row in db.execute(
        "SELECT document_id, count(*) FROM budget_lines GROUP BY document_id")}
    report = ["input                    status       lines  error"]
    for name, doc in sorted(by_name.items()):
        report.append(f"{name:<24} {doc['status']:<12} {lines.get(doc['id'], 0):>5}  {doc['error'] or ''}")
        for child in (d for d in documents if d["parent_id"] == doc["id"]):
            report.append(f"  └ {(child['url'] or child['title'])[:20]:<20} {child['status']:<12} "
                          f"{lines.get(child['id'], 0):>5}  {child['error'] or ''}")
    text = "\n".join(report)
    print("\n" + text)
    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "bad-inputs.txt").write_text(text + "\n", encoding="utf-8")
    yield {"result": result, "root": root, "work": work, "corpus": corpus, "before": before,
           "documents": documents, "by_name": by_name, "lines": lines, "db": db}
    db.close()


@pytest.mark.slow
def test_the_run_survives_every_bad_input_and_exits_0_with_a_summary(bad_run):
    result = bad_run["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    total = len(INPUTS) + len(good_inputs())
    assert f"ingested {total} files" in result.stdout
    assert "Traceback" not in result.stderr
    assert len(bad_run["by_name"]) == total  # every file has its row


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(INPUTS))
def test_each_bad_input_is_recorded_with_a_clear_error(bad_run, name):
    item, doc = INPUTS[name], bad_run["by_name"][name]
    if not available(item.reader):  # that format's extractor is not installed yet
        assert doc["status"] == "unsupported" or doc["status"] in item.statuses, doc
    else:
        assert doc["status"] in item.statuses, doc
        for word in item.says:
            assert word.lower() in (doc["error"] or "").lower(), doc
    if doc["status"] in BAD:
        error = doc["error"] or ""
        assert name in error, "the error names the file"
        assert "\n" not in error and "Traceback" not in error and len(error) < 600


@pytest.mark.slow
def test_bad_neighbours_do_not_change_how_good_documents_load(bad_run, tmp_path):
    alone = tmp_path / "alone"
    alone.mkdir()
    for name, data in good_inputs():
        (alone / name).write_bytes(data)
    result = budgets_cli(["ingest", str(alone), "--db", str(tmp_path / "alone.db")], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    db = sqlite3.connect(tmp_path / "alone.db")
    for name, _ in good_inputs():
        status, document_id = db.execute(
            "SELECT status, id FROM documents WHERE raw_path LIKE ?", [f"%/{name}"]).fetchone()
        lines = db.execute("SELECT count(*) FROM budget_lines WHERE document_id = ?", [document_id]).fetchone()[0]
        in_batch = bad_run["by_name"][name]
        assert (in_batch["status"], bad_run["lines"].get(in_batch["id"], 0)) == (status, lines)
    if available("extractors.textdump"):
        assert bad_run["by_name"]["seed.txt"]["status"] in ("ok", "partial")


@pytest.mark.slow
def test_nothing_is_written_outside_the_data_folder(bad_run):
    after = files_under(bad_run["root"])
    new = {path for path in after if path not in bad_run["before"]}
    assert all(path.startswith("work/data/") for path in new), new
    assert {path for path in bad_run["before"] if after.get(path) != bad_run["before"][path]} == set()
    assert not Path("/tmp/budgets-evil-absolute.txt").exists()
    assert not any("evil" in path for path in after if not path.startswith("corpus/"))


@pytest.mark.slow
def test_archive_members_get_safe_names(bad_run):
    traversal = bad_run["by_name"]["traversal.zip"]
    children = [d for d in bad_run["documents"] if d["parent_id"] == traversal["id"]]
    if not available("extractors.archive"):
        pytest.skip("no ZIP extractor yet; test_member_names_are_made_safe_and_distinct covers the names")
    assert len(children) == len(INPUTS["traversal.zip"].extra["members"])
    for child in children:
        name = child["url"] or child["title"]
        assert ".." not in name.split("/") and not name.startswith("/") and "\\" not in name, name
        assert ":" not in name


def test_member_names_are_made_safe_and_distinct():
    members = [(name, b"x") for name in INPUTS["traversal.zip"].extra["members"]] + [("", b"y"), ("a/b", b"z"), ("a\\b", b"w")]
    names = [name for name, _ in unpack(zip_of(members), "traversal.zip").children]
    assert names == ["evil-relative.html", "tmp/budgets-evil-absolute.html", "Windows/evil-drive.html",
                     "evil-backslash.html", "good/预算.html", "member-6", "a/b", "a/b-2"]


@pytest.mark.slow
def test_nested_archives_are_opened_only_to_the_nesting_limit(bad_run):
    if not available("extractors.archive"):
        pytest.skip("no ZIP extractor yet")
    nested = bad_run["by_name"]["nested.zip"]
    children = [d for d in bad_run["documents"] if d["parent_id"] == nested["id"]]
    assert nested["status"] == "partial" and "nested deeper than" in nested["error"]
    assert children == []  # the seed sits six levels down, below the limit


@pytest.mark.slow
def test_gbk_only_characters_survive_a_gb2312_label(bad_run):
    if not available("extractors.html"):
        pytest.skip("no HTML extractor yet")
    doc = bad_run["by_name"]["gb2312-gbk.html"]
    db = bad_run["db"]
    text = " ".join(filter(None, [doc["title"]] + [row[0] for row in db.execute(
        "SELECT coalesce(subject_name, '') || coalesce(item, '') || coalesce(source_text, '') "
        "FROM budget_lines WHERE document_id = ?", [doc["id"]])]))
    assert "镕喆堃珺" in text


@pytest.mark.slow
@pytest.mark.parametrize("name", ["listing.html", "error-page.pdf", "login-page.docx", "news.html"])
def test_pages_that_are_not_disclosures_yield_no_budget_lines(bad_run, name):
    assert bad_run["lines"].get(bad_run["by_name"][name]["id"], 0) == 0


@pytest.mark.slow
def test_a_file_over_the_size_limit_is_recorded_under_the_hash_of_its_bytes(bad_run):
    huge = bad_run["by_name"]["huge.pdf"]
    assert huge["bytes"] == 300 * MB and huge["status"] == "failed"
    assert huge["id"] == "17a88af83717f68b8bd97873ffcf022c8aed703416fe9b08e0fa9e3287692bf0"  # sha256 of 300 MB of zeros


def test_a_file_over_the_size_limit_is_never_read_into_memory(tmp_path, tmp_db, monkeypatch):
    huge = tmp_path / "huge.zip"
    with open(huge, "wb") as handle:
        handle.truncate(150 * MB)  # sparse, so the test costs no disk
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} was read whole"))
    doc = ingest_file(tmp_db, huge)
    assert doc["status"] == "failed" and "huge.zip is 150.0 MB, larger than the 100 MB limit" in doc["error"]
    assert tmp_db.execute("SELECT bytes FROM documents WHERE id = ?", [doc["id"]]).fetchone()[0] == 150 * MB


@pytest.mark.slow
def test_strict_makes_a_failed_document_an_error(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "seed.txt").write_bytes(seed_text())
    relaxed = budgets_cli(["ingest", str(tmp_path / "empty.pdf"), "--db", "a.db"], cwd=tmp_path)
    strict = budgets_cli(["ingest", str(tmp_path / "empty.pdf"), "--strict", "--db", "b.db"], cwd=tmp_path)
    assert (relaxed.returncode, strict.returncode) == (0, 1)
    assert "ingested 1 files" in strict.stdout and "1 failed" in strict.stdout


@pytest.mark.slow
def test_a_path_that_does_not_exist_is_a_bad_argument(tmp_path):
    result = budgets_cli(["ingest", str(tmp_path / "nowhere.pdf"), "--db", "a.db"], cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "does not exist" in result.stderr


@pytest.mark.slow
def test_a_database_that_cannot_be_created_stops_the_run_with_one_line(tmp_path):
    (tmp_path / "seed.txt").write_bytes(seed_text())
    result = budgets_cli(["ingest", "seed.txt", "--db", "seed.txt/budgets.db"], cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "seed.txt/budgets.db" in result.stderr
    assert "Traceback" not in result.stderr


# ---- only regular files are read (issue 18 #11) ----------------------------------------------

def _documents(db: Path) -> list[tuple]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT raw_path, status FROM documents ORDER BY raw_path").fetchall()


@pytest.mark.slow
def test_ingesting_dev_zero_is_skipped_not_read_until_memory_runs_out(tmp_path):
    done = budgets_cli(["ingest", "/dev/zero", "--db", "b.db"], cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "skipped" in done.stderr and "/dev/zero is not a regular file (a character device)" in done.stderr
    assert "1 skipped" in done.stdout
    assert _documents(tmp_path / "b.db") == []


@pytest.mark.slow
def test_a_fifo_named_on_the_command_line_is_skipped_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "budget.pdf"
    os.mkfifo(fifo)
    done = budgets_cli(["ingest", str(fifo), "--strict", "--db", "b.db"], cwd=tmp_path, timeout=60)
    assert done.returncode == 1  # --strict: something named was not read
    assert f"{fifo} is not a regular file (a FIFO)" in done.stderr


@pytest.mark.slow
def test_a_folder_reads_its_files_and_reports_its_fifo_socket_and_outside_link(tmp_path):
    import socket

    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "passwords.txt").write_bytes(seed_text().replace("潼南".encode(), "保密".encode()))
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "seed.txt").write_bytes(seed_text())
    (folder / "inner-link.txt").symlink_to(folder / "seed.txt")  # stays inside: read (same bytes)
    (folder / "leak.txt").symlink_to(outside / "passwords.txt")
    (folder / "sub" / "escape").symlink_to(outside, target_is_directory=True)
    os.mkfifo(folder / "pipe.pdf")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.html"))
    try:
        done = budgets_cli(["ingest", str(folder), "--db", "b.db"], cwd=tmp_path, timeout=180)
    finally:
        server.close()
    assert done.returncode == 0, done.stderr[-2000:]
    err = done.stderr
    assert f"{folder / 'leak.txt'} — a link to {outside / 'passwords.txt'}, outside {folder}" in err
    assert f"{folder / 'sub' / 'escape'} — a link to {outside}, outside {folder}" in err
    assert f"{folder / 'pipe.pdf'} — not a regular file (a FIFO)" in err
    assert f"{folder / 'sock.html'} — not a regular file (a socket)" in err
    assert "4 skipped" in done.stdout
    read = {Path(raw_path).name for raw_path, _ in _documents(tmp_path / "b.db")}
    assert read and read <= {"seed.txt", "inner-link.txt"}  # one row: the same bytes


def test_a_file_is_read_only_up_to_the_limit_plus_one_byte(tmp_path, monkeypatch):
    from budgets.cli import ingest
    from extractors import limits

    path = tmp_path / "grown.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"0" * 4096)
    import dataclasses

    monkeypatch.setattr(limits, "DEFAULT", dataclasses.replace(limits.DEFAULT, max_document_bytes=1000))
    reads = []
    real_fstat = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 10, *real_fstat(fd)[7:])))
    real_fdopen = os.fdopen

    def counting_fdopen(*args, **kwargs):
        handle = real_fdopen(*args, **kwargs)
        read = handle.read

        class Counting:
            def __getattr__(self, name):
                return getattr(handle, name)

            def read(self, n=-1):
                chunk = read(n)
                reads.append(len(chunk))
                return chunk

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                handle.close()
        return Counting()
    monkeypatch.setattr(os, "fdopen", counting_fdopen)
    with pytest.raises(ingest.TooLarge):
        ingest.read_regular_file(path)  # the size on disk said 10 bytes; it has grown to 4105
    assert sum(reads) == 1001
