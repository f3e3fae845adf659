"""``xlperf report``: the 大鹏 template filled with its case → a Word report whose tables and text hold the
core's numbers, in Chinese fonts, that checks clean when read back; the 汇总 of a batch."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from examples import casebook
from tests import corpus
from xlperf.cli import main
from xlperf.reports import template as report_template
from xlperf.reports.score_report import score_report

RATES = ["93.33%", "98.84%", "99.15%", "100.00%"]


def _score_text(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


@pytest.fixture(scope="module")
def dapeng_book(tmp_path_factory) -> Path:
    """The 大鹏 template filled with the published case, saved with its cached values (as Excel would)."""
    return corpus.finish(corpus.filled("dapeng", "dapeng_2024"), tmp_path_factory.mktemp("book") / "大鹏.xlsx")


@pytest.fixture(scope="module")
def dapeng_report(dapeng_book, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    assert main(["report", str(dapeng_book), "--out", str(out)]) == 0
    return out / "大鹏_评价报告.docx"


def _rows(table) -> list[list[str]]:
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


def test_score_table_holds_every_row_total_and_grade(dapeng_report):
    document = docx.Document(str(dapeng_report))
    rows = _rows(document.tables[0])
    assert rows[0] == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    case = casebook.load_case("dapeng_2024")
    body = {row[2]: row for row in rows[1:-2]}
    for expected in case["rows"]:
        assert body[expected["level3"]][6] == _score_text(expected["score"]), expected["level3"]
    assert [r[2] for r in rows[1:4]] == ["立项依据充分性", "立项程序规范性", "绩效目标合理性"]
    assert {"3.89", "4.71", "3.77"} <= {row[6] for row in rows}
    assert rows[-2][0] == "合计" and rows[-2][-2:] == ["100", "98.37"]
    assert rows[-1][0] == "评价等级" and rows[-1][-1] == "优"


def test_level_cells_are_merged_as_published(dapeng_report):
    table = docx.Document(str(dapeng_report)).tables[0]
    first = table.rows[1].cells[0]._tc
    assert first.vMerge == "restart" and first.grid_span == 1
    assert all(table.rows[r].cells[0]._tc is first for r in range(1, 7))  # 项目决策 spans its six rows
    assert table.rows[7].cells[0]._tc is not first and table.rows[7].cells[0].text == "项目管理"
    assert table.rows[1].cells[1]._tc is table.rows[2].cells[1]._tc  # 项目立项 over its two rows
    assert table.rows[3].cells[1]._tc is not table.rows[2].cells[1]._tc


def test_one_level_table_per_level1_with_rates(dapeng_report):
    tables = docx.Document(str(dapeng_report)).tables[1:]
    assert len(tables) == 4
    totals = [_rows(t)[-1] for t in tables]
    assert [row[0] for row in totals] == ["合计"] * 4
    assert [row[-1] for row in totals] == RATES
    assert [row[-2] for row in totals] == ["14", "24.71", "39.66", "20"]
    assert _rows(tables[1])[1][1:] == ["资金管理", "15", "14.71", "98.07%"]


def test_text_states_the_conclusion_each_indicator_and_the_problems(dapeng_report):
    text = [p.text for p in docx.Document(str(dapeng_report)).paragraphs]
    joined = "\n".join(text)
    assert "三、综合评价情况及评价结论" in text and "四、绩效评价指标分析" in text
    assert "总得分为 98.37 分，评级为“优”" in joined
    assert "（一）项目决策情况" in text and "项目决策满分 15 分，得分 14 分，得分率 93.33%。" in text
    budget = next(p for p in text if p.startswith("预算执行率（满分 5 分，得分 4.71 分）"))
    assert "实际支出 2747.33 万元 ÷ 实际到位资金 2916.35 万元" in budget and "5 × 94.20% = 4.71 分" in budget
    assert "该项扣 0.29 分，扣分原因：本项目全年预算数为 2,916.35 万元" in budget
    youth = next(p for p in text if p.startswith("新引进优秀青年人才生活补贴发放人数（满分 4 分，得分 3.89 分）"))
    assert "4 × 68 ÷ 70 = 3.89 分" in youth
    problems = [p for p in text if "一项扣" in p]
    assert [p.split("一项扣")[0] for p in problems] == ["（一）绩效指标明确性", "（二）预算执行率",
                                                   "（三）新引进优秀青年人才生活补贴发放人数", "（四）成本控制率"]


def test_styles_name_chinese_fonts_for_east_asian_text(dapeng_report):
    styles = docx.Document(str(dapeng_report)).styles
    east = {name: styles[name].element.rPr.rFonts.get(qn("w:eastAsia")) for name in ("Normal", "Heading 1", "表格文字")}
    assert east == {"Normal": "仿宋", "Heading 1": "黑体", "表格文字": "宋体"}
    assert styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsiaTheme")) is None


def test_generated_report_reads_back_clean(dapeng_report):
    """A report xlperf wrote raises no finding on its sentences or sub-tables when xlperf reads it."""
    result = score_report(dapeng_report)
    assert [f.code for f in result.findings if f.code.startswith("report-")] == []
    assert str(result.evaluation.total) == "98.37" and result.evaluation.grade == "优"


def test_shipped_templates_are_what_the_builder_makes(tmp_path):
    """Every part of each shipped template is what the builder writes (compared unpacked: zlib may differ)."""
    for path in report_template.build_all(tmp_path):
        shipped = report_template.TEMPLATE_DIR / path.name
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(shipped) as old:
            assert old.testzip() is None and new.namelist() == old.namelist()
            for part in new.namelist():
                assert new.read(part) == old.read(part), f"{path.name} {part}: run python -m xlperf.reports.template"


def test_an_edited_template_is_used_and_a_broken_one_is_reported(dapeng_book, tmp_path, capsys):
    assert main(["report", "--save-template", str(tmp_path / "tpl")]) == 0
    edited = tmp_path / "tpl" / "evaluation_report.docx"
    document = docx.Document(str(edited))
    document.add_paragraph("本报告由区财政局绩效科复核。总分 {{ total }}")
    document.save(str(edited))
    assert main(["report", str(dapeng_book), "--out", str(tmp_path / "out"), "--template", str(edited)]) == 0
    text = [p.text for p in docx.Document(str(tmp_path / "out" / "大鹏_评价报告.docx")).paragraphs]
    assert text[-1] == "本报告由区财政局绩效科复核。总分 98.37"
    document.add_paragraph("{{ unclosed ")
    document.save(str(edited))
    assert main(["report", str(dapeng_book), "--out", str(tmp_path / "bad"), "--template", str(edited)]) == 2
    assert "报告模板有误" in capsys.readouterr().err


def test_batch_writes_the_summary_with_ranking_chart_and_errors(dapeng_book, tmp_path):
    yantian = casebook.build(casebook.load_case("yantian_2024"), tmp_path / "in" / "盐田.xlsx")
    broken = tmp_path / "in" / "损坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken")
    out = tmp_path / "out"
    assert main(["report", str(dapeng_book), str(yantian), str(broken), "--out", str(out)]) == 1
    summary = docx.Document(str(out / "汇总报告.docx"))
    ranking, grades, errors = (_rows(t) for t in summary.tables)
    assert [row[3] for row in ranking[1:]] == ["98.70", "98.37"] and ranking[1][5] == "优"
    assert ranking[1][4] == "98.47"  # the total the 盐田 table states, beside xlperf's
    assert grades[1] == ["优", "2", "100.00%"] and grades[-1] == ["合计", "2", "100.00%"]
    assert [row[0] for row in errors[1:]] == ["盐田.xlsx", "损坏.xlsx"]
    assert "文件已损坏" in errors[2][2]
    assert len(summary.inline_shapes) == 1
    assert (out / "评级分布.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.dumps(sorted(p.name for p in out.iterdir()), ensure_ascii=False) == json.dumps(
        ["大鹏_评价报告.docx", "汇总报告.docx", "盐田_评价报告.docx", "评级分布.png"], ensure_ascii=False)


def test_a_rate_the_budget_contradicts_is_printed_as_scored_and_as_typed(tmp_path):
    """盐田's table types 预算执行率 100 %; its budget gives 99.90 %: the report prints the rate it scored, says
    what was typed, and so reads back without contradicting itself."""
    book = casebook.build(casebook.load_case("yantian_2024"), tmp_path / "盐田.xlsx")
    assert main(["report", str(book), "--out", str(tmp_path / "out")]) == 1  # the table's own errors
    report = tmp_path / "out" / "盐田_评价报告.docx"
    document = docx.Document(str(report))
    row = next(r for r in _rows(document.tables[0]) if r[2] == "预算执行率")
    assert row[3:] == ["100%", "99.90%", "5", "5"]
    text = next(p.text for p in document.paragraphs if p.text.startswith("预算执行率（"))
    assert "实际完成值 99.90%（评分表填报为 100%）" in text and "9610.81 万元 ÷ 实际到位资金 9620 万元" in text
    assert [f.code for f in score_report(report).findings if f.code.startswith("report-")] == []
