"""A bureau's indicator table (.csv / .xlsx) becomes a template; a bad table gets a Chinese error naming row and column."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import xlperf
from examples import casebook
from tests.template.filling import write_indicator_csv
from xlperf.core.frameworks import load_framework
from xlperf.template.builder import make_workbook
from xlperf.template.indicators import IndicatorError, framework_from_indicators
from xlperf.template.plan import plan_rows

HEAD = "一级指标,二级指标,三级指标,分值,指标值"
DAPENG = casebook.load_case("dapeng_2024")


def csv(tmp_path, *lines: str, encoding: str = "utf-8-sig"):
    path = tmp_path / "指标.csv"
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def test_dapeng_rows_make_the_dapeng_template(tmp_path):
    fw = framework_from_indicators(write_indicator_csv(DAPENG, tmp_path / "大鹏.csv"))
    bundled = load_framework("dapeng")
    assert fw.id == "indicators:大鹏" and fw.name == "大鹏（绩效评价评分表）"
    assert [(p.method, p.target, p.nature, p.unit) for p in plan_rows(fw)] == \
        [(p.method, p.target, p.nature, p.unit) for p in plan_rows(bundled)]
    ws = make_workbook(fw, "excel")["评分表"]
    assert ws["K18"].value == make_workbook(bundled, "excel")["评分表"]["K18"].value


def test_xlsx_with_merged_levels_synonyms_and_percentages(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某项目绩效目标申报表"])
    ws.append(["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "权重", "评分标准"])
    ws.append(["产出指标", "数量指标", "培训人次", "≥", 300, "人次", 60, "每少 1% 扣 0.6 分"])
    ws.append([None, "质量指标", "合格率", "≥", 0.95, None, 30, None])
    ws.append(["满意度指标", None, "满意度", "≥", 0.9, None, 10, None])
    for r in (4, 5):
        ws[f"E{r}"].number_format = "0%"
    ws.merge_cells("A3:A4")
    path = tmp_path / "申报表.xlsx"
    wb.save(path)
    fw = framework_from_indicators(path, name="培训项目")
    rows = [(i.level1, i.level2, i.level3, i.weight, i.target, i.nature, i.unit) for i in fw.indicators]
    assert rows == [("产出指标", "数量指标", "培训人次", Decimal(60), "300", "≥", "人次"),
                    ("产出指标", "质量指标", "合格率", Decimal(30), "95%", "≥", ""),
                    ("满意度指标", "质量指标", "满意度", Decimal(10), "90%", "≥", "")]
    assert fw.indicators[0].criteria == "每少 1% 扣 0.6 分" and fw.name == "培训项目"
    sheet = make_workbook(fw, "excel")["评分表"]
    assert "每少 1% 扣 0.6 分" in sheet["C4"].comment.text
    assert (sheet["G5"].value, sheet["G5"].number_format) == (0.95, "0%")


def test_gbk_csv_is_read(tmp_path):
    path = csv(tmp_path, HEAD, "产出,数量,培训人次,100,≥300人次", encoding="gbk")
    assert framework_from_indicators(path).indicators[0].level3 == "培训人次"


def test_framework_file_is_taken_as_it_is():
    path = Path(xlperf.__file__).parent / "data" / "frameworks" / "dapeng.toml"
    assert framework_from_indicators(path).id == "dapeng"


@pytest.mark.parametrize("lines, message", [
    ((HEAD, "产出,数量,培训人次,三分,≥300人次"), "第 2 行「分值」列：「三分」不是数字"),
    ((HEAD, "产出,数量,培训人次,-5,≥300人次", "产出,数量,x,105,1"), "第 2 行「分值」列：「-5」应为不小于 0 的数字"),
    (("一级指标,二级指标,三级指标,指标值", "产出,数量,培训人次,≥300人次"), "表头须包含 一级指标、二级指标、三级指标、分值、指标值"),
    ((HEAD + ",指标性质", "产出,数量,培训人次,100,300,大于"), "第 2 行「指标性质」列：「大于」无法识别"),
    ((HEAD + ",评分方法", "产出,数量,培训人次,100,300,随便"), "第 2 行「评分方法」列：「随便」无法识别"),
    ((HEAD, ",数量,培训人次,100,300"), "第 2 行「一级指标」列为空"),
    ((HEAD, "产出,数量,,100,300"), "第 2 行「三级指标」列为空"),
    ((HEAD, "产出,数量,培训人次,50,300", "产出,数量,培训人次,50,300"), "第 3 行「三级指标」列：「培训人次」与第 2 行重复"),
    ((HEAD, "产出,数量,培训人次,90,300"), "各行「分值」合计为 90，应为 100"),
    ((HEAD,), "表头下没有指标行"),
])
def test_bad_tables_name_row_and_column(tmp_path, lines, message):
    with pytest.raises(IndicatorError, match=message):
        framework_from_indicators(csv(tmp_path, *lines))


def test_unusable_files(tmp_path):
    with pytest.raises(IndicatorError, match="文件不存在"):
        framework_from_indicators(tmp_path / "无.csv")
    other = tmp_path / "指标.docx"
    other.write_bytes(b"x")
    with pytest.raises(IndicatorError, match=".csv 或 .xlsx"):
        framework_from_indicators(other)
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(IndicatorError, match="坏.xlsx：不是 Excel 工作簿"):
        framework_from_indicators(broken)
    garbled = tmp_path / "乱.xlsx"  # a package the checker accepts whose workbook part openpyxl cannot read
    with zipfile.ZipFile(garbled, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook")
    with pytest.raises(IndicatorError, match="无法作为 .xlsx 打开"):
        framework_from_indicators(garbled)


def test_a_zip_bomb_is_refused_before_openpyxl_inflates_it(tmp_path, monkeypatch):
    """The indicator list is sniffed with the checker's package limits first (300 MB of one sheet, 0.3 MB
    on disk): openpyxl is never called."""
    import openpyxl

    bomb = tmp_path / "指标.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
        package.writestr("xl/worksheets/sheet1.xml", "<" + " " * (300 * 2**20) + "/>")
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl opened the bomb"))
    with pytest.raises(IndicatorError, match="指标.xlsx：.*压缩炸弹"):
        framework_from_indicators(bomb)
