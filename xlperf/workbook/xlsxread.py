"""Fast read-only .xlsx access: cached values, formulas, formats and merges of only the sheets asked for."""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from operator import itemgetter
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from xlperf.core.frozen import frozen
from xlperf.workbook.cellscan import quick_scan
from xlperf.workbook.limits import MAX_CELLS, SheetTooLarge, clip_merged
from xlperf.workbook.sheetcells import Cells, NoReference, sheet_patterns
from xlperf.workbook.xlsxparts import (CACHED_PART_LIMIT, CellError, PackageParts, PartCache, attrs, cell_range,
                                       decode_xml, parse_workbook, relationships, root_prefix, shared_strings, small_names,
                                       tags_agree, xml_bool)
from xlperf.workbook.xlsxstyles import DEFAULT_STYLE, EPOCH_1900, EPOCH_1904, StyleInfo, parse_styles

__all__ = ["CellError", "PackageError", "PackageTooLarge", "SheetData", "SheetTooLarge", "SheetRef", "StyleInfo", "WorkbookData",
           "grid_from_sheet", "read_workbook"]

if TYPE_CHECKING:
    from xlperf.workbook.grid import SheetGrid

Pos = tuple[int, int]
_MALFORMED = (zipfile.BadZipFile, zipfile.LargeZipFile, LookupError, ValueError, ArithmeticError, TypeError,
              zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, struct.error)


class PackageError(Exception):
    """The file is not a readable .xlsx package; ``detail`` says why."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class PackageTooLarge(PackageError):
    """The zip directory declares more uncompressed bytes than the caller allows."""

    def __init__(self, size: int, limit: int):
        Exception.__init__(self, size, limit)
        self.size, self.limit = size, limit
        self.detail = f"declared uncompressed size {size} bytes exceeds the limit of {limit}"

    def __str__(self) -> str:
        return self.detail


@frozen
class SheetRef:
    """A sheet as workbook.xml lists it."""

    name: str
    state: str  # visible, hidden or veryHidden
    kind: str  # worksheet, chartsheet, dialogsheet, macrosheet …
    part: str | None  # e.g. xl/worksheets/sheet1.xml


@frozen
class SheetData:
    """One worksheet's cells. Positions are (row, column), 1-based; max_row/max_col count like openpyxl."""

    name: str
    state: str
    part: str
    values: dict[Pos, Any] = field(default_factory=dict)
    formulas: dict[Pos, str] = field(default_factory=dict)
    array_refs: dict[Pos, str] = field(default_factory=dict)
    styles: dict[Pos, int] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    max_row: int = 1
    max_col: int = 1
    protected: bool = False
    dimension: str | None = None
    style_table: tuple[StyleInfo, ...] = field(default=(DEFAULT_STYLE,), repr=False, compare=False)
    # what read_workbook read the cells from (sheet, shared strings and styles bytes, 1904 flag): an equal
    # source means equal cells, as long as nobody changed this copy
    source: tuple | None = field(default=None, repr=False, compare=False)

    def style(self, row: int, col: int) -> StyleInfo:
        index = self.styles.get((row, col), 0)
        return self.style_table[index] if 0 <= index < len(self.style_table) else DEFAULT_STYLE

    def is_percent(self, row: int, col: int) -> bool:
        return self.style(row, col).percent

    def is_locked(self, row: int, col: int) -> bool:
        return bool(self.locked([(row, col)]))

    def locked(self, cells: Iterable[Pos]) -> set[Pos]:
        """The ``cells`` that are locked, decided per style rather than per cell."""
        cells = set(cells)
        unlocked = {index for index, style in enumerate(self.style_table) if not style.locked}
        if 0 in unlocked:
            return {pos for pos in cells if self.styles.get(pos, 0) not in unlocked}
        return cells - {pos for pos, index in self.styles.items() if index in unlocked} if unlocked else cells


