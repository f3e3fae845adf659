"""A template's formulas as one straight-line program over ``formulas``' own parsed functions.

``formulas`` evaluates a workbook through ``schedula`` dispatchers: correct, but about 1 ms of
dispatch per formula on every file. A batch checks thousands of copies of the same template, so
here each formula is parsed once by ``formulas.Parser`` and its AST's function nodes (``formulas``'
operators, Excel functions and the registered PERF_* UDFs) are laid out in dependency order.
Evaluating a copy is then a loop of plain calls: references become ``Ranges`` holding the copy's
values, exactly as ``formulas`` would hand them to the same functions.

Only what the program can express is accepted (plain cell/area references, constants, function
nodes); anything else raises :class:`Unsupported` and the caller uses the full ``formulas`` model.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable

import numpy as np
import schedula as sh
from formulas.functions import replace_empty
from formulas.ranges import Ranges

from xlperf.engine.fastops import OneCell, fast_function
from xlperf.engine.functions import register, to_python
from xlperf.engine.shape import coordinate_maps, shape_of
from xlperf.engine.scalar import SLOW, Grids, ScalarPlan, scalar_plan, stored_value
from xlperf.workbook.grid import a1

_NODE_KEYS = frozenset({"function", "index", "inputs", "outputs", "type", "wait_inputs", "solve_cycle"})
_BOOK = "xlperf.xlsx"
_ADDIN_PREFIX = re.compile(r"\[\d+\]!")

Cell = tuple[str, int, int]  # sheet, row, column
ValueOf = Callable[[str, int, int], Any]


class Unsupported(Exception):
    """The formulas use something the straight-line program does not model."""


@dataclass(frozen=True)
class Leaf:
    """A reference in a formula: an area of one sheet and the ``formulas`` range it stands for."""

    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int
    rng: dict[str, Any]

    def cells(self) -> Iterable[Cell]:
        for row in range(self.r1, self.r2 + 1):
            for col in range(self.c1, self.c2 + 1):
                yield self.sheet, row, col


@dataclass
class FormulaProgram:
    """One formula: constants and leaves fill slots, steps call functions, ``result`` is the cell value."""

    cell: Cell
    slots: int
    constants: list[tuple[int, Any]]
    leaves: list[tuple[int, Leaf]]
    steps: list[tuple[Callable[..., Any], tuple[int, ...], int]]
    result: int
    result_is_leaf: bool
    scalar: ScalarPlan | None = None  # the plain-value plan, when every step has a plain rule
    names: tuple[tuple[str, tuple[int, ...], int], ...] = ()  # each step's node name, arguments, output

    def run(self, value_of: ValueOf) -> Any:
        """The cell's value as ``formulas`` holds it (XlError, EMPTY replaced by 0, numpy scalars)."""
        slots: list[Any] = [None] * self.slots
        for slot, value in self.constants:
            slots[slot] = value
        for slot, leaf in self.leaves:
            if leaf.r1 == leaf.r2 and leaf.c1 == leaf.c2:  # its Ranges built only for a function that needs one
                slots[slot] = OneCell(value_of(leaf.sheet, leaf.r1, leaf.c1), functools.partial(_ranges, leaf, value_of))
            else:
                slots[slot] = _ranges(leaf, value_of)
        for func, args, out in self.steps:
            values = [slots[i] for i in args]
            if not getattr(func, "takes_cells", False):
                values = [v.ranges() if type(v) is OneCell else v for v in values]
            value = func(*values)
            if value is sh.NONE:
                raise Unsupported("a function gave no value")
            slots[out] = value
        result = slots[self.result]
        return _cell_value(result.ranges() if type(result) is OneCell else result)



def _ranges(leaf: Leaf, value_of: ValueOf) -> Ranges:
    """The ``Ranges`` ``formulas`` would pass for this reference: the area's values, empty as EMPTY."""
    sheet, shape = leaf.sheet, (leaf.r2 - leaf.r1 + 1, leaf.c2 - leaf.c1 + 1)
    array = np.empty(shape[0] * shape[1], object)
    array[:] = [value_of(sheet, row, col) for row in range(leaf.r1, leaf.r2 + 1) for col in range(leaf.c1, leaf.c2 + 1)]
    array = array.reshape(shape)
    ranges = Ranges((leaf.rng,), {leaf.rng["name"]: (leaf.rng, array)})
    ranges._value = array  # the value ``Ranges.value`` computes for one complete area
    return ranges


