"""The committed templates in workbook_templates/ are what the current code builds."""

from __future__ import annotations

import difflib
from pathlib import Path

from tests.template.semantic import semantic_digest, semantic_lines
from xlperf.template.shipped import SHIPPED_NAMES, template_frameworks

SHIPPED = Path(__file__).resolve().parents[2] / "workbook_templates"
HOW = "过期：请运行 `xlperf template build-all workbook_templates` 重新生成并提交 / stale: rebuild with build-all"


def test_every_framework_with_rows_is_shipped():
    shipped = {p.name for p in SHIPPED.glob("*.xlsx")}
    assert shipped == {pattern.format(id=fid) for fid in template_frameworks() for pattern in SHIPPED_NAMES.values()}, HOW


def test_shipped_templates_are_current(built_all, fid, formulas):
    committed, fresh = SHIPPED / SHIPPED_NAMES[formulas].format(id=fid), built_all[(fid, formulas)]
    if semantic_digest(committed) != semantic_digest(fresh):
        diff = difflib.unified_diff(semantic_lines(committed), semantic_lines(fresh), "committed", "rebuilt", n=0,
                                    lineterm="")
        raise AssertionError(HOW + "\n" + "\n".join(list(diff)[:40]))


def test_digest_sees_a_format_change(copy_of):
    import openpyxl

    path = copy_of("dapeng")
    before = semantic_digest(path)
    wb = openpyxl.load_workbook(path)
    wb["评分表"]["K4"].number_format = "0.0"
    wb.save(path)
    assert semantic_digest(path) != before
