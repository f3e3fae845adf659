"""Which scoring rule a form's own score formula implements, read by evaluating the formula.

Where a row's score cell is a formula, the bureau wrote the rule, and xlperf scores the row by it.
The formula is compiled with ``formulas``' parser (xlperf's Excel-exact ROUND registered), run on
probe values put into the row's target, actual and weight cells (other cells it reads keep their
values), and its results are compared with the core's own rules (``core.rules.score_rule`` under
each candidate RuleSpec: proportional, reverse, equal, rate × weight, capped or not, and IF tiers
read out of the formula by ``engine.ruletiers``). The first rule that gives the formula's result on
every probe is the row's rule; none: the row's method is ``formula`` (its result accepted).

Why evaluate rather than match the formula's tokens: one rule has many spellings (``MIN(1,F/E)*G``,
``IF(F>=E,G,F/E*G)``, ``IF(F<=E,1,E/F)*G``, ROUND or IFERROR around any of them, 95% or 0.95,
tiers in nested IFs in either order), and the comparison is with the core's rules themselves, so no
rule is written a second time here. A formula is compiled once per R1C1 shape and each shape's rule,
with the roles of the cells it reads, is cached: a batch of returns pays once per shape.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable

from xlperf.checks.formula_shape import r1c1_to_a1, to_r1c1
from xlperf.core.config import ScoringConfig
from xlperf.core.quantity import Kind, Quantity
from xlperf.core.rules import FORMULA, RuleSpec, score_rule
from xlperf.engine.functions import register, to_python
from xlperf.engine.ruletiers import fit_tiers

ORIGIN = (500_000, 8_000)  # a shape is compiled here: relative references land far from any absolute one
_A1 = re.compile(r"^(?:(?P<sheet>.+)!)?(?P<col>[A-Z]{1,3})(?P<row>\d+)$")
TOLERANCE = Decimal("0.0051")  # the core rounds to the cent; a formula may not round at all
CFG = ScoringConfig()
CANDIDATES = (
    RuleSpec("proportional"), RuleSpec("reverse", "ratio"), RuleSpec("rate"), RuleSpec("equal", "ratio"),
    RuleSpec("reverse", "linear"), RuleSpec("equal", "all_or_nothing"), RuleSpec("proportional", capped=False),
    RuleSpec("rate", capped=False),
)
_COMPARATOR = {"proportional": ">=", "reverse": "<=", "equal": "=", "rate": ">="}
PROBES = tuple((t, w, t * k) for t, w in ((Decimal(80), Decimal(10)), (Decimal("2.5"), Decimal(4)))
               for k in map(Decimal, ("0", "0.3", "0.5", "0.8", "0.9", "0.96", "1", "1.05", "1.25", "2")))

Cell = tuple[str, int, int]  # sheet, row, column
Probe = Callable[[Decimal, Decimal, Decimal], Decimal | None]  # (target, weight, actual) → the formula's result


class Compiled:
    """A formula shape compiled once: the callable and, per input, (sheet, row axis, column axis).

    The probes run on the engine's straight-line program of the same text (``engine.program``, the
    values ``formulas`` gives, plain-value mode where it applies): ``formulas``' compiled function goes
    through ``schedula``'s dispatcher, about 1.4 ms a probe, 60–80 ms per template a worker fits
    (bureau corpus); ``fn`` stays for a formula the program refuses."""

    def __init__(self, shape: str):
        import formulas

        register()
        text = r1c1_to_a1(shape, *ORIGIN)
        self.fn = formulas.Parser().ast(text)[1].compile()
        self.inputs = [_axes(name) for name in self.fn.inputs]
        self.program, self.at = _program(text, self.inputs)

    def __call__(self, *args: Any) -> Any:
        """The formula's value with ``args`` in its inputs (in ``fn.inputs``' order; EMPTY for a blank)."""
        if self.program is None:
            return self.fn(*args)
        grids: dict[str, dict[tuple[int, int], Any]] = {}
        for (sheet, row, col), value in zip(self.at, args):
            grids.setdefault(sheet, {})[(row, col)] = None if value is _EMPTY else value
        return next(iter(self.program.run(grids).values()))

    def cells(self, sheet: str, row: int, col: int, sheets: dict[str, str]) -> list[Cell]:
        """The cells the formula reads when it sits at (row, col) of ``sheet``."""
        out = []
        for ref_sheet, (rel_r, r), (rel_c, c) in self.inputs:
            name = sheets.get(ref_sheet.upper(), ref_sheet) if ref_sheet else sheet
            out.append((name, row + r if rel_r else r, col + c if rel_c else c))
        return out


_HOME = "\x00rule"  # the sheet the shape is compiled on (no workbook's sheet has this name)
_EMPTY: Any = None  # schedula's EMPTY, set when a program is first made


def _program(text: str, inputs: list) -> tuple[Any, list[tuple[str, int, int]]]:
    """The engine's program for ``text`` at ORIGIN on _HOME and the cell of each input (None: refused)."""
    global _EMPTY
    import schedula

    from xlperf.engine.program import Unsupported, WorkbookProgram, compile_formula

    _EMPTY = schedula.EMPTY
    at = [(sheet or _HOME, ORIGIN[0] + r if rel_r else r, ORIGIN[1] + c if rel_c else c)
          for sheet, (rel_r, r), (rel_c, c) in inputs]
    sheets = {name.upper(): name for name, _, _ in at}
    try:
        program = compile_formula((_HOME, *ORIGIN), text, sheets)
    except Unsupported:
        return None, at
    if len(at) != len(set(at)) or {c for _, leaf in program.leaves for c in leaf.cells()} != set(at):
        return None, at  # the program reads other cells than the inputs: formulas' function decides
    return WorkbookProgram([program]), at


