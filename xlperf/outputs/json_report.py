"""Machine-readable form of a scored table (the ``xlperf score --json`` object)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xlperf.core.evaluate import Evaluation, RowResult
from xlperf.core.numbers import read_number
from xlperf.scoring.score import ScoreResult

SCHEMA_VERSION = 1


def num(value: Decimal | None) -> float | None:
    """A 2-decimal Decimal as a JSON number (98.47 stays 98.47)."""
    return None if value is None else float(value)


def shown(raw: Any, percent: bool) -> Any:
    """A target or actual as the user sees it: text as written, percent cells as '94.2%'."""
    if raw is None:
        return None
    if percent and isinstance(raw, (int, float)):
        return f"{(Decimal(repr(raw)) * 100).normalize():f}" + "%"
    if isinstance(raw, (int, float, str)):
        return raw
    return str(raw)


def row_dict(res: RowResult) -> dict[str, Any]:
    ind = res.indicator
    return {"row": ind.row, "level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
            "weight": num(res.weight.value), "target": shown(ind.target, "target" in ind.percent),
            "actual": shown(ind.actual, "actual" in ind.percent), "method": res.method,
            "stated_score": num(res.stated.value), "score": num(res.score)}


def _stated_total(ev: Evaluation) -> Decimal | None:
    stated = ev.table.stated_total
    value = read_number(stated.value).value if stated else None
    return value if value is not None else ev.stated_sum


def totals_dict(result: ScoreResult) -> dict[str, Any]:
    """The sheet, stated and recomputed totals and grades, and the level-1 totals of one scored table."""
    ev = result.evaluation
    table = ev.table
    grade = table.stated_grade.value if table.stated_grade else None
    return {
        "sheet": table.sheet,
        "level_totals": {name: {"weight": num(lt.weight), "stated_score": num(lt.stated), "score": num(lt.score)}
                         for name, lt in ev.level1.items()},
        "stated_total": num(_stated_total(ev)),
        "total": num(ev.total),
        "stated_grade": str(grade).strip() if grade is not None else None,
        "grade": ev.grade,
    }


def score_dict(result: ScoreResult, lang: str = "zh") -> dict[str, Any]:
    """The documented JSON object for one scored table."""
    ev = result.evaluation
    totals = totals_dict(result)
    return {
        "file": result.file,
        "sheet": totals["sheet"],
        "indicators": [row_dict(r) for r in ev.rows],
        "level_totals": totals["level_totals"],
        "budget": ev.table.budget.as_dict() if ev.table.budget else None,
        "stated_total": totals["stated_total"],
        "total": totals["total"],
        "stated_grade": totals["stated_grade"],
        "grade": totals["grade"],
        "findings": [{k: v for k, v in f.to_dict(lang).items() if k in ("code", "severity", "sheet", "cell", "message")}
                     for f in result.findings],
    }
