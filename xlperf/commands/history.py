"""``xlperf history``: a department's or project's results across years, side by side."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from xlperf.commands.options import UsageError, db_option

if TYPE_CHECKING:
    from xlperf.store.history import ProjectHistory

EXAMPLE = "xlperf history --project 人才发展专项资金"
TEXT = {
    "zh": {"project": "项目", "unit": "单位", "total": "总分", "grade": "等级", "issues": "错误/警告",
           "recurring": "  反复出现：", "none": "库中没有符合条件的校验结果。", "noyear": "年度不明",
           "years": "年"},
    "en": {"project": "project", "unit": "unit", "total": "total", "grade": "grade", "issues": "err/warn",
           "recurring": "  recurring: ", "none": "No stored checks match.", "noyear": "no year", "years": ""},
}


def render_history(entries: list["ProjectHistory"], lang: str = "zh") -> str:
    """One line per project, each year's total, grade and error/warning counts side by side; the
    findings that recur across years under it."""
    from xlperf.outputs.console import table
    from xlperf.store.history import all_years

    t = TEXT["en" if lang == "en" else "zh"]
    if not entries:
        return t["none"]
    years = all_years(entries)
    head: list[str] = [t["project"], t["unit"]]
    for year in years:
        label = f"{year}{t['years']}" if year is not None else t["noyear"]
        head += [f"{label} {t['total']}", t["grade"], t["issues"]]
    rows: list[list[object]] = [head]
    for e in entries:
        row: list[object] = [e.project, e.unit or ""]
        for year in years:
            y = e.years.get(year)
            row += [y.total, y.grade or "", f"{y.errors}/{y.warnings}"] if y else ["", "", ""]
        rows.append(row)
    out = [table(rows, limit=30)]
    for e in entries:
        for r in e.recurring:
            out.append(f"{t['recurring']}{e.project}: {r.code} ({'、'.join(map(str, r.years))}) {' '.join(r.cells[:5])}")
    return "\n".join(out)


def cmd_history(args: argparse.Namespace) -> int:
    from xlperf.store.db import StoreError, open_store
    from xlperf.store.history import history_dict, project_history

    try:
        entries = project_history(open_store(args.db), args.project, args.department, args.unit)
    except StoreError as exc:
        raise UsageError(str(exc)) from exc
    if args.json:
        print(json.dumps(history_dict(entries), ensure_ascii=False, indent=1))
    else:
        print(render_history(entries, args.lang))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("history", help="历年校验结果对比 / results across years",
                            description="按项目列出历年的总分、等级和反复出现的问题（来自结果库）。",
                            epilog=f"示例 / example: {EXAMPLE}")
    parser.add_argument("--project", help="项目名称包含的文字 / project name contains")
    parser.add_argument("--department", help="主管部门包含的文字 / department contains")
    parser.add_argument("--unit", help="单位名称包含的文字 / unit contains")
    parser.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="输出语言 / output language")
    db_option(parser)
    parser.set_defaults(func=cmd_history)
