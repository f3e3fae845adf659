"""The templates xlperf ships (``workbook_templates/``): which bundled frameworks have one, and their file names."""

from __future__ import annotations

from xlperf.core.frameworks import framework_names, load_framework

SHIPPED_NAMES = {"excel": "{id}.xlsx", "udf": "{id}_udf.xlsx"}  # plain formulas, xlwings functions


def template_frameworks() -> list[str]:
    """The ids of the bundled frameworks that have indicator rows (and so a template)."""
    return [name for name in framework_names() if load_framework(name).indicators]


__all__ = ["SHIPPED_NAMES", "template_frameworks"]
