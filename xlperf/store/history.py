"""A project's results across years, from the store: totals, grades and the findings that recur."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from xlperf.store.db import ResultsStore

_YEAR_WORDS = re.compile(r"(19|20)\d\d\s*年?度?|\s+")


def project_key(text: str | None) -> str:
    """A project or unit name without its year and spaces, so "2023 年度人才资金" and "2024年度人才资金" match."""
    return _YEAR_WORDS.sub("", text or "")


@dataclass
class YearResult:
    """The latest check of one project in one year."""

    year: int | None
    total: float | None
    grade: str | None
    stated_total: float | None
    errors: int
    warnings: int
    file: str
    checked_at: str
    findings: list[dict[str, Any]]


@dataclass
class Recurring:
    """A finding code seen in more than one year of the same project."""

    code: str
    years: list[int]
    message: str  # the latest year's text
    cells: list[str]


@dataclass
class ProjectHistory:
    project: str
    unit: str | None
    department: str | None
    years: dict[int | None, YearResult] = field(default_factory=dict)
    recurring: list[Recurring] = field(default_factory=list)


def project_history(store: ResultsStore, project: str | None = None, department: str | None = None,
                    unit: str | None = None) -> list[ProjectHistory]:
    """One entry per project (and unit), each year's latest check, sorted by project name."""
    rows = store.rows(contains={"project": project or "", "department": department or "", "unit": unit or ""})
    groups: dict[tuple[str, str], ProjectHistory] = {}
    for row in rows:  # oldest first: a later check of the same year replaces an earlier one
        if not row["project"]:
            continue
        key = (project_key(row["project"]), project_key(row["unit"]))
        entry = groups.setdefault(key, ProjectHistory(row["project"], row["unit"], row["department"]))
        entry.project, entry.unit, entry.department = row["project"], row["unit"], row["department"]
        entry.years[row["year"]] = YearResult(row["year"], row["total"], row["grade"], row["stated_total"],
                                              row["errors"], row["warnings"], row["file"], row["checked_at"],
                                              row["findings"])
    for entry in groups.values():
        entry.years = dict(sorted(entry.years.items(), key=lambda item: (item[0] is None, item[0] or 0)))
        entry.recurring = recurring(entry)
    return sorted(groups.values(), key=lambda e: (project_key(e.project), project_key(e.unit)))


def recurring(entry: ProjectHistory) -> list[Recurring]:
    """Codes found (error or warning) in two or more years, most years first."""
    seen: dict[str, Recurring] = {}
    for year, result in entry.years.items():
        if year is None:
            continue
        for f in result.findings:
            if f["severity"] == "info":
                continue
            item = seen.setdefault(f["code"], Recurring(f["code"], [], "", []))
            if year not in item.years:
                item.years.append(year)
            item.message = f["message"] or item.message
            if f["cell"] and f"{f['sheet']}!{f['cell']}" not in item.cells:
                item.cells.append(f"{f['sheet']}!{f['cell']}")
    found = [r for r in seen.values() if len(r.years) > 1]
    return sorted(found, key=lambda r: (-len(r.years), r.code))


def all_years(entries: list[ProjectHistory]) -> list[int | None]:
    years = {year for e in entries for year in e.years}
    return sorted(years, key=lambda y: (y is None, y or 0))


def history_dict(entries: list[ProjectHistory]) -> dict[str, Any]:
    """The history as JSON (``xlperf history --json`` and ``GET /api/history``)."""
    return {"years": all_years(entries), "projects": [
        {"project": e.project, "unit": e.unit, "department": e.department,
         "years": [{"year": y.year, "total": y.total, "grade": y.grade, "stated_total": y.stated_total,
                    "errors": y.errors, "warnings": y.warnings, "file": y.file, "checked_at": y.checked_at}
                   for y in e.years.values()],
         "recurring": [{"code": r.code, "years": r.years, "message": r.message, "cells": r.cells} for r in e.recurring]}
        for e in entries]}
