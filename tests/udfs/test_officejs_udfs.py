"""The UDFs through xlwings' own Office.js custom-function path: results equal the core's."""

from __future__ import annotations

import asyncio
import importlib
import os
import sys

import pytest

ERROR_DIV0 = {"type": "Error", "basicValue": "#DIV/0!", "errorType": "Div0"}


@pytest.fixture(scope="module")
def officejs():
    """Import xlwings in Office.js mode (the env vars must be set before xlwings is imported)."""
    os.environ["XLWINGS_ON_SERVER"] = "true"
    os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
    for name in [m for m in sys.modules if m == "xlwings" or m.startswith("xlwings.") or m == "xlperf.udfs"]:
        del sys.modules[name]
    xw = importlib.import_module("xlwings")
    server = importlib.import_module("xlwings.server")
    udfs = importlib.import_module("xlperf.udfs")
    yield xw, server, udfs
    for name in [m for m in sys.modules if m == "xlwings" or m.startswith("xlwings.") or m == "xlperf.udfs"]:
        del sys.modules[name]
    os.environ.pop("XLWINGS_ON_SERVER", None)


def call(officejs, func_name: str, *args):
    xw, server, udfs = officejs
    payload = {"client": "Office.js", "version": xw.__version__, "runtime": "1.4", "func_name": func_name,
               "args": list(args), "caller_address": "[模板.xlsx]评分表!K4", "session_id": "t",
               "culture_info_name": "zh-CN", "date_format": "yyyy/M/d"}
    return asyncio.run(server.custom_functions_call(payload, udfs))


def cell(value):
    return [[value]]


def column(*values):
    return [[v] for v in values]


def test_metadata_lists_every_function_with_described_arguments(officejs):
    _, server, udfs = officejs
    meta = server.custom_functions_meta(udfs)
    names = {f["name"] for f in meta["functions"]}
    assert names == {"PERF_SCORE", "PERF_RATE", "PERF_GRADE", "PERF_TOTAL", "PERF_SUBTOTAL", "PERF_PARSE", "PERF_CHECK"}
    for func in meta["functions"]:
        assert func["description"], func["name"]
        assert all(p["description"] for p in func["parameters"]), func["name"]


@pytest.mark.parametrize("args, expected", [
    ((cell(4), cell("≥70人"), cell("68人")), 3.89),
    ((cell(5), cell("100%"), cell(0.942), cell("比率×分值")), 4.71),
    ((cell(4), cell("100%"), cell("94.20%")), 3.77),
    ((cell(3), cell("有效保障"), cell("有效保障"), cell("定性分档"), cell(2.85)), 2.85),
    ((cell(1.67), cell("≥95%"), cell("94.5%")), 1.66),
])
def test_perf_score_equals_core(officejs, args, expected):
    from xlperf import cellfuncs

    plain = [a[0][0] for a in args]
    assert call(officejs, "perf_score", *args) == [[expected]] == [[cellfuncs.perf_score(*plain)]]


@pytest.mark.parametrize("args, error_type", [
    ((cell("三分"), cell("≥70人"), cell("68人")), "Value"),  # text in a number cell
    ((cell(4), cell("≥70人"), cell(ERROR_DIV0)), "Div0"),  # an Excel error passes through
    ((cell(3), cell("有效"), cell("有效"), cell("定性分档"), cell(4)), "Num"),  # evaluator score above weight
    ((cell(4), cell("≥70人"), cell("68人"), cell("随便")), "Value"),  # unknown method
])
def test_bad_arguments_give_excel_errors(officejs, args, error_type):
    assert call(officejs, "perf_score", *args) == [[{"type": "Error", "errorType": error_type}]]


def test_empty_cells(officejs):
    assert call(officejs, "perf_score", cell(4), cell("≥70人"), cell(None)) == [[""]]
    assert call(officejs, "perf_grade", cell(None)) == [[""]]


def test_ranges(officejs):
    from xlperf import cellfuncs

    weights, scores, methods = column(3, 2, 0), column(3, 1.5, None), column(None, None, "不适用")
    assert call(officejs, "perf_total", weights, scores, methods, cell(False)) == [[4.5]]
    assert call(officejs, "perf_total", column(90, 10), column(80, 0), column(None, "不适用"), cell(True)) == [[88.89]]
    assert call(officejs, "perf_subtotal", column("决策", None, "过程"), cell("决策"), column(3, 2, 5)) == [[5.0]]
    assert cellfuncs.perf_subtotal(["决策", None, "过程"], "决策", [3, 2, 5]) == 5.0
    bands = [[90, "优"], [80, "良"], [60, "中"], [0, "差"]]
    assert call(officejs, "perf_grade", cell(85), bands) == [["良"]]


def test_rate_grade_parse_check(officejs):
    assert call(officejs, "perf_rate", cell(2747.33), cell(2916.35)) == [[0.942]]
    assert call(officejs, "perf_rate", cell(1), cell(0)) == [[{"type": "Error", "errorType": "Div0"}]]
    assert call(officejs, "perf_grade", cell(98.37)) == [["优"]]
    assert call(officejs, "perf_parse", cell("≧ 90 ％")) == [["百分比：≥90%"]]
    text = call(officejs, "perf_check", cell(1.66), cell("≥90%"), cell("92%"), cell(1.64))[0][0]
    assert "已达到" in text and "1.66" in text
    assert "未填写扣分说明" in call(officejs, "perf_check", cell(4), cell("≥70人"), cell("68人"), cell(3.89))[0][0]
    assert call(officejs, "perf_check", cell(4), cell("≥70人"), cell("68人"), cell(3.89), cell("差2人")) == [[""]]
