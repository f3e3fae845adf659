"""Command line: ``xlperf score``, ``check``, ``template``, ``report``, ``history``, ``serve`` (one module each in
``xlperf.commands``). Thin: parse, call, render, exit.

Exit status: 0 no error findings, 1 error findings, 2 bad usage, unreadable input or an environment error
(an output folder that cannot be written, a full disk …), always as one line in the chosen language and
never with a traceback; 130 after Ctrl-C (or SIGTERM), which ``xlperf check`` answers with how to resume.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from typing import Sequence

from xlperf.commands.options import UsageError
from xlperf.errors import XlperfError
from xlperf.messages import UserError, os_reason
from xlperf.version import __version__


def build_parser() -> argparse.ArgumentParser:
    """The ``xlperf`` parser: one subcommand per module of ``xlperf.commands``."""
    from xlperf.commands import check, history, report, score, serve, template

    parser = argparse.ArgumentParser(prog="xlperf", description="预算绩效评价评分与校验 / budget performance evaluation scoring")
    parser.add_argument("--version", action="version", version=f"xlperf {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in (score, check, template, history, serve, report):
        command.register(sub)
    return parser


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
