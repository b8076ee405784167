"""A long document's rows, passed from the worker to the loader through a file, in batches.

Sent through the worker's pipe, a document's rows arrive whole: the run's process holds the
pickled message and every row at once, so its memory grows with the document (198,000 lines
took it past 1 GB). Past `SPILL_ROWS`, the worker writes them instead to a file in the scratch
folder beside the database (`extractors.wordprocessing.scratch_root`), `BATCH_ROWS` at a time,
and sends only where they are; the loader reads them back one batch at a time, so the run holds
one batch whatever the document's size. The file goes when the rows are no longer referenced,
and what a killed run left is removed by the next (its folder is named after the run's process,
as the converters' are).
"""
from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Iterator

from extractors.wordprocessing import SCRATCH_PREFIX, scratch_root

SPILL_ROWS = 10_000  # rows up to this many go through the pipe
BATCH_ROWS = 5_000


class SpilledRows:
    """Rows (dicts with the same keys) kept in a file: their count, and the rows read back in
    batches. Made in the worker by `spill`; the file is removed once the process that unpickled
    it (the run's) no longer references them."""

    def __init__(self, folder: str, count: int):
        self.folder = folder
        self.count = count

    @property
    def path(self) -> Path:
        return Path(self.folder) / "rows.pickle"

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[dict]:
        with open(self.path, "rb") as stream:
            columns = pickle.load(stream)
            while True:
                try:
                    batch = pickle.load(stream)
                except EOFError:
                    return
                yield from (dict(zip(columns, values)) for values in batch)

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        # unpickled in the run's process: the file is this object's to remove
        weakref.finalize(self, shutil.rmtree, self.folder, True)


def spill(columns: tuple, values: list[tuple], owner: int) -> SpilledRows:
    """Rows as column names and a tuple per row (`budgets.worker.Rows`), written to a new scratch
    folder of process `owner` (the run's)."""
    root = scratch_root()
    root.mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{owner}-rows-", dir=root)
    with open(Path(folder) / "rows.pickle", "wb") as stream:
        pickle.dump(columns, stream, protocol=pickle.HIGHEST_PROTOCOL)
        for start in range(0, len(values), BATCH_ROWS):
            pickle.dump(values[start:start + BATCH_ROWS], stream, protocol=pickle.HIGHEST_PROTOCOL)
    return SpilledRows(os.path.abspath(folder), len(values))
