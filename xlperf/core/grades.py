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
    """Parse ``"优:90,良:80,中:60,差:0"`` into bands. Raises ValueError when malformed."""
    bands = []
    for part in text.replace("，", ",").split(","):
        name, sep, low = part.partition(":")
        if not sep:
            raise ValueError(f"bad grade band {part!r}; expected e.g. 优:90")
        bands.append((to_decimal(low), name.strip()))
    if not bands:
        raise ValueError("no grade bands")
    return tuple(bands)
