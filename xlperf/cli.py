"""Command line: ``xlperf score``, ``check``, ``template``, ``report``, ``history``, ``serve``. Thin: parse, call, render,
exit.

Exit status: 0 no error findings, 1 error findings, 2 bad usage, unreadable input or an environment error
(an output folder that cannot be written, a full disk …), always as one line in the chosen language and
never with a traceback; 130 after Ctrl-C (or SIGTERM), which ``xlperf check`` answers with how to resume.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from dataclasses import replace
from typing import Sequence

from xlperf import __version__
from xlperf.core.config import ScoringConfig, parse_split_rule
from xlperf.core.frameworks import framework_names, load_framework
from xlperf.core.grades import parse_bands
from xlperf.errors import XlperfError
from xlperf.messages import UserError, os_reason

EXAMPLES = {
    "score": "xlperf score examples/大鹏_2024_人才发展专项资金.xlsx --json",
}


class UsageError(Exception):
    """Bad arguments: reported in one line, exit status 2."""


def scoring_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by commands that score: framework and its overrides."""
    parser.add_argument("--framework", default="generic",
                        help=f"评分框架 id 或 TOML 文件 / framework id or TOML file ({', '.join(framework_names())})")
    parser.add_argument("--split", action="append", default=[], metavar="RULE",
                        help="一级指标拆分规则，如 决策+过程=40（可多次）/ level-1 split rule, repeatable")
    parser.add_argument("--grades", metavar="BANDS", help="等级分档，如 优:90,良:80,中:60,差:0 / grade bands")
    parser.add_argument("--rescale", action="store_true", help="不适用指标按百分制折算 / rescale not-applicable rows to 100")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="输出语言 / output language")


def _option(option: str, value: str, reason: str, parse):
    """``parse(value)``, or the one-line UserError naming the option when the value is malformed."""
    try:
        return parse(value)
    except (ValueError, ArithmeticError, KeyError) as exc:
        raise UserError("bad-option", option=option, value=value, reason=reason or str(exc)) from None


def build_config(args: argparse.Namespace) -> ScoringConfig:
    """The ScoringConfig the options describe; UserError when one is malformed."""
    cfg = _option("--framework", args.framework, "", load_framework).config
    if args.split:
        cfg = replace(cfg, split_rules=tuple(_option("--split", rule, "reason-split", parse_split_rule)
                                             for rule in args.split))
    if args.grades:
        cfg = replace(cfg, grade_bands=_option("--grades", args.grades, "reason-grades", parse_bands))
    if args.rescale:
        cfg = replace(cfg, na_policy="rescale")
    return cfg


def cmd_score(args: argparse.Namespace) -> int:
    """Score one workbook's indicator table and print it (or its JSON)."""
    from xlperf.report.console import render_score
    from xlperf.report.json_report import score_dict
    from xlperf.scoring import score_workbook

    if os.path.isdir(args.file):
        raise UserError("score-folder", path=args.file)
    result = score_workbook(args.file, build_config(args), args.sheet, args.lang)  # .docx reports too
    if args.json:
        print(json.dumps(score_dict(result, args.lang), ensure_ascii=False, indent=1))
    else:
        print(render_score(result, args.lang))
    return 1 if result.errors else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xlperf", description="预算绩效评价评分与校验 / budget performance evaluation scoring")
    parser.add_argument("--version", action="version", version=f"xlperf {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    score = sub.add_parser("score", help="复算一个工作簿的评分表 / score one workbook",
                           description="复算工作簿中指标表的得分、小计、总分和等级，并列出问题。",
                           epilog=f"示例 / example: {EXAMPLES['score']}")
    score.add_argument("file", help="工作簿 (.xlsx/.xlsm) 或 Word 评价报告 (.docx)")
    score.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    score.add_argument("--sheet", help="指定工作表（Word 报告：表号，如 表3-1）/ sheet holding the table")
    scoring_options(score)
    score.set_defaults(func=cmd_score)
    from xlperf.batch.commands import register as register_check
    from xlperf.template.commands import register as register_template
    from xlperf.reports.commands import register as register_report

    register_check(sub)
    register_template(sub)
    register_store_and_server(sub)
    register_report(sub)
    return parser


def register_store_and_server(sub: argparse._SubParsersAction) -> None:
    """``xlperf history`` and ``xlperf serve`` (issue 18)."""
    from xlperf.server.commands import register as register_serve
    from xlperf.store.commands import register as register_history

    register_history(sub)
    register_serve(sub)


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM ends a run like Ctrl-C: workers stopped, temporary files removed, the state file kept."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``xlperf`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = getattr(args, "lang", "zh")
    for library in ("formulas", "schedula"):  # their warnings ("Error in loading …") are not for a clerk:
        logging.getLogger(library).setLevel(logging.CRITICAL)  # what matters becomes a finding
    if getattr(args, "command", None) == "check" and threading_main():  # (serve has its own handlers)
        signal.signal(signal.SIGTERM, _terminated)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"xlperf: {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"xlperf: {exc.message(lang)}", file=sys.stderr)
        return 2
    except XlperfError as exc:
        print(f"xlperf: {exc.message(lang)}", file=sys.stderr)
        return 2
    except OSError as exc:  # the environment: a file or folder that cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"xlperf: {where}{os_reason(exc, lang)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("xlperf: 已中断" if lang != "en" else "xlperf: interrupted", file=sys.stderr)
        return 130


def threading_main() -> bool:
    """Whether this is the main thread (only it may install signal handlers)."""
    import threading

    return threading.current_thread() is threading.main_thread()
