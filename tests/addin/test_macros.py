"""The VBA modules, the ribbon XML and the add-in build, checked without Excel."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

import xlperf.addin.buttons as buttons

MACROS = Path(__file__).resolve().parents[2] / "macros"
RIBBON_BAS = MACROS / "XlperfRibbon.bas"
RUNTIME_BAS = MACROS / "xlwings_runtime.bas"
CUSTOM_UI = MACROS / "customUI" / "customUI.xml"
UI_NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
BAS_FILES = [RIBBON_BAS, RUNTIME_BAS]
LABELS = ["重新计算", "校验本工作簿", "校验文件夹"]
# Every text XlperfRibbon.bas builds with Zh(): what the user reads.
ZH_TEXTS = {
    "绩效评价",
    "请先打开要计算的绩效评价工作簿。",
    "请先打开要校验的工作簿。",
    "本工作簿还没有保存过。请先保存为 .xlsx 或 .xlsm 文件，再点“校验本工作簿”。",
    "本工作簿有未保存的修改。",
    "是：先保存，再校验。",
    "否：不保存，校验上次保存的文件（不含未保存的修改）。",
    "取消：不校验。",
    "保存失败，未进行校验。",
    "选择存放回收表的文件夹",
}


def _text(path: Path) -> str:
    return path.read_bytes().decode("ascii")


def _vb_name(text: str) -> str:
    match = re.match(r'Attribute VB_Name = "(\w+)"\r\n', text)
    assert match, "first line must be Attribute VB_Name"
    return match.group(1)


def _build_addin():
    spec = importlib.util.spec_from_file_location("xlperf_build_addin", MACROS / "build_addin.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", BAS_FILES, ids=lambda p: p.name)
def test_bas_files_are_excel_exports(path):
    data = path.read_bytes()
    assert data.startswith(b'Attribute VB_Name = "')
    bare = data.replace(b"\r\n", b"")
    assert b"\n" not in bare and b"\r" not in bare, "every line ends in CRLF"
    assert data.endswith(b"\r\n")
    data.decode("ascii")  # imports the same under every Windows code page


def test_module_names():
    assert _vb_name(_text(RIBBON_BAS)) == "XlperfRibbon"
    assert _vb_name(_text(RUNTIME_BAS)) == "xlwings"


def test_custom_ui_is_an_office_2010_ribbon_with_three_buttons():
    root = ET.parse(CUSTOM_UI).getroot()
    assert root.tag == UI_NS + "customUI"
    tabs = list(root.iter(UI_NS + "tab"))
    assert [tab.get("label") for tab in tabs] == ["绩效评价"]
    buttons_ = list(tabs[0].iter(UI_NS + "button"))
    assert [b.get("label") for b in buttons_] == LABELS
    assert all(b.get("imageMso") for b in buttons_)
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))


def test_every_on_action_is_a_public_ribbon_callback():
    modules = {_vb_name(_text(p)): _text(p) for p in BAS_FILES}
    actions = [el.get("onAction") for el in ET.parse(CUSTOM_UI).getroot().iter() if el.get("onAction")]
    assert actions == ["XlperfRibbon.Recalculate", "XlperfRibbon.ValidateWorkbook", "XlperfRibbon.ValidateFolder"]
    for action in actions:
        module, _, sub = action.partition(".")
        pattern = rf"^Public Sub {sub}\(control As IRibbonControl\)\r$"
        assert re.search(pattern, modules[module], re.M), action


def test_runtime_is_xlwings_custom_addin_with_project_name_xlperf():
    import xlwings

    installed = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_bytes().split(b"\r\n")
    ours = RUNTIME_BAS.read_bytes().split(b"\r\n")
    assert len(ours) == len(installed)
    changed = [(a, b) for a, b in zip(installed, ours) if a != b]
    assert changed == [(b'Public Const PROJECT_NAME As String = "myaddin"',
                        b'Public Const PROJECT_NAME As String = "xlperf"')]


def test_readme_names_the_runtime_xlwings_version():
    version = re.search(r"'Version: ([\w.]+)\r\n", _text(RUNTIME_BAS)).group(1)
    readme = (MACROS / "README.md").read_text(encoding="utf-8")
    assert f"xlwings {version}" in readme and "BSD" in readme


def _run_python_commands(text: str) -> list[str]:
    """The Python source each RunPython call would run, PyStr(...) replaced by a sample literal."""
    commands = []
    for expression in re.findall(r"^\s*RunPython (.+)\r$", text, re.M):
        parts = []
        for part in (p.strip() for p in expression.split(" & ")):
            if part.startswith('"'):
                parts.append(part[1:-1].replace('""', '"'))
            else:
                assert re.fullmatch(r"PyStr\(\w+\)", part), part
                parts.append("'C:\\\\x'")
        commands.append("".join(parts))
    return commands


def test_run_python_calls_existing_button_functions():
    commands = _run_python_commands(_text(RIBBON_BAS))
    assert len(commands) == 3
    called = []
    for command in commands:
        assert command.startswith("import xlperf.addin.buttons as b; b.")
        for node in ast.walk(ast.parse(command)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                function = getattr(buttons, node.func.attr)
                inspect.signature(function).bind(*[None] * len(node.args))
                called.append(node.func.attr)
    assert called == ["recalculate", "validate_this_workbook", "validate_folder"]


def test_zh_texts_decode_to_the_expected_chinese():
    codes = re.findall(r'Zh\("([0-9A-F ]+)"\)', _text(RIBBON_BAS))
    assert all(re.fullmatch(r"[0-9A-F]{4}( [0-9A-F]{4})*", c) for c in codes)
    assert {"".join(chr(int(h, 16)) for h in c.split()) for c in codes} == ZH_TEXTS
    code = "\n".join(line for line in _text(RIBBON_BAS).splitlines() if not line.strip().startswith("'"))
    assert re.findall(r"Zh\((.)", code).count('"') == len(codes) == len(re.findall(r"Zh\(", code)) - 1


def _py_str_allowed() -> set[int]:
    """The code points PyStr in XlperfRibbon.bas keeps as they are (its first Case line)."""
    body = _text(RIBBON_BAS).split("Private Function PyStr", 1)[1]
    case = re.search(r"Case ([\d ,To]+)\r\n", body).group(1)
    allowed: set[int] = set()
    for item in case.split(","):
        low, _, high = item.strip().partition(" To ")
        allowed.update(range(int(low), int(high or low) + 1))
    return allowed


def _py_str(text: str, allowed: set[int]) -> str:
    """Python mirror of PyStr: VBA strings are UTF-16, so it works on UTF-16 code units."""
    units = [int.from_bytes(text.encode("utf-16-le", "surrogatepass")[i:i + 2], "little")
             for i in range(0, len(text.encode("utf-16-le", "surrogatepass")), 2)]
    return "'" + "".join(chr(u) if u in allowed else f"\\u{u:04X}" for u in units) + "'"


@pytest.mark.parametrize("folder", [
    r"C:\Users\王会计\Desktop\2024年 回收表",
    "C:\\",
    r"\\server\share\O'Brien's \"final\" 100% & co ^ !x!",
    "D:\\回收表😀",
])
def test_folder_path_escaping_round_trips(folder):
    allowed = _py_str_allowed()
    assert allowed == set(range(48, 58)) | set(range(65, 91)) | set(range(97, 123)) | {32, 45, 46, 58, 95}
    literal = _py_str(folder, allowed)
    assert literal.isascii() and not set(literal) & set('"%&^!<>|')
    command = f"import xlperf.addin.buttons as b; b.validate_folder({literal})"
    call = ast.parse(command).body[1].value
    assert buttons.join_surrogates(ast.literal_eval(call.args[0])) == folder


def test_build_ribbon_xlam(tmp_path):
    build = _build_addin()
    out = build.build_ribbon_xlam(tmp_path / "xlperf-ribbon-only.xlam")
    template = build.xlwings_dir() / build.TEMPLATE
    with zipfile.ZipFile(out) as built, zipfile.ZipFile(template) as original:
        assert built.testzip() is None
        assert built.namelist() == original.namelist()
        assert built.read("customUI/customUI.xml") == CUSTOM_UI.read_bytes()
        # No fabricated VBA: the project is xlwings' own, to be replaced by Excel on Windows.
        assert built.read("xl/vbaProject.bin") == original.read("xl/vbaProject.bin")
        assert b'name="_xlperf.conf"' in built.read("xl/workbook.xml")
        rels = built.read("_rels/.rels").decode()
    assert 'Target="customUI/customUI.xml"' in rels and build.UI_REL_TYPE in rels


def test_build_helpers_agree_with_the_repo_files():
    build = _build_addin()
    assert build.runtime_source() == RUNTIME_BAS.read_bytes()
    code = build.module_code(RIBBON_BAS)
    assert not code.startswith("Attribute") and code.startswith("' xlperf ribbon callbacks")
