"""Build a framework's Excel template: 基本信息 + 评分表, with validation, protection and a marker.

Two kinds of formulas fill the same layout (``formulas``): ``excel``, plain Excel formulas that score live
in Excel, WPS and LibreOffice, printed from the core's rule table; ``udf``, xlperf's xlwings functions.

* 基本信息: A1 title (merged A1:E1); A3:A6 项目名称 / 主管部门 / 实施单位 / 评价年度 with inputs in B3:B6;
  A8 预算资金（单位：万元）; A9:A12 年初预算数 / 全年预算数 / 实际到位资金 / 全年执行数 with inputs B9:B12;
  B13 资金到位率 = 实际到位资金 ÷ 全年预算数; B14 预算执行率 = 全年执行数 ÷ 实际到位资金 (÷ 全年预算数 when
  the framework's execution base is "annual"); from row 16 the summary per level 1 and the filling hint
  (``xlperf.template.summary``).
* 评分表: see ``xlperf.template.table``.
* xlwings.conf (hidden): ``UDF Modules`` = ``xlperf.udfs``. _xlperf (veryHidden): the marker (framework,
  its definition, formula kind, version, structure fingerprint, layout).

Inputs (H 实际完成值, J 评价人评分 of judged rows, L 扣分说明, the framework's ``[template] inputs``,
基本信息 B3:B6, B9:B12) are unlocked with a light-yellow fill; everything else is locked; both sheets are
protected without a password.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from xlperf.core.frameworks import Framework, FrameworkIndicator, load_framework
from xlperf.template.fingerprint import MARKER_SHEET, structure_fingerprint
from xlperf.template.flavours import flavour as get_flavour
from xlperf.template.flavours import Geometry
from xlperf.template.frameworkfile import framework_toml
from xlperf.template.plan import RATE_LINKS, plan_rows
from xlperf.template.sheetstyle import HEADER_FILL, print_setup, protect, put, validation
from xlperf.template.summary import build_summary, summary_cells
from xlperf.template.table import COL, HEADERS, TABLE, build_table, geometry
from xlperf.version import __version__

from xlperf.template.version import TEMPLATE_VERSION  # noqa: E402  (re-exported)
INFO, CONF = "基本信息", "xlwings.conf"
INFO_FIELDS = ("项目名称", "主管部门", "实施单位", "评价年度")
BUDGET = (("initial", "年初预算数"), ("annual", "全年预算数"), ("received", "实际到位资金"), ("spent", "全年执行数"))
FIXED_TIME = dt.datetime(2024, 1, 1)

HINTS = {
    "excel": "黄色单元格为填写项；得分、合计、等级和校验提示由普通公式自动计算，Excel、WPS 和 LibreOffice 都能直接算出。"
             "交回后财政部门会用 xlperf 统一复算。",
    "udf": "黄色单元格为填写项；得分、合计、等级和校验提示由 xlperf 函数自动计算（需安装 xlwings 加载项并导入函数）。"
           "未安装时公式显示 #NAME?，不影响填写，交回后由财政部门统一复算。",
}
GROW_HINT = ("本表指标由单位填写：同一二级指标下需要多个三级指标时，先撤销工作表保护（无密码），选中该行，复制，"
             "右键“插入复制的单元格”，再改写三级指标、指标值和分值；各一级指标的分值合计须与规定一致，合计行和汇总表会提示。")


def row_method(fw: Framework, ind: FrameworkIndicator) -> str | None:
    """The method a row shows: the framework's, else inferred from the target (evaluations only)."""
    from xlperf.template.plan import _method

    return _method(fw, ind)


def build_info(wb: Workbook, fw: Framework, flavour: Any, hint: str, g: Geometry) -> tuple[Any, dict[str, Any]]:
    """The 基本信息 sheet: project data, the budget block with the two rates, the summary per level 1."""
    ws = wb.active
    ws.title = INFO
    put(ws, "A1", fw.name, bold=True, border=False, font=Font(bold=True, size=14))
    ws.merge_cells("A1:E1")
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
    received, execution = flavour.rates(fw.config)
    put(ws, "A13", "资金到位率", bold=True, fill=HEADER_FILL)
    put(ws, "B13", received, fmt="0.00%")
    put(ws, "A14", "预算执行率", bold=True, fill=HEADER_FILL)
    put(ws, "B14", execution, fmt="0.00%")
    facts = build_summary(ws, fw, flavour, g, hint)
    print_setup(ws, f"A1:E{facts.pop('info_end')}")
    protect(ws)
    return ws, facts


def _conf_and_marker(wb: Workbook, fw: Framework, flavour: Any, layout: dict[str, Any]) -> None:
    conf = wb.create_sheet(CONF)
    conf["A1"], conf["B1"] = "UDF Modules", "xlperf.udfs"
    conf.sheet_state = "hidden"
    marker = wb.create_sheet(MARKER_SHEET)
    rows = (("framework", fw.id), ("framework_name", fw.name), ("template_version", TEMPLATE_VERSION),
            ("xlperf_version", __version__), ("fingerprint", structure_fingerprint(wb)),
            ("layout", json.dumps(layout, ensure_ascii=False, separators=(",", ":"))),
            ("formulas", flavour.name), ("framework_toml", framework_toml(fw)))
    for i, (key, value) in enumerate(rows, start=1):
        marker[f"A{i}"], marker[f"B{i}"] = key, value
    marker.sheet_state = "veryHidden"


def make_workbook(framework: Framework | str, formulas: str = "udf", counts: dict[str, int] | None = None) -> Workbook:
    """The template as an in-memory openpyxl workbook.

    ``formulas``: ``excel`` (plain formulas) or ``udf`` (xlperf's xlwings functions). ``counts`` repeats
    growable rows (row key → number of rows), as a unit's copy may have them. ValueError for a framework
    without indicators or an unknown formula kind."""
    fw = load_framework(framework) if isinstance(framework, str) else framework
    if not fw.indicators:
        raise ValueError(f"框架 {fw.id} 没有指标行，不能生成模板")
    flavour = get_flavour(formulas)
    grows = any(plan.grow for plan in plan_rows(fw))
    hint = HINTS[flavour.name] + (GROW_HINT if grows else "")
    wb = Workbook()
    _, g = geometry(fw, counts)
    _, summary = build_info(wb, fw, flavour, HINTS[flavour.name], g)
    layout = build_table(wb, fw, flavour, hint, counts, summary_cells(list(g.blocks)))
    layout |= {"info_sheet": INFO, "budget": {key: f"B{9 + i}" for i, (key, _) in enumerate(BUDGET)},
               "rates": {"received_rate": "B13", "execution_rate": "B14"}, **summary}
    _conf_and_marker(wb, fw, flavour, layout)
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


def build_template(framework: Framework | str, path: Path, formulas: str = "udf") -> Path:
    """Build the template of ``framework`` (a Framework or an id / TOML path) at ``path``; returns the path."""
    return save_atomic(make_workbook(framework, formulas), Path(path))


__all__ = ["TEMPLATE_VERSION", "HEADERS", "COL", "TABLE", "INFO", "RATE_LINKS", "build_template", "make_workbook", "save_atomic",
           "row_method"]
