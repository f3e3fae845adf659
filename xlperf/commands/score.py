"""``xlperf score``: score one workbook (or Word report) and print its table or its JSON, exit 0/1/2."""

from __future__ import annotations

import argparse
import json
import os

from xlperf.commands.options import build_config, scoring_options
from xlperf.messages import UserError

EXAMPLE = "xlperf score examples/大鹏_2024_人才发展专项资金.xlsx --json"


def cmd_score(args: argparse.Namespace) -> int:
    """Score one workbook's indicator table and print it (or its JSON)."""
    from xlperf.api import score_workbook
    from xlperf.outputs.console import render_score
    from xlperf.outputs.json_report import score_dict

    if os.path.isdir(args.file):
        raise UserError("score-folder", path=args.file)
    result = score_workbook(args.file, build_config(args), args.sheet, args.lang)  # .docx reports too
    if args.json:
        print(json.dumps(score_dict(result, args.lang), ensure_ascii=False, indent=1))
    else:
        print(render_score(result, args.lang))
    return 1 if result.errors else 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``score`` to the ``xlperf`` subparsers."""
    score = sub.add_parser("score", help="复算一个工作簿的评分表 / score one workbook",
                           description="复算工作簿中指标表的得分、小计、总分和等级，并列出问题。",
                           epilog=f"示例 / example: {EXAMPLE}")
    score.add_argument("file", help="工作簿 (.xlsx/.xlsm) 或 Word 评价报告 (.docx)")
    score.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    score.add_argument("--sheet", help="指定工作表（Word 报告：表号，如 表3-1）/ sheet holding the table")
    scoring_options(score)
    score.set_defaults(func=cmd_score)
