"""Rows added under a 二级指标 of the self-evaluation form are not tampering; anything else still is."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.template.filling import fill_self_eval
from xlperf.core.frameworks import load_framework
from xlperf.batch.template_check import recognise, template_findings
from xlperf.template.builder import make_workbook, save_atomic
from xlperf.template.fingerprint import read_marker
from xlperf.template.grow import grown_counts
from xlperf.workbook.reader import read_tables
from xlperf.workbook.view import open_view

GROWN = {"产出指标|数量指标": 3, "满意度指标|服务对象满意度指标": 2}


def returned(tmp_path, formulas: str, counts: dict, edit=None, framework=None):
    """A unit's copy: the form with rows copied in (as "insert copied cells" makes it), filled, with the
    template's own marker (fingerprint of the form as it was sent)."""
    sent = read_marker(make_workbook("self_eval", formulas))
    wb = make_workbook(framework or "self_eval", formulas, counts)
    fill_self_eval(wb)
    for row in wb["_xlperf"].iter_rows(min_row=1, max_col=2):
        if row[0].value in ("fingerprint", "layout"):
            value = sent[row[0].value]
            row[1].value = json.dumps(value, ensure_ascii=False, separators=(",", ":")) if row[0].value == "layout" \
                else value
    if edit:
        edit(wb)
    path = save_atomic(wb, tmp_path / f"self_eval_{formulas}.xlsx")
    view = open_view(path)
    template, found = recognise(view)
    assert template is not None and not found
    return template_findings(view, template, read_tables(path)[0]), template, path


@pytest.mark.parametrize("formulas", ["excel", "udf"])
def test_added_rows_are_not_tampering(tmp_path, formulas):
    findings, template, path = returned(tmp_path, formulas, GROWN)
    assert not template.intact and findings == []
    assert grown_counts(template.layout, read_tables(path)[0]) == tuple(sorted(GROWN.items()))


def test_edits_in_a_grown_copy_are_still_found(tmp_path):
    def overwrite(wb):
        wb["评分表"]["K6"] = 5  # a copied row's score typed over
        wb["评分表"]["A12"] = "效益"  # a level name changed
    findings, _, _ = returned(tmp_path, "excel", GROWN, overwrite)
    found = {(f.code, f.cell) for f in findings}
    assert ("template-modified", None) in found and ("formula-missing", "K6") in found
    assert any(code == "locked-cell-changed" for code, _ in found) or any(code == "row-inserted" for code, _ in found)


def test_rows_added_where_the_form_fixes_them_are_tampering(tmp_path):
    """The 预算执行率 row is not a group the unit may repeat: a second one is an inserted row."""
    fw = load_framework("self_eval")
    doubled = replace(fw, indicators=(fw.indicators[0],) + fw.indicators)
    findings, template, path = returned(tmp_path, "excel", {}, framework=doubled)
    assert grown_counts(template.layout, read_tables(path)[0]) == ()
    assert {"template-modified", "row-inserted"} <= {f.code for f in findings}
