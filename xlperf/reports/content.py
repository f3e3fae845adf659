"""A report's quantitative parts as plain data (the template's context), built from one scored table.

Numbering follows the published reports (财预〔2020〕10号 outline, as both seeds use it): 三、综合评价情况及
评价结论 with 表 3-1, 四、绩效评价指标分析 with （一）… per level 1 and 1. … per level 2, 五、… （二）存在的
问题及原因分析. Every number is the core's (xlperf's recomputed scores, Excel rounding); nothing is typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlperf.core.evaluate import Evaluation, RowResult
from xlperf.reports.numbers import cn_ordinal, pct, pts, quantity_text
from xlperf.reports.wording import actual_text, conclusion, deduction, indicator_paragraph, level_sentence, problem
from xlperf.scoring.score import ScoreResult

SCORE_TABLE_NO = "3-1"
LEVEL_TABLE_PREFIX = "4-"


def project_name(info: dict[str, str], source: str) -> str:
    """The project as the workbook names it (项目名称, without a trailing 绩效评价), else the file's name."""
    name = (info.get("project") or Path(source).stem).strip()
    for suffix in ("绩效评价", "评价"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)].strip()
    return name


def _score_rows(ev: Evaluation) -> list[dict[str, str]]:
    rows = []
    for res in ev.rows:
        ind = res.indicator
        rows.append({"level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
                     "target": quantity_text(ind.target, res.target), "actual": actual_text(res),
                     "weight": pts(res.weight.value), "score": pts(res.score)})
    return rows


def _level2_names(ev: Evaluation, level1: str) -> list[str]:
    return [l2 for (l1, l2) in ev.level2 if l1 == level1]


def _groups(ev: Evaluation, level1: str) -> list[dict[str, Any]]:
    """The level-2 groups under one level 1, each with one paragraph per applicable row."""
    groups = []
    for level2 in _level2_names(ev, level1):
        rows = [r for r in ev.rows if r.indicator.level1 == level1 and r.indicator.level2 == level2
                and not r.not_applicable]
        if not rows:
            continue
        groups.append({"number": f"{len(groups) + 1}.", "name": level2,
                       "paragraphs": [indicator_paragraph(res, ev.table.budget, ev.config) for res in rows]})
    return groups


def _level(ev: Evaluation, index: int, level1: str) -> dict[str, Any]:
    total = ev.level1[level1]
    rows = [{"level1": level1, "level2": level2, "weight": pts(lt.weight), "score": pts(lt.score), "rate": pct(lt.rate)}
            for level2 in _level2_names(ev, level1) if (lt := ev.level2[(level1, level2)])]
    return {"number": f"（{cn_ordinal(index)}）", "name": level1, "heading": f"{level1}情况",
            "sentence": level_sentence(level1, total),
            "caption": f"表 {LEVEL_TABLE_PREFIX}{index} {level1}得分情况",
            "rows": rows, "weight": pts(total.weight), "score": pts(total.score), "rate": pct(total.rate),
            "groups": _groups(ev, level1)}


def _problems(rows: tuple[RowResult, ...]) -> list[str]:
    deducted = [res for res in rows if deduction(res) is not None]
    return [f"（{cn_ordinal(i)}）{problem(res)}" for i, res in enumerate(deducted, 1)]


def report_context(result: ScoreResult, info: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything the report template shows, as strings and lists of strings."""
    ev = result.evaluation
    project = project_name(info or {}, result.file)
    names = list(ev.level1)
    return {
        "title": f"{project}绩效评价报告",
        "project": project,
        "source": Path(result.file).name,
        "unit": (info or {}).get("unit", ""),
        "total": pts(ev.total),
        "grade": ev.grade,
        "conclusion": conclusion(names, ev.total, ev.grade),
        "score_table": {"caption": f"表 {SCORE_TABLE_NO} {project}评价得分情况", "rows": _score_rows(ev),
                        "weight": pts(ev.weight), "score": pts(ev.total)},
        "levels": [_level(ev, i, name) for i, name in enumerate(names, 1)],
        "problems": _problems(ev.rows),
    }