def _cell_value(value: Any) -> Any:
    """What ``formulas`` stores in a one-cell output: the top-left of the result."""
    if isinstance(value, Ranges):
        value = value.value
    if isinstance(value, np.ndarray) and value.size == 1:  # the usual case, without replace_empty's array work
        value = value.ravel()[0]
        return 0 if value is sh.EMPTY else value
    value = replace_empty(value)  # the filter ``formulas`` puts on every formula cell's output
    if np.ndim(value):
        value = np.asarray(value, object)
        value = value.ravel()[0] if value.size else sh.EMPTY
    return value


def _leaf(name: str, sheets: dict[str, str]) -> Leaf:
    try:
        rng = Ranges().push(name).ranges[0]
    except Exception as exc:  # noqa: BLE001 - names, 3-D or whole-column references
        raise Unsupported(f"reference {name}") from exc
    sheet = sheets.get(str(rng.get("sheet", "")).upper())
    if sheet is None or not str(rng.get("r1", "")).isdigit():
        raise Unsupported(f"reference {name}")
    return Leaf(sheet, int(rng["r1"]), int(rng["n1"]), int(rng["r2"]), int(rng["n2"]), rng)


def compile_formula(cell: Cell, text: str, sheets: dict[str, str]) -> FormulaProgram:
    """Parse one formula with ``formulas`` and lay out its AST as slots and steps."""
    import formulas

    text = _ADDIN_PREFIX.sub("", text)
    try:
        builder = formulas.Parser().ast(text, context={"sheet": cell[0].upper(), "filename": _BOOK})[1]
        builder.finish()
        output = builder.get_node_id(builder[-1])
    except Exception as exc:  # noqa: BLE001 - formulas rejects the text: the model path decides
        raise Unsupported(f"parse {text}") from exc
    dsp, slot_of = builder.dsp, {}
    constants, leaves, steps, names = [], [], [], []

    def slot(node: str) -> int:
        if node not in slot_of:
            slot_of[node] = len(slot_of)
        return slot_of[node]

    produced = {out for node in dsp.function_nodes.values() for out in node["outputs"]}
    for node_id, node in dsp.data_nodes.items():
        if node_id in produced or node_id is sh.START:  # START feeds a function without arguments: FALSE()
            continue
        if node_id in dsp.default_values:
            constants.append((slot(node_id), dsp.default_values[node_id]["value"]))
        else:
            leaves.append((slot(node_id), _leaf(node_id, sheets)))
    for name, node in sorted(dsp.function_nodes.items(), key=lambda item: item[1]["index"]):
        if set(node) - _NODE_KEYS or len(node["outputs"]) != 1 or not callable(node["function"]):
            raise Unsupported(f"function node in {text}")
        args = tuple(slot(i) for i in node["inputs"] or () if i is not sh.START)
        steps.append((fast_function(str(name), node["function"]), args, slot(node["outputs"][0])))
        names.append((str(name), args, steps[-1][2]))
    result = slot(output)
    plan = scalar_plan(len(slot_of), constants, leaves, names, result)
    return FormulaProgram(cell, len(slot_of), constants, leaves, steps, result, output not in produced, plan,
                          tuple(names))


@dataclass
class WorkbookProgram:
    """Every formula of a workbook, in an order where each formula follows the formulas it reads."""

    programs: list[FormulaProgram]
    names: dict[Cell, tuple[str, str]] = field(init=False)  # each formula cell's (sheet, A1)
    _calls: list[tuple[Cell, Callable[..., Any] | None, FormulaProgram]] = field(init=False)

    def __post_init__(self) -> None:
        self.names = {p.cell: (p.cell[0], a1(p.cell[1], p.cell[2])) for p in self.programs}
        self._calls = [(p.cell, p.scalar.run if p.scalar else None, p) for p in self.programs]

    def run(self, grids: Grids) -> dict[Cell, Any]:
        """Each formula cell's value, given the copy's stored values ``{sheet: {(row, col): value}}``."""
        results: dict[Cell, Any] = {}

        def current(sheet: str, row: int, col: int) -> Any:
            key = (sheet, row, col)
            if key in results:
                return results[key]
            values = grids.get(sheet)
            return stored_value(None if values is None else values.get((row, col)))

        for cell, plain, program in self._calls:
            value = SLOW if plain is None else plain(results, grids)
            results[cell] = program.run(current) if value is SLOW else value
        return {cell: to_python(value) for cell, value in results.items()}


