"""The README's test command (`scripts/test.sh`) finds what `scripts/install.sh --test`
installed, and fails the run when a part of it is missing instead of letting its tests skip
(tests/installed_components.py): a green run then means every installed component was tested."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import installed_components as components
from crawling import ROOT

INSTALL = (ROOT / "scripts" / "install.sh").read_text(encoding="utf-8")
PYPROJECT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_the_install_scripts_packages_are_read_from_it():
    packages = components.apt_packages(INSTALL)
    assert {"fonts-noto-cjk", "libreoffice-writer-nogui", "poppler-utils", "chromium", "redis-server"} <= set(packages)
    assert "python3-venv" not in packages  # only where ensurepip is missing
    assert {"scrapy", "datasette", "pytest-xdist", "scrapyd", "playwright"} <= set(components.distributions(PYPROJECT))


def test_every_program_the_tests_look_for_comes_from_the_install():
    installed = set(components.apt_packages(INSTALL)) | set(components.distributions(PYPROJECT))
    assert {source for source in components.PROGRAMS.values()} <= installed


def test_a_missing_program_is_named():
    absent = components.missing(INSTALL, PYPROJECT, which=lambda p: None if p == "scrapyd" else f"/usr/bin/{p}",
                                installed_package=lambda p: p != "poppler-utils",
                                installed_distribution=lambda d: True)
    assert absent == ["the Debian package poppler-utils", "the program scrapyd (from scrapyd) on PATH"]


def checkout_with_a_venv(tmp_path):
    """A checkout whose .venv/bin holds the interpreter running these tests and a console script."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "test.sh", tmp_path / "scripts" / "test.sh")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, body in (("python", f'exec {sys.executable} "$@"'), ("scrapyd", "exit 0")):
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_probe.py").write_text(
        "import os, shutil\n\n"
        "def test_console_scripts_of_the_venv_are_found():\n"
        f"    assert shutil.which('scrapyd') == {str(bin_dir / 'scrapyd')!r}\n"
        "    assert os.environ['BUDGETS_TEST_INSTALLED'] == '1'\n")
    return tmp_path


def without_the_venv_on_path() -> dict:
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if ".venv" not in p)
    return {**os.environ, "PATH": path, "BUDGETS_TEST_WORKERS": "0"}


def test_the_test_command_puts_the_venvs_programs_on_path(tmp_path):
    checkout = checkout_with_a_venv(tmp_path)
    result = subprocess.run(["bash", "scripts/test.sh", "-q", "-p", "no:cacheprovider", "tests"], cwd=checkout,
                            env=without_the_venv_on_path(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout


def programs_except(tmp_path, left_out: str):
    """A PATH holding every program the install brings but `left_out` (and nothing else)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in components.PROGRAMS:
        if program != left_out and (found := shutil.which(program)):
            (bin_dir / program).symlink_to(found)
    return str(bin_dir)


def run_installed_check(path: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": path, "BUDGETS_TEST_INSTALLED": "1"}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                           "tests/test_numbers.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_a_component_the_install_brings_that_is_missing_fails_the_run(tmp_path):
    result = run_installed_check(programs_except(tmp_path, "scrapyd"))
    assert result.returncode != 0 and "passed" not in result.stdout
    assert "the program scrapyd (from scrapyd) on PATH" in result.stdout + result.stderr
    assert "install.sh --test" in result.stdout + result.stderr
