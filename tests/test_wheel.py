"""A wheel built from the repository, installed in a fresh virtual environment outside the
checkout, is the whole product: `budgets demo --no-serve` crawls the bundled demo site (whose
content ships in the wheel), and `budgets serve` publishes the result with the canned queries,
the charts page and its style sheet (budgets/web/ in the wheel).

The fresh environment gets its third-party libraries from the ones running this test (a .pth
file naming their folders), so nothing is downloaded but the build backend; the tool itself
comes only from the wheel."""
import json
import os
import shutil
import site
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml

from crawler.demo import site as demo_site
from crawling import ROOT

pytestmark = pytest.mark.slow

ANYWHERE = shutil.ignore_patterns(".git", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis")
AT_THE_ROOT = {".venv", "data", "build", "dist", ".benchmarks"}  # what runs leave in a checkout


def copy_ignore(folder, names):
    skipped = ANYWHERE(folder, names)
    return skipped | (AT_THE_ROOT & set(names) if Path(folder) == ROOT else set())
CANNED = set(yaml.safe_load((ROOT / "budgets" / "web" / "metadata.yml").read_text(encoding="utf-8"))
             ["databases"]["budgets"]["queries"])


def library_folders() -> list[str]:
    """Where this interpreter finds its third-party libraries."""
    folders = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    folders |= {p for p in sys.path if p.endswith(("site-packages", "dist-packages"))}
    return sorted(f for f in folders if Path(f).is_dir())


def clean_env() -> dict:
    # an install has no project material beside it, and no BUDGETS_SHARED naming any
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "BUDGETS_SHARED")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=copy_ignore)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"),
                            str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp / "dist").glob("district_budgets-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "_libraries_of_the_test_run.pth").write_text("\n".join(library_folders()) + "\n")
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
                             capture_output=True, text=True, timeout=300, env=clean_env())
    assert install.returncode == 0, install.stderr[-3000:]
    work = tmp / "elsewhere"
    work.mkdir()
    return {"wheel": wheel, "venv": venv, "python": python, "work": work, "purelib": Path(purelib)}


def test_the_wheel_holds_real_files_for_serve_and_the_demo(installed):
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        sizes = {i.filename: i.file_size for i in wheel.infolist()}
        symlinks = [i.filename for i in wheel.infolist() if (i.external_attr >> 16) & 0o170000 == 0o120000]
    assert not symlinks
    for name in ("budgets/web/metadata.yml", "budgets/web/plugins/budgets_site.py",
                 "budgets/web/templates/charts.html", "budgets/web/static/budgets.css",
                 "crawler/demo/content/tongnan-2026-bigdata-bureau-budget.html"):
        assert sizes.get(name, 0) > 500, name
    package = {f"budgets/web/plugins/budgets_site/{p.name}" for p in (ROOT / "plugins" / "budgets_site").iterdir()
               if p.suffix in (".py", ".js")}
    assert package - set(sizes) == set()  # every module of the plugin's package ships
    renditions = {Path(n).suffix for n in sizes if n.startswith("crawler/demo/content/renditions/")}
    assert renditions == {".xlsx", ".xls", ".docx", ".doc", ".zip"}


def test_the_tool_runs_from_the_installed_wheel_not_the_checkout(installed):
    where = subprocess.run([str(installed["python"]), "-c", "import budgets, crawler; print(budgets.__file__); "
                            "print(crawler.__file__)"], cwd=installed["work"], capture_output=True, text=True,
                           env=clean_env(), check=True).stdout.split()
    assert all(Path(p).is_relative_to(installed["purelib"]) for p in where), where


@pytest.fixture(scope="module")
def demo(installed):
    db = installed["work"] / "demo.db"
    result = subprocess.run([str(installed["venv"] / "bin" / "budgets"), "demo", "--no-serve", "--db", str(db)],
                            cwd=installed["work"], capture_output=True, text=True, timeout=300, env=clean_env())
    return {"result": result, "db": db, "venv": installed["venv"]}


def test_budgets_demo_from_the_wheel_crawls_loads_and_audits(demo):
    result = demo["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    # the optional real PDFs are left out, and it says so, naming the variable that finds them
    [note] = [line for line in result.stderr.splitlines() if "corpus is not here" in line]
    assert "BUDGETS_SHARED" in note and str(demo["venv"]) not in note
    assert f"audited {1 + len(demo_site.renditions())} documents" in result.stdout  # the seed page, its renditions
    assert "budget lines" in result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(installed, demo):
    assert demo["result"].returncode == 0, demo["result"].stderr[-3000:]
    port = free_port()
    server = subprocess.Popen([str(installed["venv"] / "bin" / "budgets"), "serve", "--db", str(demo["db"]),
                               "--port", str(port)], cwd=installed["work"], env=clean_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"

    def get(path):
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.status, response.read().decode("utf-8")

    deadline = time.time() + 60
    while True:
        try:
            get("/-/versions.json")
            break
        except OSError:
            assert server.poll() is None, server.stderr.read()[-3000:]
            assert time.time() < deadline, "Datasette never answered"
            time.sleep(0.3)
    yield get
    server.terminate()
    server.wait(timeout=10)


def test_serve_from_the_wheel_offers_every_canned_query(served):
    status, body = served("/budgets.json")
    assert status == 200
    assert CANNED and {q["name"] for q in json.loads(body)["queries"]} == CANNED


def test_a_canned_query_answers_from_the_demo_database(served):
    status, body = served("/budgets/disclosures_by_audit_errors.json?_shape=array")
    assert status == 200 and json.loads(body), "no disclosure ranked by its audit errors"


def test_serve_from_the_wheel_renders_the_charts_page_with_its_style_sheet(served):
    status, page = served("/-/charts")
    assert status == 200 and "图表 · Charts" in page and "/static/budgets.css" in page
    status, css = served("/static/budgets.css")
    assert status == 200 and css.strip()
