"""LibreOffice prints every template, blank and filled, on pages that are not blank, with every cell's text whole.

Each shipped template is printed blank, and filled through LibreOffice as a unit fills it (rows typed into
take their optimal height, as while typing). Every page must carry ink; every text and number a cell shows
inside the print area must be on the page in full (``pdftext``: what is cut at the print area or at a
neighbouring cell goes missing), and no two printed words may lie on top of each other (text running
past its cell). The pictures in ``docs/templates`` are made the same way (``tests/template/screenshots.py``).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from tests.template import pdftext
from tests.template.rendering import ROOT, pages_png, print_all, uno_missing
from xlperf.core.rounding import excel_round
from xlperf.template.table import HEADERS

MISSING = uno_missing() or (None if shutil.which("pdftoppm") and shutil.which("pdftotext") else
                            "需要 poppler-utils（pdftoppm、pdftotext）/ poppler-utils missing")
pytestmark = pytest.mark.skipif(MISSING is not None, reason=str(MISSING))
COLUMN_HEADERS = [text for _, text, _ in HEADERS]
DOCS = ROOT / "docs" / "templates"


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    return print_all(tmp_path_factory.mktemp("printed"))


def read_pgm(path: Path) -> tuple[int, int, int, bytes]:
    """(width, height, maxval, pixels) of a binary (P5) PGM, comments allowed in the header."""
    data = path.read_bytes()
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    if fields[0] != b"P5":
        raise ValueError(f"not a binary PGM: {fields[0]!r}")
    width, height, maxval = (int(f) for f in fields[1:])
    pixels = data[pos + 1:]
    size = width * height * (2 if maxval > 255 else 1)
    if len(pixels) < size:
        raise ValueError("truncated PGM")
    return width, height, maxval, pixels[:size]


def shown(value: Any, fmt: str) -> str | None:
    """The text a cell shows for the formats the templates use (None: not checked)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return None
    if fmt.endswith("%"):
        digits = len(fmt.split(".")[1]) - 1 if "." in fmt else 0
        return f"{excel_round(value * 100, digits):f}%"
    if fmt in ("0.00", "#,##0.00"):
        return f"{excel_round(value, 2):,f}" if fmt.startswith("#") else f"{excel_round(value, 2):f}"
    if float(value).is_integer():
        return str(int(value))
    return None


def expected_texts(xlsx: Path) -> dict[str, list[tuple[str, int, int]]]:
    """Per sheet: (text, first column, last column) of every cell showing something inside the print area."""
    wb = openpyxl.load_workbook(xlsx, data_only=True)
    out: dict[str, list[tuple[str, int, int]]] = {}
    for ws in wb.worksheets[:2]:
        spans = {(r.min_row, r.min_col): (r.min_col, r.max_col) for r in ws.merged_cells.ranges}
        c1, r1, c2, r2 = range_boundaries(str(ws.print_area).split(",")[0].split("!")[1].replace("$", ""))
        for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
            for cell in row:
                text = shown(cell.value, cell.number_format)
                if text and ws.column_dimensions[cell.column_letter].hidden is not True:
                    first, last = spans.get((cell.row, cell.column), (cell.column, cell.column))
                    out.setdefault(ws.title, []).append((text, first, last))
    return out


def missing_texts(item) -> list[str]:
    wanted = expected_texts(item.xlsx)
    pages = pdftext.pages(item.pdf)
    widths = [width for _, _, width in HEADERS]
    table = [(words, bounds) for words in pages if (bounds := pdftext.column_bounds(words, COLUMN_HEADERS, widths))]
    info = "".join(pdftext.stream(words) for words in pages if not pdftext.column_bounds(words, COLUMN_HEADERS, widths))
    missing = [f"基本信息: {text}" for text, _, _ in wanted["基本信息"] if pdftext.squeeze(text) not in info]
    for text, first, last in wanted["评分表"]:
        columns = "".join(pdftext.stream(words, bounds[first - 1][0] - 2, bounds[min(last, 13) - 1][1] + 2)
                          for words, bounds in table)
        if pdftext.squeeze(text) not in columns:
            missing.append(f"评分表 column {first}–{last}: {text}")
    return missing


def test_every_template_is_printed_blank_and_filled(printed):
    names = {name for name in printed}
    shipped = {p.stem for p in (ROOT / "workbook_templates").glob("*.xlsx")}
    assert names == shipped | {f"{name}_filled" for name in shipped}
    assert all(item.pdf.stat().st_size > 1000 for item in printed.values())


def test_no_page_is_blank(printed, tmp_path):
    for item in printed.values():
        prefix = tmp_path / item.name
        subprocess_pgm(item.pdf, prefix)
        pgms = sorted(tmp_path.glob(item.name + "-*.pgm"))
        assert len(pgms) >= 2, f"{item.name}: {len(pgms)} pages"
        for pgm in pgms:
            width, height, maxval, pixels = read_pgm(pgm)
            assert width > height > 300  # landscape A4 at 50 dpi: about 585 × 413
            dark = sum(1 for value in pixels if value < maxval // 2)
            assert dark > 0.003 * width * height, f"{pgm.name}: the page looks blank ({dark} dark pixels)"


def subprocess_pgm(pdf: Path, prefix: Path) -> None:
    import subprocess

    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(pdf), str(prefix)], check=True, capture_output=True, timeout=120)


def test_every_text_is_printed_whole(printed):
    problems = {item.name: missing for item in printed.values() if (missing := missing_texts(item))}
    assert not problems, problems


def test_no_text_runs_into_another_cell(printed):
    problems = {item.name: found for item in printed.values()
                for found in [sum((pdftext.overlaps(words) for words in pdftext.pages(item.pdf)), [])] if found}
    assert not problems, problems


def test_a_clipped_text_is_caught(printed, tmp_path):
    """The check itself: a note too long for a narrowed 扣分说明 column, not wrapped, goes missing."""
    item = printed["dapeng_filled"]
    wb = openpyxl.load_workbook(item.xlsx)
    ws = wb["评分表"]
    ws["L7"].alignment = openpyxl.styles.Alignment(wrap_text=False)
    ws["M7"] = "挡住"
    broken = tmp_path / "broken.xlsx"
    wb.save(broken)
    from xlperf import libreoffice

    pdf = libreoffice.convert([broken], tmp_path, "pdf").output(broken)
    missing = missing_texts(type(item)("broken", broken, pdf))
    assert any("设置存在不够细化" in text for text in missing), missing


def test_docs_show_every_template(printed):
    """docs/templates holds a picture of every page, blank and filled (tests/template/screenshots.py)."""
    for item in printed.values():
        pictures = sorted(DOCS.glob(f"{item.name}-*.png"))
        assert pictures, f"docs/templates has no picture of {item.name}: run python -m tests.template.screenshots"
        assert len(pictures) == len(pdftext.pages(item.pdf)), item.name


def test_read_pgm_parses_comments(tmp_path):
    path = tmp_path / "x.pgm"
    path.write_bytes(b"P5\n# made by a test\n3 2\n255\n" + bytes([0, 255, 128, 1, 2, 3]))
    assert read_pgm(path) == (3, 2, 255, bytes([0, 255, 128, 1, 2, 3]))


def test_png_pages_are_numbered_in_order(printed, tmp_path):
    pngs = pages_png(printed["dapeng"].pdf, tmp_path / "page", dpi=30)
    assert [p.name for p in pngs] == [f"page-{i}.png" for i in range(1, len(pngs) + 1)]
