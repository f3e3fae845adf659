"""``xlperf score REPORT.docx`` on the two published reports rebuilt as Word documents, and on edited copies:
the score table read through the workbook reader, the report checked against itself."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from tests.reports import seed_reports
from xlperf.cli import main
from xlperf.errors import XlperfError
from xlperf.reports.docx_document import read_report
from xlperf.reports.score_report import score_report

pytestmark = pytest.mark.skipif(not seed_reports.available(), reason=f"seed reports not found in {seed_reports.SHARED}")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seeds")
    return {name: seed_reports.build(name, folder) for name in ("yantian", "dapeng")}


def codes(result, prefix: str = "report-") -> list[str]:
    return [f.code for f in result.findings if f.code.startswith(prefix)]


def edited(source: Path, target: Path, old: str, new: str) -> Path:
    """A copy of a report with one paragraph's words changed, as a clerk would in Word."""
    document = docx.Document(str(source))
    hits = [p for p in document.paragraphs if old in p.text]
    assert len(hits) == 1, (old, len(hits))
    for run in hits[0].runs:
        run.text = run.text.replace(old, new)
    document.save(str(target))
    return target


def edited_cell(source: Path, target: Path, old: str, new: str) -> Path:
    document = docx.Document(str(source))
    cells = {id(c._tc): c for t in document.tables for row in t.rows for c in row.cells if c.text.strip() == old}
    assert len(cells) == 1, (old, len(cells))
    next(iter(cells.values())).text = new
    document.save(str(target))
    return target


def test_yantian_tables_are_read_as_published(seeds):
    report = read_report(seeds["yantian"])
    labels = [t.label for t in report.tables]
    assert labels[:4] == ["表1-1", "表格2", "表2-1", "表3-1"]
    score = report.tables[3]
    assert score.grid.max_row == 37  # header + 36 rows: the part after the page break joined, its header dropped
    assert score.place(2) == ("表3-1", 2) and score.place(32) == ("表3-1（续）", 2)
    assert (2, 1, 7, 1) in score.grid.merged  # 决策 merged over its six rows (vMerge)


def test_yantian_scores_and_its_contradictions(seeds):
    result = score_report(seeds["yantian"])
    ev = result.evaluation
    assert ev.stated_sum == Decimal("98.47") and ev.table.sheet == "表3-1"
    assert codes(result) == ["report-rate-table-mismatch", "report-target-conflict"]
    rate = next(f for f in result.findings if f.code == "report-rate-table-mismatch")
    assert (rate.sheet, rate.found, rate.expected) == ("正文", "99.90%", "100%")
    assert rate.params["table"] == "表3-1" and rate.params["row"] == 9 and rate.params["name"] == "预算执行率"
    message = rate.message()
    assert "实际支出 9610.81 万元，专项资金预算执行率 99.90%" in message and "（9610.81 / 9620）" in message
    target = next(f for f in result.findings if f.code == "report-target-conflict")
    assert (target.sheet, target.cell, target.found, target.expected) == ("表3-1", "第25行", "≤3%", "≤30%")
    assert (target.params["other"], target.params["other_row"]) == ("表2-1", 25)
    rule = [f for f in result.findings if f.code == "score-rule-mismatch"]
    assert [(f.sheet, f.cell) for f in rule] == [("表3-1（续）", f"第{r}行「得分」") for r in (4, 5, 6)]


def test_dapeng_scores_and_its_sentences_agree_with_its_table(seeds):
    result = score_report(seeds["dapeng"])
    ev = result.evaluation
    assert ev.table.stated_total.value == 98.37 and ev.stated_sum == Decimal("98.37") and ev.grade == "优"
    assert ev.total == Decimal("98.37")
    assert codes(result) == []
    management = next(level for name, level in ev.level1.items() if name.startswith("项目管理"))  # 项目管理（25分）
    assert len(ev.rows) == 23 and management.stated == Decimal("24.71")


