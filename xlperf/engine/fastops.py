"""Excel's operators and IF on single plain values, without ``formulas``' array machinery.

``formulas`` runs every operator and IF through ``numpy.vectorize`` (``wrap_ufunc``): 40–65 µs a call,
measured as 70 % of recomputing a copy of a bureau's county template (68 operator and 24 IF calls
per copy; the rounding functions and MIN/MAX the rest). When every argument is one plain value, the
result is computed here exactly as ``formulas`` computes it then: arithmetic on two numbers (int or
float, not TRUE/FALSE) in floats (a number over zero: ``formulas``' #DIV/0! value), comparisons in
``formulas``' type order (numbers, text in upper case, TRUE/FALSE), IF on a number or TRUE/FALSE,
ROUND/ROUNDUP/ROUNDDOWN by xlperf's Excel rounding (as registered in ``functions``), MIN and MAX of
numbers, AND and OR of TRUE/FALSE and numbers, with an empty cell read as
``formulas`` reads it; the result is wrapped in the array shape ``formulas`` gives (0-d, or 1×1 when an
argument was a one-cell reference). Anything else (text, errors, areas, a result that is not finite)
goes to ``formulas``' own function. The same rules serve the program's plain-value mode (``scalar``).
"""

from __future__ import annotations

import functools
import math
import operator
import re
from typing import Any, Callable

import numpy as np
import schedula as sh
from formulas.functions import Array
from formulas.ranges import Ranges
from formulas.tokens.operand import Error, XlError

from xlperf.core.rounding import excel_round, excel_rounddown, excel_roundup

ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
COMPARISON = {">=": operator.ge, "<=": operator.le, "<>": operator.ne, "<": operator.lt, ">": operator.gt,
              "=": operator.eq}
ROUNDING = {"ROUND": excel_round, "ROUNDUP": excel_roundup, "ROUNDDOWN": excel_rounddown}  # as functions.register
_SLOW = object()
_REPEAT = re.compile(r"<\d+>$")
_INT64 = (-2**63, 2**63)
DIV0 = Error.errors["#DIV/0!"]  # the value (one object) ``formulas``' "/" gives for a number over zero


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
    kind = type(value)
    return kind is float or kind is int or (kind is not bool and isinstance(value, (int, float)))


def _wrap(value: Any, cell: bool) -> Array:
    out = np.empty((1, 1) if cell else (), object)
    out[(0, 0) if cell else ()] = value
    return out.view(Array)


def _arithmetic(op: Callable[[float, float], float]) -> Callable[[Any, Any], Any]:
    """``op`` on two numbers in floats; a number divided by zero is ``formulas``' own #DIV/0! value."""
    def rule(x: Any, y: Any) -> Any:
        x, y = 0 if x is sh.EMPTY else x, 0 if y is sh.EMPTY else y
        if not (_number(x) and _number(y)):
            return _SLOW
        if op is operator.truediv and not y:
            return DIV0
        result = op(float(x), float(y))
        return result if math.isfinite(result) else _SLOW
    return rule


def _kind(value: Any) -> int | None:
    """``formulas``' type order for comparisons: numbers, text, TRUE/FALSE (None: an error or other)."""
    kind = type(value)
    if kind is float or kind is int:
        return 0
    if kind is str:
        return 1
    if kind is bool or kind is np.bool_:
        return 2
    if isinstance(value, str):
        return None if isinstance(value, XlError) else 1
    return 0 if _number(value) else None


def _comparison(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], Any]:
    def rule(x: Any, y: Any) -> Any:
        kx, ky = type(x), type(y)
        if (kx is float or kx is int) and (ky is float or ky is int) and x is not y:
            return op(x, y)  # two numbers: what comparing (0, x) with (0, y) gives (one object: NaN is itself)
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
    return rule


