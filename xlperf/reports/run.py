"""``xlperf report``'s work: score each workbook, write its report, then the 汇总 report of the batch.

A file that cannot be read or scored stops nothing: it is listed in the 汇总 with its message. Inputs are
only read; outputs go to the output folder under names of their own (两个同名输入 get distinct names).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from xlperf.core.config import ScoringConfig
from xlperf.errors import XlperfError
from xlperf.reports.content import report_context
from xlperf.reports.render import render_docx, to_pdf
from xlperf.reports.summary import Item, grade_counts, summary_context
from xlperf.scoring.score import ScoreResult

REPORT_SUFFIX = "_评价报告.docx"
SUMMARY_NAME = "汇总报告.docx"
CHART_NAME = "评级分布.png"


@dataclass
class ReportRun:
    """What one ``xlperf report`` produced."""

    items: list[Item] = field(default_factory=list)
    summary: Path | None = None
    pdfs: dict[str, Path | None] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return sum(1 for item in self.items if item.result is None)

    @property
    def with_errors(self) -> int:
        return sum(1 for item in self.items if item.errors)


def score_workbook_info(path: Path, cfg: ScoringConfig) -> tuple[ScoreResult, dict[str, str]]:
    """Score a workbook read once (as ``xlperf check`` reads it) and its 项目名称/实施单位; XlperfError if unreadable."""
    from xlperf.scoring.score import score_view
    from xlperf.workbook.info import find_info
    from xlperf.workbook.open import open_checked_view

    view = open_checked_view(path)
    return score_view(view, cfg), find_info(view.data_grids())


def _output_name(source: Path, taken: set[str]) -> str:
    name = source.stem + REPORT_SUFFIX
    counter = 2
    while name in taken:
        name = f"{source.stem}_{counter}{REPORT_SUFFIX}"
        counter += 1
    taken.add(name)
    return name


def report_one(source: Path, out_dir: Path, cfg: ScoringConfig, template: Path | None, taken: set[str]) -> Item:
    """Score one workbook and write its report; a failure becomes the item's error message."""
    try:
        result, info = score_workbook_info(source, cfg)
    except XlperfError as exc:
        return Item(str(source), error=exc.finding.message("zh"))
    output = out_dir / _output_name(source, taken)
    render_docx(report_context(result, info), output, template)
    return Item(str(source), result, info, output=output)


def write_summary(items: Sequence[Item], out_dir: Path, template: Path | None) -> Path:
    """The 汇总 report with its grade chart (the chart is also kept as a PNG beside it)."""
    from xlperf.reports.chart import grade_chart

    context = summary_context(items)
    counts = grade_counts(items)
    chart = grade_chart([g for g, _ in counts], [n for _, n in counts], out_dir / CHART_NAME, context["chart_title"])
    return render_docx(context, out_dir / SUMMARY_NAME, template, kind="summary", images={"chart": chart})


def write_reports(sources: Sequence[Path], out_dir: Path, cfg: ScoringConfig, template: Path | None = None,
                  summary_template: Path | None = None, pdf: bool = False) -> ReportRun:
    """One report per workbook, the 汇总 report when there are several, and PDFs of all when asked."""
    out_dir.mkdir(parents=True, exist_ok=True)
    run, taken = ReportRun(), set()
    for source in sources:
        run.items.append(report_one(Path(source), out_dir, cfg, template, taken))
    if len(sources) > 1:
        run.summary = write_summary(run.items, out_dir, summary_template)
    if pdf:
        written = [item.output for item in run.items if item.output] + ([run.summary] if run.summary else [])
        run.pdfs = to_pdf(written, out_dir)
    return run


def save_templates(folder: Path) -> list[Path]:
    """Copy the default templates into ``folder`` for the bureau to edit (existing files are kept)."""
    from xlperf.reports.template import TEMPLATES, template_path

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, name in TEMPLATES.items():
        target = folder / name
        if not target.exists():
            shutil.copyfile(template_path(kind), target)
            written.append(target)
    return written

