"""A formula on plain Python values: the program's fast mode, with ``formulas``' path as its fallback.

Measured on the bureau corpus (``bench/percopy.py``): with every step behind ``fastops``' wrapper the
engine still added about 1.3 ms per copy (43 formulas, 190 calls): per call the argument unwrapping,
the numpy array each intermediate result is wrapped in, the one-cell reference objects, SUM through
numpy. A formula whose every step has a fast rule (``fastops.rule_for``, plus SUM, and MIN/MAX over
areas) is run here instead: a one-cell reference is its value, an area the list of its values, each
rule gets and gives plain values. A rule that meets a value it does not model exactly (text, errors,
TRUE/FALSE in arithmetic, a result that is not finite…) gives ``SLOW`` and the whole formula is run
the ``formulas`` way, so every value is the one ``formulas`` gives (tests/engine/test_scalar.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from types import CodeType
from typing import Any, Callable, Mapping

import numpy as np
import schedula as sh
from formulas.tokens.operand import Error

from xlperf.engine.fastops import _SLOW as SLOW
from xlperf.engine.fastops import base_name, extreme, numbers_in, rule_for
from xlperf.workbook.xlsxparts import CellError
from xlperf.workbook.xlsxstyles import EPOCH_1900

Cell = tuple[str, int, int]
Grids = Mapping[str, Mapping[tuple[int, int], Any]]


def stored_value(value: Any) -> Any:
    """A stored cell value as ``formulas`` loads it: empty → EMPTY, error → XlError, floats to 15 places,
    a date-formatted cell (read as a datetime) back to its serial number (1900 date system)."""
    kind = type(value)
    if kind is float:
        return value if value.is_integer() else _round15(value)
    if kind is int or kind is str or kind is bool:
        return value
    if value is None:
        return sh.EMPTY
    if isinstance(value, float):
        return round(value, 15)
    if isinstance(value, (dt.datetime, dt.date)):
        moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        return round((moment - EPOCH_1900) / dt.timedelta(days=1), 15)
    if isinstance(value, CellError):
        return Error.errors.get(str(value), value)
    return value


@functools.lru_cache(maxsize=8192)
def _round15(value: float) -> float:
    """``round(value, 15)``, remembered: 0.5 µs a call (Python rounds through decimal digits), measured as the
    largest cost of reading a copy's cells; a copy's stored numbers mostly repeat other copies'. A whole
    number is its own rounding and never gets here (nor 0.0 and -0.0, one key but two values)."""
    return round(value, 15)


_PAIRWISE_BLOCK = 128  # numpy's PW_BLOCKSIZE


def pairwise_sum(values: list[float], start: int = 0, count: int | None = None) -> float:
    """The float sum numpy's ``np.sum`` gives for these values (its pairwise summation, same order)."""
    count = len(values) - start if count is None else count
    if count < 8:
        total = 0.0
        for i in range(start, start + count):
            total += values[i]
        return total
    if count <= _PAIRWISE_BLOCK:
        r = values[start:start + 8]
        i, end = 8, count - count % 8
        while i < end:
            for j in range(8):
                r[j] += values[start + i + j]
            i += 8
        total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for k in range(i, count):
            total += values[start + k]
        return total
    half = count // 2
    half -= half % 8
    return pairwise_sum(values, start, half) + pairwise_sum(values, start + half, count - half)


def _sum(*args: Any) -> Any:
    """``formulas``' SUM of numbers (empty cells skipped): numpy's float sum, as a numpy float."""
    values = numbers_in(args)
    if values is None:
        return SLOW
    total = 0.0 + pairwise_sum([float(value) for value in values])  # numpy starts the reduction from its identity, 0.0
    return np.float64(total) if math.isfinite(total) else SLOW


def scalar_rule(name: str, count: int) -> tuple[Callable[..., Any], bool] | None:
    """The plain-value rule for the function node ``name`` called with ``count`` arguments, and whether
    it takes areas (lists); None: the formula is not run in the fast mode."""
    base = base_name(name)
    if count == 0:
        return None
    if base == "SUM":
        return _sum, True
    if base in ("MIN", "MAX"):
        return extreme(min if base == "MIN" else max, references=True), True
    found = rule_for(base)
    if found is None or (found[1] is not None and count not in found[1]):
        return None
    return found[0], False


def _read(results: dict[Cell, Any], grids: Grids, key: Cell) -> Any:
    """A referenced cell's value: a formula's result if computed, else its stored value."""
    if key in results:
        return results[key]
    values = grids.get(key[0])
    return stored_value(None if values is None else values.get(key[1:]))


@dataclass(frozen=True)
class ScalarPlan:
    """A formula as one generated Python function ``run(results, grids)``: the cell's value as
    ``FormulaProgram.run`` gives it, or ``SLOW`` (``results``: the formula cells computed so far; ``grids``:
    the copy's stored values). Generated rather than interpreted from a list of steps: measured on the
    bureau corpus, the interpreter's slot list, loops and argument lists were a third of a copy's
    recompute (200 → 115 µs per copy with the rules unchanged). The source names every value through
    the function's namespace (no data is written into it).

    A formula of two steps or more over single cells remembers its value by its inputs, each with its type
    (1, 1.0 and TRUE are one key otherwise; an input of -0.0 is not remembered): measured, 86 % of a bureau
    copy's formulas meet inputs an earlier copy gave them; one pass over the corpus 156 → 112 µs per copy."""

    source: str
    run: Callable[[dict[Cell, Any], Grids], Any]


