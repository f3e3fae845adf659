"""Pictures of every shipped template's pages, blank and filled, as LibreOffice prints them: docs/templates.

    python -m tests.template.screenshots            # needs LibreOffice, python3-uno and poppler-utils

Filling goes through LibreOffice as a unit's typing would (``rendering.print_all``); the templates with
xlwings functions show ``#NAME?`` there, as they do in LibreOffice and WPS.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.template.rendering import ROOT, pages_png, print_all, uno_missing

DOCS = ROOT / "docs" / "templates"


def main(folder: Path = DOCS) -> int:
    reason = uno_missing()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="xlperf-screens-") as work:
        for item in print_all(Path(work)).values():
            for page in pages_png(item.pdf, folder / item.name, dpi=72):
                print(page.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS))
