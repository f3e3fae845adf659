"""The ribbon buttons' Python side: pure helpers, and the entry points against fake Excel objects."""

from __future__ import annotations

import sys
import types
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

import xlperf.addin.buttons as buttons
from xlperf.findings import Finding, Severity

OBRIEN = "O'Brien 表"


# --- pure helpers ---------------------------------------------------------------------------

def test_hyperlink_formula_quotes_sheet_names():
    assert buttons.sheet_reference(OBRIEN, "K12") == "'O''Brien 表'!K12"
    assert buttons.hyperlink_formula(OBRIEN, "K12") == '=HYPERLINK("#\'O\'\'Brien 表\'!K12","K12")'
    assert buttons.hyperlink_formula('评"分', "A1") == '=HYPERLINK("#\'评""分\'!A1","A1")'


def test_findings_rows():
    findings = [
        Finding("score-missing", sheet=OBRIEN, cell="K12", row=12),
        Finding("note-missing", sheet="评分表", cell="M7", expected=5, found=3),
        Finding("notes-column-missing", sheet="评分表"),
        Finding("file-corrupt", params={"detail": "zip"}),
    ]
    assert buttons.findings_rows(findings, "zh") == [
        ["错误", OBRIEN, '=HYPERLINK("#\'O\'\'Brien 表\'!K12","K12")', "score-missing", "得分为空，请填写得分。"],
        ["警告", "评分表", '=HYPERLINK("#\'评分表\'!M7","M7")', "note-missing",
         "得分 3 低于分值 5，但未填写扣分说明，请说明扣分原因。"],
        ["提示", "评分表", "", "notes-column-missing", "表格没有扣分说明列，未核对扣分说明。"],
        ["错误", "", "", "file-corrupt", "文件已损坏，无法作为 .xlsx 打开（zip）。"],
    ]
    assert buttons.findings_rows(findings[:1], "en")[0][::4] == ["error", "The score is empty; enter a score."]


def test_result_table():
    assert buttons.result_table([]) == [["未发现问题"]]
    table = buttons.result_table([Finding("score-missing", sheet="评分表", cell="K9")])
    assert table[0] == ["严重程度", "工作表", "单元格", "代码", "说明"] and len(table) == 2


def test_counts_and_summary():
    findings = [Finding("score-missing"), Finding("score-invalid"), Finding("note-missing")]
    counts = buttons.count_by_severity(findings)
    assert counts == {"error": 2, "warning": 1, "info": 0}
    assert buttons.summary_text(counts) == "错误 2 条，警告 1 条，提示 0 条"
    assert buttons.summary_text({Severity.WARNING: 4}) == "错误 0 条，警告 4 条，提示 0 条"
    assert buttons.summary_text(counts, "en") == "error: 2, warning: 1, info: 0"


def test_paths():
    folder = Path("/data/回收表")
    assert buttons.result_dir(folder, datetime(2025, 3, 9, 8, 5, 1)) == folder / "xlperf_结果_20250309_080501"
    assert buttons.snapshot_name("评价.xlsm") == "评价.xlsm"
    assert buttons.snapshot_name("工作簿1") == "工作簿1.xlsx"
    assert buttons.join_surrogates("表\ud83d\ude00") == "表😀"


def test_write_user_config_keeps_other_keys(tmp_path):
    path = buttons.write_user_config(r"C:\Python311\python.exe", home=tmp_path)
    assert path == tmp_path / ".xlperf" / "xlperf.conf"
    assert path.read_bytes() == b'"INTERPRETER_WIN","C:\\Python311\\python.exe"\r\n"UDF MODULES","xlperf.udfs"\r\n'
    path.write_bytes(path.read_bytes() + b'"SHOW CONSOLE","True"\r\n')
    buttons.write_user_config(r"D:\py\python.exe", home=tmp_path)
    assert path.read_text().splitlines() == ['"INTERPRETER_WIN","D:\\py\\python.exe"', '"UDF MODULES","xlperf.udfs"',
                                             '"SHOW CONSOLE","True"']


# --- entry points against fakes -------------------------------------------------------------

class Com:
    """Stands in for a COM object: records every attribute set and call under a dotted name."""

    def __init__(self, log: list, name: str) -> None:
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_name", name)

    def __getattr__(self, name: str) -> "Com":
        return Com(self._log, f"{self._name}.{name}")

    def __setattr__(self, name: str, value) -> None:
        self._log.append((f"{self._name}.{name}", value))

    def __call__(self, *args, **kwargs) -> "Com":
        self._log.append((self._name + "()", args))
        return Com(self._log, self._name + "()")


class FakeRange:
    def __init__(self, log: list, address) -> None:
        self._log, self._address = log, address
        self.font = Com(log, f"range{address}.font")
        self.api = Com(log, f"range{address}.api")

    def __setattr__(self, name: str, value) -> None:
        if not name.startswith("_") and name not in ("font", "api"):
            self._log.append((f"range{self._address}.{name}", value))
        object.__setattr__(self, name, value)

    def autofit(self) -> None:
        self._log.append((f"range{self._address}.autofit()", ()))


class FakeSheet:
    def __init__(self, book: "FakeBook", name: str) -> None:
        self.book, self.name, self.api = book, name, Com(book.log, f"sheet[{name}].api")

    def range(self, *address) -> FakeRange:
        return FakeRange(self.book.log, address)

    def clear(self) -> None:
        self.book.log.append((f"sheet[{self.name}].clear()", ()))

    def activate(self) -> None:
        self.book.sheets.active = self


