"""Register xlperf's UDFs and Excel-exact ROUND with the ``formulas`` function registry.

Every stored spelling of a UDF resolves to the same core function: the plain name
(VBA wrappers in the workbook), ``[n]!name`` for an .xlam add-in (rewritten before
loading, see ``recalc``) and ``_xldudf_<NAMESPACE>_<NAME>`` for Office.js / xlwings Lite.
"""

from __future__ import annotations

import collections
import functools
import importlib
import os
import re
import threading
from typing import Any, Callable, Iterable

os.environ.setdefault("TQDM_DISABLE", "1")  # formulas' progress bar; must precede the first tqdm import

import numpy as np  # noqa: E402
import schedula as sh  # noqa: E402
import formulas  # noqa: E402
import formulas.functions  # noqa: E402
from formulas.functions import wrap_func, wrap_ufunc  # noqa: E402
from formulas.tokens.operand import Error, XlError  # noqa: E402

from xlperf import cellfuncs  # noqa: E402
from xlperf.core.rounding import excel_round, excel_rounddown, excel_roundup  # noqa: E402

UDFS: dict[str, Callable[..., Any]] = {
    "PERF_SCORE": cellfuncs.perf_score,
    "PERF_RATE": cellfuncs.perf_rate,
    "PERF_GRADE": cellfuncs.perf_grade,
    "PERF_TOTAL": cellfuncs.perf_total,
    "PERF_SUBTOTAL": cellfuncs.perf_subtotal,
    "PERF_PARSE": cellfuncs.perf_parse,
    "PERF_CHECK": cellfuncs.perf_check,
}
OFFICEJS_NAME = re.compile(r"_xldudf_(?:([A-Za-z0-9_]+?)_)?(PERF_[A-Z]+)\s*\(", re.IGNORECASE)


def to_python(value: Any) -> Any:
    """One cell value from formulas: empty → None, XlError → "#DIV/0!", numpy → Python."""
    kind = type(value)
    if kind is float or kind is str or kind is int or kind is bool:  # most values: nothing to convert
        return value
    if value is sh.EMPTY or value is None:
        return None
    if isinstance(value, XlError):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray) and value.ndim == 0:  # e.g. ROUND(SUM(…)) leaves a 0-d Array
        return to_python(value[()])
    return value


def to_args(arg: Any) -> Any:
    """A formulas argument (2-D object array after wrap_func) as a scalar or a flat list."""
    if isinstance(arg, np.ndarray):
        values = [to_python(v) for v in arg.ravel()]
        return values[0] if len(values) == 1 else values
    return to_python(arg)


def from_python(result: Any) -> Any:
    """A cellfuncs result for formulas: error strings become real Excel errors."""
    if isinstance(result, str) and result in Error.errors:
        return Error.errors[result]
    return result


