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
    """Words → printed lines, top to bottom; words far apart on one line keep a space between.

    A word joins the line it shares most height with: Chinese text and the figures in it are
    often set in different sizes or fonts whose boxes start points apart, yet they are one line.
    """
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        best, best_share = None, 0.0
        for line in lines:
            share = same_line(line[0], w, settings)
            if share > best_share:
                best, best_share = line, share
        if best is None:
            lines.append([w])
        else:
            best.append(w)
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


def same_line(a: dict, b: dict, settings: PdfSettings = SETTINGS) -> float:
    """How surely two words are on one printed line (0 when they are not): the share of the
    shorter word's height both share; 2 (above any share) when their tops are within
    `line_tolerance`."""
    if abs(a["top"] - b["top"]) <= settings.line_tolerance:
        return 2.0
    shared = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    shorter = min(a["bottom"] - a["top"], b["bottom"] - b["top"])
    if shorter <= 0 or shared <= 0:
        return 0.0
    share = shared / shorter
    return share if share >= settings.line_overlap else 0.0
