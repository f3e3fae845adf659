"""The structure fingerprint ignores filled inputs and catches edits to protected cells, formulas and rows."""

from __future__ import annotations

import openpyxl
import pytest

from xlperf.template.builder import make_workbook
from xlperf.template.fingerprint import fingerprint_file, read_marker, structure_fingerprint, structure_lines


def _edit(path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def test_stored_fingerprint_matches_file(built, fid):
    found, marker = fingerprint_file(built[fid])
    assert marker is not None and found == marker["fingerprint"]
    assert found == structure_fingerprint(make_workbook(fid))  # in memory and after a save agree


def test_marker_sheet_is_excluded(built):
    wb = openpyxl.load_workbook(built["dapeng"])
    before = structure_fingerprint(wb)
    wb["_xlperf"]["B5"] = "changed"
    assert structure_fingerprint(wb) == before
    assert not any(line.startswith("_xlperf") for line in structure_lines(wb))


def test_filling_inputs_keeps_fingerprint(copy_of, fid):
    path = copy_of(fid)
    expected, _ = fingerprint_file(path)

    def fill(wb):
        info, ws = wb["基本信息"], wb["评分表"]
        for r in range(3, 7):
            info[f"B{r}"] = f"填写{r}"
        for r in range(9, 13):
            info[f"B{r}"] = 1000 + r
        for r in range(4, ws.max_row + 1):
            for col in "CDEGHIJL":
                cell = ws[f"{col}{r}"]
                if cell.protection.locked is False:
                    cell.value = 0.9 if col == "J" else f"{col}{r} 已填"
    _edit(path, fill)
    found, marker = fingerprint_file(path)
    assert found == expected == marker["fingerprint"]


@pytest.mark.parametrize("ref, value", [
    ("G15", "≥5人"),  # a locked target
    ("F15", 5),  # a weight
    ("K15", 4),  # a formula overwritten by a number
    ("K16", "=PERF_SCORE(F16,G16,H16,I16,J16)"),  # a formula edited
    ("M4", None),  # a formula cleared
])
def test_protected_edits_change_fingerprint(copy_of, ref, value):
    path = copy_of("dapeng")
    expected, _ = fingerprint_file(path)

    def change(wb):
        wb["评分表"][ref] = value
    _edit(path, change)
    assert fingerprint_file(path)[0] != expected


def test_deleted_row_changes_fingerprint(copy_of):
    path = copy_of("dapeng")
    expected, _ = fingerprint_file(path)
    _edit(path, lambda wb: wb["评分表"].delete_rows(20))
    assert fingerprint_file(path)[0] != expected


def test_renamed_sheet_and_unmerge_change_fingerprint(copy_of):
    path = copy_of("yantian")
    expected, _ = fingerprint_file(path)
    _edit(path, lambda wb: wb["评分表"].unmerge_cells("A4:A9"))
    assert fingerprint_file(path)[0] != expected
    path2 = copy_of("self_eval")
    expected2, _ = fingerprint_file(path2)
    _edit(path2, lambda wb: setattr(wb["基本信息"], "title", "项目信息"))
    assert fingerprint_file(path2)[0] != expected2


def test_plain_workbook_has_no_marker(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    path = tmp_path / "plain.xlsx"
    wb.save(path)
    found, marker = fingerprint_file(path)
    assert marker is None and len(found) == 64
    assert read_marker(wb) is None
