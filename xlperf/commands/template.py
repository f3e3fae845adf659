"""``xlperf template``: build a template (new) from a framework or an indicator table, list frameworks, rebuild all."""

from __future__ import annotations

import argparse
from pathlib import Path

from xlperf.commands.options import UsageError
from xlperf.template.shipped import SHIPPED_NAMES, template_frameworks

EXAMPLES = {
    "template": "xlperf template new --framework dapeng --out 大鹏评分模板.xlsx",
    "new": "xlperf template new --indicators 指标表.csv --out 评分模板.xlsx",
    "list": "xlperf template list",
    "build-all": "xlperf template build-all workbook_templates",
}


def _framework(name: str):
    """The framework by id or TOML path; UsageError when unknown or without indicator rows."""
    from xlperf.core.frameworks import load_framework

    try:
        fw = load_framework(name)
    except ValueError as exc:
        raise UsageError(f"未知或无效的评分框架：{exc}") from exc
    if not fw.indicators:
        raise UsageError(f"框架 {fw.id} 没有指标行，不能生成模板；可用：{', '.join(template_frameworks())}")
    return fw


def _source(args: argparse.Namespace):
    """The framework of ``template new``: --framework, or --indicators (an indicator table or framework file)."""
    if args.framework:
        return _framework(args.framework)
    from xlperf.template.indicators import IndicatorError, framework_from_indicators

    try:
        return framework_from_indicators(args.indicators, args.name, args.base)
    except IndicatorError as exc:
        raise UsageError(f"指标表无法生成模板：{exc}") from exc
    except ValueError as exc:
        raise UsageError(f"未知或无效的评分框架：{exc}") from exc


def cmd_new(args: argparse.Namespace) -> int:
    """Build one template; refuses to overwrite unless --force."""
    from xlperf.template.builder import build_template

    fw = _source(args)
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件应以 .xlsx 结尾：{out}")
    if out.exists() and not args.force:
        raise UsageError(f"文件已存在：{out}（加 --force 覆盖）")
    if not out.parent.is_dir():
        raise UsageError(f"文件夹不存在：{out.parent}")
    try:
        build_template(fw, out, args.formulas)
    except (OSError, ValueError) as exc:
        raise UsageError(f"无法生成模板 {out}：{exc}") from exc
    kind = "普通公式" if args.formulas == "excel" else "xlwings 函数"
    print(f"已生成模板：{out}（{fw.name}，{len(fw.indicators)} 个指标，{kind}）")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Print every bundled framework: id, name, and whether it has a template."""
    from xlperf.core.frameworks import framework_names, load_framework

    for name in framework_names():
        fw = load_framework(name)
        mark = "" if fw.indicators else "（无指标行，不生成模板）"
        print(f"{fw.id}\t{fw.name}{mark}")
    return 0


def cmd_build_all(args: argparse.Namespace) -> int:
    """Build ``<id>.xlsx`` (plain formulas) and ``<id>_udf.xlsx`` for every bundled framework with rows (overwriting)."""
    from xlperf.core.frameworks import load_framework
    from xlperf.template.builder import build_template

    folder = Path(args.dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in template_frameworks():
            for formulas, pattern in SHIPPED_NAMES.items():
                path = build_template(load_framework(name), folder / pattern.format(id=name), formulas)
                print(f"已生成模板：{path}")
    except OSError as exc:
        raise UsageError(f"无法写入 {folder}：{exc}") from exc
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``template`` command group to the ``xlperf`` subparsers."""
    group = sub.add_parser("template", help="生成 Excel 评分模板 / build Excel templates",
                           description="按评分框架生成带公式、数据验证和工作表保护的 Excel 评分模板（评分表 + 基本信息）。",
                           epilog=f"示例 / example: {EXAMPLES['template']}")
    actions = group.add_subparsers(dest="template_command", required=True, metavar="{new,list,build-all}")
    new = actions.add_parser("new", help="生成一个框架的模板 / build one template",
                             description="按评分框架或单位的指标表生成 Excel 模板；已有同名文件时不覆盖，除非加 --force。",
                             epilog=f"示例 / example: {EXAMPLES['new']}")
    source = new.add_mutually_exclusive_group(required=True)
    source.add_argument("--framework", help="评分框架 id 或 TOML 文件 / framework id or TOML file")
    source.add_argument("--indicators", help="指标表 .csv/.xlsx（一级指标、二级指标、三级指标、分值、指标值 …）或框架 .toml"
                                             " / indicator table or framework file")
    new.add_argument("--out", required=True, help="输出的 .xlsx 文件 / output .xlsx file")
    new.add_argument("--formulas", choices=("excel", "udf"), default="excel",
                     help="excel：普通公式，Excel/WPS/LibreOffice 直接计算（默认）；udf：xlwings 函数 / plain formulas or UDFs")
    new.add_argument("--name", help="模板标题（用于 --indicators，默认取文件名）/ title for --indicators")
    new.add_argument("--base", default="evaluation",
                     help="--indicators 时沿用其评分设置的框架（默认 evaluation）/ scoring settings for --indicators")
    new.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite an existing file")
    new.set_defaults(func=cmd_new)
    listing = actions.add_parser("list", help="列出评分框架 / list frameworks",
                                 description="列出内置评分框架的 id 和名称；无指标行的框架不生成模板。",
                                 epilog=f"示例 / example: {EXAMPLES['list']}")
    listing.set_defaults(func=cmd_list)
    build_all = actions.add_parser("build-all", help="生成全部模板 / build every template",
                                   description="为每个有指标行的内置框架生成 <id>.xlsx（普通公式）和 <id>_udf.xlsx"
                                               "（xlwings 函数），写入指定文件夹（覆盖同名文件）。",
                                   epilog=f"示例 / example: {EXAMPLES['build-all']}")
    build_all.add_argument("dir", help="输出文件夹 / output folder")
    build_all.set_defaults(func=cmd_build_all)


__all__ = ["register", "cmd_new", "cmd_list", "cmd_build_all"]
