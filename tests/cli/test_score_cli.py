"""``xlperf score``: exit codes, one-line errors, languages, help with examples."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from xlperf.cli import build_parser, main


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlperf", *args], capture_output=True, text=True, encoding="utf-8")


def test_clean_table_exits_zero(case_book):
    result = run_cli("score", str(case_book("dapeng_2024")))
    assert result.returncode == 0, result.stderr
    assert "98.37" in result.stdout and "未发现问题" in result.stdout


def test_error_findings_exit_one_and_english(case_book):
    result = run_cli("score", str(case_book("yantian_2024")), "--lang", "en")
    assert result.returncode == 1
    assert "differs from 1.66 given by the proportional rule" in result.stdout or "given by" in result.stdout


@pytest.mark.parametrize("make, reason", [
    (lambda p: p.write_text("not a workbook", encoding="utf-8"), "不是"),
    (lambda p: None, "不存在"),
])
def test_unreadable_input_exits_two_without_traceback(tmp_path, make, reason):
    path = tmp_path / "bad.xlsx"
    make(path)
    result = run_cli("score", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and reason in result.stderr


def test_workbook_without_table(tmp_path):
    import openpyxl

    path = tmp_path / "empty.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "别的表"
    wb.save(path)
    result = run_cli("score", str(path), "--lang", "en")
    assert result.returncode == 2 and "No indicator table" in result.stderr


def test_corrupt_zip(tmp_path):
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook")
    result = run_cli("score", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["score"], ["score", "x.xlsx", "--framework", "nope"],
                                  ["score", "x.xlsx", "--split", "决策过程40"], ["score", "x.xlsx", "--grades", "优"]])
def test_bad_usage_exits_two(args, capsys, tmp_path):
    with pytest.raises(SystemExit) as exc_info:
        code = main(args)
        raise SystemExit(code)
    assert exc_info.value.code == 2


def test_json_shape(case_book, capsys):
    main(["score", str(case_book("dapeng_2024")), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"file", "sheet", "indicators", "level_totals", "budget", "stated_total", "total",
                         "stated_grade", "grade", "findings"}
    assert set(data["indicators"][0]) >= {"row", "level1", "level2", "level3", "weight", "target", "actual",
                                          "method", "stated_score", "score"}
    assert set(next(iter(data["level_totals"].values()))) >= {"weight", "stated_score", "score"}


def test_every_command_has_help_and_example():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():
        help_text = command.format_help()
        assert command.description, name
        assert "示例" in help_text or "example" in help_text.lower(), name


def test_score_formula_matching_no_rule_is_printed(tmp_path):
    """A form whose score cell holds its own formula that is none of the rules: printed, not a crash."""
    import xlsxwriter

    path = tmp_path / "own_formula.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("自评表")
    for col, text in enumerate(("一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "得分", "扣分说明")):
        sheet.write_string(0, col, text)
    sheet.write_row(1, 0, ("产出指标", "数量指标", "培训人数", 100, "≥100人", "95人"))
    sheet.write_formula(1, 6, "=ROUND(D2*0.9,2)", None, 90)
    sheet.write_string(1, 7, "培训人数未达标")
    book.close()
    result = run_cli("score", str(path))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert "score-formula-unrecognised" in result.stdout and "90.00" in result.stdout