class FakeSheets:
    def __init__(self, book: "FakeBook", names: list[str]) -> None:
        self.book, self.items = book, [FakeSheet(book, n) for n in names]
        self.active = self.items[0]

    def __iter__(self):
        return iter(self.items)

    def __getitem__(self, key):
        return self.items[key] if isinstance(key, int) else next(s for s in self.items if s.name == key)

    def add(self, name: str, after=None) -> FakeSheet:
        sheet = FakeSheet(self.book, name)
        self.items.insert(self.items.index(after) + 1, sheet)
        return sheet


class FakeApp:
    def __init__(self, log: list) -> None:
        self.log, self.screen_updating, self.api = log, True, Com(log, "app.api")
        self.books = SimpleNamespace(open=lambda path: log.append(("books.open", path)))

    def alert(self, text, title=None, mode=None) -> None:
        self.log.append(("alert", text, title, mode))


class FakeBook:
    def __init__(self, fullname: Path, sheets: list[str]) -> None:
        self.log: list = []
        self.fullname, self.name = str(fullname), fullname.name
        self.app = FakeApp(self.log)
        self.sheets = FakeSheets(self, sheets)
        self.api = SimpleNamespace(SaveCopyAs=self._save_copy_as)

    def _save_copy_as(self, path: str) -> None:
        Path(path).write_bytes(b"copy")
        self.log.append(("SaveCopyAs", path))


class FakeApi:
    def __init__(self, findings: list) -> None:
        self.findings, self.calls = findings, []

    def validate_workbook(self, path, lang="zh"):
        self.calls.append(("validate_workbook", path, lang, Path(path).read_bytes()))
        return SimpleNamespace(findings=self.findings)

    def validate_folder(self, folder, out_dir):
        self.calls.append(("validate_folder", folder, out_dir))
        return SimpleNamespace(summary_path=str(Path(out_dir) / "汇总.xlsx"), counts={"error": 3, "warning": 1})


@pytest.fixture
def excel(monkeypatch, tmp_path):
    """Install a fake xlwings whose Book.caller() is a fake book, and a fake xlperf.api."""
    def make(findings: list, saved: bool = True, sheets=("评分表",)) -> tuple[FakeBook, FakeApi]:
        path = tmp_path / "评价表.xlsx"
        if saved:
            path.write_bytes(b"saved")
        book, api = FakeBook(path, list(sheets)), FakeApi(findings)
        xlwings = types.ModuleType("xlwings")
        xlwings.Book = SimpleNamespace(caller=lambda: book)
        monkeypatch.setitem(sys.modules, "xlwings", xlwings)
        monkeypatch.setitem(sys.modules, "xlperf.api", api)
        return book, api
    return make


def _written(book: FakeBook) -> list:
    return next(entry[1] for entry in reversed(book.log) if entry[0] == "range('A1',).value")


def test_validate_this_workbook_writes_the_saved_files_findings(excel):
    book, api = excel([Finding("score-missing", sheet=OBRIEN, cell="K12")])
    buttons.validate_this_workbook()
    assert api.calls == [("validate_workbook", book.fullname, "zh", b"saved")]
    sheet = book.sheets[buttons.RESULT_SHEET]
    assert book.sheets.active is sheet
    assert _written(book)[1][2] == '=HYPERLINK("#\'O\'\'Brien 表\'!K12","K12")'
    assert ("sheet[校验结果].api.AutoFilterMode", False) in book.log
    assert ("range((1, 1), (2, 5)).api.AutoFilter()", ()) in book.log
    assert ("app.api.ActiveWindow.SplitRow", 1) in book.log and ("app.api.ActiveWindow.FreezePanes", True) in book.log
    assert ("range('A:B',).number_format", "@") in book.log
    assert book.app.screen_updating is True
    alert = book.log[-1]
    assert alert[0] == "alert" and "错误 1 条" in alert[1] and alert[3] == "info"


def test_validate_this_workbook_reuses_the_sheet_and_says_no_problems(excel):
    book, _ = excel([], sheets=("评分表", buttons.RESULT_SHEET))
    buttons.validate_this_workbook()
    assert len(book.sheets.items) == 2 and ("sheet[校验结果].clear()", ()) in book.log
    assert _written(book) == [["未发现问题"]]
    assert not any(key.endswith("AutoFilter()") for key, *_ in book.log)


def test_validate_this_workbook_needs_a_saved_file(excel):
    book, api = excel([], saved=False)
    buttons.validate_this_workbook()
    assert api.calls == [] and book.log[-1][0] == "alert" and book.log[-1][3] == "critical"


def test_recalculate_checks_a_copy_of_the_current_state(excel):
    book, api = excel([Finding("note-missing", sheet="评分表", cell="M7", expected=5, found=3)])
    buttons.recalculate()
    (_, path, lang, content), = api.calls
    assert Path(path).name == "评价表.xlsx" and path != book.fullname and content == b"copy"
    assert not Path(path).exists()  # the temporary copy is gone
    assert book.sheets.active.name == "评分表"  # results written, the user's sheet stays in front
    assert _written(book)[1][0] == "警告" and "警告 1 条" in book.log[-1][1]


def test_validate_folder(excel, tmp_path):
    book, api = excel([])
    folder = tmp_path / "回收表😀"
    folder.mkdir()
    buttons.validate_folder(str(folder).replace("😀", "\ud83d\ude00"))
    (_, source, out_dir), = api.calls
    assert source == str(folder)
    assert Path(out_dir).parent == folder and Path(out_dir).name.startswith("xlperf_结果_")
    assert ("books.open", str(Path(out_dir) / "汇总.xlsx")) in book.log
    assert "错误 3 条，警告 1 条，提示 0 条" in book.log[-1][1]


def test_validate_folder_missing(excel, tmp_path):
    book, api = excel([])
    buttons.validate_folder(str(tmp_path / "没有"))
    assert api.calls == [] and book.log[-1][3] == "critical"
