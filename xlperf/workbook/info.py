"""Project facts written in a workbook (项目名称, 主管部门, 实施单位, 评价年度) for the summary."""

from __future__ import annotations

from typing import Iterable

from xlperf.workbook.grid import SheetGrid
from xlperf.workbook.layout import norm_label

INFO_LABELS: dict[str, tuple[str, ...]] = {
    "project": ("项目名称",),
    "department": ("主管部门", "预算部门", "主管部门及代码", "部门名称"),
    "unit": ("实施单位", "单位名称", "项目实施单位", "预算单位"),
    "year": ("评价年度", "年度", "预算年度"),
}


def find_info(grids: Iterable[SheetGrid]) -> dict[str, str]:
    """The first value written to the right of each label, on any sheet."""
    found: dict[str, str] = {}
    for grid in grids:
        for (row, col), value in sorted(grid.values.items()):
            if not isinstance(value, str):
                continue
            label = norm_label(value)
            for key, words in INFO_LABELS.items():
                if key in found or label not in words:
                    continue
                for offset in (1, 2):
                    near = grid.get(row, col + offset)
                    if near is not None and str(near).strip():
                        found[key] = str(near).strip()
                        break
    return found
