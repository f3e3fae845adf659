"""The 评分表 sheet: header, one row per indicator, 合计, 评价等级 and the summary per level 1.

Layout (the batch checker and the marker's ``layout`` rely on it): title A1 (merged A1:M1), A2 单位：分,
the filling hint in C2 (merged C2:M2); header row 3, columns A–M (``HEADERS``); data rows from 4; the total
row t (合计; F weights, K total, M weights checks), t+1 评价等级 (J label, K grade). The summary per level 1
is on 基本信息 (``summary``), so a table running onto a second page never leaves a stray piece behind.
Plain-formula templates add three hidden helper columns N–P (the method the core applies, the level codes
of the actual and target wordings).

Fixed indicator tables merge level-1/2 cells over their runs. Tables whose rows the unit may repeat
(``[template] grow``) repeat the level names on every row instead (repeats are shown blank by a
conditional format), so a row copied with Excel's "insert copied cells" carries them; a copy is inserted
above the row copied, so it lands inside every range (ranges start at the header row when the first data
row may be copied).
"""

from __future__ import annotations

from typing import Any

from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font

from xlperf.core.frameworks import Framework
from xlperf.core.rules import METHOD_LABELS
from xlperf.template import plain
from xlperf.template.flavours import Geometry, sum_checks
from xlperf.template.plan import NATURES, RowPlan, plan_rows
from xlperf.template.sheetstyle import (ALERT_FILL, HEADER_FILL, NOTICE_FILL, OFF_FILL, fit_height, hide_repeats, number,
                                        print_setup, protect, put, text_lines, validation)
from xlperf.template.wording import scale_words, target_code

TABLE = "评分表"
HEADERS = (("level1", "一级指标", 10), ("level2", "二级指标", 12), ("level3", "三级指标", 28), ("nature", "指标性质", 8),
           ("unit", "度量单位", 8), ("weight", "分值", 7), ("target", "指标值", 12), ("actual", "实际完成值", 12),
           ("method", "评分方法", 11), ("judgement", "评价人评分", 10), ("score", "得分", 8),
           ("note", "扣分说明", 26), ("check", "校验提示", 30))
COL = {role: chr(ord("A") + i) for i, (role, _, _) in enumerate(HEADERS)}
HELPERS = {"method_applied": "N", "actual_level": "O", "target_level": "P"}
HEADER_ROW, FIRST_ROW = 3, 4
INPUT_ROLES = ("level3", "nature", "unit", "target", "weight")
NOTE_WIDTH = 26


def row_key(plan: RowPlan) -> str:
    """How a row is named in the marker's ``grow`` list (level 1|level 2)."""
    return f"{plan.ind.level1}|{plan.ind.level2}"


def expand(plans: list[RowPlan], counts: dict[str, int] | None) -> list[RowPlan]:
    """The rows with each growable row repeated ``counts[row_key]`` times (a returned copy's shape)."""
    out = []
    for plan in plans:
        n = (counts or {}).get(row_key(plan), 1) if plan.grow else 1
        out.extend([plan] * max(1, n))
    return out


def _percent_format(value: Any) -> str:
    return "0%" if isinstance(value, (int, float)) and round(value * 100, 9) == int(round(value * 100, 9)) else "0.00%"


def _constants(ws: Any, plan: RowPlan, r: int, inputs: set[str]) -> None:
    """Columns A–G and I of one row: level names, helper target cells, weight, method label."""
    ind, c = plan.ind, {role: f"{COL[role]}{r}" for role in COL}
    put(ws, c["level1"], ind.level1, wrap=True, center=True)
    put(ws, c["level2"], ind.level2, wrap=True, center=True)
    put(ws, c["level3"], ind.level3, wrap=True, entry="level3" in inputs)
    put(ws, c["nature"], plan.nature or None, center=True, entry="nature" in inputs)
    put(ws, c["unit"], plan.unit or None, center=True, entry="unit" in inputs)
    put(ws, c["weight"], number(ind.weight), fmt="0.00", center=True, entry="weight" in inputs)
    fmt = "yyyy-mm-dd" if plan.date else (_percent_format(plan.target) if plan.percent else None)
    put(ws, c["target"], plan.target, fmt=fmt, wrap=True, center=True, entry="target" in inputs)
    label = METHOD_LABELS[plan.method] if plan.method else None
    put(ws, c["method"], label, center=True, entry=plan.method is None)
    if ind.criteria:
        ws[c["level3"]].comment = Comment(f"评分标准：{ind.criteria}", "xlperf", width=300, height=120)


