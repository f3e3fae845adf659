"""sniff: every kind of bad file gets its finding, nothing raises, and no file is ever changed."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlperf.workbook.sniff import OLE_MAGIC, PackageRejected, Sniff, safe_zip_open, sniff

KINDS = {"xlsx", "xlsm", "xls", "encrypted", "not-workbook", "corrupt", "too-large", "missing"}
VBA_CT = ('<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>')


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def checked(path: Path, **limits) -> Sniff:
    """sniff, asserting that the file is unchanged and the message is Chinese."""
    before = sha(path) if path.is_file() else None
    result = sniff(path, **limits)
    assert result.kind in KINDS
    if before is not None:
        assert sha(path) == before
    if result.finding is not None:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in result.finding.message("zh"))
    return result


@pytest.fixture
def xlsx(tmp_path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "评分表"
    wb.active["A1"], wb.active["B1"] = 1, "=A1*2"
    wb.save(tmp_path / "ok.xlsx")
    return tmp_path / "ok.xlsx"


def rezip(src: Path, dst: Path, extra: dict[str, bytes] | None = None, drop: tuple[str, ...] = (),
          edit=None) -> Path:
    """A copy of the zip ``src`` with parts added, dropped or edited (name, bytes) → bytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in drop:
                data = zin.read(info)
                zout.writestr(info.filename, edit(info.filename, data) if edit else data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def make_xlsm(src: Path, dst: Path) -> Path:
    def edit(name: str, data: bytes) -> bytes:
        return data.replace(b"</Types>", VBA_CT.encode() + b"</Types>") if name == "[Content_Types].xml" else data
    return rezip(src, dst, {"xl/vbaProject.bin": OLE_MAGIC + b"\x00" * 504}, edit=edit)


def cfb(names: tuple[str, ...], scatter: bool = False) -> bytes:
    """A minimal OLE compound file; ``scatter`` spreads the directory over two non-adjacent sectors."""
    size, free, end = 512, 0xFFFFFFFF, 0xFFFFFFFE
    count = -(-(len(names) + 1) // 4)
    dir_sectors = [1 + (2 * i if scatter else i) for i in range(count)]
    fat = [0xFFFFFFFD] + [free] * 127
    for here, nxt in zip(dir_sectors, dir_sectors[1:] + [end]):
        fat[here] = nxt
    header = bytearray(size)
    header[0:8] = OLE_MAGIC
    header[24:34] = bytes.fromhex("3e000300feff09000600")
    header[44:48], header[48:52] = (1).to_bytes(4, "little"), (1).to_bytes(4, "little")
    header[68:72] = end.to_bytes(4, "little")
    header[76:512] = b"\x00\x00\x00\x00" + b"\xff" * 432
    entries = bytearray()
    for i, name in enumerate(("Root Entry",) + names):
        raw, entry = (name + "\0").encode("utf-16-le"), bytearray(128)
        entry[:len(raw)], entry[64:66], entry[66] = raw, len(raw).to_bytes(2, "little"), 5 if i == 0 else 2
        entries += entry
    entries = entries.ljust(size * len(dir_sectors), b"\x00")
    sectors = {0: b"".join(v.to_bytes(4, "little") for v in fat)}
    for i, number in enumerate(dir_sectors):
        sectors[number] = bytes(entries[i * size:(i + 1) * size])
    body = b"".join(sectors.get(n, b"\x00" * size) for n in range(max(sectors) + 1))
    return bytes(header) + body


def test_plain_workbook_is_accepted(xlsx):
    result = checked(xlsx)
    assert (result.kind, result.finding, result.has_vba) == ("xlsx", None, False)
    assert result.ok and result.uncompressed_size > 0 and "xl/workbook.xml" in result.parts


def test_xlsm_reports_vba(xlsx, tmp_path):
    result = checked(make_xlsm(xlsx, tmp_path / "macro.xlsm"))
    assert (result.kind, result.finding, result.has_vba) == ("xlsm", None, True)


def test_encrypted_ooxml(xlsx, tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    target = tmp_path / "locked.xlsx"
    with open(xlsx, "rb") as src, open(target, "wb") as dst:
        OOXMLFile(src).encrypt("密码", dst)
    result = checked(target)
    assert result.kind == "encrypted" and result.finding.code == "file-encrypted"


@pytest.mark.parametrize("scatter", [False, True])
def test_synthetic_legacy_xls(tmp_path, scatter):
    names = ("\x05SummaryInformation",) * 4 + ("Workbook",)  # Workbook lands in the second directory sector
    target = tmp_path / "old.xls"
    target.write_bytes(cfb(names, scatter))
    result = checked(target)
    assert result.kind == "xls" and result.finding.code == "file-legacy-xls"


def test_ole_without_workbook(tmp_path):
    (tmp_path / "a.doc").write_bytes(cfb(("WordDocument",)))
    (tmp_path / "b.bin").write_bytes(cfb(("Something",)))
    (tmp_path / "c.xls").write_bytes(cfb(("Workbook",))[:700])  # truncated directory
    assert checked(tmp_path / "a.doc").finding.params["detail"]["zh"] == "Word 97-2003 文档"
    assert checked(tmp_path / "b.bin").finding.code == "file-not-workbook"
    assert checked(tmp_path / "c.xls").kind == "corrupt"


def test_libreoffice_xls(xlsx, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the real .xls case is covered by the synthetic CFB")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xls",
                    "--outdir", str(tmp_path / "out"), str(xlsx)], check=True, capture_output=True, timeout=180)
    result = checked(tmp_path / "out" / "ok.xls")
    assert result.kind == "xls" and "Workbook" in result.parts


@pytest.mark.parametrize("name, data, detail", [
    ("empty.xlsx", b"", "空文件"),
    ("text.xlsx", "单位,得分\n某单位,90\n".encode("utf-8") * 300, "文本文件，例如改了扩展名的 CSV"),
    ("gbk.xlsx", "单位,得分\n某单位,90\n".encode("gbk"), "文本文件，例如改了扩展名的 CSV"),
    ("page.xls", b"\xef\xbb\xbf<html><body><table><tr><td>1</td></tr></table></body></html>", "网页 HTML 文件"),
    ("doc.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF 文件"),
    ("random.xlsx", bytes(range(256)) * 8, "未知格式"),
])
def test_not_a_zip(tmp_path, name, data, detail):
    (tmp_path / name).write_bytes(data)
    result = checked(tmp_path / name)
    assert result.kind == "not-workbook" and result.finding.code == "file-not-workbook"
    assert result.finding.params["detail"]["zh"] == detail


def test_zip_that_is_not_a_workbook(tmp_path):
    with zipfile.ZipFile(tmp_path / "report.xlsx", "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    with zipfile.ZipFile(tmp_path / "photos.xlsx", "w") as zf:
        zf.writestr("a.jpg", b"\xff\xd8")
    assert checked(tmp_path / "report.xlsx").finding.params["detail"]["zh"] == "Word 文档"
    assert checked(tmp_path / "photos.xlsx").finding.params["detail"]["zh"] == "普通压缩包"


def test_truncated_and_damaged_zips(xlsx, tmp_path):
    data = xlsx.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    (tmp_path / "head.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 64 + b"broken")
    assert checked(tmp_path / "cut.xlsx").finding.code == "file-corrupt"
    assert checked(tmp_path / "head.xlsx").finding.code == "file-corrupt"


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
def test_bad_crc_is_corrupt(xlsx, tmp_path, part):
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(xlsx) as zin, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
    with zipfile.ZipFile(stored) as zf:
        info = zf.getinfo(part)
    raw = bytearray(stored.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + 10] ^= 0x01  # one flipped bit inside the stored data
    stored.write_bytes(bytes(raw))
    result = checked(stored)
    assert result.kind == "corrupt" and part in result.finding.params["detail"]["zh"]


def test_missing_content_types_is_corrupt(xlsx, tmp_path):
    result = checked(rezip(xlsx, tmp_path / "bare.xlsx", drop=("[Content_Types].xml",)))
    assert result.kind == "corrupt" and "[Content_Types].xml" in result.finding.params["detail"]["zh"]


def test_zip_bomb_by_declared_size(xlsx, tmp_path):
    big = rezip(xlsx, tmp_path / "big.xlsx", {"xl/media/blob.bin": os.urandom(3 * 2**20)})
    result = checked(big, max_uncompressed=2 * 2**20)
    assert result.kind == "too-large" and result.finding.code == "file-too-large"
    assert result.uncompressed_size > 3 * 2**20 and checked(big).kind == "xlsx"


def test_zip_bomb_by_ratio(xlsx, tmp_path):
    result = checked(rezip(xlsx, tmp_path / "bomb.xlsx", {"xl/worksheets/sheet9.xml": b"\x00" * (4 * 2**20)}))
    assert result.kind == "too-large" and result.finding.code == "file-compression-ratio"
    assert result.finding.params["part"] == "xl/worksheets/sheet9.xml" and result.finding.found > 200


def test_zip_bomb_by_entry_count(xlsx, tmp_path):
    many = rezip(xlsx, tmp_path / "many.xlsx", {f"xl/media/p{i}.bin": b"x" for i in range(30)})
    result = checked(many, max_entries=20)
    assert result.kind == "too-large" and result.finding.code == "file-too-many-parts"
    assert result.finding.found == 39 and result.finding.expected == 20


def test_missing_folder_and_bad_names(tmp_path):
    assert checked(tmp_path / "nope.xlsx").kind == "missing"
    assert checked(tmp_path).finding.params["detail"]["zh"] == "文件夹"
    assert sniff("bad\0name.xlsx").kind in KINDS  # even a name the OS refuses gives a result


def test_safe_zip_open(xlsx, tmp_path):
    with safe_zip_open(xlsx) as archive:
        assert "xl/workbook.xml" in archive.namelist()
    bomb = rezip(xlsx, tmp_path / "bomb.xlsx", {"xl/big.xml": b" " * (3 * 2**20)})
    for path, kind in ((bomb, "too-large"), (tmp_path / "none.xlsx", "missing")):
        with pytest.raises(PackageRejected) as info:
            safe_zip_open(path, 2 * 2**20)
        assert info.value.kind == kind
    with pytest.raises(PackageRejected) as info:
        safe_zip_open(io.BytesIO(b"PK\x03\x04 truncated"))
    assert info.value.kind == "corrupt" and info.value.finding.code == "file-corrupt"


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([OLE_MAGIC, b"PK\x03\x04", b"PK\x05\x06", b""]), st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(tmp_path_factory, magic, tail):
    path = tmp_path_factory.mktemp("fuzz") / "f.xlsx"
    path.write_bytes(magic + tail)
    result = checked(path)
    assert result.kind != "xlsx" or result.finding is None


@pytest.mark.parametrize("name, streams, legacy", [
    ("a.xls", ("Workbook",), ".xls (Excel 97-2003)"),
    ("b.xls", ("WORKBOOK",), ".xls (Excel 97-2003)"),  # compound file names ignore case
    ("c.xls", ("Book",), ".xls (Excel 5.0/95)"),
    ("d.et", ("Workbook", "\x05SummaryInformation"), ".et (WPS)"),  # WPS's own name for a BIFF8 workbook
    ("e.xlsx", ("Workbook",), ".xls (Excel 97-2003)"),  # an .xls renamed: known by its content
])
def test_legacy_workbooks_named_by_format(tmp_path, name, streams, legacy):
    (tmp_path / name).write_bytes(cfb(streams))
    result = checked(tmp_path / name)
    assert (result.kind, result.legacy, result.finding.code) == ("xls", legacy, "file-legacy-xls")
    assert legacy in result.finding.message() and legacy in result.finding.message("en")


def test_a_str_path_reads_as_its_path_object(tmp_path):
    """sniff opens a plain str as it is (no Path()): every str still gets the verdict its Path gets."""
    book = tmp_path / "a.xlsx"
    openpyxl.Workbook().save(book)
    for text in [str(book), f"{book}/", f"{book}/.", f"{tmp_path}//a.xlsx", str(tmp_path), f"{tmp_path}/", "", ".",
                 str(tmp_path / "missing.xlsx"), f"{tmp_path}/./a.xlsx"]:
        found, expected = sniff(text), sniff(Path(text))
        assert (found.kind, found.finding, found.parts) == (expected.kind, expected.finding, expected.parts), text
