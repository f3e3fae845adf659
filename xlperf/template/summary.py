"""The summary per level 1 (一级指标 / 分值 / 得分 / 得分率 / 校验提示) on 基本信息, with the filling hint below it.

It sits on 基本信息 rather than under the 评分表, so the printed 评分表 is one table (continued with its header
where it runs onto another page) and page 1 is the cover: project, budget, rates, and the result by level.
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Font

from xlperf.core.frameworks import Framework
from xlperf.template.flavours import Geometry, sum_checks
from xlperf.template.sheetstyle import HEADER_FILL, fit_height, put, text_lines

LABEL_ROW = 16
HEAD_ROW = LABEL_ROW + 1
WIDTHS = (24, 40, 14, 14, 30)


def summary_cells(names: list[str]) -> dict[str, str]:
    """Each level 1's weight cell in the summary (what the 评分表's split checks add up)."""
    return {name: f"基本信息!B{HEAD_ROW + 1 + i}" for i, name in enumerate(names)}


def build_summary(ws: Any, fw: Framework, flavour: Any, g: Geometry, hint: str) -> dict[str, Any]:
    """Write the summary and the hint on 基本信息; returns the layout facts and the last printed row."""
    cfg, names = fw.config, list(g.blocks)
    put(ws, f"A{LABEL_ROW}", "一级指标汇总（由评分表自动计算）", bold=True, border=False)
    for col, text in zip("ABCDE", ("一级指标", "分值", "得分", "得分率", "校验提示")):
        put(ws, f"{col}{HEAD_ROW}", text, bold=True, center=True, fill=HEADER_FILL)
    for i, name in enumerate(names):
        r = HEAD_ROW + 1 + i
        put(ws, f"A{r}", name, center=True)
        put(ws, f"B{r}", flavour.subtotal(g, f"A{r}", name, "F", cfg), fmt="0.00", center=True)
        put(ws, f"C{r}", flavour.subtotal(g, f"A{r}", name, "K", cfg), fmt="0.00", center=True)
        put(ws, f"D{r}", f'=IF(B{r}=0,"",C{r}/B{r})', fmt="0.00%", center=True)
        expected = cfg.level1_weights.get(cfg.role_of(name) or name)
        put(ws, f"E{r}", sum_checks([(f"B{r}", expected, "")]) if expected is not None else None, wrap=True,
            font=Font(size=9, color="C00000"))
    last = HEAD_ROW + len(names)
    note = last + 2
    put(ws, f"A{note}", "说明：" + hint, border=False, wrap=True, font=Font(italic=True, size=9, color="595959"))
    ws.merge_cells(f"A{note}:E{note}")
    fit_height(ws, note, 13 * text_lines("说明：" + hint, sum(WIDTHS) - 10, 9) + 6)
    for col, width in zip("ABCDE", WIDTHS):
        ws.column_dimensions[col].width = width
    return {"summary_sheet": ws.title, "summary_rows": [HEAD_ROW + 1, last], "info_end": note}


__all__ = ["build_summary", "summary_cells", "LABEL_ROW"]
