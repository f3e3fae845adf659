"""The straight-line program gives, for every formula cell, exactly what ``formulas``' own
ExcelModel computes for the same file (the per-file reference), including error values,
empty references and inputs that make the UDFs fail."""

from __future__ import annotations

import pytest

from tests.corpus import DAPENG_EDITS, filled, finish
from xlperf.batch.template_check import recognise
from xlperf.engine import compiled
from xlperf.engine.program import Unsupported, WorkbookProgram, compile_formula, compile_workbook
from xlperf.engine.recalc import recalc_workbook
from xlperf.workbook.grid import a1
from xlperf.workbook.view import open_view, open_view_openpyxl

CASES = [("dapeng", "dapeng_2024"), ("yantian", "yantian_2024"), ("self_eval", None)]
EDITS = {name: change for name, change, _, _ in DAPENG_EDITS if change is not None}


def _program_values(path) -> dict[tuple[str, str], object]:
    view = open_view(path)
    program = compile_workbook(view.formulas, view.sheet_names)
    values = program.run({g.name: g.values for g in view.grids})
    return {(sheet, a1(row, col)): value for (sheet, row, col), value in values.items()}


def _assert_same(path) -> int:
    expected = recalc_workbook(path).values
    got = _program_values(path)
    assert got, "no formulas compiled"
    for key, value in got.items():
        assert key in expected, key
        assert value == expected[key] and type(value) is type(expected[key]), (key, value, expected[key])
    return len(got)


@pytest.mark.parametrize("framework, case", CASES)
def test_program_equals_formulas_model(framework, case, tmp_path):
    path = finish(filled(framework, case), tmp_path / f"{framework}.xlsx")
    assert _assert_same(path) > 30


@pytest.mark.parametrize("name", ["text_in_number", "score_above_weight", "note_missing", "unit_mismatch",
                                  "target_edited", "weight_edited"])
def test_program_equals_model_on_bad_inputs(name, tmp_path):
    wb = filled("dapeng", "dapeng_2024")
    EDITS[name](wb)
    _assert_same(finish(wb, tmp_path / f"{name}.xlsx"))


def test_errors_empty_cells_and_constants(tmp_path):
    wb = filled("dapeng", "dapeng_2024")
    ws = wb["评分表"]
    ws["H5"], ws["J6"], ws["F7"] = None, "#N/A", 0
    ws["N4"] = "=IF(F4=0,\"\",F4/F7)&\"分\""
    ws["N5"] = "=ROUND(SUM(F4:F8)*1.005,2)+-N6"
    ws["N6"] = "=基本信息!$B$30"  # an empty cell of another sheet
    _assert_same(finish(wb, tmp_path / "odd.xlsx"))


def test_unsupported_formula_is_reported_not_guessed():
    with pytest.raises(Unsupported):
        compile_formula(("评分表", 1, 1), "=SUM(nowhere!A1)", {"评分表": "评分表"})
    with pytest.raises(Unsupported):
        compile_workbook({"S": {(1, 1): "=B1", (1, 2): "=A1"}})  # circular


def test_recompute_of_intact_copies_uses_one_program(tmp_path):
    compiled.clear_cache()
    paths = [finish(filled("dapeng", "dapeng_2024"), tmp_path / "a.xlsx")]
    wb = filled("dapeng", "dapeng_2024")
    wb["评分表"]["J4"] = 2.5
    paths.append(finish(wb, tmp_path / "b.xlsx"))
    for path in paths:
        view = open_view(path)
        template, _ = recognise(view)
        assert template is not None and template.intact
        got = compiled.recompute(view, template)
        expected = recalc_workbook(path).values
        assert all(expected[key] == value for key, value in got.items())
    assert len(compiled._programs) == 1  # the edited value does not change the formulas
    assert isinstance(next(iter(compiled._programs.values())), WorkbookProgram)


def test_edited_copy_recomputes_its_own_formulas(tmp_path):
    """A copy whose formula was changed is recomputed with the changed formula, as formulas would."""
    wb = filled("dapeng", "dapeng_2024")
    EDITS["formula_changed"](wb)
    path = finish(wb, tmp_path / "changed.xlsx")
    view = open_view(path)
    template, _ = recognise(view)
    assert template is not None and not template.intact
    got = compiled.recompute(view, template)
    expected = recalc_workbook(path).values
    assert got and all(expected[key] == value for key, value in got.items())


def test_array_formula_in_a_copy_goes_to_the_full_model(tmp_path):
    """A copy whose score cell was replaced by an array (CSE) formula: the view carries the array range,
    and recompute gives what formulas' ExcelModel gives for it, not a single-cell reading of the text."""
    from openpyxl.worksheet.formula import ArrayFormula

    wb = filled("dapeng", "dapeng_2024")
    wb["评分表"]["K4"] = ArrayFormula("K4", "=SUM(F4:F6*1)")
    path = finish(wb, tmp_path / "array.xlsx")
    view = open_view(path)
    assert view.has_arrays and view.arrays["评分表"] == {(4, 11): "K4"}
    assert open_view_openpyxl(path).arrays["评分表"] == view.arrays["评分表"]
    template, _ = recognise(view)
    assert template is not None
    values = compiled.recompute(view, template)
    expected = recalc_workbook(path).values
    assert values[("评分表", "K4")] == expected[("评分表", "K4")] == 8  # 3 + 2 + 3, summed as an array
    assert values == expected


def test_functions_without_arguments_as_libreoffice_writes_them(tmp_path):
    """LibreOffice saves the constants TRUE and FALSE as TRUE() and FALSE(); the program calls them with no
    argument, as formulas does."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = 3, 4
    ws["B1"] = "=IF(FALSE(),A1,A2)"
    ws["B2"] = "=AND(TRUE(),A1<A2)"
    ws["B3"] = "=ROUND(PI()*A1,4)"
    path = tmp_path / "noargs.xlsx"
    wb.save(path)
    assert _assert_same(path) == 3


def test_a_bureau_template_shared_by_two_copies_runs_one_program(tmp_path):
    """Any formula set gets the program (not only xlperf's templates), compiled once for the copies that
    share it; the values equal formulas' ExcelModel."""
    import random

    from tests.bureau.corpus import Copy, write_copy
    from tests.bureau.rows import ROWS, make_inputs

    compiled.clear_cache()
    rng = random.Random(5)
    paths = []
    for i in range(2):
        path = tmp_path / f"copy{i}.xlsx"
        write_copy("info", Copy(make_inputs("info", rng, i), list(ROWS["info"])), path)
        paths.append(path)
    for i, path in enumerate(paths):
        got = compiled.recompute(open_view(path))
        assert len(compiled._programs) == 1
        expected = recalc_workbook(path).values
        assert got and all(expected[key] == value for key, value in got.items())
    assert isinstance(next(iter(compiled._programs.values())), WorkbookProgram)
