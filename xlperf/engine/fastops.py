"""Excel's operators and IF on single plain values, without ``formulas``' array machinery.

``formulas`` runs every operator and IF through ``numpy.vectorize`` (``wrap_ufunc``): 40–65 µs a call,
measured as 70 % of recomputing a copy of a bureau's county template (68 operator and 24 IF calls
per copy; the rounding functions and MIN/MAX the rest). When every argument is one plain value, the result is computed here exactly as
``formulas`` computes it then: arithmetic on two numbers (int or float, not TRUE/FALSE) in floats,
comparisons in ``formulas``' type order (numbers, text in upper case, TRUE/FALSE), IF on a number or
TRUE/FALSE, ROUND/ROUNDUP/ROUNDDOWN by xlperf's Excel rounding (as registered in ``functions``), MIN and
MAX of numbers, AND and OR of TRUE/FALSE and numbers, with an empty cell read as ``formulas`` reads it; the result is wrapped in the array shape ``formulas`` gives (0-d, or 1×1 when
an argument was a one-cell reference). Anything else (text, errors, areas, a zero divisor, a result
that is not finite) goes to ``formulas``' own function.
"""

from __future__ import annotations

import math
import operator
import re
from typing import Any, Callable

import numpy as np
import schedula as sh
from formulas.functions import Array
from formulas.ranges import Ranges
from formulas.tokens.operand import XlError

from xlperf.core.rounding import excel_round, excel_rounddown, excel_roundup

ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
COMPARISON = {">=": operator.ge, "<=": operator.le, "<>": operator.ne, "<": operator.lt, ">": operator.gt,
              "=": operator.eq}
ROUNDING = {"ROUND": excel_round, "ROUNDUP": excel_roundup, "ROUNDDOWN": excel_rounddown}  # as functions.register
_SLOW = object()
_REPEAT = re.compile(r"<\d+>$")  # ``formulas`` names a function node's n-th repeat "NAME<n>" ("<<0>", "IF<2>")


class OneCell:
    """A one-cell reference's value; the ``Ranges`` ``formulas``' functions take is built only when one of
    them gets it (the program hands a fast function the value itself)."""

    __slots__ = ("value", "_make", "_built")

    def __init__(self, value: Any, make: Callable[[], Ranges]):
        self.value, self._make, self._built = value, make, None

    def ranges(self) -> Ranges:
        if self._built is None:
            self._built = self._make()
        return self._built


def _one(arg: Any) -> tuple[Any, bool] | None:
    """(the value, whether it came as a 1×1 array) of a single-value argument; None for anything else."""
    if type(arg) is OneCell:
        return arg.value, True
    if isinstance(arg, Ranges):
        arg = arg.value
    if isinstance(arg, np.ndarray):
        if arg.shape == ():
            return arg.item() if arg.dtype != object else arg[()], False
        if arg.shape == (1, 1):
            return arg[0, 0], True
        return None
    return arg, False


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _wrap(value: Any, cell: bool) -> Array:
    out = np.empty((1, 1) if cell else (), object)
    out[(0, 0) if cell else ()] = value
    return out.view(Array)


def _arithmetic(op: Callable[[float, float], float], x: Any, y: Any) -> Any:
    x, y = (0 if v is sh.EMPTY else v for v in (x, y))
    if not (_number(x) and _number(y)) or (op is operator.truediv and not y):
        return _SLOW
    result = op(float(x), float(y))
    return result if math.isfinite(result) else _SLOW


def _kind(value: Any) -> int | None:
    """``formulas``' type order for comparisons: numbers, text, TRUE/FALSE (None: an error or other)."""
    if isinstance(value, (bool, np.bool_)):
        return 2
    if isinstance(value, str):
        return None if isinstance(value, XlError) else 1
    return 0 if _number(value) else None


def _comparison(op: Callable[[Any, Any], bool], x: Any, y: Any) -> Any:
    if x is sh.EMPTY:
        x = "" if isinstance(y, str) else 0
    if y is sh.EMPTY:
        y = "" if isinstance(x, str) else 0
    kx, ky = _kind(x), _kind(y)
    if kx is None or ky is None:
        return _SLOW
    if kx == ky == 1:
        x, y = x.upper(), y.upper()
    return op((kx, x), (ky, y))


def _rounding(func: Callable[[Any, int], Any]) -> Callable[..., Any]:
    def rule(x: Any, digits: Any = 0) -> Any:
        x, digits = (0 if v is sh.EMPTY else v for v in (x, digits))
        if not (_number(x) and _number(digits)):
            return _SLOW
        result = float(func(float(x), int(float(digits))))
        return result if math.isfinite(result) else _SLOW
    return rule


def _extreme(pick: Callable[[list], Any]) -> Callable[..., Any]:
    def rule(*values: Any) -> Any:
        return pick(list(values)) if values and all(_number(v) for v in values) else _SLOW
    return rule


def _if(condition: Any, x: Any, y: Any = False) -> Any:
    condition = 0 if condition is sh.EMPTY else condition
    if not isinstance(condition, (int, float, np.bool_)):
        return _SLOW
    x, y = (0 if v is sh.EMPTY else v for v in (x, y))
    return x if condition else y


def _logical(reduce: Callable[[tuple], Any]) -> Callable[..., Any]:
    """AND/OR of TRUE/FALSE and numbers, reduced by the numpy function ``formulas`` uses (its type too)."""
    def rule(*values: Any) -> Any:
        if values and all(isinstance(v, (bool, np.bool_)) or _number(v) for v in values):
            return reduce(values)
        return _SLOW
    return rule


def _fast(rule: Callable[..., Any], slow: Callable[..., Any], arity: tuple[int, ...] | None,
          wrap: bool = True) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        if arity is not None and len(args) not in arity:  # a unary minus is named "-" too
            return slow(*(a.ranges() if type(a) is OneCell else a for a in args))
        ones = [_one(a) for a in args]
        if all(o is not None for o in ones):
            try:
                result = rule(*(o[0] for o in ones))
            except Exception:  # noqa: BLE001 - formulas' function gives the error value it gives
                result = _SLOW
            if result is not _SLOW and not isinstance(result, np.ndarray):
                return _wrap(result, any(o[1] for o in ones)) if wrap else result
        return slow(*(a.ranges() if type(a) is OneCell else a for a in args))

    call.__name__ = getattr(slow, "__name__", "fast")
    call.takes_cells = True  # type: ignore[attr-defined]
    return call


def fast_function(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` (``formulas``' function for the node ``name``) with the fast path in front, if it has one."""
    base = _REPEAT.sub("", name)  # not split("<"): "<", "<=" and "<>" are names themselves
    if base in ARITHMETIC:
        return _fast(lambda x, y: _arithmetic(ARITHMETIC[base], x, y), func, (2,))
    if base in COMPARISON:
        return _fast(lambda x, y: _comparison(COMPARISON[base], x, y), func, (2,))
    if base == "IF":
        return _fast(_if, func, (2, 3))
    if base in ROUNDING:
        return _fast(_rounding(ROUNDING[base]), func, (1, 2))
    if base in ("MIN", "MAX"):  # formulas' MIN and MAX give a plain value, not an array
        return _fast(_extreme(min if base == "MIN" else max), func, None, wrap=False)
    if base in ("AND", "OR"):
        return _fast(_logical(np.logical_and.reduce if base == "AND" else np.logical_or.reduce), func, None,
                     wrap=False)
    return func
