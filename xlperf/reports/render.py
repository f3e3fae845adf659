"""Fill a Word template with a report's context (docxtpl), merge the level cells, save; print to PDF.

The output is written atomically next to nothing else: a new file in the output folder, never over an input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from xlperf.reports.template import template_path
from xlperf.workbook.atomic import atomic_output

MERGE_HEADERS = ("一级指标", "二级指标")
STOP_WORDS = ("合计", "总计", "评价等级", "小计")
# Fonts the templates name → the Noto CJK faces LibreOffice uses for them when printing here.
CJK_SUBSTITUTES = {"仿宋": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC", "楷体": "Noto Serif CJK SC",
                   "黑体": "Noto Sans CJK SC", "FangSong": "Noto Serif CJK SC", "SimSun": "Noto Serif CJK SC",
                   "KaiTi": "Noto Serif CJK SC", "SimHei": "Noto Sans CJK SC", "微软雅黑": "Noto Sans CJK SC"}


def render_docx(context: dict[str, Any], out: Path, template: Path | None = None, kind: str = "evaluation",
                images: dict[str, Path] | None = None) -> Path:
    """Fill ``template`` (default: the shipped one of ``kind``) and save it as ``out``.

    ``images`` name context keys whose value is a picture file, placed as inline images 15 cm wide.
    Text values are XML-escaped (autoescape), so a note holding ``<`` or ``&`` stays text."""
    from docxtpl import DocxTemplate, InlineImage
    from docx.shared import Cm

    tpl = DocxTemplate(str(template or template_path(kind)))
    values = dict(context)
    for key, picture in (images or {}).items():
        values[key] = InlineImage(tpl, str(picture), width=Cm(15))
    tpl.render(values, autoescape=True)
    merge_level_cells(tpl.docx)
    with atomic_output(out) as tmp:
        tpl.save(str(tmp))
    return out


def _merge_column(table, col: int, keys: list[tuple[str, ...]], rows: range) -> None:
    """Merge vertical runs of equal keys in one column, keeping the text once (in the top cell)."""
    start = rows.start
    for row in list(rows) + [rows.stop]:
        if row < rows.stop and keys[row] == keys[start] and keys[row][-1]:
            continue
        if row - start > 1:
            merged = table.cell(start, col).merge(table.cell(row - 1, col))
            for paragraph in merged.paragraphs[1:]:  # the covered cells' paragraphs, moved in by merge()
                paragraph._p.getparent().remove(paragraph._p)
        start = row


def merge_level_cells(document) -> None:
    """In every table headed 一级指标/二级指标, merge runs of the same level vertically (as published).

    Merging happens after filling because a Jinja row loop cannot express a cell spanning a variable
    number of rows; a level-2 run never crosses a change of level 1."""
    for table in document.tables:
        header = [cell.text.strip() for cell in table.rows[0].cells]
        cols = [header.index(name) for name in MERGE_HEADERS if name in header]
        if not cols:
            continue
        texts = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        end = next((i for i in range(1, len(texts)) if texts[i][0] in STOP_WORDS), len(texts))
        for depth, col in enumerate(cols):
            keys = [tuple(texts[r][c] for c in cols[:depth + 1]) for r in range(len(texts))]
            _merge_column(table, col, keys, range(1, end))


def pdf_profile(folder: Path) -> str:
    """A private LibreOffice profile whose font replacement table prints 仿宋/宋体/黑体… with Noto CJK SC.

    Without it LibreOffice, which has none of these fonts, falls back glyph by glyph to the first CJK
    face fontconfig offers (here a Japanese one)."""
    from xlperf.libreoffice import make_profile

    url = make_profile(folder)
    pairs = "".join(
        f'<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
        f'<node oor:name="p{i}" oor:op="replace">'
        f'<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
        f'<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
        f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{name}</value></prop>'
        f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{face}</value></prop></node></item>'
        for i, (name, face) in enumerate(CJK_SUBSTITUTES.items()))
    xcu = ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
           'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
           '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
           '<prop oor:name="Replacement" oor:op="fuse">'
           f'<value>true</value></prop></item>{pairs}</oor:items>\n')
    (folder / "user" / "registrymodifications.xcu").write_text(xcu, encoding="utf-8")
    return url


def to_pdf(files: Sequence[Path], out_dir: Path, timeout: float = 600) -> dict[str, Path | None]:
    """Print Word files to PDF with LibreOffice Writer, all in one process; input path → PDF (None: failed)."""
    import shutil
    import tempfile

    from xlperf.libreoffice import convert

    work = Path(tempfile.mkdtemp(prefix="xlperf-report-pdf-"))
    try:
        done = convert(files, out_dir, "pdf", timeout=timeout, profile=pdf_profile(work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {str(path): done.output(path) for path in files}
