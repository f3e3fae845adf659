"""The indicator rows of the three bureau templates, and the inputs a unit types into a copy.

Inputs are drawn at random but always make a correct return: a score below the weight carries a
deduction note, a typed score is what the row's rule gives (``xlperf.core`` rounding, as Excel's
ROUND), budget figures give an execution rate within 92–100 %.
"""

from __future__ import annotations

import random
from decimal import Decimal

from tests.bureau.layouts import Inputs, Row
from xlperf.core.rounding import excel_round

EVALUATION = [
    Row("决策", "项目立项", "立项依据充分性", 3, "充分", "judged"),
    Row("决策", "项目立项", "立项程序规范性", 2, "规范", "judged"),
    Row("决策", "绩效目标", "绩效目标合理性", 3, "合理", "judged"),
    Row("决策", "绩效目标", "绩效指标明确性", 2, "明确", "judged"),
    Row("决策", "资金投入", "预算编制科学性", 3, "科学", "judged"),
    Row("决策", "资金投入", "资金分配合理性", 2, "合理", "judged"),
    Row("过程", "资金管理", "资金使用合规性", 5, "合规", "judged"),
    Row("过程", "资金管理", "财务监控有效性", 4, "有效", "judged"),
    Row("过程", "组织实施", "管理制度健全性", 4, "健全", "judged"),
    Row("过程", "组织实施", "制度执行有效性", 7, "有效", "judged"),
    Row("产出", "产出数量", "举办人才培训场次", 8, 20, "ge", "场次"),
    Row("产出", "产出数量", "培训人次", 8, 1000, "ge", "人次"),
    Row("产出", "产出数量", "发放人才补贴人数", 6, 70, "ge", "人"),
    Row("产出", "产出质量", "培训合格率", 6, 0.95, "ge", "%", True),
    Row("产出", "产出时效", "补贴发放平均时长", 6, 15, "le", "天"),
    Row("产出", "产出成本", "人均培训成本", 6, 0.5, "le", "万元"),
    Row("效益", "社会效益", "新引进人才数量", 6, 50, "ge", "人"),
    Row("效益", "社会效益", "带动就业人数", 5, 200, "ge", "人"),
    Row("效益", "可持续影响", "人才留存率", 6, 0.9, "ge", "%", True),
    Row("效益", "可持续影响", "人才政策知晓率", 4, 0.85, "ge", "%", True),
    Row("效益", "满意度", "服务对象满意度", 4, 0.9, "ge", "%", True),
]

INFO = EVALUATION[:6] + [
    Row("过程", "资金管理", "资金到位率", 4, 1, "rate", "%", True),
    Row("过程", "资金管理", "预算执行率", 5, 1, "rate", "%", True),
    Row("过程", "组织实施", "管理制度健全性", 4, "健全", "judged"),
    Row("过程", "组织实施", "制度执行有效性", 7, "有效", "judged"),
    Row("产出", "产出数量", "举办人才培训场次", 10, 20, "ge", "场次"),
    Row("产出", "产出数量", "培训人次", 10, 1000, "ge", "人次"),
    Row("产出", "产出数量", "发放人才补贴人数", 10, 70, "ge", "人"),
    Row("产出", "产出质量", "培训合格率", 10, 0.95, "ge", "%", True),
    *EVALUATION[16:],
]

MOF = [
    Row("产出指标", "数量指标", "举办人才培训场次", 10, "≥20场次", "ge"),
    Row("产出指标", "数量指标", "培训人次", 10, "≥1000人次", "ge"),
    Row("产出指标", "质量指标", "培训合格率", 10, "≥95%", "ge"),
    Row("产出指标", "时效指标", "补贴发放平均时长", 10, "≤15天", "le"),
    Row("产出指标", "成本指标", "人均培训成本", 10, "≤0.5万元", "le"),
    Row("效益指标", "社会效益指标", "新引进人才数量", 10, "≥50人", "ge"),
    Row("效益指标", "经济效益指标", "带动企业新增投资", 10, "≥1000万元", "ge"),
    Row("效益指标", "可持续影响指标", "人才政策知晓率", 10, "≥85%", "ge"),
    Row("满意度指标", "服务对象满意度指标", "服务对象满意度", 10, "≥90%", "ge"),
]

ROWS = {"county": EVALUATION, "info": INFO, "mof": MOF}
NEW_ROW = {  # the row a unit inserts (formulas follow in the layouts that have them)
    "county": Row("产出", "产出数量", "新增：人才公寓入住人数", 0, 10, "ge", "人"),
    "info": Row("产出", "产出数量", "新增：人才公寓入住人数", 0, 10, "ge", "人"),
    "mof": Row("产出指标", "数量指标", "新增：人才公寓入住人数", 0, "≥10人", "ge"),
}


def _number(row: Row) -> float:
    text = str(row.target).lstrip("≥≤")
    for unit in ("场次", "人次", "万元", "天", "人", "%"):
        text = text.replace(unit, "")
    value = float(text)
    return value / 100 if str(row.target).endswith("%") else value


def rule_score(row: Row, actual: float, target: float) -> float:
    """Proportional (≥) or reverse (≤) score rounded as Excel's ROUND."""
    ratio = min(1, actual / target) if row.kind in ("ge", "rate") else (1 if actual <= target else target / actual)
    return float(excel_round(Decimal(str(row.weight)) * Decimal(str(ratio)), 2))


def _actual(row: Row, target: float, rng: random.Random) -> float:
    factor = rng.choice((1, 1, 1.05, 1.1, 0.9, 0.95)) if row.kind == "ge" else rng.choice((1, 0.9, 0.8, 1.1))
    value = target * factor
    return round(value, 4) if row.percent or target < 1 else round(value)


def make_inputs(layout: str, rng: random.Random, index: int) -> Inputs:
    """A correct return's inputs for one unit."""
    initial = round(rng.uniform(300, 900), 2)
    received = round(initial * rng.uniform(0.95, 1.0), 2)
    budget = (initial, received, received, round(received * rng.uniform(0.92, 1.0), 2))
    inputs = Inputs(unit_name=f"第{index:03d}填报单位", project=f"人才发展专项（{index:03d}）", budget=budget)
    for row in ROWS[layout]:
        if row.kind == "rate":
            if row.level3 == "预算执行率" and budget[3] < budget[2]:
                inputs.note[row.level3] = f"执行率 {budget[3] / budget[2]:.2%}，年底有结转。"
            continue
        if row.kind == "judged":
            score = row.weight - rng.choice((0, 0, 0.5, 1))
            inputs.score[row.level3] = score
            if score < row.weight:
                inputs.note[row.level3] = f"{row.level3}存在不足，扣{row.weight - score:g}分。"
            continue
        target = _number(row) if layout == "mof" else float(row.target)
        actual = _actual(row, target, rng)
        score = rule_score(row, actual, target)
        inputs.actual[row.level3] = _typed_actual(layout, row, actual)
        if layout == "mof":
            inputs.score[row.level3] = score
        if score < row.weight:
            inputs.note[row.level3] = f"实际完成{actual:g}，未达到目标，扣{row.weight - score:.2f}分。"
    return inputs


def _typed_actual(layout: str, row: Row, actual: float) -> object:
    """Numbers where the template computes with them; in the MoF form, text as published forms hold it."""
    if layout != "mof":
        return actual
    target = str(row.target)
    unit = next((u for u in ("场次", "人次", "万元", "天", "人") if target.endswith(u)), "")
    if target.endswith("%"):
        return f"{actual * 100:.1f}%"
    return f"{actual:g}{unit}"