def _generate(constants: dict[int, Any], cells: dict[int, Cell], areas: dict[int, tuple[Cell, ...]],
              steps: list[tuple[Callable[..., Any], tuple[int, ...], int]], result: int) -> ScalarPlan:
    space: dict[str, Any] = {"SLOW": SLOW, "EMPTY": sh.EMPTY, "stored": stored_value, "read": _read,
                             "NO_VALUES": {}}
    name = {slot: f"c{slot}" if slot in constants else f"s{slot}" for slot in (*constants, *cells, *areas)}
    space.update({f"c{slot}": value for slot, value in constants.items()})
    sheets = {sheet: f"g{i}" for i, sheet in enumerate(dict.fromkeys(cell[0] for cell in cells.values()))}
    lines = ["def run(results, grids):"]
    for sheet, grid in sheets.items():
        space[f"sheet_{grid}"] = sheet
        lines.append(f"    {grid} = grids.get(sheet_{grid}, NO_VALUES)")
    for slot, cell in cells.items():
        space[f"k{slot}"], space[f"p{slot}"] = cell, cell[1:]
        lines.append(f"    s{slot} = results[k{slot}] if k{slot} in results else stored({sheets[cell[0]]}.get(p{slot}))")
    for slot, keys in areas.items():
        space[f"a{slot}"] = keys
        lines.append(f"    s{slot} = [read(results, grids, key) for key in a{slot}]")
    remember = len(steps) >= _REMEMBERED_STEPS and cells and not areas
    if remember:
        space.update(memo={}, negative_zero=_negative_zero, MEMO_SIZE=_MEMO_SIZE)
        inputs = [f"s{slot}" for slot in cells]
        lines += [f"    key = ({', '.join(inputs + [f'{i}.__class__' for i in inputs])},)",
                  "    remember = 0.0 not in key or not negative_zero(key)",
                  "    found = memo.get(key, SLOW) if remember else SLOW", "    if found is not SLOW:",
                  "        return found"]
    lines.append("    try:" if steps else "    pass")
    for i, (rule, args, out) in enumerate(steps):
        space[f"rule{i}"], name[out] = rule, f"s{out}"
        lines += [f"        s{out} = rule{i}({', '.join(name[a] for a in args)})", f"        if s{out} is SLOW:",
                  "            return SLOW"]
    if steps:  # formulas' functions give the error value they give: the formula goes back to them
        lines += ["    except Exception:", "        return SLOW"]
    lines.append(f"    value = 0 if {name[result]} is EMPTY else {name[result]}")
    if remember:
        lines += ["    if remember:", "        if len(memo) >= MEMO_SIZE:", "            memo.clear()",
                  "        memo[key] = value"]
    lines.append("    return value")
    source = "\n".join(lines) + "\n"
    exec(_code(source), space)  # noqa: S102 - xlperf's own generated source
    return ScalarPlan(source, space["run"])


_REMEMBERED_STEPS = 2  # a one-step formula (a SUM, a single comparison) costs about what its lookup would
_MEMO_SIZE = 512


def _negative_zero(key: tuple[Any, ...]) -> bool:
    """Whether a value of the key is -0.0: equal to 0.0 as a key, but rounded and multiplied to -0.0."""
    return any(isinstance(value, float) and value == 0 and math.copysign(1.0, value) < 0 for value in key)


@functools.lru_cache(maxsize=1024)
def _code(source: str) -> CodeType:
    """Compiled once per source: formulas of one shape on other rows give the same source (names only);
    compiling was a fifth of compiling a formula (0.3 of 1.7 ms)."""
    return compile(source, "<xlperf formula>", "exec")


def scalar_plan(slots: int, constants: list[tuple[int, Any]], leaves: list[tuple[int, Any]],
                steps: list[tuple[str, tuple[int, ...], int]], result: int) -> ScalarPlan | None:
    """The fast-mode plan of a compiled formula (``leaves``: slot and ``program.Leaf``; ``steps``: node
    name, argument slots, output slot), or None when a step has no plain rule or an area goes elsewhere."""
    areas = {slot: tuple(leaf.cells()) for slot, leaf in leaves if (leaf.r1, leaf.c1) != (leaf.r2, leaf.c2)}
    if result in areas or any(value is sh.EMPTY for _, value in constants):  # a plain EMPTY is text to SUM, MIN…
        return None
    rules, known = [], {slot for slot, _ in (*constants, *leaves)}
    for name, args, out in steps:
        found = scalar_rule(name, len(args))
        if found is None or (not found[1] and any(i in areas for i in args)) or not known.issuperset(args):
            return None
        rules.append((found[0], args, out))
        known.add(out)
    cells = {slot: (leaf.sheet, leaf.r1, leaf.c1) for slot, leaf in leaves if slot not in areas}
    return _generate(dict(constants), cells, areas, rules, result)
