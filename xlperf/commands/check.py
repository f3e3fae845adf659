"""``xlperf check``: parse options, run the batch, print one summary line, exit 0/1/2.

The summary line counts files by outcome (通过 / 有错误 / 未能校验 / 其他文件) as well as findings, so a
batch in which files could not be checked never reads like a clean pass. Ctrl-C prints one line saying how
to continue (``--resume``); usage and environment errors are one line too (``messages.UserError``).
"""

from __future__ import annotations

import argparse
import math
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from xlperf.commands.options import UsageError, build_config, db_option, scoring_options

if TYPE_CHECKING:
    from xlperf.batch.zygote import Zygote

EXAMPLE = "xlperf check 回收文件/ --out 校验结果/ --jobs 2 --write-back"


def _positive(option: str, value: float, integer: bool = False) -> None:
    from xlperf.messages import UserError

    if not math.isfinite(value) or value < 0 or (integer and value != int(value)):
        raise UserError("bad-option", option=option, value=value,
                        reason="reason-non-negative" if integer else "reason-positive")


def _validate(args: argparse.Namespace) -> None:
    from xlperf.messages import UserError

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        raise UserError("path-missing", paths=", ".join(missing))
    _positive("--timeout", args.timeout)
    _positive("--jobs", args.jobs, integer=True)
    _positive("--max-memory", args.max_memory, integer=True)
    if args.write_back and args.no_formulas:
        raise UserError("write-back-no-formulas")


def summary_line(batch, lang: str) -> str:
    """The console summary: files by outcome, then findings by severity, then where the 汇总 is."""
    from xlperf.messages import text

    statuses = batch.statuses
    passed = statuses.get("ok", 0) + statuses.get("warnings", 0)
    return text("summary", lang, files=batch.files, passed=passed, warnings=statuses.get("warnings", 0),
                errors=statuses.get("errors", 0), failed=statuses.get("failed", 0),
                skipped=statuses.get("skipped", 0), summary=batch.summary_path, **batch.counts)


def resume_command() -> str:
    """The command line that continues this run."""
    argv = [Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "xlperf", *sys.argv[1:]]
    if argv[0] in ("__main__.py", "-m"):
        argv[0] = "xlperf"
    if "--resume" not in argv:
        argv.append("--resume")
    return shlex.join(argv)


def cmd_check(args: argparse.Namespace) -> int:
    _validate(args)
    early = _prestart(args)
    try:
        return _check(args, early)
    finally:
        if early is not None:
            early.close()


def _prestart(args: argparse.Namespace) -> Zygote | None:
    """The workers' zygote, importing the check's modules from now on, while this process imports the
    batch's, reads the templates, opens the output folder and lists the files (``batch.zygote``)."""
    if args.executor != "local" or args.jobs <= 0:
        return None
    from xlperf.batch.pool import prestart

    return prestart(int(args.jobs), not args.no_formulas)


def _check(args: argparse.Namespace, early: Zygote | None) -> int:
    from xlperf.batch.runner import RunOptions, progress_wanted, run_batch
    from xlperf.batch.state import STATE_NAME
    from xlperf.batch.task import CheckOptions
    from xlperf.messages import text

    out_dir = Path(args.out)
    opts = CheckOptions(cfg=build_config(args), lang=args.lang, formulas=not args.no_formulas,
                        write_back_dir=str(out_dir / "corrected") if args.write_back else None,
                        templates=_templates(args.template))
    run = RunOptions(out_dir, jobs=args.jobs, executor=args.executor, scheduler=args.scheduler, resume=args.resume,
                     timeout=args.timeout or None, progress=progress_wanted() and not args.json,
                     memory_mb=args.max_memory or None)
    try:
        batch = run_batch(args.paths, opts, run, early)
    except KeyboardInterrupt:
        print(text("interrupted", args.lang, state=out_dir / STATE_NAME, command=resume_command()), file=sys.stderr)
        return 130
    if args.db:
        record_to_store(args, out_dir)
    if args.json:
        print((out_dir / "results.json").read_text(encoding="utf-8"))
    else:
        print(summary_line(batch, args.lang))
    return 1 if batch.has_errors else 0


def _templates(paths: list[str]) -> tuple:
    """The bureau templates given with --template, read once here (a bad one is a usage error)."""
    if not paths:
        return ()
    from xlperf.batch.bureau import TemplateError, load_templates

    try:
        return load_templates(paths)
    except TemplateError as exc:
        raise UsageError(str(exc)) from exc


def record_to_store(args: argparse.Namespace, out_dir: Path) -> None:
    """--db: keep every file's result in the results store (xlperf.store)."""
    from xlperf.messages import UserError
    from xlperf.store.db import StoreError
    from xlperf.store.record import record_check

    try:
        record_check(args.db, args.paths, out_dir)
    except StoreError as exc:
        raise UserError("store-failed", error=str(exc), out=str(out_dir)) from exc


def register(sub: argparse._SubParsersAction) -> None:
    from xlperf.batch.worker import DEFAULT_MEMORY_MB

    parser = sub.add_parser("check", help="批量校验回收的工作簿 / check returned workbooks",
                            description="重算并校验文件夹中的每个工作簿，输出汇总.xlsx、findings.csv 和 results.json；原文件只读。",
                            epilog=f"示例 / example: {EXAMPLE}")
    parser.add_argument("paths", nargs="+", help="文件或文件夹（递归）/ files or folders (recursive)")
    parser.add_argument("--out", default="xlperf_out", help="输出文件夹，不能在输入之内 / output folder, outside the "
                        "inputs (default: xlperf_out)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="并行进程数（0：本进程内运行，调试用）/ worker processes (0: in-process)")
    parser.add_argument("--executor", choices=("local", "dask"), default="local", help="执行器 / executor")
    parser.add_argument("--scheduler", help="Dask 调度器地址（省略则启动本机集群）/ Dask scheduler address")
    parser.add_argument("--write-back", action="store_true",
                        help="在输出文件夹写入缓存值已更正的副本 / write corrected copies into --out")
    parser.add_argument("--resume", action="store_true",
                        help="以相同选项继续上次中断的运行，未能校验的文件重做 / continue an interrupted run with the "
                             "same options; files that could not be checked are checked again")
    parser.add_argument("--json", action="store_true", help="打印 results.json / print results.json")
    parser.add_argument("--no-formulas", action="store_true",
                        help="不重算工作簿自身公式（只按核心规则复算）/ skip the formula engine")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="单个文件的时限（秒，0 不限）/ per-file time limit (seconds, 0: none)")
    parser.add_argument("--max-memory", type=int, default=DEFAULT_MEMORY_MB, metavar="MB",
                        help=f"每个工作进程的内存上限（MB，0 不限；默认 {DEFAULT_MEMORY_MB}）/ memory cap per worker "
                             f"(MB, 0: none; default {DEFAULT_MEMORY_MB})")
    parser.add_argument("--template", action="append", default=[], metavar="FILE",
                        help="下发的空白模板（.xlsx/.xlsm/.xls，可多次）；不给则按同批文件推断 / "
                             "the blank template(s) sent out, repeatable; without it, inferred from the batch")
    scoring_options(parser)
    db_option(parser)
    parser.set_defaults(func=cmd_check)


__all__ = ["register", "cmd_check", "summary_line"]
