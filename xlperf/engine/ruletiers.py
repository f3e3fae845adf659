"""IF tiers read out of a score formula by what it does: the share of the weight it gives along the actual.

``=IF(F5/E5>=95%,G5,IF(F5/E5>=90%,G5*0.8,0))``, ``=IF(F5>=0.9,5,IF(F5>=0.8,4,0))`` and their many
spellings give a step function of the actual. It is sampled on a grid, each step's bound found by
bisection and written as the shortest decimal inside it (95 % rather than 0.94999…), and whether a
bound belongs to the upper or the lower step (``>=`` or ``>``) is read at the bound itself. The
bands are over actual/target when the formula reads the target and scales with it, else over the
actual. ``rulefit`` then checks the bands against the formula either side of every bound.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from xlperf.core.rulespec import RuleSpec

Probe = Callable[[Decimal, Decimal, Decimal], Decimal | None]
STEPS = 300
SPAN = 3  # the actual is sampled from 0 to 3 × the target (lower-is-better tiers reach past it)
MAX_TIERS = 8
BISECTIONS = 48
FAR = Decimal("1E+15")  # the bound of the bottom (or top) band: every value reaches it
SHARE_PLACES = Decimal("0.000001")


def _grid(scale: Decimal) -> list[Decimal]:
    return [scale * SPAN * i / STEPS for i in range(STEPS + 1)]


def _share(probe: Probe, t: Decimal, w: Decimal, x: Decimal, ratio: bool) -> Decimal | None:
    out = probe(t, w, x * t if ratio else x)
    return None if out is None else (out / w).quantize(SHARE_PLACES)


def _shares(probe: Probe, t: Decimal, w: Decimal, xs: list[Decimal], ratio: bool) -> list[Decimal] | None:
    shares = [_share(probe, t, w, x, ratio) for x in xs]
    return None if any(s is None for s in shares) else shares  # type: ignore[return-value]


def _bound(probe: Probe, t: Decimal, w: Decimal, lo: Decimal, hi: Decimal, ratio: bool) -> tuple[Decimal, bool]:
    """The step between ``lo`` (old share) and ``hi`` (new share): its bound and whether the bound itself
    still gives the old share (a strict ``>`` going up, an inclusive ``<=`` going down)."""
    old = _share(probe, t, w, lo, ratio)
    for _ in range(BISECTIONS):
        mid = (lo + hi) / 2
        if _share(probe, t, w, mid, ratio) == old:
            lo = mid
        else:
            hi = mid
    bound = hi
    for places in range(0, 9):
        nice = round((lo + hi) / 2, places)
        if lo - abs(lo) * Decimal("1E-9") <= nice <= hi + abs(hi) * Decimal("1E-9"):
            bound = nice
            break
    return bound, _share(probe, t, w, bound, ratio) == old


def _bands(probe: Probe, t: Decimal, w: Decimal, xs: list[Decimal], shares: list[Decimal], ratio: bool,
           rising: bool) -> tuple[tuple[Decimal, Decimal, bool], ...]:
    bands = []
    for i in range(len(xs) - 1):
        if shares[i] != shares[i + 1]:
            bound, old_at_bound = _bound(probe, t, w, xs[i], xs[i + 1], ratio)
            if rising:
                bands.append((bound, shares[i + 1], old_at_bound))
            else:
                bands.append((bound, shares[i], not old_at_bound))
    end = shares[0] if rising else shares[-1]
    if end:
        bands.append((-FAR if rising else FAR, end, False))
    return tuple(bands)


def fit_tiers(probe: Probe, reads_target: bool, reads_weight: bool,
              own: tuple[Decimal | None, Decimal | None]) -> tuple[RuleSpec, tuple] | None:
    """Interval bands the formula behaves as (and the probes to check them on), or None when it is no
    step function of the actual. ``own`` is the row's target and weight: points written as numbers
    (``IF(F5>=0.9,5,…)``) are shares of that weight, and the actual is sampled around that target."""
    target, weight = own
    w = Decimal(10) if reads_weight else weight
    if not w or w <= 0:
        return None
    t = target if target and target > 0 else Decimal(80)
    ratio = reads_target
    xs = _grid(Decimal(1) if ratio else t)
    shares = _shares(probe, t, w, xs, ratio)
    if shares is None or len(set(shares)) < 2 or len(set(shares)) > MAX_TIERS:
        return None
    if ratio and _shares(probe, t * 2, w, xs, ratio) != shares:
        return None  # reads the target but not as actual/target
    rising = all(a <= b for a, b in zip(shares, shares[1:]))
    if not rising and not all(a >= b for a, b in zip(shares, shares[1:])):
        return None
    bands = _bands(probe, t, w, xs, shares, ratio, rising)
    spec = RuleSpec("interval", bands=bands, basis="ratio" if ratio else "actual", lower_better=not rising)
    probes = []
    for bound, _, _ in bands:
        if abs(bound) < FAR:
            for x in (bound - abs(bound) / 100 - Decimal("0.001"), bound, bound + abs(bound) / 100 + Decimal("0.001")):
                probes.append((t, w, x * t if ratio else x))
    probes.extend((t, w, x * t if ratio else x) for x in xs[::10])
    return spec, tuple(probes)
