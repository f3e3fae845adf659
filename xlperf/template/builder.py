"""Build a framework's Excel template: 基本信息 + 评分表 with xlperf formulas, validation, protection and a marker.

Layout (fixed; the batch checker relies on it and the marker's ``layout`` JSON records it):

* 基本信息: A1 title (merged A1:D1); A3:A6 项目名称 / 主管部门 / 实施单位 / 评价年度 with inputs in B3:B6;
  A8 预算资金（单位：万元）; A9:A12 年初预算数 / 全年预算数 / 实际到位资金 / 全年执行数 with inputs B9:B12;
  B13 资金到位率 ``=PERF_RATE(B11,B10)``; B14 预算执行率 ``=PERF_RATE(B12,B11)`` (``B10`` when the
  framework's execution base is "annual"); A16 a filling hint.
* 评分表: A1 title (merged A1:M1), A2 单位：分, C2 a filling hint; header row 3
  (一级指标 … 校验提示, columns A–M, see ``HEADERS``); one data row per indicator from row 4, level 1/2
  merged over runs; H of 预算执行率 / 资金到位率 rows links to 基本信息 B14 / B13; K ``PERF_SCORE``,
  M ``PERF_CHECK``. Total row t (合计, F ``SUM``, K ``PERF_TOTAL``), t+1 评价等级 in J with ``PERF_GRADE`` in K,
  t+3 the level-1 summary header (一级指标 / 分值 / 得分 / 得分率) and one ``PERF_SUBTOTAL`` row per level 1.
* xlwings.conf (hidden): ``UDF Modules`` = ``xlperf.udfs``. _xlperf (veryHidden): the marker.

Inputs (H 实际完成值, J 评价人评分 of judged rows, L 扣分说明, the framework's ``[template] inputs``,
基本信息 B3:B6, B9:B12) are unlocked with a light-yellow fill; everything else is locked; both sheets are
protected without a password.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

import xlperf
from xlperf.core.frameworks import Framework, FrameworkIndicator, load_framework
from xlperf.core.quantity import Kind, parse_quantity
from xlperf.core.rules import METHOD_LABELS, infer_method
from xlperf.core.scales import load_scales
from xlperf.template.fingerprint import MARKER_SHEET, structure_fingerprint
from xlperf.template.sheetstyle import (ALERT_FILL, HEADER_FILL, NOTICE_FILL, OFF_FILL, number, print_setup, protect,
                                        put, text_lines, validation)

from xlperf.template.version import TEMPLATE_VERSION  # noqa: E402  (re-exported)
INFO, TABLE, CONF = "基本信息", "评分表", "xlwings.conf"
HEADERS = (("level1", "一级指标", 10), ("level2", "二级指标", 12), ("level3", "三级指标", 28), ("nature", "指标性质", 8),
           ("unit", "度量单位", 8), ("weight", "分值", 7), ("target", "指标值", 12), ("actual", "实际完成值", 12),
           ("method", "评分方法", 11), ("judgement", "评价人评分", 10), ("score", "得分", 8),
           ("note", "扣分说明", 26), ("check", "校验提示", 30))
COL = {role: chr(ord("A") + i) for i, (role, _, _) in enumerate(HEADERS)}
HEADER_ROW, FIRST_ROW = 3, 4
INFO_FIELDS = ("项目名称", "主管部门", "实施单位", "评价年度")
BUDGET = (("initial", "年初预算数"), ("annual", "全年预算数"), ("received", "实际到位资金"), ("spent", "全年执行数"))
RATE_LINKS = {"预算执行率": "=基本信息!$B$14", "资金到位率": "=基本信息!$B$13"}
INPUT_ROLES = ("level3", "nature", "unit", "target", "weight")
JUDGED = frozenset({"judgement", "qualitative", "deadline"})
FIXED_TIME = dt.datetime(2024, 1, 1)

HINT = ("黄色单元格为填写项；得分、合计、等级和校验提示由 xlperf 函数自动计算（需安装 xlwings 加载项并导入函数）。"
        "未安装时公式显示 #NAME?，不影响填写，交回后由财政部门统一复算。")


def _bound(value: Decimal) -> str:
    return format(value.normalize() + 0, "f")


def _runs(keys: list[Any]) -> list[tuple[int, int]]:
    """(first, last) index of each run of equal consecutive keys."""
    runs, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            runs.append((start, i - 1))
            start = i
    return runs


def row_method(fw: Framework, ind: FrameworkIndicator) -> str | None:
    """The method a row shows: the framework's, else inferred from the target (evaluations only)."""
    if ind.method:
        return ind.method
    if fw.kind == "self":
        return None
    return infer_method(ind.level1, ind.level3, parse_quantity(ind.target), parse_quantity(""), fw.config, ind.nature)


