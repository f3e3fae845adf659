"""The default Word templates (评价报告, 汇总报告), built with python-docx and shipped as editable .docx files.

Why docxtpl rather than python-docx alone: the bureau's report layout must be a file it can change in Word
or WPS — wording around the figures, fonts, headings, table borders, its own sections before and after —
without touching Python. docxtpl (python-docx-template, well kept) fills Jinja tags written in such a file:
``{{ total }}``, ``{%p for level in levels %}`` for repeated sections, ``{%tr for r in rows %}`` for table
rows, an InlineImage for the chart. python-docx is still used for what Jinja cannot express: building
these default templates, and merging the level cells after filling (``render.merge_level_cells``).

``python -m xlperf.reports.template`` (or ``xlperf report --save-template``) writes the templates; the
shipped copies in ``xlperf/data/report_templates/`` are checked against this code by the tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from xlperf.reports import docx_style as ds

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "data" / "report_templates"
TEMPLATES = {"evaluation": "evaluation_report.docx", "summary": "summary_report.docx"}
SCORE_COLUMNS = (("一级指标", "{{ r.level1 }}", 2.0), ("二级指标", "{{ r.level2 }}", 2.0), ("三级指标", "{{ r.level3 }}", 3.9),
                 ("年度指标值", "{{ r.target }}", 2.1), ("实际完成值", "{{ r.actual }}", 2.1), ("分值", "{{ r.weight }}", 1.2),
                 ("得分", "{{ r.score }}", 1.4))
LEVEL_COLUMNS = (("一级指标", "{{ g.level1 }}", 3.0), ("二级指标", "{{ g.level2 }}", 4.4), ("分值", "{{ g.weight }}", 2.4),
                 ("得分", "{{ g.score }}", 2.4), ("得分率", "{{ g.rate }}", 3.0))
RANK_COLUMNS = (("排名", "{{ r.rank }}", 1.2), ("项目", "{{ r.project }}", 4.4), ("文件", "{{ r.file }}", 3.6),
                ("总得分", "{{ r.total }}", 1.6), ("填报总分", "{{ r.stated_total }}", 1.6), ("评级", "{{ r.grade }}", 1.2),
                ("错误数", "{{ r.errors }}", 1.4))
GRADE_COLUMNS = (("评级", "{{ g.grade }}", 4.0), ("项目数", "{{ g.count }}", 4.0), ("占比", "{{ g.share }}", 4.0))
ERROR_COLUMNS = (("文件", "{{ e.file }}", 4.0), ("错误数", "{{ e.errors }}", 1.6), ("主要问题", "{{ e.messages }}", 9.6))
FIXED_DATE = dt.datetime(2025, 1, 1)  # core properties fixed, so a rebuilt template is byte-comparable


def _styles(doc) -> None:
    ds.set_doc_defaults(doc)
    center = WD_ALIGN_PARAGRAPH.CENTER
    ds.style(doc, "Normal", ds.BODY, 12, spacing=1.5, indent=24)
    ds.style(doc, "Title", ds.HEADING, 20, bold=True, align=center, after=12, indent=0)
    ds.style(doc, "Subtitle", ds.SUBHEADING, 12, align=center, after=12, indent=0)
    ds.style(doc, "Heading 1", ds.HEADING, 16, before=12, after=6, indent=0)
    ds.style(doc, "Heading 2", ds.SUBHEADING, 14, bold=True, before=6, after=3, indent=0)
    ds.style(doc, "Heading 3", ds.BODY, 12, bold=True, before=3, after=3, indent=24)
    ds.style(doc, "表题", ds.HEADING, 10.5, align=center, before=6, after=3, indent=0)
    ds.style(doc, "表格文字", ds.TABLE, 10.5, align=center, spacing=1.0, indent=0)
    figure = ds.style(doc, "图", ds.BODY, 10.5, align=center, before=12, spacing=1.0, indent=0)
    figure.paragraph_format.keep_with_next = True


def save_stable(doc, path: Path) -> Path:
    """Save with fixed zip timestamps, so rebuilding an unchanged template gives the same bytes (no churn)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_DATE.timetuple()[:6]), source.read(info.filename),
                            zipfile.ZIP_DEFLATED)
    return path


def new_document(title: str):
    """An empty A4 document with the report styles and fixed core properties."""
    doc = Document()
    _styles(doc)
    ds.setup_page(doc)
    props = doc.core_properties
    props.title, props.author, props.comments = title, "xlperf", "双花括号标记处由 xlperf 填写，其余文字、字体和版式可自由修改。"
    props.created = props.modified = FIXED_DATE
    props.last_modified_by, props.revision = "xlperf", 1
    return doc


