"""Words on a PDF page → the lines a reader sees, top to bottom."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.pdf_settings import SETTINGS, PdfSettings


@dataclass
class Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    words: list[dict] = field(default_factory=list, repr=False)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def text_lines(words: list[dict], settings: PdfSettings = SETTINGS) -> list[Line]:
    """Words → printed lines, top to bottom; words far apart on one line keep a space between."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        for line in lines:
            if abs(line[0]["top"] - w["top"]) <= settings.line_tolerance:
                line.append(w)
                break
        else:
            lines.append([w])
    out = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        text = line[0]["text"]
        for prev, w in zip(line, line[1:]):
            gap = w["x0"] - prev["x1"]
            size = max(1.0, (w["bottom"] - w["top"]))
            text += (" " if gap > size * settings.word_gap else "") + w["text"]
        out.append(Line(text, min(w["top"] for w in line), max(w["bottom"] for w in line),
                        line[0]["x0"], line[-1]["x1"], line))
    out.sort(key=lambda ln: ln.top)
    return out