def _axes(name: str) -> tuple[str | None, tuple[bool, int], tuple[bool, int]]:
    found = _A1.match(name.replace("$", ""))
    if found is None:
        raise ValueError(f"unsupported reference {name}")  # ranges, names: not a row's rule
    col = 0
    for letter in found["col"]:
        col = col * 26 + ord(letter) - 64
    row = int(found["row"])
    sheet = found["sheet"].strip("'") if found["sheet"] else None
    rel_r, rel_c = row > ORIGIN[0] // 2, col > ORIGIN[1] // 2
    return sheet, (rel_r, row - ORIGIN[0] if rel_r else row), (rel_c, col - ORIGIN[1] if rel_c else col)


@lru_cache(maxsize=256)
def _compiled(shape: str) -> Compiled | None:
    try:
        return Compiled(shape)
    except Exception:  # noqa: BLE001 - formulas refuses some texts; such a formula is simply not a known rule
        return None


def _number(value: Any) -> Decimal | None:
    value = to_python(getattr(value, "value", value))
    if hasattr(value, "shape"):
        value = to_python(value.ravel()[0]) if value.size else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return Decimal(repr(float(value)))


def _prober(compiled: Compiled, roles: tuple[str | None, ...], fixed: tuple[Any, ...]) -> Probe:
    """Run the formula with (target, weight, actual) in its role cells and the other cells as they are
    (each probe once: the candidates are compared on the same results)."""
    import schedula

    fixed = tuple(schedula.EMPTY if value is None else value for value in fixed)
    seen: dict[tuple[Decimal, Decimal, Decimal], Decimal | None] = {}

    def run(t: Decimal, w: Decimal, a: Decimal) -> Decimal | None:
        if (t, w, a) not in seen:
            bound = {"target": t, "weight": w, "actual": a, "base": Decimal(100), "spent": a * 100}
            args = [float(bound[role]) if role else value for role, value in zip(roles, fixed)]
            try:
                seen[(t, w, a)] = _number(compiled(*args))
            except Exception:  # noqa: BLE001 - an error value is "no number here"
                seen[(t, w, a)] = None
        return seen[(t, w, a)]
    return run


def core_score(spec: RuleSpec, t: Decimal, w: Decimal, a: Decimal) -> Decimal | None:
    """What the core's rule gives for one probe (the target carries the comparator the rule reads)."""
    kind = Kind.NUMBER
    target = Quantity(str(t), kind, _COMPARATOR.get(spec.method), t)
    return score_rule(spec.method, w, target, Quantity(str(a), kind, None, a), CFG, None, spec).score


def matches(spec: RuleSpec, probe: Probe, probes: tuple[tuple[Decimal, Decimal, Decimal], ...] = PROBES) -> bool:
    """The formula gives the rule's score on every probe where it gives a number (and on most probes)."""
    seen = 0
    for t, w, a in probes:
        got = probe(t, w, a)
        if got is None:
            continue
        want = core_score(spec, t, w, a)
        if want is None or abs(got - want) > TOLERANCE:
            return False
        seen += 1
    return seen >= len(probes) * 3 // 4


_RULES: OrderedDict[tuple, RuleSpec | None] = OrderedDict()  # shape, roles, other cells → rule (None: try tiers)
_LOCK = threading.Lock()
MAX_RULES = 1024
_MISSING = object()


