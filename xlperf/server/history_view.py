"""The history page's data: the store's history of the projects asked for, and its chart."""

from __future__ import annotations

from typing import Any, Mapping

from xlperf.server.charts import year_lines
from xlperf.store.db import open_store
from xlperf.store.history import all_years, project_history

MAX_LINES = 8  # projects drawn in the chart (all are listed in the table)


def history_context(db_url: str, query: Mapping[str, str]) -> dict[str, Any]:
    asked = {k: (query.get(k) or "").strip()[:100] for k in ("project", "department", "unit")}
    entries = project_history(open_store(db_url), asked["project"], asked["department"], asked["unit"])
    years = [y for y in all_years(entries) if y is not None]
    series = [(e.project, {y: r.total for y, r in e.years.items() if y is not None}) for e in entries[:MAX_LINES]]
    chart = year_lines(series, years) if years and entries else ""
    return {"asked": asked, "entries": entries, "years": all_years(entries), "chart": chart,
            "more": max(0, len(entries) - MAX_LINES)}