@dataclass(frozen=True)
class WorkbookData:
    """The parts of a workbook that were read; ``sheets`` holds only the requested worksheets."""

    sheets: list[SheetData]
    sheet_refs: list[SheetRef]
    styles: tuple[StyleInfo, ...]
    has_vba: bool
    vba_sha256: str | None
    part_names: list[str]
    defined_names: list[tuple[str, int | None, str]]  # name, localSheetId, formula text
    date1904: bool = False

    def sheet(self, name: str) -> SheetData:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)


def read_workbook(source: str | os.PathLike[str] | bytes | PackageParts, sheets: Iterable[str] | None = None,
                  max_uncompressed: int = 200 * 2**20, *, shared: bool = False) -> WorkbookData:
    """Read a path, the file's bytes or the parts sniff verified; the file is opened read-only.

    Raises PackageError/PackageTooLarge. Parts byte-identical to recent ones are parsed once (PartCache).
    With ``shared``, a sheet's containers (values, formulas …) may be the ones kept for later reads: the
    caller reads them and never changes them (open_view copies what it hands out; this spares a second
    copy of every container per sheet)."""
    wanted = None if sheets is None else set([sheets] if isinstance(sheets, str) else sheets)
    if isinstance(source, PackageParts):
        return _guarded(lambda: _Package(source.names, source.total, source.data.__getitem__,
                                         max_uncompressed, shared).read(wanted))
    # a missing or unreadable path raises OSError here, as open() does
    handle = io.BytesIO(source) if isinstance(source, (bytes, bytearray, memoryview)) else open(source, "rb")
    with handle:
        return _guarded(lambda: _read_zip(handle, max_uncompressed, wanted, shared))


def _read_zip(handle: IO[bytes], limit: int, wanted: set[str] | None, shared: bool) -> WorkbookData:
    with zipfile.ZipFile(handle) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        return _Package(names, sum(info.file_size for info in infos), archive.read, limit, shared).read(wanted)


def _guarded(read: Callable[[], WorkbookData]) -> WorkbookData:
    try:
        return read()
    except (PackageError, SheetTooLarge):
        raise
    except _MALFORMED as exc:
        raise PackageError(f"{type(exc).__name__}: {exc}") from exc


_TEXTS = PartCache(32, 2**20)  # part bytes → decoded text (structural parts only: sheets are cached parsed)
_STRINGS = PartCache(8)  # shared string part bytes → tuple of strings
_SHEETS = PartCache(64)  # SheetData.source → SheetData, copied before it is handed out


def _decoded(data: bytes | None) -> str | None:
    return None if data is None else _TEXTS.get(data, lambda: decode_xml(data))


@lru_cache(maxsize=64)
def _name_index(names: tuple[str, ...]) -> tuple[frozenset[str], Mapping[str, str]]:
    """The part names, and each by its lower case (the last of equal ones): kept by the names, which copies
    of a form repeat (never changed: read only); read_workbook overhead 12.3 → 11.2 µs a bureau copy."""
    return frozenset(names), {name.lower(): name for name in names}


