"""Returns of a bureau-made form (xlsxwriter, plain ROUND/MIN/SUM/IF formulas, merged level cells, a
基本信息 sheet, no xlperf marker), filled by units, with and without defects, and their legacy twins:
the .xls LibreOffice really saves from each .xlsx, and the .et WPS saves (a BIFF8 compound file under
WPS's name, which is what LibreOffice's Excel 97 type registers ``et`` for)."""

from __future__ import annotations

import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

ROWS = [  # level 1, level 2, level 3, weight, target, actual, judged score (None: by formula), note
    ("决策", "项目立项", "立项依据充分性", 5, "充分", "充分", 5, None),
    ("决策", "绩效目标", "绩效目标明确性", 5, "明确", "较明确", 4, "目标细化不足"),
    ("过程", "组织实施", "制度执行有效性", 10, "有效", "有效", 10, None),
    ("过程", "资金管理", "预算执行率", 10, 1, 0.98, None, "年底结转 9.6 万元"),
    ("产出", "数量指标", "培训场次", 20, 20, 22, None, None),
    ("产出", "质量指标", "培训合格率", 15, 0.95, 0.97, None, None),
    ("产出", "时效指标", "按时完成率", 10, 1, 1, None, None),
    ("效益", "社会效益", "服务对象满意度", 25, 0.9, 0.88, None, "部分对象对培训时间安排不满意"),
]
FIRST = 4  # first indicator row (1-based)
# name → (unit, edits): the defects a unit's return carries
RETURNS: dict[str, tuple[str, dict[tuple[str, str], Any]]] = {
    "clean_a": ("甲街道办事处", {}),
    "clean_b": ("乙社区服务中心", {}),
    "weight_edited": ("丙中心", {("weight", "培训场次"): 25}),
    "typed_over": ("丙中心", {("typed", "培训合格率"): 15}),
    "stale_cache": ("丁所", {("cached", "按时完成率"): 8}),
    "text_in_number": ("丁所", {("score", "绩效目标明确性"): "四分"}),
}


def _round2(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _row(ws, r: int, row: tuple, edits: dict, fmt: dict) -> float:
    """Write one indicator row (0-based ``r``); returns the score it states."""
    _, l2, l3, weight, target, actual, judged, note = row
    weight, actual = edits.get(("weight", l3), weight), edits.get(("actual", l3), actual)
    ws.write_string(r, 1, l2, fmt["cell"])
    ws.write_string(r, 2, l3, fmt["cell"])
    ws.write_number(r, 3, weight, fmt["cell"])
    ws.write(r, 7, note, fmt["cell"]) if note else ws.write_blank(r, 7, None, fmt["cell"])
    if isinstance(target, str):
        ws.write_string(r, 4, target, fmt["cell"])
        ws.write_string(r, 5, actual, fmt["cell"])
        score = edits.get(("score", l3), judged)
        ws.write(r, 6, score, fmt["num"])
        return score if isinstance(score, (int, float)) else 0.0
    number = fmt["pct"] if target <= 1 else fmt["cell"]
    ws.write_number(r, 4, target, number)
    ws.write_number(r, 5, actual, number)
    if ("typed", l3) in edits:
        ws.write_number(r, 6, edits[("typed", l3)], fmt["num"])
        return edits[("typed", l3)]
    score = _round2(weight * min(1, actual / target))
    ws.write_formula(r, 6, f"=ROUND(D{r + 1}*MIN(1,F{r + 1}/E{r + 1}),2)", fmt["num"],
                     edits.get(("cached", l3), score))
    return score


def make_return(path: Path, unit: str, edits: dict | None = None) -> Path:
    """One filled return of the bureau's form."""
    edits = edits or {}
    book = xlsxwriter.Workbook(str(path))
    fmt = {"head": book.add_format({"bold": True, "border": 1, "align": "center", "bg_color": "#D9E1F2"}),
           "cell": book.add_format({"border": 1}), "pct": book.add_format({"border": 1, "num_format": "0.00%"}),
           "num": book.add_format({"border": 1, "num_format": "0.00"})}
    info = book.add_worksheet("基本信息")
    for r, (label, value) in enumerate([("项目名称", "人才培训专项"), ("主管部门", "某区人力资源局"),
                                        ("实施单位", unit), ("评价年度", 2024)], 1):
        info.write_string(r, 0, label, fmt["cell"])
        info.write(r, 1, value, fmt["cell"])
    info.write_string(6, 0, "全年预算数", fmt["cell"])
    info.write_number(6, 1, 480, fmt["num"])
    info.write_string(7, 0, "全年执行数", fmt["cell"])
    info.write_number(7, 1, 470.4, fmt["num"])
    info.write_string(8, 0, "执行率", fmt["cell"])
    info.write_formula(8, 1, "=ROUND(B8/B7,4)", fmt["pct"], 0.98)
    ws = book.add_worksheet("评分表")
    ws.merge_range("A1:H1", "项目支出绩效评价评分表", fmt["head"])
    for c, title in enumerate(["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "得分", "扣分说明"]):
        ws.write_string(FIRST - 2, c, title, fmt["head"])
    total = _round2(sum(_row(ws, FIRST - 1 + i, row, edits, fmt) for i, row in enumerate(ROWS)))
    for level1 in dict.fromkeys(row[0] for row in ROWS):
        rows = [FIRST - 1 + i for i, row in enumerate(ROWS) if row[0] == level1]
        if len(rows) > 1:
            ws.merge_range(rows[0], 0, rows[-1], 0, level1, fmt["cell"])
        else:
            ws.write_string(rows[0], 0, level1, fmt["cell"])
    last = FIRST - 1 + len(ROWS)
    ws.merge_range(last, 0, last, 2, "合计", fmt["head"])
    ws.write_formula(last, 3, f"=SUM(D{FIRST}:D{last})", fmt["cell"], 100)
    ws.write_formula(last, 6, f"=ROUND(SUM(G{FIRST}:G{last}),2)", fmt["num"], total)
    grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    ws.write_string(last + 1, 0, "评价等级", fmt["cell"])
    ws.write_formula(last + 1, 6, f'=IF(G{last + 1}>=90,"优",IF(G{last + 1}>=80,"良",IF(G{last + 1}>=60,"中","差")))',
                     fmt["cell"], grade)
    book.close()
    return path


def make_returns(folder: Path) -> list[Path]:
    """Every RETURNS entry as an .xlsx in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return [make_return(folder / f"{name}.xlsx", unit, edits) for name, (unit, edits) in RETURNS.items()]


def make_legacy_twins(xlsx: list[Path], folder: Path) -> dict[str, Path]:
    """Each .xlsx saved as .xls by LibreOffice (one process), plus the first one as a WPS .et and as an .xls
    renamed .xlsx (as a unit asked for .xlsx may do): twin name → its .xlsx."""
    from xlperf import libreoffice

    done = libreoffice.convert(xlsx, folder, "xls", timeout=300)
    assert not done.timed_out
    twins = {done.output(src).name: src for src in xlsx}
    et = folder / f"{xlsx[0].stem}_wps.et"
    shutil.copyfile(done.output(xlsx[0]), et)
    twins[et.name] = xlsx[0]
    renamed = folder / f"{xlsx[0].stem}_renamed.xlsx"
    shutil.copyfile(done.output(xlsx[0]), renamed)
    twins[renamed.name] = xlsx[0]
    return twins