def scale_words(target: str, scales_path: str | None = None) -> list[str]:
    """The wordings on the target's scale, best first (empty when the target is on no scale)."""
    level = parse_quantity(target).level
    if level is None:
        return []
    words = [(lv.rank, word) for word, lv in load_scales(scales_path).words if lv.scale == level.scale]
    return [word for _, word in sorted(words, key=lambda item: -item[0])]


def build_info(wb: Workbook, fw: Framework) -> Any:
    """The 基本信息 sheet: project data and the budget block with the two rates."""
    ws = wb.active
    ws.title = INFO
    put(ws, "A1", fw.name, bold=True, border=False, font=Font(bold=True, size=14))
    ws.merge_cells("A1:D1")
    ws.row_dimensions[1].height = 28
    for i, label in enumerate(INFO_FIELDS):
        put(ws, f"A{3 + i}", label, bold=True, fill=HEADER_FILL)
        put(ws, f"B{3 + i}", entry=True)
    put(ws, "A8", "预算资金（单位：万元）", bold=True, border=False)
    for i, (_, label) in enumerate(BUDGET):
        put(ws, f"A{9 + i}", label, bold=True, fill=HEADER_FILL)
        put(ws, f"B{9 + i}", fmt="#,##0.00", entry=True)
    validation(ws, "B9:B12", "decimal", "0", operator="greaterThanOrEqual", prompt="填写金额（万元），不小于 0。",
                error="金额应为不小于 0 的数字（万元）。")
    base = "B10" if fw.config.execution_base == "annual" else "B11"
    put(ws, "A13", "资金到位率", bold=True, fill=HEADER_FILL)
    put(ws, "B13", "=PERF_RATE(B11,B10)", fmt="0.00%")
    put(ws, "A14", "预算执行率", bold=True, fill=HEADER_FILL)
    put(ws, "B14", f"=PERF_RATE(B12,{base})", fmt="0.00%")
    put(ws, "A16", "说明：" + HINT, border=False, font=Font(italic=True, size=9, color="595959"))
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 14
    print_setup(ws, "A1:D16")
    protect(ws)
    return ws


def _data_row(ws: Any, fw: Framework, ind: FrameworkIndicator, r: int, inputs: set[str]) -> str | None:
    """One indicator row; returns its method id (None when the unit chooses it)."""
    method = row_method(fw, ind)
    target_q = parse_quantity(ind.target)
    c = {role: f"{COL[role]}{r}" for role in COL}
    put(ws, c["level1"], ind.level1, wrap=True, center=True)
    put(ws, c["level2"], ind.level2, wrap=True, center=True)
    put(ws, c["level3"], ind.level3, wrap=True, entry="level3" in inputs)
    put(ws, c["nature"], ind.nature or None, center=True, entry="nature" in inputs)
    put(ws, c["unit"], ind.unit or None, center=True, entry="unit" in inputs)
    put(ws, c["weight"], number(ind.weight), fmt="0.00", center=True, entry="weight" in inputs)
    put(ws, c["target"], ind.target or None, wrap=True, center=True, entry="target" in inputs)
    link = next((formula for name, formula in RATE_LINKS.items() if name in ind.level3), None)
    percent = target_q.kind is Kind.PERCENT or ind.unit.strip() in ("%", "％")
    if link:
        put(ws, c["actual"], link, fmt="0.00%", center=True)
    else:
        put(ws, c["actual"], ind.actual or None, fmt="0.00%" if percent else None, center=True, entry=True)
    put(ws, c["method"], METHOD_LABELS[method] if method else None, center=True, entry=method is None)
    judged = method is None or method in JUDGED
    put(ws, c["judgement"], fmt="0.00", center=True, entry=judged, fill=None if judged else OFF_FILL)
    put(ws, c["score"], f"=PERF_SCORE(F{r},G{r},H{r},I{r},J{r},D{r},E{r})", fmt="0.00", center=True)
    put(ws, c["note"], wrap=True, entry=True)
    put(ws, c["check"], f"=PERF_CHECK(F{r},G{r},H{r},K{r},L{r},I{r},J{r},D{r},E{r})",
         wrap=True, font=Font(size=9, color="C00000"))
    height = max(text_lines(ind.level3, 28), text_lines(ind.target, 12), text_lines(ind.level2, 12))
    ws.row_dimensions[r].height = max(20, 15 * height + 4)
    return method


