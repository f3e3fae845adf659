"""Qualitative wordings in plain formulas: the level a text names, found as the core's scales find it.

The core reads the level of a text as the longest scale word it contains (``Scales.match``: words
sorted longest first, then in file order). The formula below does the same with the idiom
``LOOKUP(2, 1/ISNUMBER(FIND(words, text)), codes)``, which returns the code of the *last* word found:
the words are listed in the reverse of the core's order, so the last one found is the core's match.
A code is ``100 × scale + rank`` (rank higher for better wordings); 0 means no word was found.
"""

from __future__ import annotations

from functools import lru_cache

from xlperf.core.expr import excel_literal
from xlperf.core.quantity import Kind, parse_quantity
from xlperf.core.scales import Scales, load_scales


@lru_cache(maxsize=8)
def _codes(scales_path: str | None) -> tuple[tuple[str, int], ...]:
    scales = load_scales(scales_path)
    names = list(dict.fromkeys(level.scale for _, level in scales.words))
    return tuple((word, 100 * (names.index(level.scale) + 1) + level.rank) for word, level in scales.words)


def target_code(text: str, scales_path: str | None = None) -> int:
    """The code of a fixed target's level, as the core parses it (0 when it names no level)."""
    scales: Scales | None = load_scales(scales_path) if scales_path else None
    q = parse_quantity(text, False, scales)
    if q.kind is not Kind.QUALITATIVE or q.level is None:
        return 0
    return dict(_codes(scales_path))[q.level.word]


def level_code(cell: str, scales_path: str | None = None) -> str:
    """An Excel expression: the code of the level the text in ``cell`` names (spaces ignored), else 0."""
    pairs = list(reversed(_codes(scales_path)))
    words = ",".join(excel_literal(word) for word, _ in pairs)
    codes = ",".join(str(code) for _, code in pairs)
    return f'IFERROR(LOOKUP(2,1/ISNUMBER(FIND({{{words}}},SUBSTITUTE({cell}," ",""))),{{{codes}}}),0)'


def same_text(target: str, actual: str) -> str:
    """Excel: both texts non-blank and equal once spaces are removed (the core's last test of "met")."""
    return (f'AND(LEN(TRIM({target}))>0,LEN(TRIM({actual}))>0,'
            f'EXACT(SUBSTITUTE({target}," ",""),SUBSTITUTE({actual}," ","")))')


def scale_words(target: str, scales_path: str | None = None) -> list[str]:
    """The wordings on the target's scale, best first (empty when the target is on no scale)."""
    level = parse_quantity(target).level
    if level is None:
        return []
    words = [(lv.rank, word) for word, lv in load_scales(scales_path).words if lv.scale == level.scale]
    return [word for _, word in sorted(words, key=lambda item: -item[0])]


__all__ = ["target_code", "level_code", "same_text", "scale_words"]