def add_table(doc, columns: Sequence[tuple[str, str, float]], loop: str, totals: Sequence[Sequence[str]] = ()):
    """A table: header (repeated on each page), a ``{%tr for %}`` row over the data, then fixed total rows.

    ``totals`` rows give one text per column; an empty text after the first cell merges into its left
    neighbour (合计 spanning the name columns)."""
    table = doc.add_table(rows=4 + len(totals), cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False
    for col, (head, cell, width) in enumerate(columns):
        ds.cell_text(table.cell(0, col), head, "表格文字", bold=True)
        ds.shade(table.cell(0, col))
        ds.cell_text(table.cell(2, col), cell, "表格文字")
        table.columns[col].width = Cm(width)
        for row in table.rows:
            row.cells[col].width = Cm(width)
    ds.repeat_header(table.rows[0])
    ds.cell_text(table.cell(1, 0), f"{{%tr for {loop} %}}", "表格文字")
    ds.cell_text(table.cell(3, 0), "{%tr endfor %}", "表格文字")
    for offset, texts in enumerate(totals, 4):
        _total_row(table, offset, texts)
    return table


def _total_row(table, row: int, texts: Sequence[str]) -> None:
    start = 0
    for col in range(1, len(texts) + 1):
        if col == len(texts) or texts[col]:
            cell = table.cell(row, start).merge(table.cell(row, col - 1)) if col - 1 > start else table.cell(row, start)
            ds.cell_text(cell, texts[start], "表格文字", bold=start == 0)
            start = col


def paragraphs(doc, items: Sequence[tuple[str, str]]) -> None:
    """(style, text) pairs as paragraphs; Jinja paragraph tags ({%p … %}) go in Normal paragraphs."""
    for style_name, text in items:
        doc.add_paragraph(text, style=style_name)


def build_evaluation(path: Path) -> Path:
    """The 评价报告 template: 三 (conclusion, 表 3-1), 四 (per level 1 and 2), 五（二）(存在问题)."""
    doc = new_document("绩效评价报告（定量部分）模板")
    paragraphs(doc, [("Title", "{{ title }}"), ("Subtitle", "（评价得分与指标分析部分，依据 {{ source }} 由 xlperf 生成）"),
                     ("Heading 1", "三、综合评价情况及评价结论"), ("Normal", "{{ conclusion }}"),
                     ("表题", "{{ score_table.caption }}")])
    add_table(doc, SCORE_COLUMNS, "r in score_table.rows",
              [("合计", "", "", "", "", "{{ score_table.weight }}", "{{ score_table.score }}"),
               ("评价等级", "", "", "", "", "{{ grade }}", "")])
    paragraphs(doc, [("Heading 1", "四、绩效评价指标分析"), ("Normal", "{%p for lv in levels %}"),
                     ("Heading 2", "{{ lv.number }}{{ lv.heading }}"), ("Normal", "{{ lv.sentence }}"),
                     ("表题", "{{ lv.caption }}")])
    add_table(doc, LEVEL_COLUMNS, "g in lv.rows", [("合计", "", "{{ lv.weight }}", "{{ lv.score }}", "{{ lv.rate }}")])
    paragraphs(doc, [("Normal", "{%p for grp in lv.groups %}"), ("Heading 3", "{{ grp.number }} {{ grp.name }}"),
                     ("Normal", "{%p for text in grp.paragraphs %}"), ("Normal", "{{ text }}"),
                     ("Normal", "{%p endfor %}"),
                     ("Normal", "{%p endfor %}"), ("Normal", "{%p endfor %}"),
                     ("Heading 1", "五、主要经验及做法、存在的问题及原因分析"), ("Heading 2", "（二）存在的问题及原因分析"),
                     ("Normal", "{%p for text in problems %}"), ("Normal", "{{ text }}"), ("Normal", "{%p endfor %}"),
                     ("Normal", "{%p if not problems %}"), ("Normal", "各项指标均得满分，评分表未显示扣分事项。"),
                     ("Normal", "{%p endif %}")])
    return save_stable(doc, path)


def build_summary(path: Path) -> Path:
    """The 汇总报告 template: ranking, grade distribution with its chart, the projects with errors."""
    doc = new_document("绩效评价汇总报告模板")
    paragraphs(doc, [("Title", "{{ title }}"), ("Normal", "{{ intro }}"), ("Heading 1", "一、得分排名")])
    add_table(doc, RANK_COLUMNS, "r in ranking")
    paragraphs(doc, [("Heading 1", "二、评级分布"), ("Normal", "{{ distribution }}")])
    add_table(doc, GRADE_COLUMNS, "g in grades", [("合计", "{{ scored }}", "{{ scored_share }}")])
    paragraphs(doc, [("图", "{{ chart }}"), ("表题", "图 1 评级分布"), ("Heading 1", "三、存在错误的项目"),
                     ("Normal", "{%p if errors %}"), ("Normal", "{{ errors_intro }}")])
    add_table(doc, ERROR_COLUMNS, "e in errors")
    paragraphs(doc, [("Normal", "{%p else %}"), ("Normal", "所有项目均未发现错误。"), ("Normal", "{%p endif %}")])
    return save_stable(doc, path)


BUILDERS = {"evaluation": build_evaluation, "summary": build_summary}


def template_path(kind: str) -> Path:
    """The shipped default template of ``kind`` (evaluation or summary)."""
    return TEMPLATE_DIR / TEMPLATES[kind]


def build_all(folder: Path = TEMPLATE_DIR) -> list[Path]:
    """Write both default templates into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return [BUILDERS[kind](folder / name) for kind, name in TEMPLATES.items()]


if __name__ == "__main__":
    for built in build_all():
        print(built)
