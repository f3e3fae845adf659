"""The two kinds of template formulas: plain Excel (``excel``) and xlperf's xlwings UDFs (``udf``).

Both fill the same cells of the same layout; only the formula texts differ. Sheet-level checks (weights
adding up) are plain formulas in both. Plain totals, grades and rates are printed from the same
expressions the core evaluates (``xlperf.core.ruletable``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from xlperf.core.config import ScoringConfig
from xlperf.core.expr import Var
from xlperf.core.ruletable import cents, grade_expr, rounded, total_expr
from xlperf.template import plain

FLAVOURS = ("excel", "udf")
TABLE = "评分表"


@dataclass(frozen=True)
class Geometry:
    """Where the data rows are; ``growable`` tables have no merged level cells and sum by level name."""

    header: int
    first: int
    last: int
    growable: bool
    blocks: dict[str, tuple[int, int]] = field(default_factory=dict)  # level 1 → (first, last) data row
    first_grows: bool = False  # the first data row may be copied, so a copy can land above it

    def span(self, col: str, absolute: bool = False, sheet: str = "") -> str:
        """A column's data range (from the header row where a copy may land above the first data row, so it is
        inside every range); ``sheet`` prefixes it."""
        start = self.header if self.first_grows else self.first
        d, where = "$" if absolute else "", f"{sheet}!" if sheet else ""
        return f"{where}{d}{col}{d}{start}:{d}{col}{d}{self.last}"


def _bands_text(cfg: ScoringConfig) -> str:
    return ",".join(f"{name}:{format(low.normalize() + 0, 'f')}" for low, name in cfg.grade_bands)


def _budget_rate(num: str, den: str, digits: int) -> str:
    return f'=IF(OR(LEN({num})=0,LEN({den})=0),"",IF(N({den})=0,"",{rounded(Var("x"), digits).excel({"x": f"{num}/{den}"})}))'


class Plain:
    """Plain Excel formulas, computed live in Excel, WPS and LibreOffice."""

    name = "excel"
    helpers = True

    def rates(self, cfg: ScoringConfig) -> tuple[str, str]:
        """基本信息 B13 资金到位率 and B14 预算执行率, with the core's fallback when a figure is missing."""
        base = "IF(LEN(B10)=0,B11,B10)" if cfg.execution_base == "annual" else "IF(LEN(B11)=0,B10,B11)"
        return _budget_rate("B11", "B10", cfg.rate_digits), _budget_rate("B12", base, cfg.rate_digits)

    def row(self, row: plain.Row) -> dict[str, str]:
        return {"K": plain.score_formula(row), "M": plain.check_formula(row)}

    def total(self, g: Geometry, cfg: ScoringConfig) -> str:
        scores, weights = f"SUM({g.span('K')})", f"SUM({g.span('F')})"
        if cfg.na_policy == "rescale":
            na = f'"<>{plain.LABEL["na"]}"'
            scores, weights = f"SUMIF({g.span('N')},{na},{g.span('K')})", f"SUMIF({g.span('N')},{na},{g.span('F')})"
        return "=" + total_expr(cfg.na_policy).excel({"scores": scores, "weights": weights})

    def grade(self, total_cell: str, cfg: ScoringConfig) -> str:
        bands = tuple((Decimal(low), name) for low, name in cfg.grade_bands)
        return "=" + grade_expr(bands).excel({"total": total_cell})

    def subtotal(self, g: Geometry, name_cell: str, name: str, col: str, cfg: ScoringConfig) -> str:
        return "=" + cents(Var("s")).excel({"s": _level_sum(g, name_cell, name, col, cfg.na_policy == "rescale")})


class Udf:
    """xlperf's UDFs (``PERF_*``), served by xlwings; #NAME? where they are not installed."""

    name = "udf"
    helpers = False

    def rates(self, cfg: ScoringConfig) -> tuple[str, str]:
        base = "B10" if cfg.execution_base == "annual" else "B11"
        return "=PERF_RATE(B11,B10)", f"=PERF_RATE(B12,{base})"

    def row(self, row: plain.Row) -> dict[str, str]:
        r = row.r
        return {"K": f"=PERF_SCORE(F{r},G{r},H{r},I{r},J{r},D{r},E{r})",
                "M": f"=PERF_CHECK(F{r},G{r},H{r},K{r},L{r},I{r},J{r},D{r},E{r})"}

    def total(self, g: Geometry, cfg: ScoringConfig) -> str:
        rescale = "TRUE" if cfg.na_policy == "rescale" else "FALSE"
        return f"=PERF_TOTAL({g.span('F')},{g.span('K')},{g.span('I')},{rescale})"

    def grade(self, total_cell: str, cfg: ScoringConfig) -> str:
        return f'=PERF_GRADE({total_cell},"{_bands_text(cfg)}")'

    def subtotal(self, g: Geometry, name_cell: str, name: str, col: str, cfg: ScoringConfig) -> str:
        return f"=PERF_SUBTOTAL({g.span('A', True, TABLE)},{name_cell},{g.span(col, True, TABLE)})"


def _level_sum(g: Geometry, name_cell: str, name: str, col: str, rescale: bool) -> str:
    """The sum of one level 1's rows of the 评分表 (不适用 rows left out when rescaling, as the core does): by
    name where rows may be added, else over its (merged) block."""
    na = f'"<>{plain.LABEL["na"]}"'
    if g.growable:
        names, values, methods = g.span("A", True, TABLE), g.span(col, True, TABLE), g.span("N", True, TABLE)
        return f"SUMIFS({values},{names},{name_cell},{methods},{na})" if rescale else \
            f"SUMIF({names},{name_cell},{values})"
    first, last = g.blocks[name]
    block = f"{TABLE}!${col}${first}:${col}${last}"
    return f"SUMIF({TABLE}!$N${first}:$N${last},{na},{block})" if rescale else f"SUM({block})"


def sum_checks(checks: list[tuple[str, Decimal, str]]) -> str | None:
    """Plain checks that weight sums equal what the framework fixes: (sum expression, expected, label)."""
    parts = []
    for ref, expected, label in checks:
        number = format(expected.normalize() + 0, "f")
        parts.append(f'IF({cents(Var("s")).excel({"s": ref})}<>{number},"；{label}分值合计应为 {number}","")')
    return "=MID(" + "&".join(parts) + ",2,999)" if parts else None


def flavour(name: str):
    """The formula kind by name (``excel`` or ``udf``); ValueError otherwise."""
    if name == "excel":
        return Plain()
    if name == "udf":
        return Udf()
    raise ValueError(f"未知的公式类型 {name!r}，可选：excel（普通公式）、udf（xlwings 函数）")


__all__ = ["FLAVOURS", "Geometry", "Plain", "Udf", "flavour", "sum_checks"]
