"""Table checks: weights add up, level-1 weights and splits, stated subtotals, total and grade."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from xlperf.checks.rows import check_row
from xlperf.core.evaluate import Evaluation
from xlperf.core.grades import grade_for, normalise_grade
from xlperf.core.numbers import read_number
from xlperf.core.rounding import points
from xlperf.findings import Finding

ZERO = Decimal(0)


def _weights(ev: Evaluation) -> Iterator[Finding]:
    cfg, table = ev.config, ev.table
    weight = points(ev.weight)
    if ev.rows and weight != points(cfg.total_weight):
        first = ev.rows[0].indicator
        yield Finding("weights-sum", table.sheet, first.cells.get("weight"), first.row,
                      expected=points(cfg.total_weight), found=weight)
    by_role: dict[str, Decimal] = {}
    for name, level in ev.level1.items():
        role = cfg.role_of(name)
        if role:
            by_role[role] = by_role.get(role, ZERO) + level.weight
        expected = cfg.level1_weights.get(role or name)
        if expected is not None and points(level.weight) != points(expected):
            yield Finding("level-weight", table.sheet, _first_cell(ev, name), expected=points(expected),
                          found=level.weight, params={"level": name})
    for rule in cfg.split_rules:
        found = sum((by_role.get(role, ZERO) for role in rule.roles), ZERO)
        if points(found) != points(rule.total):
            yield Finding("level-split", table.sheet, _first_cell(ev, None), expected=points(rule.total),
                          found=points(found), params={"roles": "+".join(rule.roles)})


def _first_cell(ev: Evaluation, level1: str | None) -> str | None:
    for res in ev.rows:
        if level1 is None or res.indicator.level1 == level1:
            return res.indicator.cells.get("level1") or res.indicator.cells.get("weight")
    return None


def _stated(ev: Evaluation) -> Iterator[Finding]:
    table = ev.table
    for sub in table.stated_subtotals:
        number = read_number(sub.value)
        if sub.level2:
            level = ev.level2.get((sub.level1, sub.level2))
        else:
            level = ev.level1.get(sub.level1)
        if level is None or number.value is None or level.stated is None:
            continue
        if points(number.value) != level.stated:
            yield Finding("subtotal-mismatch", sub.sheet or table.sheet, sub.cell, expected=level.stated,
                          found=points(number.value), params={"level": sub.level2 or sub.level1})
    stated_total = read_number(table.stated_total.value).value if table.stated_total else None
    if stated_total is not None and ev.stated_sum is not None and points(stated_total) != ev.stated_sum:
        yield Finding("total-mismatch", table.stated_total.sheet or table.sheet, table.stated_total.cell,
                      expected=ev.stated_sum, found=points(stated_total))
    if table.stated_grade and str(table.stated_grade.value or "").strip() and not ev.unscored:
        basis = stated_total if stated_total is not None else ev.stated_sum
        if basis is not None:
            expected = grade_for(basis, ev.config.grade_bands)
            found = normalise_grade(table.stated_grade.value)
            if found != expected:
                yield Finding("grade-mismatch", table.stated_grade.sheet or table.sheet, table.stated_grade.cell,
                              expected=expected, found=str(table.stated_grade.value).strip(),
                              params={"total": points(basis)})


def _labelled_weights(ev: Evaluation) -> Iterator[Finding]:
    """Weights written into labels (产出指标（50分）, 绩效指标（90分）) against the weights of their rows."""
    table = ev.table
    for label in table.stated_weights:
        rows = [r for r in table.rows if (label.level1 is None or r.level1 == label.level1)
                and (label.level2 is None or r.level2 == label.level2)]
        if not rows:
            continue
        found = points(sum((read_number(r.weight).value or ZERO for r in rows), ZERO))
        expected = points(read_number(label.value).value or ZERO)
        if found != expected:
            name = label.level2 or label.level1 or "绩效指标"
            yield Finding("weight-label-mismatch", label.sheet or table.sheet, label.cell, expected=expected,
                          found=found, params={"label": name})


def check_table(ev: Evaluation) -> list[Finding]:
    """Every finding for an evaluated table: its rows, then the table as a whole."""
    table = ev.table
    findings: list[Finding] = []
    if not table.has_notes and table.rows:
        findings.append(Finding("notes-column-missing", table.sheet, _header_cell(ev)))
    if ev.unscored and ev.rows:
        findings.append(Finding("form-unscored", table.sheet, _header_cell(ev)))
    for res in ev.rows:
        for finding in check_row(res, table.has_notes, ev.config.tolerance, not ev.unscored):
            findings.append(finding if finding.sheet else _on_sheet(finding, table.sheet))
    findings.extend(_weights(ev))
    findings.extend(_labelled_weights(ev))
    findings.extend(_stated(ev))
    return findings


def _header_cell(ev: Evaluation) -> str | None:
    table = ev.table
    column = table.columns.get("score")
    return f"{column}{table.header_row}" if column and table.header_row else None


def _on_sheet(finding: Finding, sheet: str) -> Finding:
    return Finding(finding.code, sheet, finding.cell, finding.row, finding.file, finding.expected,
                   finding.found, finding.params)
