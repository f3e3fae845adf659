"""Fill a template the way an accountant does: the case's figures typed into the yellow cells.

A numeric target's 实际完成值 is typed as a number (``68`` for ``68人``, ``94.2%`` for a percentage), as the
template's helper cells (指标性质 / 度量单位 / 指标值) ask; wordings are typed as written.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from xlperf.core.quantity import parse_quantity

SELF_EVAL = {  # level2 → (level3, nature, unit, target, actual, evaluator score, note)
    "数量指标": ("举办人才培训场次", "≥", "场次", 20, 22, None, None),
    "质量指标": ("培训合格率", "≥", "%", 0.95, 0.97, None, None),
    "时效指标": ("补贴发放平均时长", "≤", "天", 15, 12, None, None),
    "成本指标": ("人均培训成本", "≤", "万元", 0.5, 0.45, None, None),
    "经济效益指标": ("带动企业新增投资", "≥", "万元", 1000, 1200, None, None),
    "社会效益指标": ("人才服务水平", "定性", None, "有效提升", "显著提升", 10, None),
    "生态效益指标": ("绿色办公水平", "定性", None, "有效", "有效", 5, None),
    "可持续影响指标": ("人才政策长效机制", "定性", None, "健全", "基本健全", 4, "长效机制尚待完善。"),
    "服务对象满意度指标": ("服务对象满意度", "≥", "%", 0.9, 0.95, None, None),
}
PARTIES = {  # case → 项目名称, 主管部门, 实施单位 (as the published reports name them)
    "dapeng_2024": ("大鹏新区人才发展专项资金项目", "深圳市大鹏新区组织人事局", "深圳市大鹏新区组织人事局"),
    "yantian_2024": ("盐田区人才发展专项资金", "中共深圳市盐田区委组织部", "中共深圳市盐田区委组织部"),
}
SELF_EVAL_BUDGET = {"B3": "人才培训项目", "B4": "某区人力资源局", "B5": "某区人才服务中心", "B6": 2024,
                    "B9": 500, "B10": 480, "B11": 480, "B12": 470.4}


def typed(text: Any, numeric: bool) -> Any:
    """What an accountant types for a published actual: its number where the row takes numbers."""
    q = parse_quantity(text)
    if numeric and q.numeric and q.value is not None:
        value = float(q.value)
        return int(value) if value.is_integer() else value
    return text


def fill_info(info: Any, case: dict[str, Any]) -> None:
    """The 基本信息 sheet of a published case: project, department, unit, year and budget."""
    parties = PARTIES.get(case.get("id", ""), (case["title"],) * 3)
    for ref, value in zip(("B3", "B4", "B5", "B6"), (*parties, 2024)):
        info[ref] = value
    for ref, key in zip(("B9", "B10", "B11", "B12"), ("initial", "annual", "received", "spent")):
        info[ref] = case["budget"][key]


def fill_case(wb: Any, case: dict[str, Any]) -> int:
    """Type a published case into a template workbook (openpyxl); returns the total row."""
    ws = wb["评分表"]
    fill_info(wb["基本信息"], case)
    for i, row in enumerate(case["rows"]):
        r = 4 + i
        assert ws[f"C{r}"].value == row["level3"]
        if ws[f"H{r}"].protection.locked is False:
            ws[f"H{r}"] = typed(row["actual"], isinstance(ws[f"G{r}"].value, (int, float)))
        if ws[f"J{r}"].protection.locked is False:
            ws[f"J{r}"] = row["score"]
        if row.get("note"):
            ws[f"L{r}"] = row["note"]
    return 4 + len(case["rows"])


def fill_self_eval(wb: Any) -> None:
    """A unit's self-evaluation: its own indicators, targets and results (rows it added are filled alike)."""
    info, ws = wb["基本信息"], wb["评分表"]
    for ref, value in SELF_EVAL_BUDGET.items():
        info[ref] = value
    ws["L4"] = "执行率 98.00%，年底有 9.6 万元结转。"
    rows = [r for r in range(5, ws.max_row + 1) if ws[f"B{r}"].value in SELF_EVAL and not ws[f"C{r}"].protection.locked]
    groups: dict[str, list[int]] = {}
    for r in rows:
        groups.setdefault(ws[f"B{r}"].value, []).append(r)
    for level2, members in groups.items():
        name, nature, unit, target, actual, judgement, note = SELF_EVAL[level2]
        points = float(ws[f"F{members[0]}"].value)
        share = round(points / len(members), 2)  # the group keeps its points
        for n, r in enumerate(members, start=1):
            weight = share if n < len(members) else round(points - share * (n - 1), 2)
            score = None if judgement is None else round(judgement * weight / points, 2)
            for col, value in zip("CDEFGHJL", (name if n == 1 else f"{name}（{n}）", nature, unit, weight, target,
                                               actual, score, note)):
                ws[f"{col}{r}"] = value


def write_indicator_csv(case: dict[str, Any], path: Path) -> Path:
    """The case's indicator rows as a bureau's table (一级指标 … 指标值), UTF-8 with BOM as Excel saves it."""
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow(["一级指标", "二级指标", "三级指标", "分值", "指标值"])
        for row in case["rows"]:
            out.writerow([row["level1"], row["level2"], row["level3"], row["weight"], row["target"]])
    return path
