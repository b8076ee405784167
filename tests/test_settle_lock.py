"""What runs after a load (budgets/afterload/) takes one lock per database, so that workers of
one shared crawl settle one at a time; the lock file goes away with the lock, so no empty
`*.settle.lock` stays beside the database after a command."""
from __future__ import annotations

import threading
import time

from budgets.afterload import held_lock
from budgets.cli import main
from conftest import SEED


def test_an_ingest_leaves_no_lock_file_beside_the_database(tmp_path, capsys):
    db = tmp_path / "budgets.db"
    assert main(["ingest", str(SEED), "--db", str(db)]) == 0
    assert "audited 1 documents" in capsys.readouterr().out  # the settle step ran
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".lock")) == []


def test_the_lock_admits_one_holder_at_a_time_and_removes_its_file(tmp_path):
    path = str(tmp_path / "budgets.db.settle.lock")
    holders, most, errors = [0], [0], []

    def hold_many():
        try:
            for _ in range(60):
                with held_lock(path):
                    holders[0] += 1
                    most[0] = max(most[0], holders[0])
                    time.sleep(0.0005)  # let the others try while the lock is held
                    holders[0] -= 1
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=hold_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and most[0] == 1
    assert list(tmp_path.iterdir()) == []