def test_cli_score_reads_a_report(seeds, capsys):
    assert main(["score", str(seeds["dapeng"]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["stated_total"], data["total"], data["grade"]) == (98.37, 98.37, "优")
    assert main(["score", str(seeds["yantian"]), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["stated_total"] == 98.47
    assert main(["score", str(seeds["yantian"]), "--sheet", "表 3-1"]) == 1
    assert "report-target-conflict" in capsys.readouterr().out


def test_a_sentence_that_contradicts_the_table_is_quoted(seeds, tmp_path):
    copy = edited(seeds["dapeng"], tmp_path / "a.docx", "该指标满分 5 分，得分 4.71 分", "该指标满分 5 分，得分 4.80 分")
    copy = edited(copy, tmp_path / "b.docx", "此项扣 1 分", "此项扣 0.5 分")
    result = score_report(copy)
    assert codes(result) == ["report-deduction-mismatch", "report-sentence-mismatch"]  # in document order
    deduction, sentence = (f for f in result.findings if f.code.startswith("report-"))
    assert sentence.sheet == "正文" and sentence.found == "5 / 4.80" and sentence.expected == "5 / 4.71"
    assert sentence.params["name"] == "预算执行率" and sentence.params["table"] == "表格4（续）"
    assert "预算执行率为94.20%，预算执行率未达100%，该指标满分 5 分，得分 4.80 分。" in sentence.message()
    assert (deduction.found, deduction.expected, deduction.params["name"]) == ("0.50", "1", "绩效指标明确性")


def test_conclusion_and_level_table_contradictions(seeds, tmp_path):
    copy = edited(seeds["yantian"], tmp_path / "a.docx", "总得分为 98.47 分，评级为“优”", "总得分为 98.74 分，评级为“良”")
    copy = edited_cell(copy, tmp_path / "b.docx", "97.9%", "98.9%")
    copy = edited_cell(copy, tmp_path / "c.docx", "11.75", "11.57")
    result = score_report(copy)
    found = {(f.code, f.sheet, f.cell) for f in result.findings if f.code.startswith("report-")}
    where = f"第{next(p.number for p in read_report(copy).paragraphs if '98.74' in p.text)}段"
    assert ("report-total-mismatch", "正文", where) in found and ("report-grade-mismatch", "正文", where) in found
    assert ("report-level-mismatch", "表格6", "第2行") in found  # 社会效益 得分 11.57, its rows add up to 11.75
    level = next(f for f in result.findings if f.code == "report-level-mismatch")
    assert (level.found, level.expected, level.params["field"]) == ("11.57", "11.75", "score")
    assert "「社会效益」的得分为 11.57" in level.message()
    rate = next(f for f in result.findings if f.code == "report-rate-mismatch")
    assert (rate.sheet, rate.cell, rate.found, rate.expected) == ("表格6", "第2行", "98.9%", "96.4%")


def test_unreadable_reports_are_findings_not_tracebacks(tmp_path, capsys):
    text = tmp_path / "报告.docx"
    text.write_text("不是 Word 文档", encoding="utf-8")
    with pytest.raises(XlperfError) as caught:
        score_report(text)
    assert caught.value.finding.code == "file-docx-unreadable"
    empty = tmp_path / "空白.docx"
    docx.Document().save(str(empty))
    with pytest.raises(XlperfError) as caught:
        score_report(empty)
    assert caught.value.finding.code == "table-not-found"
    assert main(["score", str(text)]) == 2
    assert "无法作为 Word 文档" in capsys.readouterr().err


def test_sentences_about_the_whole_table_or_nothing_in_it(tmp_path):
    """'本项目满分 100 分' is checked against the table's total; a name the table does not have is reported as
    not checked (info), never as an error."""
    document = docx.Document()
    document.add_paragraph("表 3-1 评价得分情况")
    table = document.add_table(rows=3, cols=4)
    for r, values in enumerate([["三级指标", "年度指标值", "分值", "得分"], ["培训场次", "≥20场次", "60", "60"],
                                ["满意度", "≥90%", "40", "38"]]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.add_paragraph("本项目满分 100 分，得分 99 分，评价等级为“优”。")
    document.add_paragraph("宣传覆盖面（满分 5 分，得分 5 分）。")
    path = tmp_path / "r.docx"
    document.save(str(path))
    result = score_report(path)
    found = [(f.code, f.found, f.expected) for f in result.findings if f.code.startswith("report-")]
    assert found == [("report-sentence-mismatch", "100 / 99", "100 / 98"), ("report-sentence-unmatched", None, None)]