def _rounding(func: Callable[[Any, int], Any]) -> Callable[..., Any]:
    """The rounding of a number, remembered: measured on the bureau corpus, 22 Decimal roundings per copy
    (2.7 µs each, a quarter of a copy's recompute) of 1,539 distinct (number, digits) in 22,295 calls.
    Zero is not remembered: 0.0 and -0.0 are one key but round to 0.0 and -0.0."""
    def rounded(x: float, digits: int) -> float:
        return float(func(x, digits))

    remembered = functools.lru_cache(maxsize=4096)(rounded)

    def rule(x: Any, digits: Any = 0) -> Any:
        x, digits = 0 if x is sh.EMPTY else x, 0 if digits is sh.EMPTY else digits
        if not (_number(x) and _number(digits)):
            return _SLOW
        x, digits = float(x), int(float(digits))
        result = remembered(x, digits) if x else rounded(x, digits)
        return result if math.isfinite(result) else _SLOW
    return rule


def extreme(pick: Callable[[list], Any], references: bool = False) -> Callable[..., Any]:
    """MIN/MAX of numbers (none: 0). An empty cell is skipped only when every argument is a reference's
    value (or an area's list of values, in the plain-value mode): ``formulas`` reads a plain EMPTY as text."""
    def rule(*args: Any) -> Any:
        values = numbers_in(args, references)
        return _SLOW if values is None else pick(values) if values else 0
    return rule


def numbers_in(args: tuple[Any, ...], skip_empty: bool = True) -> list[Any] | None:
    """The numbers among the arguments (an area as a list of values), empty cells skipped; None if any
    other value is met (text, TRUE/FALSE, errors: ``formulas`` treats them by where they come from)."""
    values = []
    for arg in args:
        for value in arg if type(arg) is list else (arg,):
            if value is sh.EMPTY and skip_empty:
                continue
            if not _number(value):
                return None
            values.append(value)
    return values


def _if(condition: Any, x: Any, y: Any = False) -> Any:
    if condition is sh.EMPTY:
        condition = 0
    if not isinstance(condition, (int, float, np.bool_)):
        return _SLOW
    value = x if condition else y
    return 0 if value is sh.EMPTY else value


def _logical(pick: Callable[[Any], bool]) -> Callable[..., Any]:
    """AND/OR of TRUE/FALSE and numbers as numpy's logical reduce gives it (``formulas``' way): a numpy bool."""
    def rule(*values: Any) -> Any:
        if not values:
            return _SLOW
        for value in values:
            kind = type(value)
            if kind is bool or kind is np.bool_ or kind is float:
                continue
            if not _number(value) or (kind is int and not _INT64[0] <= value < _INT64[1]):
                return _SLOW  # text, errors; an int past int64 makes numpy reduce objects
        return np.True_ if pick(values) else np.False_
    return rule


def _fast(rule: Callable[..., Any], slow: Callable[..., Any], arity: tuple[int, ...] | None,
          wrap: bool = True) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        if arity is not None and len(args) not in arity:
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


def rule_for(base: str) -> tuple[Callable[..., Any], tuple[int, ...] | None, bool] | None:
    """The fast rule for a function (its base name), the argument counts it serves (None: any) and whether
    ``formulas`` gives its result as an array; None for a function without one."""
    if base in ARITHMETIC:
        return _arithmetic(ARITHMETIC[base]), (2,), True  # a unary minus is named "-" too
    if base in COMPARISON:
        return _comparison(COMPARISON[base]), (2,), True
    if base == "IF":
        return _if, (2, 3), True
    if base in ROUNDING:
        return _rounding(ROUNDING[base]), (1, 2), True
    if base in ("MIN", "MAX"):  # formulas' MIN and MAX give a plain value, not an array
        return extreme(min if base == "MIN" else max), None, False
    if base in ("AND", "OR"):
        return _logical(all if base == "AND" else any), None, False
    return None


def base_name(name: str) -> str:
    """A function node's function name: ``formulas`` names the n-th repeat "NAME<n>" ("<<0>", "IF<2>")."""
    return _REPEAT.sub("", name)  # not split("<"): "<", "<=" and "<>" are names themselves


def fast_function(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` (``formulas``' function for the node ``name``) with the fast path in front, if it has one."""
    rule = rule_for(base_name(name))
    return func if rule is None else _fast(rule[0], func, rule[1], wrap=rule[2])
