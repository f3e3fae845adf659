"""Excel functions (UDFs) served by xlwings: metadata plus one call into ``xlperf.cellfuncs``.

Classic xlwings (Windows, "Import Functions") and xlwings Server / Lite (Office.js) both
register these. Every argument is read with ``err_to_str=True`` so an Excel error such as
#DIV/0! arrives as its text and is passed on as that error; a returned "#VALUE!" string
becomes a real Excel error under Office.js. On Linux, ``XLWINGS_ON_SERVER=true`` must be
set before xlwings is imported for the decorators to register anything.
"""

from __future__ import annotations

from typing import Any, Callable

import xlwings as xw

from xlperf import cellfuncs

__xlwings_func_namespace__ = ""  # Excel names are the plain upper-cased Python names: PERF_SCORE …

ARG_DOCS = {
    "weight": "分值（权重）", "target": "指标值，如 ≥20场次、100%、合格及以上", "actual": "实际完成值",
    "method": "评分方法（可空：按指标值推断），如 正向比例、反向、比率×分值、定性分档、评价人判断",
    "judgement": "评价人评分（评价人判断、定性指标时填写）", "nature": "指标性质：≥ ≤ = 定性（可空）",
    "unit": "度量单位（可空）", "score": "得分", "note": "扣分说明", "numerator": "分子，如 全年执行数",
    "denominator": "分母，如 全年预算数", "digits": "保留小数位（默认 4，即 94.20%）", "total": "总分",
    "bands": "等级分档，如 \"优:90,良:80,中:60,差:0\"（可空：默认）", "weights": "分值列", "scores": "得分列",
    "methods": "评分方法列（用于识别不适用）", "rescale": "TRUE：不适用指标按百分制折算",
    "levels": "一级指标列（合并单元格自动向下填充）", "key": "要汇总的一级指标名称", "text": "指标值或实际完成值文本",
    "lang": "zh 或 en",
}


def _udf(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """@xw.func plus @xw.arg(doc=…, err_to_str=True) for each named argument."""
    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for name in reversed(names):
            func = xw.arg(name, doc=ARG_DOCS[name], err_to_str=True)(func)
        return xw.func(func)
    return decorate


@_udf("weight", "target", "actual", "method", "judgement", "nature", "unit")
def perf_score(weight, target, actual, method=None, judgement=None, nature=None, unit=None):
    """绩效指标得分：按评分方法计算；评价人判断和定性指标取评价人评分（0 至分值之间）。"""
    return cellfuncs.perf_score(weight, target, actual, method, judgement, nature, unit)


@_udf("numerator", "denominator", "digits")
def perf_rate(numerator, denominator, digits=4):
    """比率（如预算执行率 = 全年执行数 / 全年预算数），按 Excel 规则四舍五入。"""
    return cellfuncs.perf_rate(numerator, denominator, digits)


@_udf("total", "bands")
def perf_grade(total, bands=None):
    """总分对应的等级：优 ≥ 90、良 ≥ 80、中 ≥ 60、差，或按给定分档。"""
    return cellfuncs.perf_grade(total, bands)


@_udf("weights", "scores", "methods", "rescale")
def perf_total(weights, scores, methods=None, rescale=False):
    """总分：得分合计；rescale 为 TRUE 时剔除不适用指标并按百分制折算。"""
    return cellfuncs.perf_total(weights, scores, methods, rescale)


@_udf("levels", "key", "scores")
def perf_subtotal(levels, key, scores):
    """某一级指标的得分小计（合并的一级指标单元格自动向下填充）。"""
    return cellfuncs.perf_subtotal(levels, key, scores)


@_udf("text", "lang")
def perf_parse(text, lang="zh"):
    """解释指标值或实际完成值：比较符、数值、单位或定性等级。"""
    return cellfuncs.perf_parse(text, lang)


@_udf("weight", "target", "actual", "score", "note", "method", "judgement", "nature", "unit", "lang")
def perf_check(weight, target, actual, score=None, note=None, method=None, judgement=None, nature=None, unit=None,
               lang="zh"):
    """本行的问题（无问题时为空）：得分超分值、规则得分不符、缺扣分说明等。"""
    return cellfuncs.perf_check(weight, target, actual, score, note, method, judgement, nature, unit, lang)


__all__ = ["perf_score", "perf_rate", "perf_grade", "perf_total", "perf_subtotal", "perf_parse", "perf_check"]
