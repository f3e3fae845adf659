"""The grade-distribution chart of the 汇总 report: a PNG drawn with matplotlib from the batch's results.

Why a picture and not a native Word chart: python-docx has no chart API and no well-kept library writes
Word's chart parts (chartN.xml plus an embedded workbook); a PNG looks the same in Word, WPS, LibreOffice
and the printed PDF. The figures behind it are printed in the table beside it, so nothing is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

# Faces that have Chinese glyphs, the Windows ones first, then what Linux and macOS desks have.
CJK_FACES = ("Microsoft YaHei", "SimHei", "SimSun", "Noto Sans CJK SC", "Source Han Sans SC", "Noto Serif CJK SC",
             "WenQuanYi Zen Hei", "PingFang SC", "Heiti SC", "Noto Sans CJK JP")
LATIN_LABELS = {"优": "A", "良": "B", "中": "C", "差": "D"}


def cjk_face() -> str | None:
    """The first installed font that can draw Chinese, or None."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((face for face in CJK_FACES if face in installed), None)


def grade_chart(grades: Sequence[str], counts: Sequence[int], out: Path, title: str) -> Path:
    """A bar per grade with its count on top. Without any Chinese font the labels fall back to A–D (and an
    English title), never to empty boxes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    face = cjk_face()
    labels = list(grades) if face else [LATIN_LABELS.get(g, g) for g in grades]
    fig = Figure(figsize=(6.0, 3.0), dpi=200)
    ax = fig.add_subplot()
    font = {"family": face} if face else {}
    bars = ax.bar(labels, counts, color="#4472C4", width=0.55)
    ax.bar_label(bars, labels=[str(c) for c in counts], padding=2, fontsize=9)
    ax.set_title(title if face else "Grade distribution", fontsize=11, **font)
    ax.set_ylabel("项目数" if face else "projects", fontsize=9, **font)
    ax.set_ylim(0, max([1, *counts]) * 1.25)
    ax.yaxis.get_major_locator().set_params(integer=True)
    for tick in ax.get_xticklabels():
        tick.set_fontsize(10)
        if face:
            tick.set_fontfamily(face)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format="png")
    return out
