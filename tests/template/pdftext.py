"""What LibreOffice printed: the words of a PDF with their boxes (``pdftotext -bbox``), read back by column.

A cell's text is whole on the page when it is a run of the words printed over the cell's columns, read
top to bottom and left to right: text cut off at the print area, at a neighbouring cell or by a narrow
column is missing there. Column edges come from the 评分表's header words on each page and the columns'
widths.
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_PAGE = re.compile(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def x(self) -> float:
        return (self.x0 + self.x1) / 2


def pages(pdf: Path) -> list[list[Word]]:
    """The words of each page."""
    done = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=120)
    return [[Word(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in _WORD.findall(body)]
            for _, _, body in _PAGE.findall(done.stdout)]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def stream(words: list[Word], left: float = float("-inf"), right: float = float("inf")) -> str:
    """The words whose centre lies between ``left`` and ``right``, line by line from the top, left to right
    on a line (a word belongs to the line whose first word's middle is within half its height)."""
    chosen = sorted((w for w in words if left <= w.x < right), key=lambda w: (w.y0 + w.y1) / 2)
    lines: list[list[Word]] = []
    for word in chosen:
        middle = (word.y0 + word.y1) / 2
        if lines and abs(middle - (lines[-1][0].y0 + lines[-1][0].y1) / 2) <= (word.y1 - word.y0) / 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return "".join(squeeze(w.text) for line in lines for w in sorted(line, key=lambda w: w.x0))


def column_bounds(words: list[Word], headers: list[str], widths: list[float]) -> list[tuple[float, float]] | None:
    """(left, right) of each column on a page, None without a header row.

    Header texts are centred in their cells; their centres fitted against the columns' widths (a straight
    line: page position = a + b × position in the sheet) give every column's edges."""
    centres = []
    for text in headers:
        found = [w for w in words if squeeze(w.text) == text]
        if not found:
            return None
        centres.append(min(found, key=lambda w: w.y0).x)
    edges = [sum(widths[:i]) for i in range(len(widths) + 1)]
    middles = [(edges[i] + edges[i + 1]) / 2 for i in range(len(widths))]
    n, mx, my = len(middles), sum(middles) / len(middles), sum(centres) / len(centres)
    b = sum((x - mx) * (y - my) for x, y in zip(middles, centres)) / sum((x - mx) ** 2 for x in middles)
    a = my - b * mx
    return [(a + b * edges[i], a + b * edges[i + 1]) for i in range(n)]


def overlaps(words: list[Word], tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of words printed over each other (text drawn past its cell into another's)."""
    found = []
    ordered = sorted(words, key=lambda w: w.x0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.x0 >= a.x1 - tolerance:
                break
            if min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance and min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance:
                found.append((a.text, b.text))
    return found
