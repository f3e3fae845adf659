"""The results store: ``xlperf check --db`` keeps every file, ``xlperf history`` shows two years side by side."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.server.returns import make_two_years
from xlperf.store.db import Batch, ResultsStore, year_of
from xlperf.store.history import project_key


def xlperf(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlperf", *args], capture_output=True, text=True, encoding="utf-8",
                          timeout=600)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    root = tmp_path_factory.mktemp("years")
    folders = make_two_years(root / "in")
    db = root / "results.sqlite3"
    for year, folder in folders.items():
        done = xlperf("check", str(folder), "--out", str(root / f"out{year}"), "--jobs", "1", "--db", str(db))
        assert done.returncode in (0, 1), done.stderr
    return db


def test_check_db_keeps_every_file(two_years):
    store = ResultsStore(str(two_years))
    rows = store.rows()
    assert len(rows) == 4 and {r["year"] for r in rows} == {2023, 2024}
    assert all(len(r["file_hash"]) == 64 and r["source"] == "cli" for r in rows)
    tampered = [r for r in rows if r["file"] == "大鹏.xlsx"]
    assert all(("formula-missing", "K18") in {(f["code"], f["cell"]) for f in r["findings"]} for r in tampered)
    assert store.counts()[1] == sum(r["errors"] + r["warnings"] + r["infos"] for r in rows)


def test_history_shows_two_years_side_by_side(two_years):
    shown = xlperf("history", "--db", str(two_years))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert "2023年 总分" in lines[0] and "2024年 总分" in lines[0]
    dapeng = next(line for line in lines[1:] if "大鹏" in line and not line.startswith("  "))
    assert dapeng.count("优") == 2 and "98.37" in dapeng  # 2024 recomputed total, beside 2023's
    assert any("反复出现" in line and "formula-missing" in line for line in lines)
    data = json.loads(xlperf("history", "--db", str(two_years), "--json", "--project", "大鹏").stdout)
    assert data["years"] == [2023, 2024] and len(data["projects"]) == 1
    totals = {y["year"]: y["total"] for y in data["projects"][0]["years"]}
    assert totals[2024] == 98.37 and totals[2023] == 97.87  # 2023: 立项依据充分性 judged 2.5 of 3


def test_batch_is_one_transaction(tmp_path):
    store = ResultsStore(str(tmp_path / "s.sqlite3"))
    good = {"file": "a.xlsx", "status": "ok", "counts": {}, "findings": [{"code": "x", "severity": "error"}]}
    with pytest.raises(KeyError):
        store.record([good, {"status": "ok"}], Batch("cli", "b1"), {})  # the second entry has no file
    assert store.counts() == (0, 0)


@pytest.mark.parametrize("given, year", [(2024, 2024), (2024.0, 2024), ("2023年", 2023), ("2022年度", 2022),
                                         ("", None), (None, None), ("第三季度", None)])
def test_year_of(given, year):
    assert year_of(given) == year


def test_project_key_ignores_years_and_spaces():
    assert project_key("某区 2023 年度人才资金") == project_key("某区2024年度人才资金") == "某区人才资金"


def test_store_and_cli_do_not_import_the_web_stack():
    code = ("import sys, xlperf.store.db, xlperf.store.record, xlperf.store.history, xlperf.commands.history, xlperf.cli;"
            "xlperf.cli.build_parser();"
            "print([m for m in ('starlette', 'uvicorn', 'jinja2', 'multipart', 'sqlalchemy') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['sqlalchemy']"  # the store's own engine, loaded by xlperf.store.db only


def test_unreachable_store_is_one_clear_line(tmp_path):
    shown = xlperf("history", "--db", "postgresql+psycopg://xlperf:secret@127.0.0.1:9/none")
    assert shown.returncode == 2 and "结果库无法打开" in shown.stderr and "secret" not in shown.stderr
    assert "Traceback" not in shown.stderr
