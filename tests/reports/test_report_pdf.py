"""The written report as a reader sees it: LibreOffice Writer prints it to PDF with Chinese glyphs, not boxes."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests import corpus
from xlperf import libreoffice
from xlperf.cli import main

MISSING = [tool for tool in ("pdftotext", "pdffonts") if shutil.which(tool) is None]
pytestmark = [pytest.mark.skipif(libreoffice.soffice() is None, reason=libreoffice.INSTALL_HINT),
              pytest.mark.skipif(bool(MISSING), reason=f"poppler-utils not installed ({', '.join(MISSING)})")]

HEADINGS = ["三、综合评价情况及评价结论", "四、绩效评价指标分析", "（一）项目决策情况", "表 3-1", "表 4-1 项目决策得分情况",
            "五、主要经验及做法、存在的问题及原因分析", "（二）存在的问题及原因分析"]
NUMBERS = ["98.37", "93.33%", "98.84%", "99.15%", "100.00%", "3.89", "4.71", "3.77"]


def test_pdf_shows_the_chinese_headings_and_the_numbers(tmp_path):
    book = corpus.finish(corpus.filled("dapeng", "dapeng_2024"), tmp_path / "大鹏.xlsx")
    assert main(["report", str(book), "--out", str(tmp_path / "out"), "--pdf"]) == 0
    pdf = tmp_path / "out" / "大鹏_评价报告.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace(" ", "")
    for heading in HEADINGS:
        assert heading.replace(" ", "") in flat, heading
    for number in NUMBERS:
        assert number in text, number
    assert "评级为“优”" in flat and "预算执行率（满分5分，得分4.71分）" in flat
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts  # 仿宋/宋体 and 黑体 printed with Noto CJK SC
