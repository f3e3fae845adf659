"""Results for the inputs xlperf does not read as workbooks: each one reported, none passed in silence.

- a spreadsheet in a format xlperf cannot check (.xls, .et, .ods, .xlsb, .numbers, .csv …): an error,
  status ``failed`` (未能校验), with what the bytes really are when that says more (a password, a legacy
  .xls, not a spreadsheet at all); a batch holding one never exits 0;
- a link that leads nowhere or loops: an error, status ``failed``;
- anything else (a .pdf or .docx beside the returns, a special file): a warning, status ``skipped``,
  counted in the console summary and the 汇总 like every file (a .xls in disguise is still an error);
- an earlier run's outputs (汇总.xlsx, corrected/ … in a folder holding its state file): an info, ``skipped``.

The legacy-format conversion (.xls/.et through LibreOffice) replaces the first case for those suffixes.
"""

from __future__ import annotations

import errno
import os

from xlperf.batch.discover import Task
from xlperf.findings import Finding
from xlperf.scoring.result import FileResult, failed

DETAIL = {"zh": {"missing": "目标不存在", "loop": "链接循环"}, "en": {"missing": "its target does not exist",
                                                                   "loop": "it loops"}}


def _link_finding(task: Task, lang: str) -> Finding:
    try:
        os.stat(task.path)
        reason = "missing"
    except OSError as exc:
        reason = "loop" if exc.errno == errno.ELOOP else "missing"
    text = DETAIL["en" if lang == "en" else "zh"][reason]
    return Finding("file-link-broken", params={"detail": text, "target": _target(task.path)})


def _target(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


def _spreadsheet_finding(task: Task, opts) -> Finding:
    from xlperf.workbook.sniff import sniff

    kind = sniff(task.path, opts.max_uncompressed)
    if kind.finding is not None:
        return kind.finding  # file-legacy-xls, file-encrypted, file-not-workbook, file-corrupt …
    suffix = os.path.splitext(task.path)[1].lower() or task.path
    return Finding("file-format-unsupported", params={"format": suffix})


def _other_finding(task: Task, opts) -> Finding:
    if task.kind == "special":
        return Finding("file-unsupported")
    from xlperf.workbook.sniff import sniff

    kind = sniff(task.path, opts.max_uncompressed)
    return kind.finding if kind.finding and kind.kind in ("xls", "encrypted") else Finding("file-unsupported")


def unchecked_result(task: Task, opts) -> tuple[FileResult, list[Finding]]:
    """The result of a task that is not a workbook xlperf reads (``task.checkable`` is False)."""
    if task.kind == "output":
        finding = Finding("file-xlperf-output")
    elif task.kind == "broken-link":
        finding = _link_finding(task, opts.lang)
    elif task.kind == "spreadsheet":
        finding = _spreadsheet_finding(task, opts)
    else:
        finding = _other_finding(task, opts)
    status = "skipped" if finding.code in ("file-unsupported", "file-xlperf-output") else "failed"
    return failed(task.name, finding, opts.lang, status=status), [finding.with_file(task.name)]
