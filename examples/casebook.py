"""Build workbooks shaped like the published score tables of the seed cases (examples and test fixtures).

Layout as printed in the reports: title rows, a header row, level-1/level-2 cells merged
vertically, text targets and actuals exactly as published, a 合计 row, the grade, and the
budget block below. Options make variants: header synonyms, shuffled or extra columns.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side

CASES = Path(__file__).with_name("cases")
STANDARD = ("level1", "level2", "level3", "weight", "target", "actual", "score", "note")
HEADERS = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "weight": "分值",
           "target": "指标值", "actual": "实际完成值", "score": "得分", "note": "扣分说明"}
SYNONYMS = {"level3": "指标名称", "weight": "权重", "target": "年度指标值", "actual": "完成值",
            "score": "自评得分", "note": "偏差原因分析及改进措施"}
EXTRA = {"seq": "序号", "criteria": "评分标准", "source": "数据来源"}


def load_case(name: str) -> dict[str, Any]:
    return json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))


def _merge_runs(ws, col: int, rows: list[tuple[int, str]]) -> None:
    """Merge vertical runs of equal values in one column, as the published tables do."""
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][1] != rows[start][1]:
            if i - start > 1:
                ws.merge_cells(start_row=rows[start][0], start_column=col, end_row=rows[i - 1][0], end_column=col)
            start = i


def build(case: dict[str, Any], path: Path, *, notes: bool | None = None, synonyms: bool = False,
          order: Sequence[str] | None = None, extra: Sequence[str] = (), title_rows: int = 2,
          sheet: str = "评分表") -> Path:
    """Write the case's score table to ``path`` (.xlsx) and return the path."""
    has_notes = any(r["note"] for r in case["rows"]) if notes is None else notes
    fields = [f for f in (order or STANDARD) if f != "note" or has_notes] + list(extra)
    labels = {**HEADERS, **(SYNONYMS if synonyms else {}), **EXTRA}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    thin = Side(style="thin")
    if title_rows >= 1:
        ws.cell(1, 1, f"{case['title']} 评价指标体系得分表").font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(fields))
    if title_rows >= 2:
        ws.cell(2, 1, "单位：分")
    for extra_row in range(3, title_rows + 1):
        ws.cell(extra_row, 1, f"说明 {extra_row}")
    header = title_rows + 1
    for col, field in enumerate(fields, 1):
        ws.cell(header, col, labels[field]).font = Font(bold=True)
    first = header + 1
    for i, row in enumerate(case["rows"]):
        values = {**row, "seq": i + 1, "criteria": "按实际完成情况计分", "source": "单位填报"}
        for col, field in enumerate(fields, 1):
            cell = ws.cell(first + i, col, values[field])
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    last = first + len(case["rows"]) - 1
    for level in ("level1", "level2"):
        col = fields.index(level) + 1
        keys = [(first + i, (r["level1"], r["level2"])[: 1 if level == "level1" else 2]) for i, r in enumerate(case["rows"])]
        _merge_runs(ws, col, [(r, "|".join(k)) for r, k in keys])
    total_row = last + 1
    ws.cell(total_row, fields.index("level1") + 1, "合计")
    ws.cell(total_row, fields.index("weight") + 1, sum(r["weight"] for r in case["rows"]))
    ws.cell(total_row, fields.index("score") + 1, case["stated"]["total"])
    ws.cell(total_row + 1, 1, "评价等级")
    ws.cell(total_row + 1, 2, case["stated"]["grade"])
    budget = case["budget"]
    top = total_row + 3
    ws.cell(top, 1, f"项目资金情况（单位：{budget['unit']}）")
    for col, (label, key) in enumerate((("年初预算数", "initial"), ("全年预算数", "annual"),
                                        ("实际到位资金", "received"), ("实际支出", "spent")), 1):
        ws.cell(top + 1, col, label)
        ws.cell(top + 2, col, budget[key])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


EXAMPLE_FILES = {"yantian_2024": "盐田_2024_人才发展专项资金.xlsx", "dapeng_2024": "大鹏_2024_人才发展专项资金.xlsx"}


def build_examples(folder: Path) -> list[Path]:
    """The bundled example workbooks, one per seed case."""
    return [build(load_case(name), folder / filename) for name, filename in EXAMPLE_FILES.items()]


if __name__ == "__main__":
    for built in build_examples(Path(__file__).parent):
        print(built)
