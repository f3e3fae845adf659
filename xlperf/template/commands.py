"""``xlperf template``: build a framework's Excel template (new), list frameworks (list), rebuild all (build-all)."""

from __future__ import annotations

import argparse
from pathlib import Path

EXAMPLES = {
    "template": "xlperf template new --framework dapeng --out 大鹏评分模板.xlsx",
    "new": "xlperf template new --framework self_eval --out 自评表.xlsx",
    "list": "xlperf template list",
    "build-all": "xlperf template build-all workbook_templates",
}


def _usage(message: str) -> Exception:
    from xlperf.cli import UsageError

    return UsageError(message)


def _framework(name: str):
    """The framework by id or TOML path; UsageError when unknown or without indicator rows."""
    from xlperf.core.frameworks import load_framework

    try:
        fw = load_framework(name)
    except ValueError as exc:
        raise _usage(f"未知或无效的评分框架：{exc}") from exc
    if not fw.indicators:
        raise _usage(f"框架 {fw.id} 没有指标行，不能生成模板；可用：{', '.join(template_frameworks())}")
    return fw


def template_frameworks() -> list[str]:
    """The ids of the bundled frameworks that have indicator rows (and so a template)."""
    from xlperf.core.frameworks import framework_names, load_framework

    return [name for name in framework_names() if load_framework(name).indicators]


def cmd_new(args: argparse.Namespace) -> int:
    """Build one template; refuses to overwrite unless --force."""
    from xlperf.template.builder import build_template

    fw = _framework(args.framework)
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise _usage(f"输出文件应以 .xlsx 结尾：{out}")
    if out.exists() and not args.force:
        raise _usage(f"文件已存在：{out}（加 --force 覆盖）")
    if not out.parent.is_dir():
        raise _usage(f"文件夹不存在：{out.parent}")
    try:
        build_template(fw, out)
    except (OSError, ValueError) as exc:
        raise _usage(f"无法生成模板 {out}：{exc}") from exc
    print(f"已生成模板：{out}（框架 {fw.id}：{fw.name}）")
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
    """Build ``<id>.xlsx`` for every bundled framework with indicator rows into DIR (overwriting)."""
    from xlperf.core.frameworks import load_framework
    from xlperf.template.builder import build_template

    folder = Path(args.dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in template_frameworks():
            path = build_template(load_framework(name), folder / f"{name}.xlsx")
            print(f"已生成模板：{path}")
    except OSError as exc:
        raise _usage(f"无法写入 {folder}：{exc}") from exc
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``template`` command group to the ``xlperf`` subparsers."""
    group = sub.add_parser("template", help="生成 Excel 评分模板 / build Excel templates",
                           description="按评分框架生成带公式、数据验证和工作表保护的 Excel 评分模板（评分表 + 基本信息）。",
                           epilog=f"示例 / example: {EXAMPLES['template']}")
    actions = group.add_subparsers(dest="template_command", required=True, metavar="{new,list,build-all}")
    new = actions.add_parser("new", help="生成一个框架的模板 / build one template",
                             description="生成一个评分框架的 Excel 模板；已有同名文件时不覆盖，除非加 --force。",
                             epilog=f"示例 / example: {EXAMPLES['new']}")
    new.add_argument("--framework", required=True, help="评分框架 id 或 TOML 文件 / framework id or TOML file")
    new.add_argument("--out", required=True, help="输出的 .xlsx 文件 / output .xlsx file")
    new.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite an existing file")
    new.set_defaults(func=cmd_new)
    listing = actions.add_parser("list", help="列出评分框架 / list frameworks",
                                 description="列出内置评分框架的 id 和名称；无指标行的框架不生成模板。",
                                 epilog=f"示例 / example: {EXAMPLES['list']}")
    listing.set_defaults(func=cmd_list)
    build_all = actions.add_parser("build-all", help="生成全部模板 / build every template",
                                   description="为每个有指标行的内置框架生成 <id>.xlsx，写入指定文件夹（覆盖同名文件）。",
                                   epilog=f"示例 / example: {EXAMPLES['build-all']}")
    build_all.add_argument("dir", help="输出文件夹 / output folder")
    build_all.set_defaults(func=cmd_build_all)


__all__ = ["register", "cmd_new", "cmd_list", "cmd_build_all", "template_frameworks"]