def _cached(key: tuple, fit: Callable[[], RuleSpec | None]) -> RuleSpec | None:
    with _LOCK:
        found = _RULES.get(key, _MISSING)
        if found is not _MISSING:
            _RULES.move_to_end(key)
            return found  # type: ignore[return-value]
    spec = fit()
    with _LOCK:
        _RULES[key] = spec
        while len(_RULES) > MAX_RULES:
            _RULES.popitem(last=False)
    return spec


def _fixed_rule(shape: str, probe: Probe, roles: tuple) -> RuleSpec | None:
    """One of the core's rules as the formula computes it, or None (then tiers are tried)."""
    if "actual" not in roles and "spent" not in roles:
        return RuleSpec(FORMULA, formula=shape)  # not a function of the actual: no rule, the result stands
    for spec in CANDIDATES:
        if matches(spec, probe):
            return RuleSpec(spec.method, spec.mode, spec.capped, formula=shape)
    return None


def _tiers_rule(shape: str, probe: Probe, roles: tuple, own: tuple[Decimal | None, Decimal | None]) -> RuleSpec:
    found = fit_tiers(probe, "target" in roles, "weight" in roles, own)
    if found is not None and matches(found[0], probe, found[1]):
        tiers = found[0]
        return RuleSpec(tiers.method, bands=tiers.bands, basis=tiers.basis, lower_better=tiers.lower_better,
                        formula=shape)
    return RuleSpec(FORMULA, formula=shape)


@lru_cache(maxsize=4096)  # copies of a template hold the same score formula at the same cell
def placed(formula: str, sheet: str, row: int, col: int,
           sheets: tuple[tuple[str, str], ...]) -> tuple[str, Compiled | None, tuple[Cell, ...]]:
    """The score formula at (row, col) of ``sheet``: its R1C1 shape, the shape compiled (None when
    ``formulas`` refuses it) and the cells it reads; ``sheets`` as (upper-case name, name) pairs."""
    shape = to_r1c1(formula if formula.startswith("=") else "=" + formula, row, col)
    compiled = _compiled(shape)
    cells = tuple(compiled.cells(sheet, row, col, dict(sheets))) if compiled is not None else ()
    return shape, compiled, cells


def placed_rule(shape: str, compiled: Compiled | None, cells: tuple[Cell, ...], role_of: tuple[str | None, ...],
                value_at: Callable[[str, int, int], Any],
                own: Callable[[], tuple[Decimal | None, Decimal | None]]) -> RuleSpec:
    """``read_rule`` for a formula already ``placed``, with the roles of its cells (``own`` is called only
    when the formula is fitted as tiers: a bureau copy's fixed rules are cache hits and need no parsing)."""
    if compiled is None:
        return RuleSpec(FORMULA, formula=shape)
    fixed = tuple([None if role else value_at(*cell) for role, cell in zip(role_of, cells)])
    key = (shape, role_of, tuple(map(repr, fixed)))
    spec = _RULES.get(key, _MISSING)  # a hit without the lock and the LRU's reordering: 2.2 → 1.6 µs a row
    if spec is _MISSING:  # (a dict read is atomic; the cache is pure, so its eviction order changes nothing)
        spec = _cached(key, lambda: _fixed_rule(shape, _prober(compiled, role_of, fixed), role_of))
    if spec is None:
        row_own = own()
        spec = _cached(key + (row_own,), lambda: _tiers_rule(shape, _prober(compiled, role_of, fixed), role_of, row_own))
    return spec  # type: ignore[return-value]


def read_rule(formula: str, sheet: str, row: int, col: int, roles: dict[Cell, str],
              value_at: Callable[[str, int, int], Any], sheets: dict[str, str],
              own: tuple[Decimal | None, Decimal | None] = (None, None)) -> RuleSpec:
    """The rule the score formula at (row, col) of ``sheet`` implements; method ``formula`` when none.

    ``roles``: the row's target / actual / weight cells (and, for 预算执行率, the budget's spent and
    base cells); ``own``: the row's own target and weight (tiers written in points are shares of it).
    Cached by the formula's R1C1 shape, the roles of the cells it reads and the other cells' values."""
    shape, compiled, cells = placed(formula, sheet, row, col, tuple(sheets.items()))
    role_of = tuple(roles.get(cell) for cell in cells)
    return placed_rule(shape, compiled, cells, role_of, value_at, lambda: own)
