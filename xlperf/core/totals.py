"""Subtotals per level 1 and level 2, the total (with 不适用 rescaling), and 得分率."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from xlperf.core.frozen import frozen
from xlperf.core.ruletable import compiled_total
from xlperf.core.rounding import points

ZERO = Decimal(0)
NO_STATED = (ZERO, None, ZERO)  # a level with no row yet: (weight, stated, score)


@frozen
class LevelTotal:
    """Weight, sum of the stated scores and sum of xlperf's scores for one level."""

    weight: Decimal
    stated: Decimal | None
    score: Decimal

    @property
    def rate(self) -> Decimal | None:
        """得分率: score / weight, or None for a level without weight."""
        return self.score / self.weight if self.weight else None


def total_score(items: Iterable[tuple[Decimal | None, Decimal | None, bool]], policy: str = "zero") -> Decimal:
    """The total from (weight, score, not-applicable) triples.

    policy ``zero``: Σ score. policy ``rescale`` (按百分制折算): Σ score of applicable rows
    / Σ applicable weight × 100, so dropping 不适用 rows keeps a 100-point scale.
    """
    score_sum, weight_sum = ZERO, ZERO
    for weight, score, not_applicable in items:
        if not_applicable:
            continue
        score_sum += score or ZERO
        weight_sum += weight or ZERO
    return total_of(score_sum, weight_sum, policy)


def total_of(score_sum: Decimal, weight_sum: Decimal, policy: str = "zero") -> Decimal:
    """The total from the applicable rows' score and weight sums (``total_score`` once they are added up)."""
    return compiled_total(policy)({"scores": score_sum, "weights": weight_sum})


def level_totals(rows: Iterable[tuple[tuple[str, ...], Decimal | None, Decimal | None, Decimal | None]]) -> dict[tuple[str, ...], LevelTotal]:
    """Group (key, weight, stated, score) rows; a group's stated sum leaves blank scores out (None if all are)."""
    acc: dict[tuple[str, ...], tuple[Decimal, Decimal | None, Decimal]] = {}
    for key, weight, stated, score in rows:
        w, s, c = acc.get(key, NO_STATED)
        if stated is not None:
            s = stated if s is None else s + stated
        acc[key] = (w + (weight or ZERO), s, c + (score or ZERO))
    return finished_levels(acc)


def finished_levels(acc: dict) -> dict:
    """Each key's (weight, stated or None, score) sums as its LevelTotal, rounded to points."""
    return {key: LevelTotal(points(w), points(s) if s is not None else None, points(c)) for key, (w, s, c) in acc.items()}