def _table_validations(ws: Any, rows: list[tuple[int, FrameworkIndicator, str | None]], last: int, scales: str | None) -> None:
    labels = ",".join(METHOD_LABELS.values())
    validation(ws, f"I{FIRST_ROW}:I{last}", "list", f'"{labels}"', prompt="选择评分方法；留空则按指标值推断。",
                error="请从列表中选择评分方法。")
    validation(ws, f"J{FIRST_ROW}:J{last}", "decimal", "0", f"$F{FIRST_ROW}", operator="between",
                prompt="评价人评分：0 至分值之间。", error="评价人评分应在 0 至该行分值之间。")
    validation(ws, f"F{FIRST_ROW}:F{last}", "decimal", "0", "100", operator="between", error="分值应在 0 至 100 之间。")
    by_words: dict[str, list[str]] = {}
    for r, ind, method in rows:
        if method in ("qualitative", "judgement") and ind.target:
            words = scale_words(ind.target, scales)
            if words and not any(name in ind.level3 for name in RATE_LINKS):
                by_words.setdefault(",".join(words), []).append(f"H{r}")
    for words, cells in by_words.items():
        validation(ws, " ".join(cells), "list", f'"{words}"', prompt="可从列表选择，也可填写其他表述。",
                    error="建议使用列表中的表述；其他表述也可保留。", style="information")
    ws.conditional_formatting.add(f"L{FIRST_ROW}:L{last}", FormulaRule(
        formula=[f"AND(ISNUMBER($K{FIRST_ROW}),$K{FIRST_ROW}<$F{FIRST_ROW},LEN(TRIM($L{FIRST_ROW}))=0)"], fill=ALERT_FILL))
    ws.conditional_formatting.add(f"M{FIRST_ROW}:M{last}", FormulaRule(
        formula=[f"LEN($M{FIRST_ROW})>0"], fill=NOTICE_FILL))


def build_table(wb: Workbook, fw: Framework) -> dict[str, Any]:
    """The 评分表 sheet; returns the layout facts recorded in the marker."""
    ws = wb.create_sheet(TABLE)
    inputs = set(fw.extra.get("inputs", ()))
    unknown = inputs - set(INPUT_ROLES)
    if unknown:
        raise ValueError(f"框架 {fw.id} 的 [template] inputs 含未知角色：{', '.join(sorted(unknown))}")
    put(ws, "A1", fw.name, border=False, font=Font(bold=True, size=14), center=True)
    ws.merge_cells("A1:M1")
    ws.row_dimensions[1].height = 28
    put(ws, "A2", "单位：分", border=False)
    put(ws, "C2", HINT, border=False, font=Font(italic=True, size=9, color="595959"))
    for role, text, width in HEADERS:
        put(ws, f"{COL[role]}{HEADER_ROW}", text, bold=True, wrap=True, center=True, fill=HEADER_FILL)
        ws.column_dimensions[COL[role]].width = width
    ws.row_dimensions[HEADER_ROW].height = 30
    rows = []
    for i, ind in enumerate(fw.indicators):
        r = FIRST_ROW + i
        rows.append((r, ind, _data_row(ws, fw, ind, r, inputs)))
    last = FIRST_ROW + len(fw.indicators) - 1
    level1 = [ind.level1 for ind in fw.indicators]
    for start, end in _runs(level1):
        if end > start:
            ws.merge_cells(f"A{FIRST_ROW + start}:A{FIRST_ROW + end}")
    for start, end in _runs([(ind.level1, ind.level2) for ind in fw.indicators]):
        if end > start:
            ws.merge_cells(f"B{FIRST_ROW + start}:B{FIRST_ROW + end}")
    _table_validations(ws, rows, last, fw.config.scales_path)
    t = last + 1
    for col in "ABCDEFGHIJKLM":
        put(ws, f"{col}{t}", bold=True, center=True)
    put(ws, f"A{t}", "合计", bold=True, center=True)
    ws.merge_cells(f"A{t}:E{t}")
    put(ws, f"F{t}", f"=SUM(F{FIRST_ROW}:F{last})", fmt="0.00", bold=True, center=True)
    rescale = "TRUE" if fw.config.na_policy == "rescale" else "FALSE"
    put(ws, f"K{t}", f"=PERF_TOTAL(F{FIRST_ROW}:F{last},K{FIRST_ROW}:K{last},I{FIRST_ROW}:I{last},{rescale})",
         fmt="0.00", bold=True, center=True)
    ws.row_dimensions[t].height = 22
    bands = ",".join(f"{name}:{_bound(low)}" for low, name in fw.config.grade_bands)
    put(ws, f"J{t + 1}", "评价等级", bold=True, center=True, fill=HEADER_FILL)
    put(ws, f"K{t + 1}", f'=PERF_GRADE(K{t},"{bands}")', bold=True, center=True)
    head = t + 3
    for col, text in zip("ABCD", ("一级指标", "分值", "得分", "得分率")):
        put(ws, f"{col}{head}", text, bold=True, center=True, fill=HEADER_FILL)
    names = list(dict.fromkeys(level1))
    span = f"$A${FIRST_ROW}:$A${last}"
    for i, name in enumerate(names):
        r = head + 1 + i
        put(ws, f"A{r}", name, center=True)
        put(ws, f"B{r}", f"=PERF_SUBTOTAL({span},A{r},$F${FIRST_ROW}:$F${last})", fmt="0.00", center=True)
        put(ws, f"C{r}", f"=PERF_SUBTOTAL({span},A{r},$K${FIRST_ROW}:$K${last})", fmt="0.00", center=True)
        put(ws, f"D{r}", f'=IF(B{r}=0,"",C{r}/B{r})', fmt="0.00%", center=True)
    end = head + len(names)
    ws.freeze_panes = f"A{FIRST_ROW}"
    print_setup(ws, f"A1:M{end}", f"{HEADER_ROW}:{HEADER_ROW}")
    protect(ws)
    return {"sheet": TABLE, "info_sheet": INFO, "header_row": HEADER_ROW, "first_row": FIRST_ROW, "last_row": last,
            "total_row": t, "grade_cell": f"K{t + 1}", "summary_rows": [head + 1, end], "columns": dict(COL),
            "inputs": sorted(inputs), "budget": {key: f"B{9 + i}" for i, (key, _) in enumerate(BUDGET)},
            "rates": {"received_rate": "B13", "execution_rate": "B14"}}


