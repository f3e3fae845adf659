"""xlperf.udfs served over HTTP through xlwings' Office.js custom-function calls (what the add-in of
xlwings Server sends), against the scoring core."""

from __future__ import annotations

import httpx
import pytest


def payload(func_name: str, *args) -> dict:
    return {"client": "Office.js", "version": "0.37.8", "runtime": "1.4", "func_name": func_name, "args": list(args),
            "caller_address": "[模板.xlsx]评分表!K18", "session_id": "t", "culture_info_name": "zh-CN",
            "date_format": "yyyy/M/d"}


def call(server, func_name: str, *args):
    answer = httpx.post(server.url + "/xlwings/custom-functions-call", json=payload(func_name, *args), timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()["result"]


def test_metadata_lists_the_functions(server):
    meta = httpx.get(server.url + "/xlwings/custom-functions-meta", timeout=30).json()
    assert {f["id"] for f in meta["functions"]} >= {"PERF_SCORE", "PERF_TOTAL", "PERF_GRADE", "PERF_CHECK"}


@pytest.mark.parametrize("args", [
    ([[4]], [["≥70人"]], [["68人"]]),
    ([[5]], [["100%"]], [[0.942]], [["比率×分值"]]),
    ([[3]], [["有效保障"]], [["有效保障"]], [["定性分档"]], [[2.85]]),
])
def test_perf_score_over_http_equals_core(server, args):
    from xlperf import cellfuncs

    assert call(server, "perf_score", *args) == [[cellfuncs.perf_score(*[a[0][0] for a in args])]]


def test_errors_and_ranges_over_http(server):
    assert call(server, "perf_score", [["三分"]], [["≥70人"]], [["68人"]]) == [[{"type": "Error", "errorType": "Value"}]]
    assert call(server, "perf_total", [[90], [10]], [[80], [0]], [[None], ["不适用"]], [[True]]) == [[88.89]]
    assert call(server, "perf_grade", [[98.37]]) == [["优"]]
    bad = httpx.post(server.url + "/xlwings/custom-functions-call", json={"func_name": "perf_score"}, timeout=30)
    assert bad.status_code == 400
