""".xls and WPS .et returns: converted once per batch by LibreOffice, checked like their .xlsx twins;
scored formula-free from their saved values without LibreOffice; an error when nothing can read them."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests.batch.legacy_corpus import make_legacy_twins, make_return, make_returns
from xlperf import libreoffice
from xlperf.batch import legacy
from xlperf.batch.runner import RunOptions, run_batch
from xlperf.batch.task import CheckOptions

needs_lo = pytest.mark.skipif(libreoffice.soffice() is None, reason=libreoffice.INSTALL_HINT)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _results(out: Path) -> dict[str, dict]:
    return {f["file"]: f for f in json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]}


def _findings(entry: dict, drop: str = "") -> list[tuple]:
    return [(f["code"], f["severity"], f["sheet"], f["cell"], f["message"]) for f in entry["findings"] if f["code"] != drop]


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    if libreoffice.soffice() is None:
        pytest.skip(libreoffice.INSTALL_HINT)
    folder = tmp_path_factory.mktemp("returns")
    return folder, make_legacy_twins(make_returns(folder), folder)


@pytest.fixture(scope="module")
def checked(twins, tmp_path_factory):
    folder, _ = twins
    before = _digest(folder)
    out = tmp_path_factory.mktemp("out")
    batch = run_batch([folder], CheckOptions(), RunOptions(out, jobs=2))
    return out, batch, before


def test_legacy_twins_give_the_xlsx_totals_and_findings(twins, checked):
    _, names = twins
    out, _, _ = checked
    results = _results(out)
    for legacy_name, source in names.items():
        got, want = results[legacy_name], results[source.name]
        assert (got["status"], got["total"], got["stated_total"], got["grade"], got["level_totals"]) == \
               (want["status"], want["total"], want["stated_total"], want["grade"], want["level_totals"]), legacy_name
        assert _findings(got, drop="file-converted") == _findings(want), legacy_name
        converted = [f for f in got["findings"] if f["code"] == "file-converted"]
        assert len(converted) == 1 and converted[0]["severity"] == "info"
        assert (".et (WPS)" if legacy_name.endswith(".et") else ".xls (Excel 97-2003)") in converted[0]["message"]


def test_defects_are_found_in_legacy_copies_at_their_cells(checked):
    out, _, _ = checked
    results = _results(out)
    assert ("cached-value-mismatch", "评分表", "G10") in [(f["code"], f["sheet"], f["cell"])
                                                      for f in results["stale_cache.xls"]["findings"]]
    assert ("formula-missing", "评分表", "G9") in [(f["code"], f["sheet"], f["cell"])
                                                for f in results["typed_over.xls"]["findings"]]
    for clean in ("clean_a.xls", "clean_b.xls", "clean_a_wps.et", "clean_a_renamed.xlsx"):
        assert results[clean]["status"] == "ok" and results[clean]["counts"] == {"error": 0, "warning": 0, "info": 1}


def test_originals_unchanged_and_copies_removed(twins, checked):
    folder, _ = twins
    out, batch, before = checked
    assert _digest(folder) == before
    assert not (out / legacy.FOLDER).exists() and batch.files == 14


@needs_lo
def test_saved_values_kept_although_libreoffice_recalculates(tmp_path):
    from xlperf.workbook.legacy_values import adopt_saved_values
    from xlperf.workbook.view import open_view

    src = make_return(tmp_path / "stale.xlsx", "某单位", {("cached", "培训场次"): 3})
    xls = libreoffice.convert([src], tmp_path / "xls", "xls", timeout=180).output(src)
    made = legacy.convert_all({str(xls): ".xls (Excel 97-2003)"}, tmp_path / "conv", 120)[str(xls)][0]
    view, twin = open_view(made), open_view(src)
    assert view.grid("评分表").get(8, 7) == 20  # LibreOffice recalculated the stale 3 on load
    assert adopt_saved_values(view, str(xls)) == 1
    for name in twin.sheet_names:
        assert view.grid(name).values == twin.grid(name).values, name


@needs_lo
def test_a_chunk_past_its_limit_is_retried_file_by_file(tmp_path, monkeypatch):
    files = [make_return(tmp_path / f"r{i}.xlsx", f"单位{i}") for i in range(3)]
    xls = [str(p) for p in libreoffice.convert(files, tmp_path / "xls", "xls", timeout=180).outputs.values()]
    monkeypatch.setattr(legacy, "CHUNK_START", 0.05)  # no LibreOffice starts that fast: the chunk is killed
    monkeypatch.setattr(legacy, "CHUNK_PER_FILE", 0.0)
    made = legacy.convert_all(dict.fromkeys(xls, ".xls (Excel 97-2003)"), tmp_path / "conv", 120)
    assert all(out and Path(out).is_file() and reason == "" for out, reason in made.values())


@needs_lo
def test_a_file_past_its_own_limit_is_scored_from_its_values(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    src = make_return(tmp_path / "twin.xlsx", "某单位")
    libreoffice.convert([src], folder, "xls", timeout=180)
    monkeypatch.setattr(legacy, "CHUNK_START", 0.05)
    monkeypatch.setattr(legacy, "CHUNK_PER_FILE", 0.0)
    monkeypatch.setattr(legacy, "SINGLE_LIMIT", 0.0)
    run_batch([folder], CheckOptions(), RunOptions(tmp_path / "out", jobs=1, timeout=None))
    entry = _results(tmp_path / "out")["twin.xls"]
    assert entry["status"] == "ok" and entry["total"] == 98.24
    assert [f["code"] for f in entry["findings"]] == ["formulas-not-checked"]
    assert "LibreOffice 转换超时" in entry["findings"][0]["message"]


def test_without_libreoffice_values_are_scored_formula_free(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    twin = make_return(tmp_path / "typed.xlsx", "某单位", {("typed", "培训合格率"): 15})
    _legacy_copy(twin, folder / "typed.xls")
    monkeypatch.setattr(libreoffice, "soffice", lambda: None)
    batch = run_batch([folder], CheckOptions(), RunOptions(tmp_path / "out", jobs=1))
    entry = _results(tmp_path / "out")["typed.xls"]
    assert entry["total"] == 98.24 and entry["grade"] == "优" and entry["info"]["unit"] == "某单位"
    assert [(f["code"], f["severity"]) for f in entry["findings"]] == [("formulas-not-checked", "info")]
    assert "未安装 LibreOffice" in entry["findings"][0]["message"] and not batch.has_errors


def _legacy_copy(src: Path, target: Path) -> None:
    """An .xls of ``src``, saved by LibreOffice (the batch then runs as if it were not installed)."""
    if libreoffice.soffice() is None:
        pytest.skip(libreoffice.INSTALL_HINT)
    done = libreoffice.convert([src], target.parent / "made", "xls", timeout=180)
    shutil.move(done.output(src), target)
    shutil.rmtree(target.parent / "made")


def test_unreadable_legacy_file_is_an_error(tmp_path, monkeypatch):
    from tests.corpus import _legacy_xls

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.xls").write_bytes(_legacy_xls())  # a compound file whose Workbook stream is noise
    monkeypatch.setattr(libreoffice, "soffice", lambda: None)
    batch = run_batch([folder], CheckOptions(), RunOptions(tmp_path / "out", jobs=1))
    results = _results(tmp_path / "out")
    broken = results["broken.xls"]
    assert broken["status"] == "failed" and [f["code"] for f in broken["findings"]] == ["file-legacy-xls"]
    assert "python-calamine 也无法读取" in broken["findings"][0]["message"] and batch.has_errors


@needs_lo
def test_write_back_of_a_legacy_return_is_an_xlsx_beside_the_others(tmp_path):
    from openpyxl import load_workbook

    folder = tmp_path / "in"
    folder.mkdir()
    src = make_return(tmp_path / "stale.xlsx", "某单位", {("cached", "培训场次"): 3})
    libreoffice.convert([src], folder, "xls", timeout=180)
    before = _digest(folder)
    run_batch([folder], CheckOptions(write_back_dir=str(tmp_path / "fixed")), RunOptions(tmp_path / "out", jobs=1))
    entry = _results(tmp_path / "out")["stale.xls"]
    assert ("cached-value-mismatch", "G8") in [(f["code"], f["cell"]) for f in entry["findings"]]
    written = tmp_path / "fixed" / "stale.xls.xlsx"
    assert load_workbook(written, data_only=True)["评分表"]["G8"].value == 20 and _digest(folder) == before
