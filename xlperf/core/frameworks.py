"""Frameworks as data: locality presets in ``data/frameworks/*.toml`` → ScoringConfig and indicator lists.

A user adds a locality by writing one TOML file (see ``data/frameworks/README.md``), no code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from xlperf.core.config import ScoringConfig, parse_split_rule
from xlperf.core.grades import band_ranges
from xlperf.core.rules import method_id


@dataclass(frozen=True)
class FrameworkIndicator:
    """One row a framework prescribes (for templates)."""

    level1: str
    level2: str
    level3: str
    weight: Decimal
    target: str = ""
    method: str | None = None
    nature: str = ""
    unit: str = ""
    actual: str = ""  # an example or default actual, usually empty
    criteria: str = ""  # 评分标准 as the bureau wrote it (shown to the unit, not used for scoring)


@dataclass(frozen=True)
class Framework:
    """A named framework: how it scores, and which rows its template holds."""

    id: str
    name: str
    kind: str  # "evaluation" or "self"
    config: ScoringConfig
    indicators: tuple[FrameworkIndicator, ...] = ()
    budget_block: bool = True
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def config_from(data: dict[str, Any], framework_id: str, base: ScoringConfig | None = None) -> ScoringConfig:
    """Apply a ``[scoring]`` table (plus ``[level1_weights]``) over ``base``."""
    cfg = base or ScoringConfig()
    scoring = dict(data.get("scoring", {}))
    updates: dict[str, Any] = {"framework": framework_id}
    for key in ("reverse_mode", "equal_mode", "na_policy", "execution_base", "scales_path"):
        if key in scoring:
            updates[key] = str(scoring[key])
    for key in ("tolerance", "total_weight"):
        if key in scoring:
            updates[key] = _dec(scoring[key])
    if "rate_digits" in scoring:
        updates["rate_digits"] = int(scoring["rate_digits"])
    if "grade_bands" in scoring:
        updates["grade_bands"] = _bands(scoring["grade_bands"])
    if "interval_bands" in scoring:
        updates["interval_bands"] = tuple((_dec(low), _dec(share)) for low, share in scoring["interval_bands"])
    if "split_rules" in scoring:
        updates["split_rules"] = tuple(parse_split_rule(rule) for rule in scoring["split_rules"])
    if "lower_better_level2" in scoring:
        updates["lower_better_level2"] = tuple(str(word) for word in scoring["lower_better_level2"])
    if "judgement_roles" in scoring:
        updates["judgement_roles"] = tuple(scoring["judgement_roles"])
    if "method_overrides" in scoring:
        updates["method_overrides"] = {k: method_id(v) for k, v in scoring["method_overrides"].items()}
    if "level1_weights" in data:
        updates["level1_weights"] = {k: _dec(v) for k, v in data["level1_weights"].items()}
    return replace(cfg, **updates)


def _bands(items: list) -> tuple[tuple[Decimal, str], ...]:
    """``[[90, "优"], …]`` (lower bounds) or the printed ranges ``[["优", 90, 100], ["良", 80, 89], …]``."""
    if items and all(len(item) == 3 for item in items):
        return band_ranges(items)
    return tuple((_dec(low), str(name)) for low, name in items)


def _indicators(rows: list[dict[str, Any]]) -> tuple[FrameworkIndicator, ...]:
    out = []
    for row in rows:
        out.append(FrameworkIndicator(
            str(row["level1"]), str(row.get("level2", row["level1"])), str(row["level3"]), _dec(row["weight"]),
            str(row.get("target", "")), method_id(row.get("method")), str(row.get("nature", "")),
            str(row.get("unit", "")), str(row.get("actual", "")), str(row.get("criteria", ""))))
    return tuple(out)


def parse_framework(data: dict[str, Any], source: str = "") -> Framework:
    """Build a Framework from a parsed TOML document; ``extends`` inherits another framework's settings."""
    base = load_framework(data["extends"]) if data.get("extends") else None
    cfg = config_from(data, data["id"], base.config if base else None)
    indicators = _indicators(data["indicator"]) if "indicator" in data else (base.indicators if base else ())
    kind = data.get("kind", base.kind if base else "evaluation")
    return Framework(data["id"], data.get("name", data["id"]), kind, cfg, indicators,
                     bool(data.get("budget_block", True)), data.get("description", ""),
                     {"source": source, **data.get("template", {})})


def framework_names() -> list[str]:
    """The ids of the bundled frameworks."""
    folder = resources.files("xlperf.data").joinpath("frameworks")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_framework(name: str) -> Framework:
    """A bundled framework by id, or any framework TOML file by path. Raises ValueError if unknown."""
    path = Path(name)
    stamp = path.stat().st_mtime_ns if path.suffix == ".toml" and path.exists() else 0
    return _load_framework(name, stamp)


@lru_cache(maxsize=64)
def _load_framework(name: str, stamp: int) -> Framework:
    """Parsed once per process (and per file version): batch checks look frameworks up per file."""
    path = Path(name)
    if path.suffix == ".toml" and path.exists():
        text, source = path.read_text(encoding="utf-8"), str(path)
    else:
        resource = resources.files("xlperf.data").joinpath("frameworks", f"{name}.toml")
        if not resource.is_file():
            raise ValueError(f"unknown framework {name!r}; bundled: {', '.join(framework_names())}")
        text, source = resource.read_text(encoding="utf-8"), f"xlperf/data/frameworks/{name}.toml"
    try:
        return parse_framework(tomllib.loads(text), source)
    except (KeyError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise ValueError(f"framework {name}: {exc}") from exc
