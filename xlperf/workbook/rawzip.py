"""A fast reader for small, plain zip packages: central directory and entries parsed with struct.

Only archives zipfile would read identically pass (no comment, prefix, zip64, encryption or unusual
extra fields, CRC and sizes checked); anything else returns None and goes through zipfile.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from typing import NamedTuple

from xlperf.workbook.xlsxparts import PartCache


class Entry(NamedTuple):
    """A central directory entry, with the ZipInfo attribute names zip_limits reads."""

    filename: str
    flag_bits: int
    compress_type: int
    CRC: int
    compress_size: int
    file_size: int
    header_offset: int


_END = struct.Struct("<4s4H2LH")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_LOCAL = struct.Struct("<4s2B4HL2L2H")
PLAIN_FLAGS = 0x2 | 0x4 | 0x8 | 0x800  # deflate options, data descriptor, UTF-8 names
_PLAIN_EXTRAS = (0x000A, 0x5455, 0x7875)  # NTFS times, extended timestamp, Unix owner: zipfile ignores them
_INFLATED = PartCache(128, 4 * 2**20)  # (method, CRC, size, compressed bytes) → verified part bytes


def _name(raw: bytes, flags: int) -> str:
    """A zip entry name decoded as zipfile does (ASCII reads the same in UTF-8 and cp437)."""
    return raw.decode("ascii" if raw.isascii() else "utf-8" if flags & 0x800 else "cp437")


def _plain_extra(extra: bytes) -> bool:
    while extra:
        if len(extra) < 4:
            return False
        tag, size = struct.unpack_from("<HH", extra)
        if tag not in _PLAIN_EXTRAS or size + 4 > len(extra):
            return False
        extra = extra[size + 4:]
    return True


def central_directory(data: bytes) -> tuple[list[Entry], int] | None:
    """Entries and directory offset of a plain zip (no comment, prefix, zip64 or odd names), else None."""
    end = len(data) - 22
    if end < 0 or data[end:end + 4] != b"PK\x05\x06" or data[-2:] != b"\0\0" or \
            (end >= 20 and data[end - 20:end - 16] == b"PK\x06\x07"):
        return None
    _, disk, disk_cd, here, count, size, offset, _ = _END.unpack_from(data, end)
    if disk or disk_cd or here != count or offset + size != end:
        return None
    entries, pos = [], offset
    while pos < end:
        (sig, _, _, version, _, flags, method, _, _, crc, packed, unpacked, name_len, extra_len, comment_len,
         _, _, _, at) = _CENTRAL.unpack_from(data, pos)
        start = pos + 46 + name_len
        pos = start + extra_len + comment_len
        if sig != b"PK\x01\x02" or version > zipfile.MAX_EXTRACT_VERSION or pos > end or \
                0xFFFFFFFF in (packed, unpacked, at) or not _plain_extra(data[start:start + extra_len]):
            return None
        name = _name(data[start - name_len:start], flags)
        if "\0" in name or (os.sep != "/" and os.sep in name):
            return None
        entries.append(Entry(name, flags, method, crc, packed, unpacked, at))
    return (entries, offset) if len(entries) == count else None


def inflate(data: bytes, entry: Entry, limit: int) -> bytes | None:
    """The entry's bytes when zipfile would read exactly these without error, else None."""
    sig, _, _, flags, _, _, _, _, _, _, name_len, extra_len = _LOCAL.unpack_from(data, entry.header_offset)
    start = entry.header_offset + 30 + name_len + extra_len
    name = _name(data[start - extra_len - name_len:start - extra_len], flags)
    if sig != b"PK\x03\x04" or name != entry.filename or start + entry.compress_size > limit:
        return None
    raw = data[start:start + entry.compress_size]

    def inflate() -> bytes | None:
        if entry.compress_type == zipfile.ZIP_STORED:
            out = raw
        elif entry.compress_type == zipfile.ZIP_DEFLATED:
            out = zlib.decompressobj(-15).decompress(raw, entry.file_size + 1)  # never more than declared + 1
        else:
            return None
        return out if len(out) == entry.file_size and zlib.crc32(out) == entry.CRC else None

    key = (entry.compress_type, entry.CRC, entry.file_size, raw)
    return _INFLATED.get(key, inflate, entry.file_size + entry.compress_size)
