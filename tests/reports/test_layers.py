"""Word and plotting libraries stay in xlperf.reports: the core, the reader and the CLI start without them."""

import subprocess
import sys

WORD = ("docx", "docxtpl", "jinja2", "matplotlib")


def test_core_reader_and_cli_do_not_load_word_libraries():
    code = ("import sys, xlperf.core.evaluate, xlperf.findings, xlperf.workbook.reader, xlperf.scoring.score, xlperf.cli;"
            "xlperf.cli.build_parser();"
            f"print([m for m in {WORD!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
