"""A framework written back as a framework TOML file, and read from a template's marker.

Every template carries its framework's full definition in its hidden ``_xlperf`` sheet, so a template
built from a bureau's own indicator table (``--indicators``) is recognised and checked like a bundled
one. The text is the format of ``data/frameworks/*.toml`` (readable, and loadable with ``--framework``),
fully resolved: no ``extends``.
"""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from typing import Any

from xlperf.core.frameworks import Framework, framework_names, load_framework, parse_framework


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize() + 0, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _key(name: str) -> str:
    return name if name.isascii() and name.replace("_", "").isalnum() else json.dumps(name, ensure_ascii=False)


def _scoring(fw: Framework) -> list[str]:
    cfg = fw.config
    lines = ["[scoring]"]
    settings: dict[str, Any] = {
        "grade_bands": [[low, name] for low, name in cfg.grade_bands], "na_policy": cfg.na_policy,
        "reverse_mode": cfg.reverse_mode, "equal_mode": cfg.equal_mode, "execution_base": cfg.execution_base,
        "rate_digits": cfg.rate_digits, "tolerance": cfg.tolerance, "total_weight": cfg.total_weight,
        "interval_bands": [[low, share] for low, share in cfg.interval_bands],
        "split_rules": [rule.label() for rule in cfg.split_rules], "judgement_roles": list(cfg.judgement_roles),
        "lower_better_level2": list(cfg.lower_better_level2),
    }
    lines += [f"{key} = {_value(value)}" for key, value in settings.items()]
    if cfg.scales_path:
        lines.append(f"scales_path = {_value(cfg.scales_path)}")
    if cfg.method_overrides:
        pairs = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in cfg.method_overrides.items())
        lines.append(f"method_overrides = {{ {pairs} }}")
    if cfg.level1_weights:
        lines += ["", "[level1_weights]"] + [f"{_key(k)} = {_value(v)}" for k, v in cfg.level1_weights.items()]
    return lines


def framework_toml(fw: Framework) -> str:
    """The framework as a self-contained TOML document (``parse_framework`` reads it back equal)."""
    lines = [f"id = {_value(fw.id)}", f"name = {_value(fw.name)}", f"kind = {_value(fw.kind)}"]
    if fw.description:
        lines.append(f"description = {_value(fw.description)}")
    lines.append(f"budget_block = {_value(fw.budget_block)}")
    lines += [""] + _scoring(fw)
    template = {key: value for key, value in fw.extra.items() if key in ("inputs", "grow")}
    if template:
        lines += ["", "[template]"] + [f"{key} = {_value(value)}" for key, value in template.items()]
    for ind in fw.indicators:
        lines += ["", "[[indicator]]"]
        row = {"level1": ind.level1, "level2": ind.level2, "level3": ind.level3, "weight": ind.weight,
               "target": ind.target, "method": ind.method, "nature": ind.nature, "unit": ind.unit,
               "actual": ind.actual, "criteria": ind.criteria}
        lines += [f"{key} = {_value(value)}" for key, value in row.items() if value not in (None, "")]
    return "\n".join(lines) + "\n"


def load_spec(spec: str) -> Framework:
    """A framework from a marker's spec: a bundled id, or a TOML document. ValueError when unusable."""
    if "\n" not in spec:
        return load_framework(spec)
    try:
        return parse_framework(tomllib.loads(spec), "模板内嵌的框架定义")
    except (KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"模板内嵌的框架定义无效：{exc}") from exc


def spec_of(marker: dict[str, Any]) -> str:
    """How to rebuild a template's framework: its bundled id, else the definition it carries."""
    name = str(marker.get("framework") or "")
    if name in framework_names():
        return name
    return str(marker.get("framework_toml") or name)


__all__ = ["framework_toml", "load_spec", "spec_of"]