def _data_row(ws: Any, fw: Framework, flavour: Any, plan: RowPlan, r: int, inputs: set[str]) -> None:
    inputs = set() if plan.link else inputs  # 预算执行率 / 资金到位率 rows come from the budget block as they are
    _constants(ws, plan, r, inputs)
    c = {role: f"{COL[role]}{r}" for role in COL}
    fmt = "yyyy-mm-dd" if plan.date else ("0.00%" if plan.percent else None)
    if plan.link:
        put(ws, c["actual"], plan.link, fmt="0.00%", center=True)
    else:
        put(ws, c["actual"], plan.ind.actual or None, fmt=fmt, center=True, entry=True)
    put(ws, c["judgement"], fmt="0.00", center=True, entry=plan.judged, fill=None if plan.judged else OFF_FILL)
    row = plain.Row(r, plan, fw.config, "weight" in inputs, "nature" in inputs, fw.config.scales_path)
    formulas = flavour.row(row)
    put(ws, c["score"], formulas["K"], fmt="0.00", center=True)
    put(ws, c["note"], wrap=True, entry=True)
    put(ws, c["check"], formulas["M"], wrap=True, font=Font(size=9, color="C00000"))
    if flavour.helpers:
        _helpers(ws, fw, row)
    lines = max(text_lines(plan.ind.level3, 28), text_lines(str(plan.target or ""), 12), text_lines(plan.ind.level2, 12))
    fit_height(ws, r, max(20, 15 * lines + 4))


def _helpers(ws: Any, fw: Framework, row: plain.Row) -> None:
    """Hidden helper cells N (method applied), O (actual level), P (target level)."""
    plan = row.plan
    if plan.method is None:
        role_judged = fw.config.role_of(plan.ind.level1) in fw.config.judgement_roles
        put(ws, row.N, plain.method_formula(row, role_judged), border=False)
        put(ws, row.O, plain.actual_level_formula(row), border=False)
        put(ws, row.P, plain.target_level_formula(row), border=False)
        return
    put(ws, row.N, METHOD_LABELS[plan.method], border=False)
    if plan.judged and not plan.date:
        put(ws, row.O, plain.actual_level_formula(row), border=False)
        put(ws, row.P, target_code(str(plan.target or ""), fw.config.scales_path), border=False)


def _merge_levels(ws: Any, plans: list[RowPlan]) -> None:
    for col, key in (("A", lambda p: p.ind.level1), ("B", lambda p: (p.ind.level1, p.ind.level2))):
        keys = [key(p) for p in plans]
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start]:
                if i - 1 > start:
                    ws.merge_cells(f"{col}{FIRST_ROW + start}:{col}{FIRST_ROW + i - 1}")
                start = i


def _validations(ws: Any, fw: Framework, plans: list[RowPlan], last: int, inputs: set[str]) -> None:
    labels = ",".join(METHOD_LABELS.values())
    validation(ws, f"I{FIRST_ROW}:I{last}", "list", f'"{labels}"', prompt="选择评分方法；留空则按指标性质和指标值推断。",
               error="请从列表中选择评分方法。")
    validation(ws, f"J{FIRST_ROW}:J{last}", "decimal", "0", f"$F{FIRST_ROW}", operator="between",
               prompt="评价人评分：0 至分值之间。", error="评价人评分应在 0 至该行分值之间。")
    validation(ws, f"F{FIRST_ROW}:F{last}", "decimal", "0", "100", operator="between", error="分值应在 0 至 100 之间。")
    if "nature" in inputs:
        validation(ws, f"D{FIRST_ROW}:D{last}", "list", '"' + ",".join(NATURES) + '"',
                   prompt="≥ 越大越好，≤ 越小越好，= 等于指标值，定性 由评价人评分。", error="请从列表中选择指标性质。")
    numeric = [f"H{FIRST_ROW + i}" for i, p in enumerate(plans) if not p.link and p.method in ("proportional", "reverse",
                                                                                               "equal", "interval", "rate")]
    if numeric:
        validation(ws, " ".join(numeric), "decimal", "-1E+15", "1E+15", operator="between",
                   prompt="填写数字；单位见度量单位列。", error="实际完成值应为数字，单位写在度量单位列。")
    by_words: dict[str, list[str]] = {}
    for i, plan in enumerate(plans):
        if plan.method in ("qualitative", "judgement") and plan.ind.target and not plan.link:
            words = scale_words(plan.ind.target, fw.config.scales_path)
            if words:
                by_words.setdefault(",".join(words), []).append(f"H{FIRST_ROW + i}")
    for words, cells in by_words.items():
        validation(ws, " ".join(cells), "list", f'"{words}"', prompt="可从列表选择，也可填写其他表述。",
                   error="建议使用列表中的表述；其他表述也可保留。", style="information")
    ws.conditional_formatting.add(f"L{FIRST_ROW}:L{last}", FormulaRule(
        formula=[f"AND(ISNUMBER($K{FIRST_ROW}),$K{FIRST_ROW}<$F{FIRST_ROW},LEN(TRIM($L{FIRST_ROW}))=0)"], fill=ALERT_FILL))
    ws.conditional_formatting.add(f"M{FIRST_ROW}:M{last}", FormulaRule(formula=[f"LEN($M{FIRST_ROW})>0"], fill=NOTICE_FILL))