def _ordered(programs: dict[Cell, FormulaProgram]) -> list[FormulaProgram]:
    """Dependency order (a formula after every formula in the areas it reads); cycles are unsupported."""
    reads = {cell: {c for _, leaf in p.leaves for c in leaf.cells() if c in programs and c != cell}
             for cell, p in programs.items()}
    if any(cell in {c for _, leaf in p.leaves for c in leaf.cells()} for cell, p in programs.items()):
        raise Unsupported("a formula reads its own cell")
    order, done, visiting = [], set(), set()
    for start in programs:
        if start in done:
            continue
        stack = [(start, iter(sorted(reads[start])))]
        visiting.add(start)
        while stack:
            cell, pending = stack[-1]
            nxt = next(pending, None)
            if nxt is None:
                stack.pop()
                visiting.discard(cell)
                done.add(cell)
                order.append(programs[cell])
            elif nxt in visiting:
                raise Unsupported("circular reference")
            elif nxt not in done:
                visiting.add(nxt)
                stack.append((nxt, iter(sorted(reads[nxt]))))
    return order


def compile_workbook(formulas_by_sheet: dict[str, dict[tuple[int, int], str]],
                     sheet_names: Iterable[str] = ()) -> WorkbookProgram:
    """Compile every formula (``{sheet: {(row, col): text}}``, as a WorkbookView holds them)."""
    from xlperf.engine.functions import officejs_names

    register(officejs_names(t for texts in formulas_by_sheet.values() for t in texts.values()))
    names = tuple(dict.fromkeys([*sheet_names, *formulas_by_sheet]))
    programs = {(sheet, row, col): _compile_cached((sheet, row, col), text, names)
                for sheet, texts in formulas_by_sheet.items() for (row, col), text in texts.items()}
    return WorkbookProgram(_ordered(programs))


@lru_cache(maxsize=8192)
def _compile_cached(cell: Cell, text: str, names: tuple[str, ...]) -> FormulaProgram:
    """Programs are never changed after compilation, so equal formulas of different files share one; a
    formula of a shape compiled before (``shape``) is that program with its references moved."""
    sheets = {name.upper(): name for name in names}
    shape, refs = shape_of(text, cell[1], cell[2])
    key = (cell[0], shape, names)
    earlier = _shapes.get(key)
    program = None if earlier is None else _moved(earlier[1], earlier[0], refs, cell, sheets)
    if program is None:
        program = compile_formula(cell, text, sheets)
        if program.scalar is not None and earlier is None:  # its functions do not depend on the cell
            if len(_shapes) >= _MAX_SHAPES:
                _shapes.clear()
            _shapes[key] = (refs, program)
    return program


_MAX_SHAPES = 4096
_shapes: dict[tuple[str, str, tuple[str, ...]], tuple[tuple[tuple[int, int], ...], FormulaProgram]] = {}


def _moved(program: FormulaProgram, old: tuple[tuple[int, int], ...], new: tuple[tuple[int, int], ...],
           cell: Cell, sheets: dict[str, str]) -> FormulaProgram | None:
    """``program`` (a formula of the same shape) for the formula at ``cell`` whose references are ``new``;
    None when a reference cannot be moved exactly (the formula is then compiled)."""
    maps = coordinate_maps(old, new)
    if maps is None:
        return None
    rows, cols = maps
    leaves = []
    for slot, leaf in program.leaves:
        if leaf.rng["name"] != _leaf_name(leaf.rng["sheet_id"], leaf.r1, leaf.c1, leaf.r2, leaf.c2):
            return None  # not the name formulas gives such an area: compiled, not guessed
        r1, c1, r2, c2 = rows.get(leaf.r1), cols.get(leaf.c1), rows.get(leaf.r2), cols.get(leaf.c2)
        if None in (r1, c1, r2, c2) or r1 > r2 or c1 > c2:
            return None
        leaves.append((slot, _leaf(_leaf_name(leaf.rng["sheet_id"], r1, c1, r2, c2), sheets)))
    if len({leaf.rng["name"] for _, leaf in leaves}) < len(leaves):
        return None  # two references met ($B$6 and B5 moved down): formulas gives them one slot
    plan = scalar_plan(program.slots, program.constants, leaves, program.names, program.result)
    if plan is None:
        return None
    return FormulaProgram(cell, program.slots, program.constants, leaves, program.steps, program.result,
                          program.result_is_leaf, plan, program.names)


def _leaf_name(sheet_id: str, r1: int, c1: int, r2: int, c2: int) -> str:
    """The node name ``formulas`` gives a reference: "'[book]SHEET'!B8" or "'[book]SHEET'!D5:D9"."""
    area = a1(r1, c1) if (r1, c1) == (r2, c2) else f"{a1(r1, c1)}:{a1(r2, c2)}"
    return f"{sheet_id}!{area}"


__all__ = ["compile_workbook", "compile_formula", "WorkbookProgram", "FormulaProgram", "Unsupported"]
