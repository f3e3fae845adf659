"""``xlperf report``: parse options, write the reports, print one line per file, exit 0/1/2."""

from __future__ import annotations

import argparse
from pathlib import Path

from xlperf.commands.options import UsageError, build_config, scoring_options

EXAMPLE = "xlperf report 回收文件/ --out 评价报告/ --pdf"
MESSAGES = {
    "zh": {"done": "已生成 {n} 份评价报告（{failed} 个文件无法评分，{errors} 个存在错误）。输出：{out}",
           "file": "  {source} → {output}", "failed": "  {source}：{error}", "templates": "已写出模板：{paths}",
           "kept": "模板已存在，未覆盖：{folder}"},
    "en": {"done": "Wrote {n} reports ({failed} files could not be scored, {errors} with errors). Output: {out}",
           "file": "  {source} → {output}", "failed": "  {source}: {error}", "templates": "Templates written: {paths}",
           "kept": "Templates already there, not overwritten: {folder}"},
}


def _sources(paths: list[str], out_dir: Path) -> list[Path]:
    """Workbooks named or found under folders (recursively, the output folder left out)."""
    from xlperf.batch.discover import WORKBOOK_SUFFIXES, discover

    return [Path(task.path) for task in discover(paths, exclude=[out_dir])
            if Path(task.path).suffix.lower() in WORKBOOK_SUFFIXES and task.checkable]


def _template(value: str | None) -> Path | None:
    if value is None:
        return None
    path = Path(value)
    if not path.is_file() or path.suffix.lower() != ".docx":
        raise UsageError(f"报告模板不存在或不是 .docx 文件：{value}")
    try:
        import docx

        docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a damaged file
        raise UsageError(f"报告模板无法作为 Word 文档打开：{value}（{type(exc).__name__}）") from exc
    return path


def cmd_report(args: argparse.Namespace) -> int:
    from jinja2 import TemplateError

    from xlperf.reports.run import save_templates, write_reports

    text = MESSAGES[args.lang]
    if args.save_template:
        written = save_templates(Path(args.save_template))
        print(text["templates"].format(paths=", ".join(map(str, written))) if written
              else text["kept"].format(folder=args.save_template))
        return 0
    if not args.paths:
        raise UsageError("请指定工作簿或文件夹 / name the workbooks or folders to report on")
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise UsageError(("路径不存在：" if args.lang == "zh" else "no such path: ") + ", ".join(missing))
    out_dir = Path(args.out)
    sources = _sources(args.paths, out_dir)
    if not sources:
        raise UsageError("没有找到 .xlsx/.xlsm 工作簿 / no workbooks found")
    try:
        run = write_reports(sources, out_dir, build_config(args), _template(args.template),
                            _template(args.summary_template), pdf=args.pdf)
    except TemplateError as exc:
        raise UsageError(f"报告模板有误（{type(exc).__name__}: {exc}）") from exc
    except RuntimeError as exc:  # --pdf without LibreOffice: the reports are written, the PDFs are not
        raise UsageError(str(exc)) from exc
    for item in run.items:
        line = text["file"] if item.output else text["failed"]
        print(line.format(source=item.source, output=item.output, error=item.error))
    print(text["done"].format(n=len(run.items) - run.failed, failed=run.failed, errors=run.with_errors, out=out_dir))
    return 1 if run.with_errors else 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="由评分表生成 Word 评价报告 / write Word evaluation reports",
                            description="为每个工作簿生成评价报告（表3-1、各一级指标得分率表、评价结论、逐项分析、存在问题），"
                                        "多个文件时另生成汇总报告（排名、评级分布图、存在错误的项目）。原文件只读。",
                            epilog=f"示例 / example: {EXAMPLE}")
    parser.add_argument("paths", nargs="*", help="工作簿或文件夹（递归）/ workbooks or folders")
    parser.add_argument("--out", default="xlperf_reports", help="输出文件夹 / output folder (default: xlperf_reports)")
    parser.add_argument("--template", help="评价报告模板 .docx（默认用内置模板）/ report template")
    parser.add_argument("--summary-template", help="汇总报告模板 .docx / summary template")
    parser.add_argument("--pdf", action="store_true", help="另用 LibreOffice 输出 PDF / also print PDFs with LibreOffice")
    parser.add_argument("--save-template", metavar="DIR",
                        help="把内置模板复制到 DIR 供修改后用 --template 指定 / copy the default templates to DIR")
    scoring_options(parser)
    parser.set_defaults(func=cmd_report)


__all__ = ["register", "cmd_report"]
