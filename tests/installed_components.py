"""What `scripts/install.sh --test` installs, and which of it is missing here.

Tests that need a program skip when it is absent, so that a developer without one can still run
the rest. Under the README's test command (`scripts/test.sh`, which sets BUDGETS_TEST_INSTALLED)
a skip must not hide a component the install script installed: conftest.py fails the run when
any of these is missing, naming it.

The lists are read from the install script and pyproject.toml, so they cannot drift from what is
installed; PROGRAMS maps the programs the tests look for to the Debian package (or Python
distribution) that brings them."""
from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# program the tests look up → what installs it (an apt package of install.sh, or a distribution)
PROGRAMS = {
    "soffice": "libreoffice-writer-nogui",
    "pdftohtml": "poppler-utils",
    "gs": "ghostscript",
    "chromium": "chromium",
    "chromedriver": "chromium-driver",
    "redis-server": "redis-server",
    "scrapyd": "scrapyd",  # a console script of the [test] extra, in .venv/bin
}


def apt_packages(script: str) -> list[str]:
    """The Debian packages install.sh installs with --test (`apt_packages=(…)` and `+=(…)` lines;
    python3-venv is only added where ensurepip is missing)."""
    found = []
    for line in script.splitlines():
        if m := re.match(r"\s*apt_packages\+?=\(([^)]*)\)", line):
            found += m.group(1).split()
    return found


def distributions(pyproject: str) -> list[str]:
    """The Python distributions `pip install -e .[test]` installs: dependencies and the test extra."""
    project = tomllib.loads(pyproject)["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    return sorted({re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0] for r in requirements})


def missing(script: str, pyproject: str, which=shutil.which, installed_package=None,
            installed_distribution=None) -> list[str]:
    """One phrase per component install.sh installs that is not here."""
    installed_package = installed_package or _dpkg_installed
    installed_distribution = installed_distribution or _distribution_installed
    packages = apt_packages(script)
    out = [f"the Debian package {p}" for p in packages if not installed_package(p)]
    out += [f"the Python distribution {d}" for d in distributions(pyproject) if not installed_distribution(d)]
    out += [f"the program {program} (from {source}) on PATH" for program, source in PROGRAMS.items()
            if which(program) is None]
    return out


def _dpkg_installed(package: str) -> bool:
    if shutil.which("dpkg-query") is None:  # not Debian: the programs' check still applies
        return True
    result = subprocess.run(["dpkg-query", "-W", "-f", "${Status}", package], capture_output=True, text=True)
    return result.returncode == 0 and result.stdout.endswith("installed")


def _distribution_installed(name: str) -> bool:
    try:
        metadata.distribution(name)
        return True
    except metadata.PackageNotFoundError:
        return False


def missing_here() -> list[str]:
    return missing((ROOT / "scripts" / "install.sh").read_text(encoding="utf-8"),
                   (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
