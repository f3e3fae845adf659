"""Classify a file before opening it as a workbook; never raises, reads only the bytes it needs."""

from __future__ import annotations

import codecs
import os
import struct
import zipfile
import zlib
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, BinaryIO, Sequence

from xlperf.core.frozen import frozen
from xlperf.findings import Finding
from xlperf.workbook.rawzip import PLAIN_FLAGS, central_directory, inflate
from xlperf.workbook.xlsxparts import PackageParts, small_names

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
DEFAULT_MAX_UNCOMPRESSED = 200 * 2**20
MAX_ENTRIES = 10_000
MAX_RATIO = 200  # compression ratio above which a large entry is taken for a zip bomb
RATIO_MIN_SIZE = 2**20  # entries smaller than this are never judged by their ratio
VERIFY_LIMIT = 16 * 2**20  # packages up to this uncompressed size get every CRC checked
_FIRST_READ = 64 * 1024  # bytes sniff reads first (a bureau copy whole: no fstat, second read or join)
_PATH_ENDS = "/." + os.sep  # last characters of a path that Path() may change (sniff)
ESSENTIAL = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error,
               struct.error, NotImplementedError, RuntimeError, LookupError)
# What a non-workbook looks like, for the file-not-workbook message, in both languages.
DETAIL = {"empty": ("空文件", "an empty file"), "text": ("文本文件，例如改了扩展名的 CSV", "a text file, such as a renamed CSV"),
          "html": ("网页 HTML 文件", "an HTML page"), "pdf": ("PDF 文件", "a PDF file"),
          "xml2003": ("Excel 2003 XML 表格", "an Excel 2003 XML spreadsheet"), "rtf": ("RTF 文档", "an RTF document"),
          "unknown": ("未知格式", "an unknown format"), "zip": ("普通压缩包", "a plain zip archive"),
          "docx": ("Word 文档", "a Word document"), "pptx": ("PowerPoint 演示文稿", "a PowerPoint presentation"),
          "xlsb": ("Excel 二进制工作簿 .xlsb", "an Excel binary workbook .xlsb"),
          "odf": ("OpenDocument 文档", "an OpenDocument file"), "doc": ("Word 97-2003 文档", "a Word 97-2003 document"),
          "ppt": ("PowerPoint 97-2003 演示文稿", "a PowerPoint 97-2003 presentation"),
          "ole": ("OLE 复合文档", "an OLE compound document"), "folder": ("文件夹", "a folder")}


# Legacy workbooks xlperf converts before checking (xlperf.batch.legacy), as their messages name them.
LEGACY_FORMATS = {"biff8": ".xls (Excel 97-2003)", "biff5": ".xls (Excel 5.0/95)", "et": ".et (WPS)"}
LEGACY_DIRECT = {"reason": "只有 .xlsx/.xlsm 能直接读取，须先转换（xlperf check 会自动转换）",
                 "reason_en": "only .xlsx/.xlsm is read directly; it must be converted first (xlperf check does so)"}


def both(zh: str, en: str) -> dict[str, str]:
    """A finding parameter in both languages (the message picks one)."""
    return {"zh": zh, "en": en}


@frozen  # 7 fields: its __init__ ~1.5 µs cheaper than the dataclass's own, once a copy
class Sniff:
    """What a file is; ``finding`` is None exactly for a workbook we can check (xlsx/xlsm)."""

    kind: str  # xlsx | xlsm | xls | encrypted | not-workbook | corrupt | too-large | missing
    finding: Finding | None = None
    has_vba: bool = False
    uncompressed_size: int = 0  # declared total of every zip entry
    parts: tuple[str, ...] = ()  # zip entry names, or OLE directory entry names
    package: PackageParts | None = field(default=None, compare=False, repr=False)  # see sniff(keep_parts=True)
    legacy: str | None = None  # kind xls: the format as users name it (LEGACY_FORMATS), for messages

    @property
    def ok(self) -> bool:
        return self.finding is None


class PackageRejected(Exception):
    """safe_zip_open refused a file: ``kind`` is a Sniff kind and ``finding`` says why."""

    def __init__(self, kind: str, finding: Finding, size: int = 0):
        super().__init__(kind, finding.code)
        self.kind, self.finding, self.size = kind, finding, size


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def _corrupt(detail: str | dict[str, str]) -> Finding:
    return Finding("file-corrupt", params={"detail": detail})


def _not_workbook(key: str) -> Finding:
    return Finding("file-not-workbook", params={"detail": both(*DETAIL[key])})


