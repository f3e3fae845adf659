"""Plain-formula templates filled with the cases they fit, recalculated and saved by LibreOffice, then checked.

The 大鹏 template (and one built from a CSV of the 大鹏 indicator rows) shows the published 98.37 / 优
in its own cells and ``xlperf check`` reports nothing on the saved file. The 盐田 template shows what
the rules give for the published figures (98.70: the published 98.47 carries scores the rules do not
give) and ``xlperf check`` reports exactly the table's own problems, nothing about the template. The
self-evaluation form, with a row the unit added, checks clean.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from examples import casebook
from tests.template.filling import fill_case, fill_self_eval, write_indicator_csv
from xlperf import libreoffice
from xlperf.api import score_workbook
from xlperf.batch.discover import Task
from xlperf.batch.task import CheckOptions, check_file_findings
from xlperf.core.frameworks import load_framework
from xlperf.template.builder import make_workbook, save_atomic
from xlperf.template.indicators import framework_from_indicators

pytestmark = pytest.mark.skipif(libreoffice.soffice() is None, reason=libreoffice.INSTALL_HINT)
DAPENG = casebook.load_case("dapeng_2024")


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, Path]:
    """name → the filled template as LibreOffice recalculated and saved it."""
    folder = tmp_path_factory.mktemp("acceptance")
    books = {"dapeng": make_workbook("dapeng", "excel"), "yantian": make_workbook("yantian", "excel"),
             "csv": make_workbook(framework_from_indicators(write_indicator_csv(DAPENG, folder / "大鹏指标.csv")), "excel"),
             "self_eval": make_workbook("self_eval", "excel", {"产出指标|数量指标": 2, "效益指标|社会效益指标": 3})}
    fill_case(books["dapeng"], DAPENG)
    fill_case(books["csv"], DAPENG)
    fill_case(books["yantian"], casebook.load_case("yantian_2024"))
    fill_self_eval(books["self_eval"])
    sources = [save_atomic(wb, folder / f"{name}.xlsx") for name, wb in books.items()]
    done = libreoffice.convert(sources, folder / "saved", "xlsx", recalc=True, timeout=300)
    return {path.stem: done.output(path) for path in sources}


def _check(path: Path) -> list:
    return check_file_findings(Task(str(path), path.name, True), CheckOptions())[1]


def _sheet(path: Path):
    return openpyxl.load_workbook(path, data_only=True)["评分表"]


@pytest.mark.parametrize("name", ["dapeng", "csv"])
def test_dapeng_shows_the_published_result_and_checks_clean(saved, name):
    ws, t = _sheet(saved[name]), 4 + len(DAPENG["rows"])
    assert [ws[f"K{4 + i}"].value for i in range(len(DAPENG["rows"]))] == [row["score"] for row in DAPENG["rows"]]
    assert (ws[f"K{t}"].value, ws[f"K{t + 1}"].value, ws[f"F{t}"].value) == (98.37, "优", 100)
    info = openpyxl.load_workbook(saved[name], data_only=True)["基本信息"]
    assert {info[f"A{r}"].value: info[f"C{r}"].value for r in range(18, 22)} == DAPENG["stated"]["level_totals"]
    assert all(ws[f"M{r}"].value is None for r in range(4, t + 1))  # every 校验提示 empty
    assert openpyxl.load_workbook(saved[name], data_only=True)["基本信息"]["B14"].value == 0.942
    assert _check(saved[name]) == []  # no error, no warning, no info


def test_yantian_shows_what_the_rules_give(saved):
    result = score_workbook(saved["yantian"], load_framework("yantian").config)
    ws = _sheet(saved["yantian"])
    t = next(r for r in range(4, ws.max_row + 1) if ws[f"A{r}"].value == "合计")
    assert (Decimal(str(ws[f"K{t}"].value)), ws[f"K{t + 1}"].value) == (Decimal("98.70"), "优")
    row = next(r for r in range(4, t) if ws[f"C{r}"].value == "预算执行率")
    assert ws[f"K{row}"].value == 5  # 5 × 99.90 % = 4.995 → 5.00, half away from zero
    found = {(f.code, f.cell) for f in _check(saved["yantian"])}
    assert found == {(f.code, f.cell) for f in result.findings} and found  # only the table's own problems
    assert not {code for code, _ in found} & {"template-modified", "cached-value-mismatch", "formula-changed"}


def test_self_evaluation_with_added_rows_checks_clean(saved):
    ws = _sheet(saved["self_eval"])
    assert [ws[f"C{r}"].value for r in range(5, 8)] == ["举办人才培训场次", "举办人才培训场次（2）", "培训合格率"]
    assert _check(saved["self_eval"]) == []
    t = next(r for r in range(4, ws.max_row) if ws[f"A{r}"].value == "合计")
    result = score_workbook(saved["self_eval"], load_framework("self_eval").config)
    assert (Decimal(str(ws[f"K{t}"].value)), ws[f"K{t + 1}"].value) == (result.evaluation.total, result.evaluation.grade)
