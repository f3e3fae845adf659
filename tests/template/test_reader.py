"""The real-table reader reads a built 评分表 and, once 基本信息 is filled, its budget block."""

from __future__ import annotations

from decimal import Decimal

import openpyxl

from xlperf.core.evaluate import in_context
from xlperf.core.quantity import parse_quantity
from xlperf.template.plan import plan_rows
from xlperf.workbook.reader import read_tables

def _meaning(q, nature, unit):
    q = in_context(q, nature, unit)
    words = q.level.word if q.level else (None if q.numeric or q.date else q.text)
    return q.kind, q.comparator or ">=", q.value, q.high, q.unit, q.date, words


BUDGET = {"B9": 3056.28, "B10": 2916.35, "B11": 2916.35, "B12": 2747.33}


def test_reader_reads_rows_and_budget(copy_of, fid, framework, formulas):
    path = copy_of(fid, formulas)
    wb = openpyxl.load_workbook(path)
    for ref, value in BUDGET.items():
        wb["基本信息"][ref] = value
    wb["基本信息"]["B3"] = "人才发展专项资金"
    wb.save(path)

    (table,) = read_tables(path)
    assert table.sheet == "评分表" and table.header_row == 3
    assert dict(table.columns) == {"level1": "A", "level2": "B", "level3": "C", "nature": "D", "unit": "E",
                                   "weight": "F", "target": "G", "actual": "H", "method": "I", "judgement": "J",
                                   "score": "K", "note": "L"}
    assert len(table.rows) == len(framework.indicators)
    for row, ind, plan in zip(table.rows, framework.indicators, plan_rows(framework)):
        assert (row.level1, row.level2, row.level3) == (ind.level1, ind.level2, ind.level3)
        assert Decimal(str(row.weight)) == ind.weight
        assert (row.target, row.nature or "", row.unit or "") == (plan.target, plan.nature, plan.unit)
        # the helper cells read back as the target the framework wrote (no comparator written means ≥)
        assert _meaning(parse_quantity(row.target, "target" in row.percent), row.nature, row.unit) == \
            _meaning(parse_quantity(ind.target), ind.nature, ind.unit)
    assert [row.row for row in table.rows] == list(range(4, 4 + len(framework.indicators)))
    assert table.stated_total is not None and table.stated_total.cell == f"K{4 + len(framework.indicators)}"
    budget = table.budget
    assert budget is not None and budget.sheet == "基本信息" and budget.unit == "万元"
    assert (budget.initial, budget.annual, budget.received, budget.spent) == tuple(
        Decimal(str(v)) for v in BUDGET.values())
    assert dict(budget.cells) == {"initial": "B9", "annual": "B10", "received": "B11", "spent": "B12"}


def test_unfilled_template_has_no_budget(built):
    (table,) = read_tables(built["dapeng"])
    assert table.budget is None and len(table.rows) == 23