def zip_limits(infos: Sequence[Any], max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
               max_entries: int = MAX_ENTRIES, max_ratio: int = MAX_RATIO) -> Finding | None:
    """The zip-bomb finding for a zip directory (ZipInfo-like entries), or None when it is within the limits."""
    if len(infos) > max_entries:
        return Finding("file-too-many-parts", expected=max_entries, found=len(infos))
    total = sum(info.file_size for info in infos)
    if total > max_uncompressed:
        return Finding("file-too-large", expected=_mb(max_uncompressed), found=_mb(total))
    for info in infos:
        if info.file_size > RATIO_MIN_SIZE and info.file_size > max_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            return Finding("file-compression-ratio", expected=max_ratio, found=ratio, params={"part": info.filename})
    return None


def safe_zip_open(source: str | os.PathLike[str] | BinaryIO, max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED, *,
                  max_entries: int = MAX_ENTRIES, max_ratio: int = MAX_RATIO) -> zipfile.ZipFile:
    """Open a zip for reading after checking its directory against the zip-bomb limits.

    Raises PackageRejected (kind missing, corrupt or too-large) instead of zipfile's many errors.
    zipfile itself stops every entry at its declared size, so the checked totals bound what reading can produce.
    """
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise PackageRejected("missing", Finding("file-not-found")) from None
    except _ZIP_ERRORS as exc:
        raise PackageRejected("corrupt", _corrupt(both(f"ZIP 目录无法读取：{type(exc).__name__}",
                                                         f"unreadable zip directory: {type(exc).__name__}"))) from None
    infos = archive.infolist()
    finding = zip_limits(infos, max_uncompressed, max_entries, max_ratio)
    if finding is not None:
        archive.close()
        raise PackageRejected("too-large", finding, sum(info.file_size for info in infos))
    return archive


def _zip_kind(names: set[str]) -> str | None:
    """The DETAIL key of a zip that is not an Excel workbook, or None for a workbook."""
    lower = {name.lower() for name in names}
    if "xl/workbook.xml" in lower:
        return None
    for part, key in (("xl/workbook.bin", "xlsb"), ("word/document.xml", "docx"),
                      ("ppt/presentation.xml", "pptx"), ("mimetype", "odf")):
        if part in lower:
            return key
    return "zip"


def _verify(archive: zipfile.ZipFile, full: bool) -> Finding | None:
    """Check every local header, and the CRC of the essential parts (of every part when ``full``)."""
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            return Finding("file-encrypted")
        try:
            with archive.open(info) as handle:
                if full or info.filename in ESSENTIAL:
                    while handle.read(1 << 20):
                        pass
        except _ZIP_ERRORS as exc:
            return _corrupt(both(f"部件 {info.filename} 无法解压：{type(exc).__name__}",
                                 f"part {info.filename} cannot be inflated: {type(exc).__name__}"))
    missing = [name for name in ESSENTIAL[:2] if name not in archive.NameToInfo]
    return _corrupt(both(f"缺少 {missing[0]}", f"{missing[0]} is missing")) if missing else None


def _sniff_zip(handle: BinaryIO, max_uncompressed: int, max_entries: int, max_ratio: int,
               verify_limit: int) -> Sniff:
    try:
        archive = safe_zip_open(handle, max_uncompressed, max_entries=max_entries, max_ratio=max_ratio)
    except PackageRejected as exc:
        return Sniff(exc.kind, exc.finding, uncompressed_size=exc.size)
    with archive:
        infos = archive.infolist()
        names = tuple(info.filename for info in infos)
        total = sum(info.file_size for info in infos)
        other = _zip_kind(set(names))
        if other is not None:
            return Sniff("not-workbook", _not_workbook(other), uncompressed_size=total, parts=names)
        finding = _verify(archive, total <= verify_limit)
    if finding is not None:
        kind = "encrypted" if finding.code == "file-encrypted" else "corrupt"
        return Sniff(kind, finding, uncompressed_size=total, parts=names)
    return _accepted(names, total)


def _accepted(names: tuple[str, ...], total: int, package: PackageParts | None = None) -> Sniff:
    has_vba = (_has_vba if small_names(names) else _has_vba.__wrapped__)(names)
    return Sniff("xlsm" if has_vba else "xlsx", None, has_vba, total, names, package)


@lru_cache(maxsize=64)
def _has_vba(names: tuple[str, ...]) -> bool:
    """Kept by the names, as copies of a form repeat them (1.0 µs a copy → a look-up)."""
    return "xl/vbaproject.bin" in map(str.lower, names)  # C speed: 1.3 → 1.0 µs against a generator


