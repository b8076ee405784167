"""camelot's second opinion is optional: where its native libraries cannot be loaded (a worker near
its address-space limit fails to map OpenCV's: 'ImportError: libavutil….so: failed to map segment
from shared object'), the first reading stands and the document is read."""
import builtins

from extractors.pdf_camelot import camelot_grids
from tests.conftest import CORPUS, needs_corpus


@needs_corpus
def test_a_second_opinion_that_cannot_be_loaded_leaves_the_first_reading(monkeypatch):
    from extractors.pdf import extract

    path = CORPUS / "putuo-govbudgetchecker" / "unit_budget.pdf"  # tables whose own sums fail: camelot is asked
    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "camelot":
            raise ImportError("libavutil-9a3cc128.so.61.1.102: failed to map segment from shared object")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)
    assert camelot_grids(path.read_bytes(), 1) == []
    extraction = extract(path.read_bytes(), path.name)
    assert extraction.status == "ok" and extraction.tables
