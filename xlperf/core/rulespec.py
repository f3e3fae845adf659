"""A rule with the settings a form's own score formula gives it (read by ``engine.rulefit``), and the IF-tier
bands such a formula writes."""

from __future__ import annotations

from decimal import Decimal

from xlperf.core.frozen import frozen

ZERO = Decimal(0)


@frozen
class RuleSpec:
    """A rule with its settings, as a form's own score formula implements it (``engine.rulefit`` reads it).

    ``bands`` (interval) are (bound, share of the weight, strict) over the achievement ratio actual/target
    (``basis`` "ratio") or over the actual value itself ("actual"): a band is reached at or above its
    bound (above, when strict), or at or below it when ``lower_better``. ``formula`` is the score
    formula's R1C1 shape it was read from.
    """

    method: str
    mode: str | None = None  # reverse: ratio | linear; equal: ratio | all_or_nothing
    capped: bool = True  # proportional / rate: the score never exceeds the weight
    bands: tuple[tuple[Decimal, Decimal, bool], ...] = ()
    basis: str = "ratio"
    lower_better: bool = False
    formula: str = ""


def band_share(x: Decimal, bands: tuple[tuple[Decimal, Decimal, bool], ...], lower_better: bool) -> Decimal:
    """The share of the first band ``x`` reaches: at or above its bound (at or below when lower is better)."""
    for bound, share, strict in sorted(bands, key=lambda band: band[0], reverse=not lower_better):
        if lower_better and (x < bound if strict else x <= bound):
            return share
        if not lower_better and (x > bound if strict else x >= bound):
            return share
    return ZERO
