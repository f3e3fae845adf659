"""A report's other tables against its score table: level sub-tables (分值, 得分, 得分率, 合计) and the
targets an indicator-system table gives (表2-1 成本节约率 ≤30 % against 表3-1 ≤3 %)."""

from __future__ import annotations

import re
from decimal import Decimal

from xlperf.core.model import IndicatorTable
from xlperf.core.numbers import read_number
from xlperf.core.quantity import normalise, parse_quantity
from xlperf.core.rounding import points
from xlperf.findings import Finding
from xlperf.reports.docx_tables import DocTable
from xlperf.reports.match import Index, Target, exact, named, norm
from xlperf.reports.numbers import pct, pts
from xlperf.workbook.layout import header_role, norm_label

RATE_HEADERS = ("得分率",)
DECLARED = ("申报",)  # 绩效目标申报表: targets as declared, which an evaluation may revise on purpose
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[%％]\s*$")


def _at(code: str, doc_table: DocTable, grid_row: int, **kw) -> Finding:
    label, row = doc_table.place(grid_row)
    return Finding(code, label, f"第{row}行", **kw)


def rate_column(doc_table: DocTable, header_row: int | None) -> int | None:
    """The 得分率 column of a level sub-table, or None (then it is not a level sub-table)."""
    grid = doc_table.grid
    rows = range(1, (header_row or 1) + 1)
    for col in range(1, grid.max_col + 1):
        if any(norm_label(grid.text(row, col)) in RATE_HEADERS for row in rows):
            return col
    return None


def written_rate(text: str) -> tuple[Decimal, int] | None:
    """'97.9%' → (0.979, 1): the fraction and the decimals it was written with."""
    match = _PERCENT.match(text or "")
    if not match:
        return None
    digits = len(match.group(1).split(".")[1]) if "." in match.group(1) else 0
    return Decimal(match.group(1)) / 100, digits


def _compare(doc_table: DocTable, row: int, target: Target, weight, score, rate_text: str) -> list[Finding]:
    out = []
    for field, found, expected in (("weight", weight, target.weight), ("score", score, target.stated)):
        if found is not None and expected is not None and points(found) != points(expected):
            out.append(_at("report-level-mismatch", doc_table, row, expected=pts(expected), found=pts(found),
                           params={"field": field, "level": target.name}))
    rate = written_rate(rate_text)
    if rate is not None and weight:
        value, digits = rate
        if pct(value, digits) != pct((score or Decimal(0)) / weight, digits):
            out.append(_at("report-rate-mismatch", doc_table, row, found=pct(value, digits),
                           expected=pct((score or Decimal(0)) / weight, digits),
                           params={"score": pts(score), "weight": pts(weight)}))
    return out


def _level_row(index: Index, doc_table: DocTable, ind, rate_col: int | None) -> list[Finding]:
    level1 = exact(index, ind.level1)
    scope = level1.target if level1 and level1.target.kind == "level1" else None
    hit = named(index, ind.level3, scope)
    weight, score = read_number(ind.weight).value, read_number(ind.stated_score).value
    rate_text = doc_table.grid.text(ind.row, rate_col) if rate_col else ""
    if hit is None:
        return [_at("report-row-unmatched", doc_table, ind.row, params={"name": ind.level3})]
    found = _compare(doc_table, ind.row, hit.target, weight, score, rate_text)
    if found and not hit.certain:
        return [_at("report-row-unmatched", doc_table, ind.row, params={"name": ind.level3})]
    return found


def level_table_findings(index: Index, doc_table: DocTable, table: IndicatorTable) -> list[Finding]:
    """Each row of a level sub-table against its level 2, and the 合计 row against its level 1."""
    rate_col = rate_column(doc_table, table.header_row)
    found = [f for ind in table.rows for f in _level_row(index, doc_table, ind, rate_col)]
    total = table.stated_total
    if total is None or not table.rows or not total.cell:
        return found
    level1 = exact(index, table.rows[0].level1)
    if level1 is None or level1.target.kind != "level1":
        return found
    row = int(re.sub(r"\D", "", total.cell))
    weight_col = next((c for c in range(1, doc_table.grid.max_col + 1)
                       if header_role(doc_table.grid.text(table.header_row, c)) == "weight"), None)
    weight = read_number(doc_table.grid.get(row, weight_col)).value if weight_col else None
    rate_text = doc_table.grid.text(row, rate_col) if rate_col else ""
    return found + _compare(doc_table, row, level1.target, weight, read_number(total.value).value, rate_text)


def _target_columns(doc_table: DocTable) -> tuple[int, int, int] | None:
    """(header row, level-3 column, target column) of a table that gives indicators' targets."""
    grid = doc_table.grid
    for row in range(1, min(3, grid.max_row) + 1):
        roles = {header_role(grid.text(row, col)): col for col in range(grid.max_col, 0, -1)}
        if "level3" in roles and "target" in roles:
            return row, roles["level3"], roles["target"]
    return None


def _targets(doc_table: DocTable) -> dict[str, tuple[str, int]]:
    """Indicator name → (target as written, grid row), for names that occur once in the table."""
    found = _target_columns(doc_table)
    if found is None or any(word in doc_table.caption for word in DECLARED):
        return {}
    header, name_col, target_col = found
    seen: dict[str, list[tuple[str, int]]] = {}
    for row in range(header + 1, doc_table.grid.max_row + 1):
        name, target = norm(doc_table.grid.text(row, name_col)), doc_table.grid.text(row, target_col)
        if name and target and "不适用" not in name:
            seen.setdefault(name, []).append((target, row))
    return {name: rows[0] for name, rows in seen.items() if len(rows) == 1}


def _same_target(a: str, b: str) -> bool:
    qa, qb = parse_quantity(a), parse_quantity(b)
    if qa.numeric and qb.numeric:
        return all(getattr(qa, name) == getattr(qb, name) for name in ("kind", "comparator", "value", "high", "unit"))
    return normalise(a) == normalise(b)


def target_findings(main: DocTable, others: list[DocTable]) -> list[Finding]:
    """An indicator whose target differs between the score table and another table of the report."""
    scored = _targets(main)
    out = []
    for other in others:
        for name, (target, row) in _targets(other).items():
            if name in scored and not _same_target(target, scored[name][0]):
                main_target, main_row = scored[name]
                label, physical = other.place(row)
                out.append(_at("report-target-conflict", main, main_row, found=main_target, expected=target,
                               params={"name": name, "other": label, "other_row": physical}))
    return out
