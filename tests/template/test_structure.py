"""The built templates: sheets, headers, helper cells, formulas, merges, protection, inputs, validation, print, marker."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest

from xlperf import __version__
from xlperf.core.frameworks import load_framework, parse_framework
from xlperf.core.rules import METHOD_LABELS
from xlperf.template.builder import TEMPLATE_VERSION, build_template, make_workbook, row_method
from xlperf.template.fingerprint import read_marker
from xlperf.template.frameworkfile import framework_toml
from xlperf.template.plan import plan_rows

HEADER = ["一级指标", "二级指标", "三级指标", "指标性质", "度量单位", "分值", "指标值", "实际完成值", "评分方法",
          "评价人评分", "得分", "扣分说明", "校验提示"]


@pytest.fixture
def book(built_all, fid, formulas):
    wb = openpyxl.load_workbook(built_all[(fid, formulas)])
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
    assert book.properties.created == book.properties.modified == dt.datetime(2024, 1, 1)


def test_info_sheet(book, framework, formulas):
    ws = book["基本信息"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].value == framework.name and "A1:E1" in merged
    assert [ws[f"A{r}"].value for r in range(3, 7)] == ["项目名称", "主管部门", "实施单位", "评价年度"]
    assert ws["A8"].value == "预算资金（单位：万元）"
    assert [ws[f"A{r}"].value for r in range(9, 15)] == ["年初预算数", "全年预算数", "实际到位资金", "全年执行数",
                                                           "资金到位率", "预算执行率"]
    for r in (3, 4, 5, 6, 9, 10, 11, 12):
        assert ws[f"B{r}"].protection.locked is False
    assert all(ws[f"B{r}"].number_format == "#,##0.00" for r in range(9, 13))
    base = "B10" if framework.config.execution_base == "annual" else "B11"
    if formulas == "udf":
        assert (ws["B13"].value, ws["B14"].value) == ("=PERF_RATE(B11,B10)", f"=PERF_RATE(B12,{base})")
    else:  # the core's rate: ROUND(ROUND(x,10),4), the other budget figure when the base is blank
        assert ws["B13"].value.endswith("ROUND(ROUND(B11/B10,10),4)))")
        other = "B11" if base == "B10" else "B10"
        assert f"ROUND(ROUND(B12/IF(LEN({base})=0,{other},{base}),10),4)" in ws["B14"].value
    assert ws["B13"].number_format == ws["B14"].number_format == "0.00%"
    assert ws["B13"].protection.locked and ws["A9"].protection.locked
    names = list(dict.fromkeys(ind.level1 for ind in framework.indicators))
    note = 18 + len(names) + 1
    assert ws[f"A{note}"].value.startswith("说明：") and ws[f"A{note}"].alignment.wrap_text
    assert f"A{note}:E{note}" in merged and ws.print_area == f"'基本信息'!$A$1:$E${note}"
    (dv,) = _covering(ws, "B10")
    assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert ws.protection.sheet and not ws.protection.password


def test_targets_are_split_into_helper_cells(plain):
    """≥70人 is written as 指标性质 ≥, 度量单位 人, 指标值 70; 100% as a fraction formatted as a percentage."""
    ws = openpyxl.load_workbook(plain["dapeng"])["评分表"]
    rows = {ws[f"C{r}"].value: r for r in range(4, 27)}
    r = rows["新引进优秀青年人才生活补贴发放人数"]
    assert (ws[f"D{r}"].value, ws[f"E{r}"].value, ws[f"G{r}"].value) == ("≥", "人", 70)
    r = rows["补贴人员满意度"]
    assert (ws[f"D{r}"].value, ws[f"E{r}"].value, ws[f"G{r}"].value, ws[f"G{r}"].number_format) == ("≥", "%", 0.9, "0%")
    assert ws[f"H{r}"].number_format == "0.00%"
    r = rows["立项依据充分性"]
    assert (ws[f"D{r}"].value, ws[f"G{r}"].value) == ("定性", "充分")
    yt = openpyxl.load_workbook(plain["yantian"])["评分表"]
    rows = {yt[f"C{r}"].value: r for r in range(4, 40)}
    r = rows["成本节约率"]
    assert (yt[f"D{r}"].value, yt[f"G{r}"].value, yt[f"I{r}"].value) == ("≤", 0.03, "反向")


def test_header_and_rows(book, framework, formulas):
    ws = book["评分表"]
    assert [ws.cell(3, c).value for c in range(1, 14)] == HEADER
    assert ws["A1"].value == framework.name and {"A1:M1", "C2:M2"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "单位：分" and ws["C2"].alignment.wrap_text
    for i, (ind, plan) in enumerate(zip(framework.indicators, plan_rows(framework))):
        r = 4 + i
        assert ws[f"C{r}"].value == ind.level3
        assert ws[f"F{r}"].value == float(ind.weight)
        assert (ws[f"D{r}"].value or "", ws[f"E{r}"].value or "") == (plan.nature, plan.unit)
        if formulas == "udf":
            assert ws[f"K{r}"].value == f"=PERF_SCORE(F{r},G{r},H{r},I{r},J{r},D{r},E{r})"
            assert ws[f"M{r}"].value == f"=PERF_CHECK(F{r},G{r},H{r},K{r},L{r},I{r},J{r},D{r},E{r})"
        else:
            assert ws[f"K{r}"].value.startswith("=") and "PERF_" not in ws[f"K{r}"].value
            assert ws[f"M{r}"].value.startswith(("=MID(", '=""')) and "PERF_" not in ws[f"M{r}"].value
            expected = METHOD_LABELS[plan.method] if plan.method else None
            assert ws[f"N{r}"].value == expected or (expected is None and ws[f"N{r}"].value.startswith("=IF("))
        assert ws[f"K{r}"].number_format == "0.00"
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


def test_helper_columns_only_in_plain_templates(book, formulas):
    ws = book["评分表"]
    hidden = {col for col in "NOP" if ws.column_dimensions[col].hidden}
    assert hidden == ({"N", "O", "P"} if formulas == "excel" else set())
    assert all(ws.cell(3, c).value is None for c in (14, 15, 16))  # no header word: the reader never sees them


def test_dapeng_plain_formulas(plain):
    ws = openpyxl.load_workbook(plain["dapeng"])["评分表"]
    assert ws["K18"].value == ("=IF(AND(ISNUMBER(G18),ISNUMBER(H18)),ROUND(ROUND(F18*IF(H18>=G18,1,IF(G18=0,"
                               'IF(H18>=0,1,0),MAX(0,MIN(1,H18/G18)))),10),2),"")')
    assert ws["K11"].value == ('=IF(AND(ISNUMBER(G11),ISNUMBER(H11)),ROUND(ROUND(F11*MAX(0,MIN(1,ROUND(ROUND(H11,10),4)))'
                               ',10),2),"")')
    assert ws["K4"].value == '=IF(ISNUMBER(J4),MAX(0,MIN(F4,J4)),"")'
    assert ws["K27"].value == "=ROUND(ROUND(SUM(K4:K26),10),2)"
    assert ws["K28"].value == '=IF(K27>=90,"优",IF(K27>=80,"良",IF(K27>=60,"中","差")))'
    info = openpyxl.load_workbook(plain["dapeng"])["基本信息"]
    assert info["C18"].value == "=ROUND(ROUND(SUM(评分表!$K$4:$K$9),10),2)"
    assert "基本信息!B18+基本信息!B19,10),2)<>40" in ws["M27"].value  # 决策+过程=40
    assert "TRUE" not in "".join(str(c.value) for row in ws.iter_rows() for c in row)  # LibreOffice writes TRUE()


def test_evaluation_methods_are_inferred(built):
    ws = openpyxl.load_workbook(built["dapeng"])["评分表"]
    labels = {ws[f"C{r}"].value: ws[f"I{r}"].value for r in range(4, 27)}
    assert labels["立项依据充分性"] == "评价人判断"
    assert labels["预算执行率"] == labels["资金到位率"] == "比率×分值"
    assert labels["在站博士后生活补贴发放人数"] == "正向比例"
    assert labels["对引进高层次人才的影响程度"] == "定性分档"
    assert ws["J4"].protection.locked is False and ws["J15"].protection.locked is True
    assert ws["J15"].fill.fgColor.rgb.endswith("E7E6E6")


def test_self_eval_inputs_and_growth(built_all, formulas):
    fw = load_framework("self_eval")
    ws = openpyxl.load_workbook(built_all[("self_eval", formulas)])["评分表"]
    for r in range(5, _last(fw) + 1):
        for col in "CDEFG":
            assert ws[f"{col}{r}"].protection.locked is False, f"{col}{r}"
        assert ws[f"I{r}"].value is None and ws[f"I{r}"].protection.locked is False
        assert ws[f"J{r}"].protection.locked is False
    assert ws["I4"].value == "比率×分值" and ws["H4"].value == "=基本信息!$B$14"
    assert all(ws[f"{col}4"].protection.locked for col in "CDEFG")  # 预算执行率 stays as the form has it
    assert ws["H6"].number_format == "0.00%"  # 质量指标, unit %
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:M1", "C2:M2", f"A{_last(fw) + 1}:E{_last(fw) + 1}"}
    assert [ws[f"A{r}"].value for r in (5, 6, 7, 8)] == ["产出指标"] * 4  # repeated, shown once by a format
    rules = {str(rng.sqref): [r.formula for r in rng.rules] for rng in ws.conditional_formatting}
    assert rules["A4:A13"] == [["A4=A3"]] and rules["B4:B13"] == [["AND($A4=$A3,B4=B3)"]]
    (natures,) = _covering(ws, "D5")
    assert natures.type == "list" and natures.formula1 == '"≥,≤,=,定性"'
    layout = read_marker(openpyxl.load_workbook(built_all[("self_eval", formulas)]))["layout"]
    assert layout["grow"] == sorted(f"{p.ind.level1}|{p.ind.level2}" for p in plan_rows(fw)[1:])
    assert "撤销工作表保护" in ws["C2"].value


def test_grown_self_eval_keeps_totals_over_every_row():
    fw = load_framework("self_eval")
    ws = make_workbook(fw, "excel", {"产出指标|数量指标": 3})["评分表"]
    last = _last(fw) + 2
    assert [ws[f"B{r}"].value for r in (5, 6, 7, 8)] == ["数量指标"] * 3 + ["质量指标"]
    assert ws[f"K{last + 1}"].value == f"=ROUND(ROUND(SUM(K4:K{last}),10),2)"  # a copy lands above its row: inside
    info = make_workbook(fw, "excel", {"产出指标|数量指标": 3})["基本信息"]
    assert info["A19"].value == "产出指标"  # after 预算执行率 in the summary on 基本信息
    assert info["B19"].value == f"=ROUND(ROUND(SUMIF(评分表!$A$4:$A${last},A19,评分表!$F$4:$F${last}),10),2)"
    assert info["E19"].value == '=MID(IF(ROUND(ROUND(B19,10),2)<>50,"；分值合计应为 50",""),2,999)'


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


def test_totals_grade_and_summary(book, framework, formulas):
    ws, info = book["评分表"], book["基本信息"]
    last = _last(framework)
    t = last + 1
    start = 4
    assert ws[f"A{t}"].value == "合计" and f"A{t}:E{t}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws[f"F{t}"].value == f"=SUM(F{start}:F{last})"
    if formulas == "udf":
        assert ws[f"K{t}"].value == f"=PERF_TOTAL(F{start}:F{last},K{start}:K{last},I{start}:I{last},FALSE)"
        assert ws[f"K{t + 1}"].value == f'=PERF_GRADE(K{t},"优:90,良:80,中:60,差:0")'
    else:
        assert ws[f"K{t}"].value == f"=ROUND(ROUND(SUM(K{start}:K{last}),10),2)"
    assert ws[f"M{t}"].value.startswith(f'=MID(IF(ROUND(ROUND(F{t},10),2)<>100,"；三级指标分值合计应为 100",""')
    assert ws[f"J{t + 1}"].value == "评价等级"
    assert ws.print_area == f"'评分表'!$A$1:$M${t + 1}"  # one table: the summary is on 基本信息
    assert [info.cell(17, c).value for c in range(1, 6)] == ["一级指标", "分值", "得分", "得分率", "校验提示"]
    names = list(dict.fromkeys(ind.level1 for ind in framework.indicators))
    for i, name in enumerate(names):
        r = 18 + i
        assert info[f"A{r}"].value == name
        if formulas == "udf":
            assert info[f"B{r}"].value == f"=PERF_SUBTOTAL(评分表!$A${start}:$A${last},A{r},评分表!$F${start}:$F${last})"
        assert info[f"D{r}"].value == f'=IF(B{r}=0,"",C{r}/B{r})' and info[f"D{r}"].number_format == "0.00%"
    assert info.cell(18 + len(names), 1).value is None


def test_rescale_and_custom_bands():
    fw = load_framework("dapeng")
    bands = ((Decimal(90), "优"), (Decimal("75.50"), "良"), (Decimal("0.0"), "差"))
    cfg = replace(fw.config, na_policy="rescale", grade_bands=bands)
    ws = make_workbook(replace(fw, config=cfg))["评分表"]
    assert ws["K27"].value == "=PERF_TOTAL(F4:F26,K4:K26,I4:I26,TRUE)"
    assert ws["K28"].value == '=PERF_GRADE(K27,"优:90,良:75.5,差:0")'
    plain = make_workbook(replace(fw, config=cfg), "excel")["评分表"]
    assert plain["K27"].value == ('=IF(SUMIF(N4:N26,"<>不适用",F4:F26)=0,0,ROUND(ROUND(SUMIF(N4:N26,"<>不适用",K4:K26)/'
                                  'SUMIF(N4:N26,"<>不适用",F4:F26)*100,10),2))')
    assert plain["K28"].value == '=IF(K27>=90,"优",IF(K27>=75.5,"良","差"))'


def test_no_indicators_is_refused(tmp_path):
    with pytest.raises(ValueError, match="没有指标行"):
        build_template("generic", tmp_path / "g.xlsx")
    with pytest.raises(ValueError, match="未知的公式类型"):
        make_workbook("dapeng", "vba")
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


def test_numeric_actuals_take_numbers(plain):
    ws = openpyxl.load_workbook(plain["dapeng"])["评分表"]
    (dv,) = _covering(ws, "H18")
    assert dv.type == "decimal" and dv.errorStyle == "stop" and "度量单位" in dv.error
    assert not _covering(ws, "H11")  # 预算执行率 comes from 基本信息


def test_wording_lists_and_percent_actuals(built):
    ws = openpyxl.load_workbook(built["yantian"])["评分表"]
    rows = {ws[f"C{r}"].value: r for r in range(4, 40)}
    (dv,) = [d for d in _covering(ws, f"H{rows['完成医疗卫生人才年度考核']}") if d.type == "list"]
    assert dv.errorStyle == "information"
    assert dv.formula1.strip('"').split(",")[:3] == ["优秀", "良好", "合格"]
    assert f"H{rows['完成教育人才年度考核']}" in dv.sqref  # same scale, same list
    (dv2,) = _covering(ws, f"H{rows['立项依据充分性']}")
    assert "较充分" in dv2.formula1 and dv2.errorStyle == "information"
    assert ws[f"H{rows['引才成功率']}"].number_format == "0.00%"
    assert ws[f"H{rows['参加活动（讲座）人数']}"].number_format == "General"


def test_conditional_formatting(book, framework):
    ws = book["评分表"]
    last = _last(framework)
    rules = {str(rng.sqref): rng.rules for rng in ws.conditional_formatting}
    assert [r.formula for r in rules[f"L4:L{last}"]] == [["AND(ISNUMBER($K4),$K4<$F4,LEN(TRIM($L4))=0)"]]
    assert [r.formula for r in rules[f"M4:M{last}"]] == [["LEN($M4)>0"]]
    fill = rules[f"L4:L{last}"][0].dxf.fill  # Excel reads bgColor, LibreOffice and WPS fgColor
    assert fill.bgColor.rgb.endswith("FFC7CE") and fill.fgColor.rgb.endswith("FFC7CE")


def test_print_setup(book):
    for name, titles in (("基本信息", None), ("评分表", "$3:$3")):
        ws = book[name]
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_area
        assert ws.print_title_rows == titles


def test_marker(book, framework, formulas):
    assert book["_xlperf"].sheet_state == "veryHidden"
    marker = read_marker(book)
    assert marker["framework"] == framework.id and marker["framework_name"] == framework.name
    assert marker["template_version"] == TEMPLATE_VERSION == "2" and marker["xlperf_version"] == __version__
    assert marker["formulas"] == formulas and len(marker["fingerprint"]) == 64
    embedded = parse_framework(tomllib.loads(marker["framework_toml"]))
    assert replace(embedded, extra={}) == replace(framework, extra={})
    assert {k: v for k, v in embedded.extra.items() if k != "source"} == \
        {k: v for k, v in framework.extra.items() if k != "source"}
    layout = marker["layout"]
    last = _last(framework)
    assert (layout["sheet"], layout["header_row"], layout["first_row"], layout["last_row"]) == ("评分表", 3, 4, last)
    assert layout["total_row"] == last + 1 and layout["grade_cell"] == f"K{last + 2}"
    assert layout["columns"]["level1"] == "A" and layout["columns"]["score"] == "K"
    assert layout["columns"]["judgement"] == "J" and layout["columns"]["check"] == "M"
    assert layout["budget"] == {"initial": "B9", "annual": "B10", "received": "B11", "spent": "B12"}
    assert layout["info_sheet"] == "基本信息" and layout["formulas"] == formulas


def test_framework_text_round_trips_every_setting():
    fw = load_framework("dapeng")
    cfg = replace(fw.config, reverse_mode="linear", equal_mode="all_or_nothing", na_policy="rescale",
                  method_overrides={"成本节约率": "reverse"}, rate_digits=2, lower_better_level2=("成本", "费用"))
    fw = replace(fw, config=cfg, indicators=fw.indicators[:2] + (replace(fw.indicators[2], criteria='含"引号"\n两行'),))
    again = parse_framework(tomllib.loads(framework_toml(fw)))
    assert replace(again, extra={}) == replace(fw, extra={})