class _Package:
    """Part access with the size check done before anything is decompressed."""

    def __init__(self, names: list[str] | tuple[str, ...], total: int, read: Callable[[str], bytes], limit: int,
                 shared: bool = False):
        if total > limit:
            raise PackageTooLarge(total, limit)
        self.shared = shared
        self.read_part = read
        self.names = tuple(names)
        self.exact, self.folded = (_name_index if small_names(self.names) else _name_index.__wrapped__)(self.names)
        self.reads: list[tuple[str, bytes]] | None = None  # the parts read, while _layout runs

    def part(self, path: str) -> bytes | None:
        name = path if path in self.exact else self.folded.get(path.lower())
        if name is None:
            return None
        data = self.read_part(name)
        if self.reads is not None:
            self.reads.append((name, data))
        return data

    def text(self, path: str, required: bool = False) -> str | None:
        data = self.part(path)
        if data is None and required:
            raise PackageError(f"missing part {path}")
        return _decoded(data)

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, base = posixpath.split(part)
        found = relationships(self.text(posixpath.join(folder, "_rels", base + ".rels")), folder)
        return {rid: (kind, target) for rid, kind, target in found}

    def read(self, wanted: set[str] | None) -> WorkbookData:
        layout = self.layout(wanted)
        strings = self.part(layout.strings) if layout.todo else None
        shared = _STRINGS.get(strings, lambda: tuple(shared_strings(strings and decode_xml(strings))))
        key = (strings, layout.styles_data, layout.date1904)
        context = _Context(list(shared), layout.styles, EPOCH_1904 if layout.date1904 else EPOCH_1900, key,
                           layout.dates)  # list: same errors
        sheets = [self.sheet(r, context) for r in layout.todo]
        vba = self.part(layout.vba)
        vba_hash = None if vba is None else hashlib.sha256(vba).hexdigest()
        return WorkbookData(sheets, list(layout.refs), layout.styles, vba is not None, vba_hash, list(self.names),
                            list(layout.names), layout.date1904)

    def layout(self, wanted: set[str] | None) -> _Layout:
        """The workbook's structure, kept with the parts it was made from (_LAYOUTS)."""
        key = (self.names, None if wanted is None else frozenset(wanted))
        for reads, layout in _LAYOUTS.get(key, ()):
            if all((got := self.read_part(name)) is data or got == data for name, data in reads):
                return layout
        self.reads = []
        layout = self._layout(wanted)
        reads, self.reads = tuple(self.reads), None
        size = sum(len(data) for _, data in reads)
        if size <= CACHED_PART_LIMIT and small_names(self.names):
            if len(_LAYOUTS) >= 64 or _LAYOUT_BYTES[0] + size > _LAYOUT_BUDGET:
                _LAYOUTS.clear()
                _LAYOUT_BYTES[0] = 0
            _LAYOUTS[key] = [(reads, layout), *_LAYOUTS.get(key, ())][:4]
            _LAYOUT_BYTES[0] += size  # an upper bound: a fifth layout dropped for a key is still counted
        return layout

    def _layout(self, wanted: set[str] | None) -> _Layout:
        root = [target for kind, target in self.rels("").values() if kind == "officeDocument"]
        book_part = root[0] if root else "xl/workbook.xml"
        rels = self.rels(book_part)
        targets = {kind: target for kind, target in rels.values()}
        entries, date1904, names = parse_workbook(self.text(book_part, required=True))
        refs = tuple(SheetRef(name, state, *rels.get(rid, ("", None))) for name, state, rid in entries)
        styles_data = self.part(targets.get("styles", "xl/styles.xml"))
        styles_text = _decoded(styles_data)
        styles = parse_styles(styles_text) if styles_text else (DEFAULT_STYLE,)
        todo = tuple(r for r in refs if r.kind == "worksheet" and (wanted is None or r.name in wanted))
        return _Layout(refs, todo, styles, styles_data, date1904, tuple(names),
                       targets.get("sharedStrings", "xl/sharedStrings.xml"),
                       targets.get("vbaProject", "xl/vbaProject.bin"),
                       {i: s.timedelta for i, s in enumerate(styles) if s.date})

    def sheet(self, ref: SheetRef, context: _Context) -> SheetData:
        data = self.part(ref.part)
        if data is None:
            raise PackageError(f"missing part {ref.part}")
        key = (data, *context.key)
        parsed = _SHEETS.get(key, lambda: _parse_sheet(decode_xml(data), ref, context))
        if self.shared:
            return SheetData(ref.name, ref.state, ref.part or "", parsed.values, parsed.formulas, parsed.array_refs,
                             parsed.styles, parsed.merged, parsed.max_row, parsed.max_col, parsed.protected,
                             parsed.dimension, parsed.style_table, key)
        return SheetData(ref.name, ref.state, ref.part or "", dict(parsed.values), dict(parsed.formulas),
                         dict(parsed.array_refs), dict(parsed.styles), list(parsed.merged), parsed.max_row,
                         parsed.max_col, parsed.protected, parsed.dimension, parsed.style_table, key)


