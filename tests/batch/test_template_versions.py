"""Returns filled in a template version this xlperf does not know (an older release's copies still in the
units' hands): a fact, not a fault. Correct copies get one info each; the copies are compared with each
other, so a score typed over its formula is still found at its cell."""

from __future__ import annotations

import json

from tests.corpus import edit, filled, finish
from xlperf.batch.runner import RunOptions, run_batch
from xlperf.batch.task import CheckOptions
from xlperf.template.fingerprint import MARKER_SHEET


def _old_version(change=None):
    wb = filled("dapeng", "dapeng_2024")
    for row in wb[MARKER_SHEET].iter_rows():
        if row[0].value == "template_version":
            row[1].value = "1"
    if change is not None:
        change(wb)
    return wb


def test_copies_of_an_unknown_template_version_are_checked_against_each_other(tmp_path):
    for i in range(3):
        finish(_old_version(), tmp_path / "in" / f"clean{i}.xlsx")
    finish(_old_version(edit("K18", 4)), tmp_path / "in" / "typed_over.xlsx")
    run_batch([tmp_path / "in"], CheckOptions(), RunOptions(tmp_path / "out", jobs=1))
    files = {e["file"]: e for e in json.loads((tmp_path / "out" / "results.json").read_text("utf-8"))["files"]}
    for i in range(3):
        entry = files[f"clean{i}.xlsx"]
        assert [(f["code"], f["severity"]) for f in entry["findings"]] == [("template-unknown", "info")], entry
        assert (entry["status"], entry["total"], entry["grade"]) == ("ok", 98.37, "优")
    assert ("formula-missing", "K18") in {(f["code"], f["cell"]) for f in files["typed_over.xlsx"]["findings"]}
    assert files["typed_over.xlsx"]["status"] == "errors"
