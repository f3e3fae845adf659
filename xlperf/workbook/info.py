"""Project facts written in a workbook (项目名称, 主管部门, 实施单位, 评价年度) for the summary."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from xlperf.workbook.grid import SheetGrid
from xlperf.workbook.layout import first_match, norm_label

INFO_LABELS: dict[str, tuple[str, ...]] = {
    "project": ("项目名称",),
    "department": ("主管部门", "预算部门", "主管部门及代码", "部门名称"),
    "unit": ("实施单位", "单位名称", "项目实施单位", "预算单位"),
    "year": ("评价年度", "年度", "预算年度"),
}
_INFO_KEYS = first_match(INFO_LABELS)


@lru_cache(maxsize=2048)
def _info_key(text: str) -> str | None:
    return _INFO_KEYS.get(norm_label(text))


def find_info(grids: Iterable[SheetGrid]) -> dict[str, str]:
    """The first value written to the right of each label, on any sheet."""
    found: dict[str, str] = {}
    for grid in grids:
        labels = [(pos, key) for pos, value in grid.values.items()
                  if isinstance(value, str) and (key := _info_key(value))]
        for (row, col), key in sorted(labels):
            if key in found:
                continue
            for offset in (1, 2):
                near = grid.get(row, col + offset)
                if near is not None and str(near).strip():
                    found[key] = str(near).strip()
                    break
    return found