@dataclass(frozen=True)
class _Layout:
    """What read_workbook takes from the structural parts (rels, workbook.xml, styles): the same for every
    copy of a form. Kept by the names and the very parts read (_Package.layout, checked byte for byte, mostly
    by identity: rawzip hands out its kept part bytes): sniff+read 0.44 → 0.42 ms per bureau copy."""

    refs: tuple[SheetRef, ...]
    todo: tuple[SheetRef, ...]  # the worksheets to read
    styles: tuple[StyleInfo, ...]
    styles_data: bytes | None
    date1904: bool
    names: tuple[tuple[str, int | None, str], ...]  # defined names
    strings: str  # the shared strings part's path
    vba: str  # the VBA project's path
    dates: Mapping[int, Any]  # style index → timedelta flag, of the date styles (never changed)


_LAYOUTS: dict[tuple, list[tuple[tuple[tuple[str, bytes], ...], _Layout]]] = {}
_LAYOUT_BUDGET = 2 * 2**20  # part bytes the kept layouts hold, together at most
_LAYOUT_BYTES = [0]  # what they hold now (at most)


@dataclass
class _Context:
    shared: list[str]
    styles: tuple[StyleInfo, ...]
    epoch: Any
    key: tuple[bytes | None, bytes | None, bool]  # the bytes the context was made from, and the 1904 flag
    dates: Mapping[int, Any]  # read only


def _parse_sheet(text: str, ref: SheetRef, context: _Context) -> SheetData:
    p = root_prefix(text, "worksheet")
    dimension, merge, protection = sheet_patterns(p)[6:]
    start, close = text.find(f"<{p}sheetData"), f"</{p}sheetData>"
    # the LAST end tag, found from the end of the text: 0.011 → 0.0005 ms per bureau copy against a search
    # through the cells for the first one; quick_scan answers True only when no cell holds another (the
    # first then), else the first is searched for. A long range has its first end tag at once (counted next).
    end = text.rfind(close, start)
    end = text.find(close, start) if end - start > 2 * MAX_CELLS else end
    if start < 0 or (end < 0 and text[text.index(">", start) - 1] != "/"):
        raise PackageError(f"{ref.part}: no complete <sheetData>")
    end = text.index(">", start) if end < 0 else end
    # an upper bound of the cells (C-speed; before any is parsed), unless the range is too short to exceed it
    count = text.count(f"<{p}c", start, end) if end - start > 2 * MAX_CELLS else None
    if count is not None and count > MAX_CELLS:
        raise SheetTooLarge(ref.name, count)
    cells = Cells(p, context)
    try:
        if quick_scan(cells, text, start, end, count):
            count = cells.count  # every "<c" began a plain cell
        else:
            end = text.find(close, start) if text.startswith(close, end) else end  # the first end tag
            cells = Cells(p, context)
            cells.scan(cells.patterns[0], text, start, end)
    except NoReference:
        cells = Cells(p, context)
        cells.scan(cells.patterns[1], text, start, end)
    if not tags_agree(cells.count, text, p, "c", start, end, count):
        raise PackageError(f"{ref.part}: malformed <c> element")
    inners = merge.findall(text, end)
    merged = list(_merged(tuple(inners)) if len(inners) <= _MEMO_MERGES else _merged.__wrapped__(inners))
    wide = [m for m in merged if m[:2] != m[2:]]
    dim = dimension.search(text, 0, start)
    guard = protection.search(text, end)
    return SheetData(ref.name, ref.state, ref.part or "", cells.values, cells.formulas, cells.array_refs,
                     cells.styles, merged, max([1, cells.max_row] + [m[2] for m in wide]),
                     max([1, cells.max_col] + [m[3] for m in wide]),
                     bool(guard) and xml_bool(attrs(guard[1]).get("sheet")),
                     attrs(dim[1]).get("ref") if dim else None, context.styles)


_MEMO_MERGES = 256  # sheets with more merged ranges are parsed without the memo (which holds ≤ 64 sheets)


