"""Build the xlperf Excel add-in: the ribbon part on any OS, the VBA part by Excel itself on Windows."""

# python macros/build_addin.py                 any OS: macros/build/xlperf-ribbon-only.xlam
#     xlwings' quickstart_addin_ribbon.xlam with our customUI/customUI.xml. Its VBA project is
#     still xlwings' quickstart one (modules RibbonMyAddin and xlwings with PROJECT_NAME "myaddin"),
#     so the buttons do not work yet: this file is an intermediate, not something to install.
# python macros/build_addin.py --finish        Windows with Excel: macros/build/xlperf.xlam
#     Excel opens the intermediate, swaps in XlperfRibbon.bas and xlwings_runtime.bas and saves,
#     so Excel itself writes xl/vbaProject.bin. Needs "Trust access to the VBA project object model".
# python macros/build_addin.py --sync-runtime  rewrite xlwings_runtime.bas from the installed xlwings
# No vbaProject.bin is generated on Linux: see README.md, "为什么不在 Linux 上生成 VBA 工程".

from __future__ import annotations

import argparse
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

MACROS = Path(__file__).resolve().parent
CUSTOM_UI = MACROS / "customUI" / "customUI.xml"
RIBBON_BAS = MACROS / "XlperfRibbon.bas"
RUNTIME_BAS = MACROS / "xlwings_runtime.bas"
BUILD = MACROS / "build"
RIBBON_ONLY = BUILD / "xlperf-ribbon-only.xlam"
ADDIN = BUILD / "xlperf.xlam"
TEMPLATE = "quickstart_addin_ribbon.xlam"
UI_PART = "customUI/customUI.xml"
UI_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
PROJECT_LINE = b'Public Const PROJECT_NAME As String = "%s"'
CONF_SHEET = (b'name="_myaddin.conf"', b'name="_xlperf.conf"')
XL_OPENXML_ADDIN = 55


def xlwings_dir() -> Path:
    """The folder of the installed xlwings package."""
    import xlwings

    return Path(xlwings.__file__).resolve().parent


def runtime_source(package: Path | None = None) -> bytes:
    """xlwings' own xlwings_custom_addin.bas with PROJECT_NAME "myaddin" changed to "xlperf", byte for byte otherwise."""
    source = ((package or xlwings_dir()) / "xlwings_custom_addin.bas").read_bytes()
    old = PROJECT_LINE % b"myaddin"
    if source.count(old) != 1:
        raise ValueError("xlwings_custom_addin.bas no longer has exactly one PROJECT_NAME line")
    return source.replace(old, PROJECT_LINE % b"xlperf")


def _check_ui_relationship(rels: bytes) -> None:
    targets = {rel.get("Target", "").lstrip("/"): rel.get("Type")
               for rel in ET.fromstring(rels).iter(RELS_NS + "Relationship")}
    if targets.get(UI_PART) != UI_REL_TYPE:
        raise ValueError(f"the template does not point to {UI_PART} with the Office 2010+ ribbon relationship")


def build_ribbon_xlam(out: Path = RIBBON_ONLY, template: Path | None = None) -> Path:
    """Copy xlwings' quickstart ribbon add-in with our customUI.xml and its config sheet renamed _xlperf.conf."""
    template = template or xlwings_dir() / TEMPLATE
    ui = CUSTOM_UI.read_bytes()
    ET.fromstring(ui)  # well-formed, or stop here
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(template) as source:
        _check_ui_relationship(source.read("_rels/.rels"))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == UI_PART:
                    data = ui
                elif item.filename == "xl/workbook.xml":
                    data = data.replace(*CONF_SHEET)
                target.writestr(item, data)
    return out


def module_code(path: Path) -> str:
    """An exported module's code without its leading Attribute lines, as CodeModule.AddFromString wants it."""
    lines = path.read_bytes().decode("ascii").splitlines()
    while lines and lines[0].startswith("Attribute "):
        lines.pop(0)
    return "\r\n".join(lines) + "\r\n"


def finish_on_windows(source: Path = RIBBON_ONLY, out: Path = ADDIN) -> Path:
    """Let Excel replace the quickstart VBA modules with ours and save the add-in (Windows, Excel)."""
    import xlwings as xw

    app = xw.App(visible=False, add_book=False)
    try:
        app.display_alerts = False
        book = app.books.open(str(source))
        project = book.api.VBProject  # fails unless VBA project access is trusted
        components = project.VBComponents
        components.Remove(components.Item("RibbonMyAddin"))
        runtime = components.Item("xlwings").CodeModule
        runtime.DeleteLines(1, runtime.CountOfLines)
        runtime.AddFromString(module_code(RUNTIME_BAS))
        components.Import(str(RIBBON_BAS))
        project.Name = "xlperf"
        book.api.SaveAs(str(out), XL_OPENXML_ADDIN)
        book.close()
    finally:
        app.quit()
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: build the ribbon-only add-in, finish it on Windows, or resync the runtime module."""
    parser = argparse.ArgumentParser(description=__doc__)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--finish", action="store_true", help="Windows + Excel: build macros/build/xlperf.xlam")
    group.add_argument("--sync-runtime", action="store_true", help="rewrite xlwings_runtime.bas from installed xlwings")
    args = parser.parse_args(argv)
    if args.sync_runtime:
        RUNTIME_BAS.write_bytes(runtime_source())
        print(f"wrote {RUNTIME_BAS}")
    elif args.finish:
        print(f"wrote {finish_on_windows(build_ribbon_xlam())}")
    else:
        print(f"wrote {build_ribbon_xlam()} (ribbon only: finish it on Windows with --finish)")


if __name__ == "__main__":
    main()
