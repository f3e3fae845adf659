"""Word tables into grids: merges as Word and LibreOffice write them, continued tables, captions."""

from __future__ import annotations

import copy

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tests.reports import seed_reports
from xlperf import libreoffice
from xlperf.reports.docx_document import read_report
from xlperf.reports.score_report import score_report


def _table(document, rows):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    return table


def _bare_vmerge(table, row: int, col: int) -> None:
    """A continuation cell written as Word writes it: <w:vMerge/> without a value."""
    tc = table.rows[row].cells[col]._tc
    tcpr = tc.get_or_add_tcPr()
    tcpr.append(OxmlElement("w:vMerge"))
    restart = table.rows[row - 1].cells[col]._tc.get_or_add_tcPr()
    if restart.find(qn("w:vMerge")) is None:
        flag = OxmlElement("w:vMerge")
        flag.set(qn("w:val"), "restart")
        restart.append(flag)
    for paragraph in tc.findall(qn("w:p")):
        for run in paragraph.findall(qn("w:r")):
            paragraph.remove(run)


def test_merges_spans_and_a_continued_table(tmp_path):
    document = docx.Document()
    document.add_paragraph("表 3-1 某项目评价得分情况")
    header = ["一级指标", "二级指标", "三级指标", "分值", "得分"]
    first = _table(document, [header, ["决策", "项目立项", "立项依据充分性", "3", "3"],
                              ["决策", "项目立项", "立项程序规范性", "2", "1.5"]])
    _bare_vmerge(first, 2, 0)
    _bare_vmerge(first, 2, 1)
    document.add_paragraph("续表 3-1")
    second = _table(document, [header, ["产出", "产出数量", "培训场次", "95", "95"], ["合计", "", "", "100", "99.5"]])
    second.cell(2, 0).merge(second.cell(2, 2))
    path = tmp_path / "r.docx"
    document.save(str(path))
    report = read_report(path)
    assert [t.label for t in report.tables] == ["表3-1"]
    grid = report.tables[0].grid
    assert (2, 1, 3, 1) in grid.merged and (2, 2, 3, 2) in grid.merged and (5, 1, 5, 3) in grid.merged
    assert grid.get(3, 1) is None and grid.get(3, 4) == 2 and grid.get(3, 5) == 1.5
    assert report.tables[0].place(4) == ("表3-1（续）", 2)
    result = score_report(path)
    assert [(r.indicator.level1, r.indicator.level3) for r in result.evaluation.rows] == [
        ("决策", "立项依据充分性"), ("决策", "立项程序规范性"), ("产出", "培训场次")]
    assert str(result.evaluation.stated_sum) == "99.50"


def test_cells_shifted_by_grid_before(tmp_path):
    document = docx.Document()
    table = _table(document, [["三级指标", "分值", "得分", ""], ["甲", "5", "5", ""]])
    tr = table.rows[1]._tr
    trpr = tr.get_or_add_trPr()
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    trpr.insert(0, before)
    tr.remove(tr.tc_lst[-1])
    path = tmp_path / "g.docx"
    document.save(str(path))
    grid = read_report(path).tables[0].grid
    assert [grid.get(2, c) for c in (1, 2, 3, 4)] == [None, "甲", 5, 5]


@pytest.mark.skipif(libreoffice.soffice() is None, reason=libreoffice.INSTALL_HINT)
@pytest.mark.skipif(not seed_reports.available(), reason="seed reports not found")
def test_reports_saved_by_libreoffice_read_the_same(tmp_path):
    """Both seed reports opened and saved again by LibreOffice Writer (its own merge markup) score the same."""
    sources = [seed_reports.build(name, tmp_path / "src") for name in ("yantian", "dapeng")]
    done = libreoffice.convert(sources, tmp_path / "lo", "docx:MS Word 2007 XML", timeout=300)
    for source in sources:
        saved = done.output(source)
        assert saved is not None and saved.read_bytes() != source.read_bytes()
        before, after = score_report(source), score_report(saved)
        assert after.evaluation.stated_sum == before.evaluation.stated_sum
        where = [[(f.code, f.sheet, f.cell) for f in r.findings] for r in (before, after)]
        assert where[0] == where[1]


def test_a_document_without_a_score_table_is_not_scored(tmp_path):
    document = docx.Document()
    _table(document, [["项目名称", "年初预算数"], ["人才发展专项资金", "3,056.28"]])
    path = tmp_path / "n.docx"
    document.save(str(path))
    from xlperf.errors import XlperfError

    with pytest.raises(XlperfError):
        score_report(path)
    assert copy.copy(read_report(path).tables[0].grid.get(2, 2)) == 3056.28
