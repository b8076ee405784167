"""Format name → extractor. Each extractor is `extract(data: bytes, filename: str) -> Extraction`."""
from __future__ import annotations

import importlib

from extractors.model import Extraction, ExtractionError

EXTRACTORS = {
    "textdump": "extractors.textdump:extract",
    "html": "extractors.html:extract",
    "pdf": "extractors.pdf:extract",
    "xlsx": "extractors.spreadsheet:extract",
    "xls": "extractors.spreadsheet:extract",
    "et": "extractors.spreadsheet:extract",
    "docx": "extractors.wordprocessing:extract",
    "doc": "extractors.wordprocessing:extract",
    "wps": "extractors.wordprocessing:extract",
    "zip": "extractors.archive:extract",
}


def extractor_for(fmt: str):
    target = EXTRACTORS.get(fmt)
    if target is None:
        raise ExtractionError(f"format {fmt!r} is not one this tool reads", status="unsupported")
    module_name, func = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise ExtractionError(f"no extractor for {fmt} yet", status="unsupported") from exc
        raise
    return getattr(module, func)


def extract(data: bytes, fmt: str, filename: str = "") -> Extraction:
    return extractor_for(fmt)(data, filename)
