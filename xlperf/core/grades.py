"""Grade bands (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差) and the grade of a total."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from xlperf.core.config import DEFAULT_GRADE_BANDS
from xlperf.core.ruletable import compiled_grade
from xlperf.core.rounding import Number, to_decimal

GRADE_ALIASES = {"优秀": "优", "良好": "良", "中等": "中", "合格": "中", "较差": "差", "不合格": "差"}


def grade_for(total: Number, bands: Iterable[tuple[Decimal, str]] = DEFAULT_GRADE_BANDS) -> str:
    """The grade whose lower bound the total reaches; bands are (lower bound, grade)."""
    return compiled_grade(tuple((to_decimal(low), name) for low, name in bands))({"total": to_decimal(total)})


def normalise_grade(text: object) -> str:
    """Map a written grade (优秀, 良好 …) onto the band names; unknown text is returned stripped."""
    word = str(text or "").strip()
    return GRADE_ALIASES.get(word, word)


def parse_bands(text: str) -> tuple[tuple[Decimal, str], ...]:
    """Parse ``"优:90,良:80,中:60,差:0"`` or the printed ranges ``"优:90-100,良:80-89,中:60-79,差:0-59"``
    into bands (see band_ranges). Raises ValueError when malformed."""
    parts = []
    for part in text.replace("，", ",").split(","):
        name, sep, span = part.partition(":")
        if not sep:
            raise ValueError(f"bad grade band {part!r}; expected e.g. 优:90 or 优:90-100")
        low, dash, high = span.replace("–", "-").replace("～", "-").replace("~", "-").partition("-")
        parts.append((name.strip(), low, high if dash else None))
    if not parts:
        raise ValueError("no grade bands")
    if all(high is None for _, _, high in parts):
        return tuple((to_decimal(low), name) for name, low, _ in parts)
    return band_ranges([(name, low, high) for name, low, high in parts])


def band_ranges(ranges: Iterable[tuple[str, object, object]]) -> tuple[tuple[Decimal, str], ...]:
    """Grade bands printed as ranges (优 90–100, 良 80–89 …) as lower bounds: each band runs from its low
    end up to the next band's, so integer bands leave no gap (良 80–89 is 80 ≤ x < 90: 89.5 is 良).
    ValueError when two bands overlap or leave a gap wider than the integer step."""
    ordered = sorted(((to_decimal(low), to_decimal(high) if high is not None else None, str(name).strip())
                      for name, low, high in ranges), key=lambda band: band[0])
    for (low, high, name), (next_low, _, next_name) in zip(ordered, ordered[1:]):
        if high is not None and not (next_low - 1 <= high <= next_low):
            raise ValueError(f"grade bands {name} and {next_name} overlap or leave a gap")
    return tuple((low, name) for low, _, name in reversed(ordered))
