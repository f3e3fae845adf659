"""The built templates: sheets, headers, formulas, merges, protection, inputs, validation, print setup, marker."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest

from xlperf import __version__
from xlperf.core.frameworks import load_framework
from xlperf.core.rules import METHOD_LABELS
from xlperf.template.builder import TEMPLATE_VERSION, build_template, make_workbook, row_method
from xlperf.template.fingerprint import read_marker

HEADER = ["一级指标", "二级指标", "三级指标", "指标性质", "度量单位", "分值", "指标值", "实际完成值", "评分方法",
          "评价人评分", "得分", "扣分说明", "校验提示"]


@pytest.fixture
def book(built, fid):
    wb = openpyxl.load_workbook(built[fid])
    yield wb
    wb.close()


def _last(fw) -> int:
    return 3 + len(fw.indicators)


def _validations(ws) -> list:
    return list(ws.data_validations.dataValidation)


def _covering(ws, ref: str) -> list:
    return [dv for dv in _validations(ws) if ref in dv.sqref]


def test_sheets_and_states(book):
    assert book.sheetnames == ["基本信息", "评分表", "xlwings.conf", "_xlperf"]
    states = [ws.sheet_state for ws in book.worksheets]
    assert states == ["visible", "visible", "hidden", "veryHidden"]
    conf = book["xlwings.conf"]
    assert (conf["A1"].value, conf["B1"].value, conf["A2"].value) == ("UDF Modules", "xlperf.udfs", None)
    assert book.properties.creator == "xlperf"
    assert book.properties.created == dt.datetime(2024, 1, 1)
    assert book.properties.modified == dt.datetime(2024, 1, 1)


def test_info_sheet(book, framework):
    ws = book["基本信息"]
    assert ws["A1"].value == framework.name and "A1:D1" in {str(r) for r in ws.merged_cells.ranges}
    assert [ws[f"A{r}"].value for r in range(3, 7)] == ["项目名称", "主管部门", "实施单位", "评价年度"]
    assert ws["A8"].value == "预算资金（单位：万元）"
    assert [ws[f"A{r}"].value for r in range(9, 15)] == ["年初预算数", "全年预算数", "实际到位资金", "全年执行数",
                                                           "资金到位率", "预算执行率"]
    for r in (3, 4, 5, 6, 9, 10, 11, 12):
        assert ws[f"B{r}"].protection.locked is False
    assert all(ws[f"B{r}"].number_format == "#,##0.00" for r in range(9, 13))
    assert ws["B13"].value == "=PERF_RATE(B11,B10)"
    base = "B10" if framework.config.execution_base == "annual" else "B11"
    assert ws["B14"].value == f"=PERF_RATE(B12,{base})"
    assert ws["B13"].number_format == ws["B14"].number_format == "0.00%"
    assert ws["B13"].protection.locked and ws["A9"].protection.locked
    (dv,) = _covering(ws, "B10")
    assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert ws.protection.sheet and not ws.protection.password


def test_self_eval_rate_uses_annual_budget(built):
    ws = openpyxl.load_workbook(built["self_eval"])["基本信息"]
    assert ws["B14"].value == "=PERF_RATE(B12,B10)"
    assert openpyxl.load_workbook(built["dapeng"])["基本信息"]["B14"].value == "=PERF_RATE(B12,B11)"


def test_header_and_rows(book, framework):
    ws = book["评分表"]
    assert [ws.cell(3, c).value for c in range(1, 14)] == HEADER
    assert ws["A1"].value == framework.name and "A1:M1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "单位：分"
    for i, ind in enumerate(framework.indicators):
        r = 4 + i
        assert ws[f"C{r}"].value == ind.level3
        assert ws[f"F{r}"].value == float(ind.weight)
        assert (ws[f"G{r}"].value or "") == ind.target
        assert (ws[f"D{r}"].value or "") == ind.nature and (ws[f"E{r}"].value or "") == ind.unit
        assert ws[f"K{r}"].value == f"=PERF_SCORE(F{r},G{r},H{r},I{r},J{r},D{r},E{r})"
        assert ws[f"K{r}"].number_format == "0.00"
        assert ws[f"M{r}"].value == f"=PERF_CHECK(F{r},G{r},H{r},K{r},L{r},I{r},J{r},D{r},E{r})"
        assert ws[f"M{r}"].font.color.rgb.endswith("C00000") and ws[f"M{r}"].alignment.wrap_text
        method = row_method(framework, ind)
        assert ws[f"I{r}"].value == (METHOD_LABELS[method] if method else None)
        if "预算执行率" in ind.level3 or "资金到位率" in ind.level3:
            link = "=基本信息!$B$14" if "预算执行率" in ind.level3 else "=基本信息!$B$13"
            assert ws[f"H{r}"].value == link and ws[f"H{r}"].protection.locked
            assert ws[f"H{r}"].number_format == "0.00%"
        else:
            assert ws[f"H{r}"].protection.locked is False
        judged = method is None or method in ("judgement", "qualitative", "deadline")
        assert ws[f"J{r}"].protection.locked is (not judged)
        assert ws[f"I{r}"].protection.locked is (method is not None)
        assert ws[f"L{r}"].protection.locked is False and ws[f"L{r}"].alignment.wrap_text
        assert ws[f"K{r}"].protection.locked and ws[f"M{r}"].protection.locked


def test_evaluation_methods_are_inferred(built):
    ws = openpyxl.load_workbook(built["dapeng"])["评分表"]
    labels = {ws[f"C{r}"].value: ws[f"I{r}"].value for r in range(4, 27)}
    assert labels["立项依据充分性"] == "评价人判断"
    assert labels["预算执行率"] == labels["资金到位率"] == "比率×分值"
    assert labels["在站博士后生活补贴发放人数"] == "正向比例"
    assert labels["对引进高层次人才的影响程度"] == "定性分档"
    assert ws["J4"].protection.locked is False and ws["J15"].protection.locked is True
    assert ws["J15"].fill.fgColor.rgb.endswith("E7E6E6")


def test_template_inputs_unlocked(built):
    fw = load_framework("self_eval")
    ws = openpyxl.load_workbook(built["self_eval"])["评分表"]
    for r in range(5, _last(fw) + 1):
        for col in "CDEG":
            assert ws[f"{col}{r}"].protection.locked is False, f"{col}{r}"
        assert ws[f"F{r}"].protection.locked is True
        assert ws[f"I{r}"].value is None and ws[f"I{r}"].protection.locked is False
        assert ws[f"J{r}"].protection.locked is False
    assert ws["I4"].value == "比率×分值" and ws["H4"].value == "=基本信息!$B$14"
    assert ws["H6"].number_format == "0.00%"  # 质量指标, unit %


def test_merged_levels(built):
    ws = openpyxl.load_workbook(built["dapeng"])["评分表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:A9", "A10:A14", "A15:A24", "A25:A26"} <= merged
    assert {"B4:B5", "B6:B7", "B8:B9", "B10:B12", "B13:B14", "B15:B21"} <= merged
    assert "B25:B26" not in merged  # 实施效益 and 满意度 differ
    assert "A27:E27" in merged
    yt = openpyxl.load_workbook(built["yantian"])["评分表"]
    alone = next(r for r in range(4, 40) if yt[f"B{r}"].value == "经济效益")
    assert not any(rng.min_col == 2 and rng.min_row == alone for rng in yt.merged_cells.ranges)
    assert yt[f"B{alone + 1}"].value == "社会效益"
    assert f"B{alone + 1}:B{alone + 4}" in {str(r) for r in yt.merged_cells.ranges}


def test_totals_grade_and_summary(book, framework):
    ws = book["评分表"]
    last = _last(framework)
    t = last + 1
    assert ws[f"A{t}"].value == "合计" and f"A{t}:E{t}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws[f"F{t}"].value == f"=SUM(F4:F{last})"
    assert ws[f"K{t}"].value == f"=PERF_TOTAL(F4:F{last},K4:K{last},I4:I{last},FALSE)"
    assert ws[f"J{t + 1}"].value == "评价等级"
    assert ws[f"K{t + 1}"].value == f'=PERF_GRADE(K{t},"优:90,良:80,中:60,差:0")'
    assert [ws.cell(t + 3, c).value for c in range(1, 5)] == ["一级指标", "分值", "得分", "得分率"]
    names = list(dict.fromkeys(ind.level1 for ind in framework.indicators))
    for i, name in enumerate(names):
        r = t + 4 + i
        assert ws[f"A{r}"].value == name
        assert ws[f"B{r}"].value == f"=PERF_SUBTOTAL($A$4:$A${last},A{r},$F$4:$F${last})"
        assert ws[f"C{r}"].value == f"=PERF_SUBTOTAL($A$4:$A${last},A{r},$K$4:$K${last})"
        assert ws[f"D{r}"].value == f'=IF(B{r}=0,"",C{r}/B{r})' and ws[f"D{r}"].number_format == "0.00%"
    assert ws.cell(t + 4 + len(names), 1).value is None
    assert ws.print_area == f"'评分表'!$A$1:$M${t + 3 + len(names)}"


def test_rescale_and_custom_bands(tmp_path):
    fw = load_framework("dapeng")
    bands = ((Decimal(90), "优"), (Decimal("75.50"), "良"), (Decimal("0.0"), "差"))
    cfg = replace(fw.config, na_policy="rescale", grade_bands=bands)
    ws = make_workbook(replace(fw, config=cfg))["评分表"]
    assert ws["K27"].value == "=PERF_TOTAL(F4:F26,K4:K26,I4:I26,TRUE)"
    assert ws["K28"].value == '=PERF_GRADE(K27,"优:90,良:75.5,差:0")'


def test_no_indicators_is_refused(tmp_path):
    with pytest.raises(ValueError, match="没有指标行"):
        build_template("generic", tmp_path / "g.xlsx")
    assert not (tmp_path / "g.xlsx").exists()


def test_protection_and_view(book):
    ws = book["评分表"]
    assert ws.protection.sheet and not ws.protection.password
    assert not ws.protection.selectLockedCells and not ws.protection.selectUnlockedCells
    assert ws.freeze_panes == "A4"
    assert ws["A3"].font.bold and ws["A3"].fill.fgColor.rgb.endswith("DDEBF7")
    assert ws["H5"].fill.fgColor.rgb.endswith("FFF2CC") and ws["L5"].fill.fgColor.rgb.endswith("FFF2CC")
    assert ws["K5"].fill.fill_type is None
    assert ws["A4"].border.left.style == "thin"
    assert ws.column_dimensions["C"].width >= 20 and ws.column_dimensions["M"].width >= 20


def test_validations(book, framework):
    ws = book["评分表"]
    last = _last(framework)
    (method_dv,) = _covering(ws, "I4")
    assert method_dv.type == "list" and f"I4:I{last}" in str(method_dv.sqref)
    assert method_dv.formula1 == '"' + ",".join(METHOD_LABELS.values()) + '"'
    (judge_dv,) = _covering(ws, "J4")
    assert (judge_dv.type, judge_dv.operator, judge_dv.formula1, judge_dv.formula2) == ("decimal", "between", "0", "$F4")
    (weight_dv,) = _covering(ws, "F4")
    assert (weight_dv.type, weight_dv.formula1, weight_dv.formula2) == ("decimal", "0", "100")


def test_wording_lists_and_percent_actuals(built):
    ws = openpyxl.load_workbook(built["yantian"])["评分表"]
    rows = {ws[f"C{r}"].value: r for r in range(4, 40)}
    (dv,) = _covering(ws, f"H{rows['完成医疗卫生人才年度考核']}")
    assert dv.type == "list" and dv.errorStyle == "information"
    assert dv.formula1.strip('"').split(",")[:3] == ["优秀", "良好", "合格"]
    assert f"H{rows['完成教育人才年度考核']}" in dv.sqref  # same scale, same list
    (dv2,) = _covering(ws, f"H{rows['立项依据充分性']}")
    assert "较充分" in dv2.formula1 and dv2.errorStyle == "information"
    assert not _covering(ws, f"H{rows['开展各类人才活动（服务）人数']}")
    assert ws[f"H{rows['引才成功率']}"].number_format == "0.00%"
    assert ws[f"H{rows['参加活动（讲座）人数']}"].number_format == "General"


def test_conditional_formatting(book, framework):
    ws = book["评分表"]
    last = _last(framework)
    rules = {str(rng.sqref): [r.formula for r in rng.rules] for rng in ws.conditional_formatting}
    assert rules[f"L4:L{last}"] == [["AND(ISNUMBER($K4),$K4<$F4,LEN(TRIM($L4))=0)"]]
    assert rules[f"M4:M{last}"] == [["LEN($M4)>0"]]


def test_print_setup(book):
    for name, titles in (("基本信息", None), ("评分表", "$3:$3")):
        ws = book[name]
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_area
        assert ws.print_title_rows == titles


def test_marker(book, framework):
    assert book["_xlperf"].sheet_state == "veryHidden"
    marker = read_marker(book)
    assert marker["framework"] == framework.id and marker["framework_name"] == framework.name
    assert marker["template_version"] == TEMPLATE_VERSION and marker["xlperf_version"] == __version__
    assert len(marker["fingerprint"]) == 64
    layout = marker["layout"]
    last = _last(framework)
    assert (layout["sheet"], layout["header_row"], layout["first_row"], layout["last_row"]) == ("评分表", 3, 4, last)
    assert layout["total_row"] == last + 1 and layout["grade_cell"] == f"K{last + 2}"
    assert layout["columns"]["level1"] == "A" and layout["columns"]["score"] == "K"
    assert layout["columns"]["judgement"] == "J" and layout["columns"]["check"] == "M"
    assert layout["budget"] == {"initial": "B9", "annual": "B10", "received": "B11", "spent": "B12"}
    assert layout["info_sheet"] == "基本信息"
