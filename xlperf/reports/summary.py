"""The 汇总 report of a batch as plain data: ranking, grade distribution, the projects with errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from xlperf.core.config import DEFAULT_GRADE_BANDS
from xlperf.findings import Severity
from xlperf.reports.content import project_name
from xlperf.reports.numbers import pct, pts
from xlperf.scoring.score import ScoreResult

MAX_MESSAGES = 3


@dataclass
class Item:
    """One input of ``xlperf report``: its scored result, or why it could not be scored."""

    source: str
    result: ScoreResult | None = None
    info: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # the message of a file that could not be read or scored
    output: Path | None = None

    @property
    def errors(self) -> int:
        return 1 if self.result is None else self.result.errors

    def messages(self) -> list[str]:
        if self.result is None:
            return [self.error or ""]
        return [f.message("zh") for f in self.result.findings if f.severity is Severity.ERROR]


def _stated_total(result: ScoreResult) -> str:
    from xlperf.outputs.json_report import totals_dict

    value = totals_dict(result)["stated_total"]
    return pts(Decimal(str(value))) if value is not None else ""


def _ranking(items: Sequence[Item]) -> list[dict[str, Any]]:
    """Scored items by total, highest first; equal totals share a rank (1, 2, 2, 4)."""
    scored = sorted((i for i in items if i.result is not None), key=lambda i: -i.result.evaluation.total)
    rows, rank, last = [], 0, None
    for position, item in enumerate(scored, 1):
        total = item.result.evaluation.total
        rank = rank if total == last else position
        last = total
        rows.append({"rank": rank, "project": project_name(item.info, item.source), "file": Path(item.source).name,
                     "total": pts(total), "stated_total": _stated_total(item.result),
                     "grade": item.result.evaluation.grade, "errors": item.errors})
    return rows


def grade_counts(items: Sequence[Item]) -> list[tuple[str, int]]:
    """(grade, number of projects) in the bands' order (优 良 中 差), from each result's own bands."""
    scored = [i.result.evaluation for i in items if i.result is not None]
    bands = scored[0].config.grade_bands if scored else DEFAULT_GRADE_BANDS
    names = [name for _, name in sorted(bands, key=lambda band: -band[0])]
    names += sorted({ev.grade for ev in scored} - set(names))
    return [(name, sum(1 for ev in scored if ev.grade == name)) for name in names]


def _errors(items: Sequence[Item]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        if item.errors:
            messages = item.messages()
            more = f"（另有 {len(messages) - MAX_MESSAGES} 项）" if len(messages) > MAX_MESSAGES else ""
            rows.append({"file": Path(item.source).name, "errors": item.errors,
                         "messages": "；".join(messages[:MAX_MESSAGES]) + more})
    return rows


def summary_context(items: Sequence[Item]) -> dict[str, Any]:
    """Everything the 汇总 template shows (the chart is added by the caller as an image)."""
    counts = grade_counts(items)
    scored = sum(count for _, count in counts)
    share = (lambda n: pct(Decimal(n) / scored)) if scored else (lambda n: "")
    failed = sum(1 for i in items if i.result is None)
    errors = _errors(items)
    return {
        "title": "绩效评价汇总报告",
        "intro": (f"本次共处理 {len(items)} 个文件，{scored} 个完成评分，{failed} 个无法评分；"
                  f"{len(errors)} 个存在错误。得分均为 xlperf 按评分规则复算的结果。"),
        "ranking": _ranking(items),
        "grades": [{"grade": name, "count": count, "share": share(count)} for name, count in counts],
        "scored": scored, "scored_share": share(scored),
        "distribution": "评级分布：" + "，".join(f"{name} {count} 个" for name, count in counts) + "。",
        "errors": errors,
        "errors_intro": f"以下 {len(errors)} 个文件存在错误（无法评分，或评分表中有错误类问题），请退回核实：",
        "chart_title": f"评级分布（共 {scored} 个项目）",
    }