def _read_small_zip(handle: BinaryIO, start: bytes, max_uncompressed: int, max_entries: int, max_ratio: int,
                    verify_limit: int) -> PackageParts | None:
    """_read_plain_zip on the whole file, read at once when it is no larger than ``verify_limit``; ``start``:
    its first bytes, all of it when shorter than _FIRST_READ."""
    try:
        if len(start) < _FIRST_READ and len(start) <= verify_limit:
            data = start
        else:
            if os.fstat(handle.fileno()).st_size > verify_limit:
                return None
            data = start + handle.read()
    except OSError:
        return None
    return _read_plain_zip(data, max_uncompressed, max_entries, max_ratio, verify_limit)


def _read_plain_zip(data: bytes, max_uncompressed: int, max_entries: int, max_ratio: int,
                    verify_limit: int) -> PackageParts | None:
    """Every part of a small plain workbook package, each read once; None leaves the verdict to zipfile.

    Only what _sniff_zip accepts with full verification passes, with the bytes zipfile would read."""
    try:
        found = central_directory(data)
        if found is None or zip_limits(found[0], max_uncompressed, max_entries, max_ratio) is not None:
            return None
        entries, directory = found
        names = tuple(entry.filename for entry in entries)
        total = sum(entry.file_size for entry in entries)
        starts = sorted({entry.header_offset for entry in entries})
        if total > verify_limit or len(starts) < len(entries) or \
                not (_plain_workbook_names if small_names(names) else _plain_workbook_names.__wrapped__)(names):
            return None
        following = dict(zip(starts, starts[1:] + [directory]))
        parts = {}
        for entry in entries:
            out = None if entry.flag_bits & ~PLAIN_FLAGS else inflate(data, entry, following[entry.header_offset])
            if out is None:
                return None
            parts[entry.filename] = out
        return PackageParts(names, parts, total)
    except Exception:  # noqa: BLE001 - anything unusual goes the careful way
        return None


@lru_cache(maxsize=64)
def _plain_workbook_names(names: tuple[str, ...]) -> bool:
    """No name twice, a workbook (_zip_kind) with the essential parts; kept by the names (copies of one
    form repeat them: three set builds a copy saved)."""
    unique = set(names)
    return len(unique) == len(names) and _zip_kind(unique) is None and set(ESSENTIAL[:2]) <= unique


def _u16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at:at + 2], "little")


def _u32(data: bytes, at: int) -> int:
    return int.from_bytes(data[at:at + 4], "little")


