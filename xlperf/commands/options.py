"""Options several subcommands share: the framework and its overrides, the results store, and UsageError."""

from __future__ import annotations

import argparse
from dataclasses import replace

from xlperf.core.config import ScoringConfig, parse_split_rule
from xlperf.core.frameworks import framework_names, load_framework
from xlperf.core.grades import parse_bands
from xlperf.messages import UserError


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


def db_option(parser: argparse.ArgumentParser) -> None:
    """``--db``: the results store (``check``, ``history``, ``serve``)."""
    parser.add_argument("--db", metavar="URL",
                        help="结果库：SQLite 文件路径或 SQLAlchemy URL（默认：用户数据目录下 results.sqlite3）"
                             " / results store: SQLite path or URL such as postgresql+psycopg://…")
