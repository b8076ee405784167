import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# the project's shared material beside the checkout (BUDGETS_SHARED names another place): the
# real PDF corpus is only there; the seed disclosure is the project's own copy
SHARED = Path(os.environ.get("BUDGETS_SHARED") or ROOT.parent / "shared")
SEED = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.txt"
CORPUS = SHARED / "corpus"
NO_CORPUS = f"the real PDF corpus is not at {CORPUS} (../shared/corpus beside the checkout, or BUDGETS_SHARED)"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=NO_CORPUS)
# scenarios that revise or take down the demo site's PDF disclosures need them served
needs_demo_pdfs = pytest.mark.skipif(not CORPUS.is_dir(),
                                     reason=f"the demo site's PDF disclosures are left out: {NO_CORPUS}")


def pytest_sessionstart(session):
    """Under scripts/test.sh (BUDGETS_TEST_INSTALLED) a component the install script installs
    must be here: the tests that need it would skip, and a green run would hide it."""
    if not os.environ.get("BUDGETS_TEST_INSTALLED") or hasattr(session.config, "workerinput"):
        return
    from installed_components import missing_here

    absent = missing_here()
    if absent:
        pytest.exit("scripts/install.sh --test installs what is missing here: " + "; ".join(absent)
                    + " (run 'bash scripts/install.sh --test')", returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture
def tmp_db(tmp_path):
    from budgets import db

    return db.connect(tmp_path / "budgets.db")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real redis-server on a free loopback port for the whole session (the shared-frontier
    tests use keys of their own), stopped at the end."""
    import shutil
    import socket
    import subprocess
    import time

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (scripts/install.sh --test)")
    import redis

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.time() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert server.poll() is None and time.time() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)