class _Cfb:
    """Just enough of an OLE compound file (MS-CFB) to list its directory entry names."""

    MAX_SECTORS = 4096  # directory sectors followed at most (16k entries at 512-byte sectors)

    def __init__(self, handle: IO[bytes]):
        handle.seek(0)
        self.handle, header = handle, handle.read(512)
        shift = _u16(header, 30)
        if len(header) < 512 or shift not in (9, 12):
            raise ValueError("bad compound file header")
        self.size = 1 << shift
        self.first_dir = _u32(header, 48)
        self.difat = [_u32(header, 76 + 4 * i) for i in range(109)]
        self.next_difat, self.difat_left = _u32(header, 68), _u32(header, 72)

    def _sector(self, index: int, length: int | None = None, at: int = 0) -> bytes:
        self.handle.seek((index + 1) * self.size + at)
        data = self.handle.read(self.size if length is None else length)
        if len(data) < (self.size if length is None else length):
            raise ValueError("compound file truncated")
        return data

    def _fat_sector(self, number: int) -> int:
        while number >= len(self.difat) and self.difat_left and self.next_difat < 0xFFFFFFFA:
            block = self._sector(self.next_difat)
            self.difat += [_u32(block, i) for i in range(0, self.size - 4, 4)]
            self.next_difat, self.difat_left = _u32(block, self.size - 4), self.difat_left - 1
        return self.difat[number]

    def _next(self, sector: int) -> int:
        per = self.size // 4
        return _u32(self._sector(self._fat_sector(sector // per), 4, (sector % per) * 4), 0)

    def names(self) -> list[str]:
        out, sector, seen = [], self.first_dir, set()
        while sector < 0xFFFFFFFA and sector not in seen and len(seen) < self.MAX_SECTORS:
            seen.add(sector)
            block = self._sector(sector)
            for at in range(0, self.size, 128):
                length, kind = _u16(block, at + 64), block[at + 66]
                if kind in (1, 2, 5) and 2 <= length <= 64:
                    out.append(block[at:at + length - 2].decode("utf-16-le", "replace"))
            sector = self._next(sector)
        return out


def legacy_format(path: str | os.PathLike[str], parts: Sequence[str]) -> str:
    """How a BIFF workbook in an OLE compound file is named to users: WPS's own .et (BIFF8 inside, which
    LibreOffice's Excel 97 filter also registers for ``et``), Excel 97-2003 (a ``Workbook`` stream) or
    Excel 5.0/95 (only a ``Book`` stream)."""
    if os.path.splitext(str(path))[1].lower() in (".et", ".ett"):
        return LEGACY_FORMATS["et"]
    upper = {name.upper() for name in parts}
    return LEGACY_FORMATS["biff8" if "WORKBOOK" in upper or "BOOK" not in upper else "biff5"]


def _sniff_ole(handle: IO[bytes], path: str) -> Sniff:
    try:
        names = _Cfb(handle).names()
    except (OSError, ValueError, IndexError) as exc:
        return Sniff("corrupt", _corrupt(both(f"OLE 复合文档目录无法读取：{exc}", f"unreadable OLE directory: {exc}")))
    found, parts = {name.upper() for name in names}, tuple(names)  # compound file names ignore case
    if {"WORKBOOK", "BOOK"} & found:
        fmt = legacy_format(path, parts)
        finding = Finding("file-legacy-xls", params={"format": fmt, **LEGACY_DIRECT})
        return Sniff("xls", finding, legacy=fmt, parts=parts)
    if {"ENCRYPTIONINFO", "ENCRYPTEDPACKAGE"} <= found:
        return Sniff("encrypted", Finding("file-encrypted"), parts=parts)
    key = "doc" if "WORDDOCUMENT" in found else "ppt" if "POWERPOINT DOCUMENT" in found else "ole"
    return Sniff("not-workbook", _not_workbook(key), parts=parts)


def _other_kind(head: bytes) -> str:
    """The DETAIL key for bytes that are neither OLE nor zip."""
    if not head:
        return "empty"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for lead, key in ((b"%pdf", "pdf"), (b"{\\rtf", "rtf"), (b"<!doctype html", "html"), (b"<html", "html"),
                      (b"<table", "html")):
        if text.startswith(lead):
            return key
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return "xml2003"
    return "text" if _texty(head) else "unknown"


def _texty(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


def sniff(path: str | os.PathLike[str], max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED, *,
          max_entries: int = MAX_ENTRIES, max_ratio: int = MAX_RATIO, verify_limit: int = VERIFY_LIMIT,
          keep_parts: bool = False) -> Sniff:
    """Classify ``path`` (opened read-only) without loading it as a workbook; any failure becomes the finding.

    With ``keep_parts``, an accepted small package also carries every part it verified (``Sniff.package``),
    so that open_view need not read the file again."""
    try:
        # a str that Path() would not change for open() as it is (Path() and open(Path) took ~4–6 µs a
        # file); anything else through Path() as before (it drops a trailing "/" or "/.", refuses bytes …)
        if not (isinstance(path, str) and path and path[-1] not in _PATH_ENDS):
            path = str(Path(path))
        return _sniff(path, max_uncompressed, max_entries, max_ratio, verify_limit, keep_parts)
    except MemoryError:  # a worker past its memory cap: reported as such by the pool, not as a corrupt file
        raise
    except Exception as exc:  # noqa: BLE001 - the contract is: never raise
        return Sniff("corrupt", _corrupt(f"{type(exc).__name__}: {exc}"[:200]))


def _sniff(path: str, max_uncompressed: int, max_entries: int, max_ratio: int, verify_limit: int,
           keep_parts: bool) -> Sniff:
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return Sniff("missing", Finding("file-not-found"))
    except IsADirectoryError:
        return Sniff("not-workbook", _not_workbook("folder"))
    except OSError as exc:
        return Sniff("corrupt", Finding("file-failed", params={"detail": both(f"无法读取文件：{type(exc).__name__}",
                                                                             f"cannot read the file: {type(exc).__name__}")}))
    with handle:
        start = handle.read(_FIRST_READ)  # a small workbook whole, in one read
        head = start[:4096]
        if head.startswith(OLE_MAGIC):
            return _sniff_ole(handle, path)
        if head.startswith(ZIP_MAGIC):
            package = _read_small_zip(handle, start, max_uncompressed, max_entries, max_ratio, verify_limit)
            if package is not None:
                return _accepted(package.names, package.total, package if keep_parts else None)
            handle.seek(0)
            return _sniff_zip(handle, max_uncompressed, max_entries, max_ratio, verify_limit)
    return Sniff("not-workbook", _not_workbook(_other_kind(head)))
