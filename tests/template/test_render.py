"""LibreOffice opens every template and prints it to a PDF whose first page is not blank."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from xlperf.template.commands import template_frameworks

SHIPPED = Path(__file__).resolve().parents[2] / "workbook_templates"
MISSING = [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]


def _skip_reason() -> str:
    return f"需要 LibreOffice 和 poppler-utils，缺少：{', '.join(MISSING)} / missing {', '.join(MISSING)}"


if MISSING:
    print(_skip_reason())
pytestmark = pytest.mark.skipif(bool(MISSING), reason=_skip_reason())


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


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every shipped template converted to PDF by one headless LibreOffice run with a throwaway profile."""
    tmp = tmp_path_factory.mktemp("render")
    sources = [SHIPPED / f"{fid}.xlsx" for fid in template_frameworks()]
    cmd = ["soffice", f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
           "--outdir", str(tmp), *map(str, sources)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return {src.stem: tmp / f"{src.stem}.pdf" for src in sources}


@pytest.mark.parametrize("fid", ["dapeng", "self_eval", "yantian"])
def test_first_page_is_not_blank(pdfs, fid, tmp_path):
    pdf = pdfs[fid]
    assert pdf.is_file() and pdf.stat().st_size > 1000, f"LibreOffice produced no PDF for {fid}"
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "50", "-gray", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=60)
    (pgm,) = tmp_path.glob("page*.pgm")
    width, height, maxval, pixels = read_pgm(pgm)
    assert width > height > 300  # landscape A4 at 50 dpi: about 585 × 413
    dark = sum(1 for value in pixels if value < maxval // 2) if maxval <= 255 else 0
    assert dark > 0.003 * width * height, f"{fid}: first page looks blank ({dark} dark pixels)"


def test_read_pgm_parses_comments(tmp_path):
    path = tmp_path / "x.pgm"
    path.write_bytes(b"P5\n# made by a test\n3 2\n255\n" + bytes([0, 255, 128, 1, 2, 3]))
    assert read_pgm(path) == (3, 2, 255, bytes([0, 255, 128, 1, 2, 3]))
