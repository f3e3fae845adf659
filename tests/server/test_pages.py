"""The pages in a real browser: a unit checks a correct and a tampered workbook, the bureau checks
50 returns and downloads 汇总.xlsx, the history page shows two years and draws its chart.

Screenshots go to ``$XLPERF_SCREENSHOTS`` when set (``docs/`` holds the ones taken so), else to the
test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import openpyxl

from tests.server.conftest import bureau_login
from tests.server.returns import make_two_years


def shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("XLPERF_SCREENSHOTS") or tmp_path)
    page.screenshot(path=str(folder / name), full_page=True)


def upload_unit(page, server, path: Path) -> None:
    page.goto(server.url + "/")
    with page.expect_navigation(url=lambda url: "/r/" in url):
        page.set_input_files("#file", str(path))  # the page submits as soon as a file is chosen


def test_unit_correct_workbook(page, server, unit_files, tmp_path):
    upload_unit(page, server, unit_files["clean"])
    assert page.inner_text("#total") == "98.37"
    assert page.inner_text("#grade") == "优"
    assert "未发现问题" in page.inner_text("#verdict")
    assert page.locator("#findings tr").count() == 0
    with page.expect_download() as download:  # the evaluation report, written by xlperf.reports
        page.click("#report")
    saved = tmp_path / "report.docx"
    download.value.save_as(saved)
    import docx

    cells = {cell.text for table in docx.Document(str(saved)).tables for row in table.rows for cell in row.cells}
    assert {"98.37", "优", "3.89", "4.71"} <= cells


def test_unit_tampered_workbook_shows_finding_at_its_cell(page, server, unit_files, tmp_path):
    upload_unit(page, server, unit_files["tampered"])
    assert page.inner_text("#total") == "98.37"  # recomputed from the rules, not the overwritten 4
    rows = page.locator("#findings tr[data-cell='K18']")
    codes = {rows.nth(i).get_attribute("data-code") for i in range(rows.count())}
    assert {"formula-missing", "score-rule-mismatch"} <= codes
    text = page.locator("#findings tr[data-code='formula-missing']").inner_text()
    assert "「评分表」K18" in text and "请恢复公式" in text
    with page.expect_download() as download:
        page.click("#corrected")
    saved = tmp_path / "corrected.xlsx"
    download.value.save_as(saved)
    assert openpyxl.load_workbook(saved)["评分表"]["K18"].value == 4  # the user's value kept, cache corrected
    shot(page, tmp_path, "server_unit.png")


def test_unit_published_workbook(page, server, unit_files):
    upload_unit(page, server, unit_files["dapeng"])
    assert page.inner_text("#total") == "98.37" and page.inner_text("#grade") == "优"


def test_bureau_checks_fifty_files_and_offers_summary(page, server, bureau_folder, tmp_path):
    files = sorted(bureau_folder.iterdir())
    assert len(files) == 50
    page.goto(server.url + "/bureau")
    page.set_input_files("#files", [str(p) for p in files])
    page.click("#start")
    page.wait_for_selector("#summary-xlsx", timeout=180_000)  # the progress page refreshes until done
    assert page.inner_text("#file-count") == "50"
    returned = page.locator("#returns tr").all_inner_texts()[1:]
    assert any("损坏文件" in row for row in returned) and any("K18" in row for row in returned)
    assert not any(row.startswith(("01_", "02_")) for row in returned)  # clean returns are not sent back
    assert page.locator("svg[aria-label='等级分布'] rect").count() == 5
    shot(page, tmp_path, "server_bureau.png")
    with page.expect_download() as download:
        page.click("#summary-xlsx")
    assert download.value.suggested_filename == "汇总.xlsx"
    saved = tmp_path / "汇总.xlsx"
    download.value.save_as(saved)
    book = openpyxl.load_workbook(saved, read_only=True)
    assert book.sheetnames  # a real workbook, as xlperf check writes it


def test_bureau_progress_page_shows_counts(page, server, bureau_folder):
    bureau_login(page, server, "/bureau")  # checking a server folder needs the bureau's key
    page.fill("#server_folder", str(bureau_folder))
    page.click("#start")
    assert "/b/" in page.url
    page.wait_for_selector("#summary-xlsx, #bar", timeout=60_000)
    page.wait_for_selector("#summary-xlsx", timeout=180_000)
    assert page.inner_text("#file-count") == "50"


def test_history_page_shows_two_years_with_a_chart(page, server, tmp_path):
    for year, folder in make_two_years(tmp_path / "years").items():
        files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in sorted(folder.iterdir())]
        assert httpx.post(server.url + "/api/check", files=files, timeout=300).status_code == 200
    page.goto(server.url + "/history")
    assert "/login" in page.url  # other units' results: the bureau's key first
    page.fill("#key", "猜的")
    page.click("#login")
    assert page.inner_text("#error") == "口令不正确。"
    bureau_login(page, server, "/history?unit=某区人才服务中心")
    assert page.locator("#history th").all_inner_texts()[2:4] == ["2023", "2024"]
    assert page.locator("#history td.year").all_inner_texts()[0].startswith("99.80 优")
    page.goto(server.url + "/history")
    dapeng = page.locator("#history tr", has_text="大鹏新区")
    assert "formula-missing" in dapeng.inner_text() and "2023、2024" in dapeng.inner_text()
    assert page.locator("svg[aria-label='历年总分'] polyline").count() >= 2  # one line per project
    shot(page, tmp_path, "server_history.png")


def test_bureau_folder_upload_keeps_subfolders(page, server, unit_files, tmp_path):
    folder = tmp_path / "单位甲"
    (folder / "子").mkdir(parents=True)
    shutil.copyfile(unit_files["clean"], folder / "a.xlsx")
    shutil.copyfile(unit_files["tampered"], folder / "子" / "b.xlsx")
    page.goto(server.url + "/bureau")
    page.set_input_files("#folder", str(folder))  # <input webkitdirectory>: the browser sends relative paths
    page.click("#start")
    page.wait_for_selector("#summary-xlsx", timeout=120_000)
    assert page.inner_text("#file-count") == "2"
    assert page.locator("#returns tr").all_inner_texts()[1].startswith("单位甲/子/b.xlsx")