def adapt(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a cellfuncs function for formulas (ranges → lists, errors both ways)."""
    def impl(*args: Any) -> Any:
        return from_python(func(*(to_args(a) for a in args)))
    impl.__name__ = func.__name__
    return wrap_func(impl)


def _round(func: Callable[..., Any]) -> Callable[..., Any]:
    return wrap_ufunc(lambda x, digits=0: float(func(x, int(digits))))


HEAVY_MODULES = (".stat", ".comp")  # import scipy.stats: about 2 s per process


def _xfunc(*args: Any, func: Callable[[list], Any] = max) -> Any:
    """``formulas.functions.stat.xfunc`` as its MIN and MAX use it, built from the same helpers of
    ``formulas.functions``: its module imports scipy.stats (measured 1.3 s and about 40 MB per worker
    process) for other functions, and bureau templates score with MIN."""
    from formulas.functions import _convert_args, flatten, is_number, raise_errors

    raise_errors(args)
    return func(list(flatten(map(_convert_args, args), check=is_number)) or [0])


LIGHT_STAT = {"MIN": wrap_func(functools.partial(_xfunc, func=min)), "MAX": wrap_func(_xfunc)}


class LazyRegistry(collections.defaultdict):
    """``formulas``' function registry with each of its function modules loaded on first need.

    ``formulas.functions.get_functions()`` imports every function module, and two of them import
    scipy.stats (about 2 s, paid by every worker process); the others cost about 14 ms a worker (numpy's
    random module among them), while a bureau copy's score formulas need IF and MIN only. The modules
    name disjoint sets of functions (``test_registry``), so a name is found in the one module that has it,
    whatever was loaded first: a lookup, or a membership test, that misses loads the next module (the
    scipy-based ones last) before answering, and a name set here (the UDFs, ROUND) is never replaced by
    a module loaded later. Lookups give what ``formulas`` gives. MIN and MAX are served without scipy
    (``LIGHT_STAT``, the same function built from lighter parts).
    """

    def __init__(self) -> None:
        from formulas.functions import FUNCTIONS, SUBMODULES, not_implemented

        super().__init__(lambda: not_implemented)
        self._unloaded = [name for name in SUBMODULES if name not in HEAVY_MODULES] + list(HEAVY_MODULES)
        self._lock = threading.RLock()
        self.update(FUNCTIONS)
        self.update(LIGHT_STAT)

    @property
    def heavy_loaded(self) -> bool:
        """Whether a scipy-based module has been loaded."""
        return not all(name in self._unloaded for name in HEAVY_MODULES)

    def _find(self, key: object) -> bool:
        """Load modules until ``key`` is in the registry; False when no module has it."""
        with self._lock:
            while not dict.__contains__(self, key) and self._unloaded:
                for name, func in importlib.import_module(self._unloaded[0], "formulas.functions").FUNCTIONS.items():
                    self.setdefault(name, func)
                del self._unloaded[0]
            return dict.__contains__(self, key)

    def __missing__(self, key: str) -> Any:
        if self._find(key):
            return dict.__getitem__(self, key)
        return super().__missing__(key)

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or self._find(key)


FULL_REGISTRY: Callable[[], dict[str, Any]] | None = None


def _install_lazy_registry() -> None:
    """Serve ``formulas``' lookups from a LazyRegistry, unless its full registry was already built."""
    import formulas.functions as functions

    full = getattr(functions.get_functions, "cache_info", None)
    if full is None or full().currsize:
        return
    registry = LazyRegistry()
    global FULL_REGISTRY
    FULL_REGISTRY = functions.get_functions  # formulas' own (eager) builder, kept for comparison
    functions.get_functions = lambda: registry
    formulas.__dict__["get_functions"] = functions.get_functions


_install_lazy_registry()


def register(extra_names: Iterable[str] = ()) -> dict[str, Any]:
    """Install the UDFs (plus any extra stored spellings) and Excel-exact rounding; idempotent."""
    registry = formulas.functions.get_functions()
    for name, func in UDFS.items():
        if not getattr(registry.get(name), "__xlperf__", False):  # .get: no lazy loading for our own names
            adapted = adapt(func)
            adapted.__xlperf__ = True
            registry[name] = adapted
    for stored in extra_names:
        base = OFFICEJS_NAME.match(stored + "(")
        if base and base.group(2).upper() in UDFS:
            registry[stored.upper()] = registry[base.group(2).upper()]
    registry["ROUND"] = _round(excel_round)
    registry["ROUNDUP"] = _round(excel_roundup)
    registry["ROUNDDOWN"] = _round(excel_rounddown)
    return registry


def officejs_names(formula_texts: Iterable[str]) -> set[str]:
    """The ``_xldudf_…_PERF_X`` spellings used in some formulas (namespaces vary by add-in)."""
    found = set()
    for text in formula_texts:
        for match in OFFICEJS_NAME.finditer(text):
            found.add(match.group(0)[:-1].strip())
    return found
