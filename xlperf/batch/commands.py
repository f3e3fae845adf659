"""``xlperf check``: parse options, run the batch, print one summary line, exit 0/1/2."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

EXAMPLE = "xlperf check 回收文件/ --out 校验结果/ --jobs 2 --write-back"
MESSAGES = {
    "zh": "已校验 {files} 个文件：错误 {error}，警告 {warning}，提示 {info}。汇总：{summary}",
    "en": "Checked {files} files: {error} errors, {warning} warnings, {info} infos. Summary: {summary}",
}


def cmd_check(args: argparse.Namespace) -> int:
    from xlperf.batch.runner import RunOptions, progress_wanted, run_batch
    from xlperf.batch.task import CheckOptions
    from xlperf.cli import UsageError, build_config

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        raise UsageError(("路径不存在：" if args.lang == "zh" else "no such path: ") + ", ".join(missing))
    out_dir = Path(args.out)
    if args.jobs < 0:
        raise UsageError("--jobs must be ≥ 0")
    opts = CheckOptions(cfg=build_config(args), lang=args.lang, formulas=not args.no_formulas,
                        write_back_dir=str(out_dir / "corrected") if args.write_back else None,
                        templates=_templates(args.template))
    if args.write_back and args.no_formulas:
        raise UsageError("--write-back 需要公式重算，不能与 --no-formulas 同用 / --write-back needs formula recomputation")
    run = RunOptions(out_dir, jobs=args.jobs, executor=args.executor, scheduler=args.scheduler, resume=args.resume,
                     timeout=args.timeout or None, progress=progress_wanted() and not args.json)
    try:
        batch = run_batch(args.paths, opts, run)
    except RuntimeError as exc:
        raise UsageError(str(exc)) from exc
    if args.db:
        record_to_store(args, out_dir)
    if args.json:
        print((out_dir / "results.json").read_text(encoding="utf-8"))
    else:
        print(MESSAGES[args.lang].format(files=batch.files, summary=batch.summary_path, **batch.counts))
    return 1 if batch.has_errors else 0


def _templates(paths: list[str]) -> tuple:
    """The bureau templates given with --template, read once here (a bad one is a usage error)."""
    if not paths:
        return ()
    from xlperf.batch.bureau import TemplateError, load_templates
    from xlperf.cli import UsageError

    try:
        return load_templates(paths)
    except TemplateError as exc:
        raise UsageError(str(exc)) from exc


def record_to_store(args: argparse.Namespace, out_dir: Path) -> None:
    """--db: keep every file's result in the results store (xlperf.store)."""
    from xlperf.cli import UsageError
    from xlperf.store.db import StoreError
    from xlperf.store.record import record_check

    try:
        record_check(args.db, args.paths, out_dir)
    except StoreError as exc:
        raise UsageError(f"{exc}（校验结果已写入 {out_dir}）") from exc


def register(sub: argparse._SubParsersAction) -> None:
    from xlperf.cli import scoring_options

    parser = sub.add_parser("check", help="批量校验回收的工作簿 / check returned workbooks",
                            description="重算并校验文件夹中的每个工作簿，输出汇总.xlsx、findings.csv 和 results.json；原文件只读。",
                            epilog=f"示例 / example: {EXAMPLE}")
    parser.add_argument("paths", nargs="+", help="文件或文件夹（递归）/ files or folders (recursive)")
    parser.add_argument("--out", default="xlperf_out", help="输出文件夹 / output folder (default: xlperf_out)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="并行进程数（0：本进程内运行，调试用）/ worker processes (0: in-process)")
    parser.add_argument("--executor", choices=("local", "dask"), default="local", help="执行器 / executor")
    parser.add_argument("--scheduler", help="Dask 调度器地址（省略则启动本机集群）/ Dask scheduler address")
    parser.add_argument("--write-back", action="store_true",
                        help="在输出文件夹写入缓存值已更正的副本 / write corrected copies into --out")
    parser.add_argument("--resume", action="store_true", help="继续上次中断的运行 / continue an interrupted run")
    parser.add_argument("--json", action="store_true", help="打印 results.json / print results.json")
    parser.add_argument("--no-formulas", action="store_true",
                        help="不重算工作簿自身公式（只按核心规则复算）/ skip the formula engine")
    parser.add_argument("--timeout", type=float, default=120.0, help="单个文件的时限（秒）/ per-file time limit")
    parser.add_argument("--template", action="append", default=[], metavar="FILE",
                        help="下发的空白模板（.xlsx/.xlsm/.xls，可多次）；不给则按同批文件推断 / "
                             "the blank template(s) sent out, repeatable; without it, inferred from the batch")
    scoring_options(parser)
    from xlperf.store.commands import db_option

    db_option(parser)
    parser.set_defaults(func=cmd_check)


__all__ = ["register", "cmd_check"]