def geometry(fw: Framework, counts: dict[str, int] | None = None) -> tuple[list[RowPlan], Geometry]:
    """The rows of the 评分表 (growable groups repeated per ``counts``) and where they are."""
    plans = expand(plan_rows(fw), counts)
    names = list(dict.fromkeys(p.ind.level1 for p in plans))
    rows = {name: [FIRST_ROW + i for i, p in enumerate(plans) if p.ind.level1 == name] for name in names}
    blocks = {name: (min(found), max(found)) for name, found in rows.items()}
    return plans, Geometry(HEADER_ROW, FIRST_ROW, FIRST_ROW + len(plans) - 1, any(p.grow for p in plans), blocks,
                           bool(plans) and plans[0].grow)


def _totals(ws: Any, fw: Framework, flavour: Any, g: Geometry, summary: dict[str, str]) -> dict[str, Any]:
    """合计 (weights, total, weights checks) and 评价等级; returns their layout facts.

    ``summary`` maps each level 1 to its weight cell in the summary on 基本信息 (for the split checks)."""
    cfg, t = fw.config, g.last + 1
    for col in "ABCDEFGHIJKLM":
        put(ws, f"{col}{t}", bold=True, center=True)
    put(ws, f"A{t}", "合计", bold=True, center=True)
    ws.merge_cells(f"A{t}:E{t}")
    put(ws, f"F{t}", f"=SUM({g.span('F')})", fmt="0.00", bold=True, center=True)
    put(ws, f"K{t}", flavour.total(g, cfg), fmt="0.00", bold=True, center=True)
    fit_height(ws, t, 22)
    checks = [(f"F{t}", cfg.total_weight, "三级指标")]
    for rule in cfg.split_rules:
        cells = [cell for name, cell in summary.items() if cfg.role_of(name) in rule.roles]
        checks.append(("+".join(cells) or "0", rule.total, "+".join(rule.roles)))
    put(ws, f"M{t}", sum_checks(checks), wrap=True, font=Font(size=9, color="C00000"))
    put(ws, f"J{t + 1}", "评价等级", bold=True, center=True, fill=HEADER_FILL)
    put(ws, f"K{t + 1}", flavour.grade(f"K{t}", cfg), bold=True, center=True)
    return {"total_row": t, "grade_cell": f"K{t + 1}"}


def build_table(wb: Any, fw: Framework, flavour: Any, hint: str, counts: dict[str, int] | None,
                summary: dict[str, str]) -> dict[str, Any]:
    """The 评分表 sheet; returns the layout facts recorded in the marker."""
    ws = wb.create_sheet(TABLE)
    inputs = set(fw.extra.get("inputs", ()))
    unknown = inputs - set(INPUT_ROLES)
    if unknown:
        raise ValueError(f"框架 {fw.id} 的 [template] inputs 含未知角色：{', '.join(sorted(unknown))}")
    plans, g = geometry(fw, counts)
    put(ws, "A1", fw.name, border=False, font=Font(bold=True, size=14), center=True)
    ws.merge_cells("A1:M1")
    ws.row_dimensions[1].height = 28
    put(ws, "A2", "单位：分", border=False)
    put(ws, "C2", hint, border=False, wrap=True, font=Font(italic=True, size=9, color="595959"))
    ws.merge_cells("C2:M2")
    ws.row_dimensions[2].height = 13 * text_lines(hint, 150, 9) + 6
    for role, text, width in HEADERS:
        put(ws, f"{COL[role]}{HEADER_ROW}", text, bold=True, wrap=True, center=True, fill=HEADER_FILL)
        ws.column_dimensions[COL[role]].width = width
    ws.row_dimensions[HEADER_ROW].height = 30
    for i, plan in enumerate(plans):
        _data_row(ws, fw, flavour, plan, FIRST_ROW + i, inputs)
    if g.growable:
        hide_repeats(ws, FIRST_ROW, g.last)
    else:
        _merge_levels(ws, plans)
    if flavour.helpers:
        for col in HELPERS.values():
            ws.column_dimensions[col].hidden = True
    _validations(ws, fw, plans, g.last, inputs)
    facts = _totals(ws, fw, flavour, g, summary)
    ws.freeze_panes = f"A{FIRST_ROW}"
    print_setup(ws, f"A1:M{g.last + 2}", f"{HEADER_ROW}:{HEADER_ROW}")
    protect(ws)
    base = plan_rows(fw)
    layout = {"sheet": TABLE, "header_row": HEADER_ROW, "first_row": FIRST_ROW, "last_row": g.last,
              "columns": dict(COL), "inputs": sorted(inputs), "formulas": flavour.name,
              "grow": sorted({row_key(p) for p in base if p.grow}), **facts}
    if flavour.helpers:
        layout["helpers"] = dict(HELPERS)
    return layout


__all__ = ["TABLE", "HEADERS", "COL", "HELPERS", "HEADER_ROW", "FIRST_ROW", "build_table", "row_key", "expand",
           "geometry"]