@lru_cache(maxsize=64)
def _merged(inners: Sequence[str]) -> tuple[tuple[int, int, int, int], ...]:
    """The merged ranges of a sheet's <mergeCell> tags (their insides), kept by those texts: copies of
    one form repeat them (0.045 of 0.34 ms per bureau copy went into parsing them again)."""
    return tuple(cell_range(attrs(inner).get("ref", "")) for inner in inners)


_MEMO_AREA = 1024  # ranges covering more cells together are matched against the values (the memo: ≤ 64 × 1 024)


@lru_cache(maxsize=64)
def _inside(merged: tuple[tuple[int, int, int, int], ...]) -> frozenset[Pos]:
    """The cells of merged ranges, each range's own top-left left out, kept by the ranges."""
    inside: set[Pos] = set()
    for r1, c1, r2, c2 in merged:
        cells = set(product(range(r1, r2 + 1), range(c1, c2 + 1)))
        cells.discard((r1, c1))
        inside |= cells
    return frozenset(inside)


def _covered(merged: list[tuple[int, int, int, int]], values: dict[Pos, Any]) -> set[Pos]:
    """Cells holding a value inside a merged range but not at its top-left (openpyxl blanks them).

    Copies of one form repeat their merged ranges: their cells are made once (_inside), then one set
    intersection (0.015 → 0.006 ms per bureau copy against a pass per range)."""
    if sum((r2 - r1 + 1) * (c2 - c1 + 1) for r1, c1, r2, c2 in merged) <= _MEMO_AREA:
        return set(_inside(tuple(merged)).intersection(values))
    covered: set[Pos] = set()
    for r1, c1, r2, c2 in merged:
        if (r2 - r1 + 1) * (c2 - c1 + 1) <= len(values):
            found = set(filter(values.__contains__, product(range(r1, r2 + 1), range(c1, c2 + 1))))
        else:
            found = {p for p in values if r1 <= p[0] <= r2 and c1 <= p[1] <= c2}
        found.discard((r1, c1))
        covered |= found
    return covered


def grid_from_sheet(sheet: SheetData, styles: tuple[StyleInfo, ...] | list[StyleInfo] | None = None,
                    max_rows: int = 5000, max_cols: int = 60) -> SheetGrid:
    """The SheetGrid that grid_from_worksheet builds from openpyxl (data_only=True), from xlsxread data;
    values and merged ranges within the first ``max_rows`` × ``max_cols`` cells (the reader's window)."""
    from xlperf.workbook.grid import SheetGrid

    table = sheet.style_table if styles is None else styles
    values = sheet.values
    last = (max(values)[0], max(map(itemgetter(1), values))) if values else (0, 0)
    if last[0] > min(sheet.max_row, max_rows) or last[1] > min(sheet.max_col, max_cols):
        last_row, last_col = min(sheet.max_row, max_rows), min(sheet.max_col, max_cols)
        values = {pos: value for pos, value in values.items() if pos[0] <= last_row and pos[1] <= last_col}
        last = None
    # the blank strings listed, then deleted from a copy: 0.019 → 0.010 ms per bureau copy against a dict
    # comprehension that tests every value; the last row and column are then counted once, not twice
    dropped = [pos for pos, value in values.items() if isinstance(value, str) and not value.strip()]
    kept = dict(values)
    merged = clip_merged(sheet.merged, max_rows, max_cols) if sheet.merged else []
    for pos in dropped:
        del kept[pos]
    for pos in _covered(merged, kept) if merged else ():
        del kept[pos]
    grid = SheetGrid(sheet.name, kept, merged=merged)
    if kept:
        grid.max_row, grid.max_col = last if last and len(kept) == len(values) else \
            (max(kept)[0], max(map(itemgetter(1), kept)))
    percent = {index for index, style in enumerate(table) if style.percent}
    if percent:
        styles = sheet.styles
        cells = [pos for pos in kept if styles.get(pos, 0) in percent] if 0 in percent else \
            [pos for pos, index in styles.items() if index in percent]
        grid.percent = {pos for pos in cells if isinstance(kept.get(pos), (int, float))}
    return grid