def _conf_and_marker(wb: Workbook, fw: Framework, layout: dict[str, Any]) -> None:
    conf = wb.create_sheet(CONF)
    conf["A1"], conf["B1"] = "UDF Modules", "xlperf.udfs"
    conf.sheet_state = "hidden"
    marker = wb.create_sheet(MARKER_SHEET)
    rows = (("framework", fw.id), ("framework_name", fw.name), ("template_version", TEMPLATE_VERSION),
            ("xlperf_version", xlperf.__version__), ("fingerprint", structure_fingerprint(wb)),
            ("layout", json.dumps(layout, ensure_ascii=False, separators=(",", ":"))))
    for i, (key, value) in enumerate(rows, start=1):
        marker[f"A{i}"], marker[f"B{i}"] = key, value
    marker.sheet_state = "veryHidden"


def make_workbook(framework: Framework | str) -> Workbook:
    """The template as an in-memory openpyxl workbook. ValueError for a framework without indicators."""
    fw = load_framework(framework) if isinstance(framework, str) else framework
    if not fw.indicators:
        raise ValueError(f"框架 {fw.id} 没有指标行，不能生成模板")
    wb = Workbook()
    build_info(wb, fw)
    layout = build_table(wb, fw)
    _conf_and_marker(wb, fw, layout)
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = "xlperf"
    props.title = fw.name
    props.created = props.modified = FIXED_TIME
    return wb


def save_atomic(wb: Workbook, path: Path) -> Path:
    """Write to a temporary file in the same folder, then replace ``path``; keeps the fixed document dates.

    Uses ``xlperf.workbook.atomic`` (temporary file beside the target, fsync, rename).
    """
    from xlperf.workbook.atomic import atomic_output

    with atomic_output(path) as tmp, ZipFile(tmp, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()  # openpyxl's save_workbook would stamp "modified" with now
    return Path(path)


def build_template(framework: Framework | str, path: Path) -> Path:
    """Build the template of ``framework`` (a Framework or an id / TOML path) at ``path``; returns the path."""
    return save_atomic(make_workbook(framework), Path(path))


__all__ = ["TEMPLATE_VERSION", "HEADERS", "COL", "build_template", "make_workbook", "save_atomic", "row_method",
           "scale_words"]
