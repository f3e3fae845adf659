"""Classify a file before opening it: xlsx/xlsm, legacy .xls, encrypted, not a workbook, corrupt, too large.

Reads only the bytes it needs (the magic number, the zip directory, the OLE directory) and never
raises: every problem becomes the file's finding.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from xlperf.findings import Finding

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
DEFAULT_MAX_UNCOMPRESSED = 200 * 2**20
MAX_ENTRIES = 10_000
MAX_RATIO = 200  # compression ratio above which a large entry is taken for a zip bomb


@dataclass(frozen=True)
class Sniff:
    """What a file is; ``finding`` is None for a workbook we can check."""

    kind: str  # xlsx | xlsm | xls | encrypted | not-workbook | corrupt | too-large | missing
    finding: Finding | None = None
    has_vba: bool = False
    uncompressed_size: int = 0


def _ole_streams(head: bytes, path: Path) -> set[str]:
    """Names in an OLE compound file's directory (enough to tell .xls from encrypted OOXML)."""
    names: set[str] = set()
    try:
        sector_shift = int.from_bytes(head[30:32], "little")
        size = 1 << sector_shift
        first_dir = int.from_bytes(head[48:52], "little")
        with open(path, "rb") as handle:
            handle.seek((first_dir + 1) * size)
            block = handle.read(size * 4)
        for i in range(0, len(block), 128):
            length = int.from_bytes(block[i + 64:i + 66], "little")
            if 2 <= length <= 64:
                names.add(block[i:i + length - 2].decode("utf-16-le", "replace"))
    except (OSError, ValueError):
        pass
    return names


def _zip(path: Path, max_uncompressed: int) -> Sniff:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if len(infos) > MAX_ENTRIES or total > max_uncompressed:
                return Sniff("too-large", Finding("file-too-large", expected=_mb(max_uncompressed), found=_mb(total)),
                             uncompressed_size=total)
            for info in infos:
                if info.file_size > 2**20 and info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                    return Sniff("too-large", Finding("file-too-large", expected=_mb(max_uncompressed),
                                                      found=_mb(total)), uncompressed_size=total)
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        return Sniff("corrupt", Finding("file-corrupt", params={"detail": type(exc).__name__}))
    if "xl/workbook.xml" not in names:
        detail = "Word 文档" if "word/document.xml" in names else "压缩包中没有 xl/workbook.xml"
        return Sniff("not-workbook", Finding("file-not-workbook", params={"detail": detail}), uncompressed_size=total)
    has_vba = "xl/vbaProject.bin" in names
    return Sniff("xlsm" if has_vba else "xlsx", None, has_vba, total)


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def sniff(path: str | Path, max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED) -> Sniff:
    """Classify ``path`` without opening it as a workbook."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except FileNotFoundError:
        return Sniff("missing", Finding("file-not-found"))
    except OSError as exc:
        return Sniff("corrupt", Finding("file-corrupt", params={"detail": type(exc).__name__}))
    if head.startswith(OLE_MAGIC):
        streams = _ole_streams(head, path)
        if {"EncryptionInfo", "EncryptedPackage"} & streams:
            return Sniff("encrypted", Finding("file-encrypted"))
        if {"Workbook", "Book"} & streams:
            return Sniff("xls", Finding("file-legacy-xls"))
        return Sniff("not-workbook", Finding("file-not-workbook", params={"detail": "OLE 复合文档"}))
    if head.startswith(ZIP_MAGIC):
        return _zip(path, max_uncompressed)
    if not head:
        return Sniff("not-workbook", Finding("file-not-workbook", params={"detail": "空文件"}))
    detail = "文本文件" if _texty(head) else "未知格式"
    return Sniff("not-workbook", Finding("file-not-workbook", params={"detail": detail}))


def _texty(head: bytes) -> bool:
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
