"""A returned file's structure facts, for inferring its template from the batch (worker side).

A file that is neither an xlperf template nor matched to a ``--template`` sends the parent what a
template would fix: every formula (canonical, position-free), the table's names, weights, targets,
natures and units, and the texts above and below the table. Inputs (actuals, typed scores, notes,
the 基本信息 values) are left out: no majority could be found there, and none is wanted.

Copies of one template hold the same facts, so each worker sends a group's facts in full once (its
*base*) and then only what a file changes against it; the state file stays small (a clean copy's
facts are a few bytes) and so does what crosses the pipe.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

from xlperf.batch.structure import NO_TABLE, STRUCTURE_ROLES, Structure, Table, ViewCells, cell_id, data_sheets, \
    group_key, table_of

MAX_BASES = 64
_bases: "OrderedDict[str, tuple[str, dict]]" = OrderedDict()
_lock = threading.Lock()


def _typed(view, anchor: Table) -> dict[str, Any]:
    """Constants shown if the template has a formula there: in columns holding formulas, and numbers
    outside the indicator rows (budget blocks, 基本信息)."""
    out: dict[str, Any] = {}
    data_rows = set(anchor.rows)
    for sheet in data_sheets(view):
        formulas, grid = view.formulas.get(sheet, {}), view.grid(sheet)
        columns = {col for _, col in formulas}
        table_sheet = sheet == anchor.sheet
        for (row, col), value in (grid.values.items() if grid is not None else ()):
            if (row, col) in formulas:
                continue
            number = isinstance(value, (int, float)) and not (table_sheet and row in data_rows)
            if col in columns or number:
                out[cell_id(sheet, anchor(sheet, row), col)] = value if isinstance(value, (int, float, str)) \
                    else str(value)
    return out


def _candidates(view, table: Table | None) -> dict[str, str]:
    """Formulas everywhere; constants where a template fixes them (never inputs)."""
    cells = ViewCells(view, table)
    anchor = cells.table
    out: dict[str, str] = {}
    for sheet in data_sheets(view):
        for (row, col), text in view.formulas.get(sheet, {}).items():
            out[cell_id(sheet, anchor(sheet, row), col)] = cells.content(sheet, row, col)
    if table is None:
        return out
    grid = view.grid(table.sheet)
    formulas = view.formulas.get(table.sheet, {})
    fixed = {col for col, role in table.roles if role in STRUCTURE_ROLES}
    data_rows = set(table.rows)
    for (row, col), value in (grid.values.items() if grid is not None else ()):
        if (row, col) in formulas:
            continue
        if row in data_rows:
            wanted = col in fixed
        else:
            wanted = isinstance(value, str)  # titles, headers, 合计 and other labels (typed figures are inputs)
        if wanted:
            content = cells.content(table.sheet, row, col)
            if content is not None:
                out[cell_id(table.sheet, anchor(table.sheet, row), col)] = content
    return out


def file_facts(view, indicator_table: Any) -> Structure:
    """The file's facts as a Structure (cells: the candidate cells above)."""
    table = table_of(indicator_table)
    sheets = data_sheets(view)
    cells = _candidates(view, table)
    typed = {cid: v for cid, v in _typed(view, table or NO_TABLE).items() if cid not in cells}
    return Structure(group_key(table, sheets), sheets, table, cells, typed=typed)


def _digest(data: Any) -> str:
    return hashlib.sha1(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def compact(facts: Structure) -> dict:
    """The facts to send: in full for the first file of its group in this process, else as changes."""
    full = facts.to_json()
    with _lock:
        known = _bases.get(facts.key)
        if known is not None:
            _bases.move_to_end(facts.key)
    if known is None:
        base_id = _digest(full)
        with _lock:
            _bases[facts.key] = (base_id, full)
            while len(_bases) > MAX_BASES:
                _bases.popitem(last=False)
        return {"key": facts.key, "base": base_id, "full": full}
    base_id, base = known
    cells, theirs = full["cells"], base["cells"]
    out: dict[str, Any] = {"key": facts.key, "base": base_id,
                           "set": {cid: c for cid, c in cells.items() if theirs.get(cid) != c},
                           "drop": [cid for cid in theirs if cid not in cells]}
    for part in ("sheets", "table", "typed"):
        if full[part] != base[part]:
            out[part] = full[part]
    return out


def expand(sent: dict, bases: dict[str, dict]) -> Structure | None:
    """The facts a worker sent, whole again (None when its base is unknown)."""
    if "full" in sent:
        return Structure.from_json(sent["full"])
    base = bases.get(sent["base"])
    if base is None:
        return None
    cells = dict(base["cells"])
    for cid in sent.get("drop", ()):
        cells.pop(cid, None)
    cells.update(sent.get("set", {}))
    data = {**base, "cells": cells, **{part: sent[part] for part in ("sheets", "table", "typed") if part in sent}}
    return Structure.from_json(data)


def clear() -> None:
    with _lock:
        _bases.clear()
