"""Word styling helpers for the templates: Chinese fonts for East Asian text, page set-up, table cells.

python-docx sets a style's font for Latin text only (``w:ascii``/``w:hAnsi``); Word and WPS take the
font of Chinese characters from ``w:eastAsia``, which is set here on every style the templates use, with
the theme-font attributes removed so the named font wins. The fonts are those an office desk has
(仿宋 body, 黑体 and 楷体 headings, 宋体 tables); where they are missing (LibreOffice here) the PDF
rendering substitutes Noto CJK (``render.pdf_profile``).
"""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

LATIN = "Times New Roman"
BODY, HEADING, SUBHEADING, TABLE = "仿宋", "黑体", "楷体", "宋体"
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr, east_asia: str, latin: str = LATIN) -> None:
    """Name the fonts of a run or style properties element (``w:rPr``): Latin and East Asian."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), name)


def set_doc_defaults(doc) -> None:
    """Document defaults: 仿宋 for Chinese, Chinese language tags (line breaking, punctuation)."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def style(doc, name: str, east_asia: str, size: float, *, bold: bool = False, align=None, base: str | None = None,
          before: float = 0, after: float = 0, spacing: float | None = None, indent: float | None = None):
    """Create or adjust a paragraph style with Chinese and Latin fonts."""
    styles = doc.styles
    try:
        st = styles[name]
    except KeyError:
        from docx.enum.style import WD_STYLE_TYPE

        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = styles[base or "Normal"]
        st.quick_style = True
    st.font.size = Pt(size)
    st.font.bold = bold
    st.font.italic = False
    st.font.color.rgb = None
    set_fonts(st.element.get_or_add_rPr(), east_asia)
    fmt = st.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if spacing is not None:
        fmt.line_spacing = spacing
    if indent is not None:
        fmt.first_line_indent = Pt(indent)
    if align is not None:
        fmt.alignment = align
    return st


def setup_page(doc) -> None:
    """A4 portrait, the margins of government reports, a centred page number in the footer."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.6)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)


def repeat_header(row) -> None:
    """Word repeats this row at the top of every page the table runs onto."""
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def cell_text(cell, text: str, style_name: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    """Write one paragraph into a table cell, centred vertically."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    para = cell.paragraphs[0]
    para.style = style_name
    para.alignment = align
    run = para.add_run(text)
    run.bold = bold or None


def shade(cell, fill: str = "D9E2F3") -> None:
    """Background colour of a header cell."""
    tcpr = cell._tc.get_or_add_tcPr()
    element = OxmlElement("w:shd")
    element.set(qn("w:val"), "clear")
    element.set(qn("w:color"), "auto")
    element.set(qn("w:fill"), fill)
    tcpr.append(element)
