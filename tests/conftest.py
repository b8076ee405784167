from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "tongnan-2026-bigdata-bureau-budget.txt"
CORPUS = SHARED / "corpus"


@pytest.fixture
def tmp_db(tmp_path):
    from budgets import db

    return db.connect(tmp_path / "budgets.db")
