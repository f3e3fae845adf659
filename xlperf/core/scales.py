"""Ordered qualitative wordings (优秀 > 良好 > 合格 …) and unit equivalences, loaded from TOML data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

TIERS = ("达成", "部分达成", "未达成")


@dataclass(frozen=True)
class Level:
    """One rung of a scale: ``rank`` is higher for better wordings; ``word`` is the word matched."""

    scale: str
    rank: int
    word: str
    tier: str


@dataclass(frozen=True)
class Scales:
    """All scales, tier ranges and unit equivalence groups."""

    words: tuple[tuple[str, Level], ...]  # longest word first
    tiers: dict[str, tuple[Decimal, Decimal]]
    unit_groups: dict[str, int]

    def match(self, text: str) -> Level | None:
        """The level whose word is the longest one contained in ``text``."""
        for word, level in self.words:
            if word in text:
                return level
        return None

    def same_unit(self, a: str, b: str) -> bool:
        """True when two unit strings name the same thing (or one of them is absent)."""
        if not a or not b or a == b:
            return True
        ga, gb = self.unit_groups.get(a), self.unit_groups.get(b)
        return ga is not None and ga == gb


def parse_scales(data: dict) -> Scales:
    """Build :class:`Scales` from the parsed TOML document (see ``data/scales.toml``)."""
    words: list[tuple[str, Level]] = []
    for scale in data.get("scale", []):
        levels = scale["levels"]
        for index, level in enumerate(levels):
            tier = level.get("tier", "达成")
            if tier not in TIERS:
                raise ValueError(f"scale {scale['name']}: unknown tier {tier!r}")
            for word in level["words"]:
                words.append((word, Level(scale["name"], len(levels) - index, word, tier)))
    words.sort(key=lambda item: -len(item[0]))
    tiers = {name: (Decimal(str(lo)), Decimal(str(hi))) for name, (lo, hi) in data.get("tiers", {}).items()}
    for name in TIERS:
        tiers.setdefault(name, (Decimal(0), Decimal(1)))
    groups: dict[str, int] = {}
    for index, group in enumerate(data.get("units", {}).get("equivalent", [])):
        for unit in group:
            groups[unit] = index
    return Scales(tuple(words), tiers, groups)


@lru_cache(maxsize=8)
def load_scales(path: str | None = None) -> Scales:
    """Load the bundled scales, or a user's TOML file when ``path`` is given."""
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files("xlperf.data").joinpath("scales.toml").read_text(encoding="utf-8")
    return parse_scales(tomllib.loads(text))
