"""Rows a unit may add: a template whose layout lists growable row groups, rebuilt with the copy's shape.

The self-evaluation form lets the unit write any number of 三级指标 under each 二级指标 (``[template]
grow``): it copies a row with Excel's "insert copied cells". Such a copy is the template rebuilt with that
group repeated, so the checker rebuilds it with the copy's counts and compares fingerprints: rows added
this way are not tampering, anything else still is.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

Counts = tuple[tuple[str, int], ...]


def grown_counts(layout: dict[str, Any], table: Any) -> Counts:
    """The growable groups of a copy that hold other than one row, as sorted (row key, rows) pairs."""
    growable = set(layout.get("grow") or ())
    if not growable or table is None:
        return ()
    found = Counter(f"{ind.level1}|{ind.level2}" for ind in table.rows)
    return tuple(sorted((key, found[key]) for key in growable if key in found and found[key] != 1))


@lru_cache(maxsize=64)
def grown_fingerprint(spec: str, formulas: str, counts: Counts) -> str:
    """The structure fingerprint of the template of ``spec`` rebuilt with ``counts`` rows per group."""
    from xlperf.template.builder import make_workbook
    from xlperf.template.fingerprint import read_marker
    from xlperf.template.frameworkfile import load_spec

    return str(read_marker(make_workbook(load_spec(spec), formulas, dict(counts)))["fingerprint"])


__all__ = ["Counts", "grown_counts", "grown_fingerprint"]
