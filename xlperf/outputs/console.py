"""Plain-text tables for the terminal, aligned for CJK text (two columns per wide character)."""

from __future__ import annotations

from typing import Any, Sequence

from xlperf.core.rules import method_label
from xlperf.outputs.json_report import score_dict
from xlperf.outputs.textwidth import width
from xlperf.scoring.score import ScoreResult

TEXT = {
    "zh": {"cols": ("行", "一级指标", "三级指标", "分值", "指标值", "实际完成值", "方法", "填报得分", "复算得分"),
           "levels": "一级指标小计", "total": "总分", "stated": "填报", "recomputed": "复算", "grade": "等级",
           "findings": "发现的问题", "none": "未发现问题。", "weight": "分值"},
    "en": {"cols": ("row", "level 1", "level 3", "weight", "target", "actual", "method", "stated", "score"),
           "levels": "Level-1 subtotals", "total": "Total", "stated": "stated", "recomputed": "recomputed",
           "grade": "grade", "findings": "Findings", "none": "No findings.", "weight": "weight"},
}


def clip(text: str, limit: int) -> str:
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > limit:
            return out + "…"
        out, used = out + ch, used + w
    return out


def table(rows: Sequence[Sequence[Any]], limit: int = 24) -> str:
    """Align rows of cells into columns."""
    cells = [[clip("" if v is None else f"{v:.2f}" if isinstance(v, float) else str(v), limit) for v in row] for row in rows]
    widths = [max(width(row[i]) for row in cells) for i in range(len(cells[0]))]
    return "\n".join("  ".join(c + " " * (widths[i] - width(c)) for i, c in enumerate(row)).rstrip() for row in cells)


def render_score(result: ScoreResult, lang: str = "zh") -> str:
    """The scored table, level subtotals, total and grade, then the findings."""
    t = TEXT["en" if lang == "en" else "zh"]
    data = score_dict(result, lang)
    rows = [t["cols"]] + [
        (r["row"], r["level1"], r["level3"], r["weight"], r["target"], r["actual"],
         method_label(r["method"]) if lang != "en" else r["method"], r["stated_score"], r["score"])
        for r in data["indicators"]]
    out = [f"{data['file']} [{data['sheet']}]", table(rows), "", t["levels"]]
    out.append(table([(t["cols"][1], t["weight"], t["stated"], t["recomputed"])] + [
        (name, lt["weight"], lt["stated_score"], lt["score"]) for name, lt in data["level_totals"].items()]))
    out.append("")
    fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
    out.append(f"{t['total']}: {t['stated']} {fmt(data['stated_total'])}  {t['recomputed']} {fmt(data['total'])}   "
               f"{t['grade']}: {t['stated']} {data['stated_grade'] or '-'}  {t['recomputed']} {data['grade'] or '-'}")
    out.append("")
    out.append(f"{t['findings']} ({len(data['findings'])}):" if data["findings"] else t["none"])
    out.extend(f"  [{f['severity']}] {f['code']}  {f['message']}" for f in data["findings"])
    return "\n".join(out)
