"""Reading a package once: sniff's fast path, open_view from the parts sniff verified, and the part caches."""

from __future__ import annotations

import copy
import random
import struct
import zipfile
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.styles import Protection

from tests.corpus import filled, finish
from xlperf.workbook import sniff as sniffing
from xlperf.workbook import rawzip, xlsxparts, xlsxread
from xlperf.workbook.rawzip import central_directory
from xlperf.workbook.sniff import sniff
from xlperf.workbook.view import WorkbookView, open_view, open_view_openpyxl
from xlperf.workbook.xlsxparts import PartCache, decode_xml, shared_strings
from xlperf.workbook.xlsxread import read_workbook


def workbook(path: Path, unlocked: tuple[str, ...] = (), value: float = 1) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws["A1"], ws["B1"], ws["C1"], ws["B2"] = "指标", value, "=B1*2", 0.5
    ws["B2"].number_format = "0.00%"
    ws.merge_cells("A3:B3")
    for ref in unlocked:
        ws[ref].protection = Protection(locked=False)
    wb.save(path)
    return path


def rezip(src: Path, dst: Path, edit=None, compression: int = zipfile.ZIP_DEFLATED, extra: bytes = b"",
          comment: bytes = b"", add: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        for info in zin.infolist():
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type, entry.extra = compression, extra
            data = zin.read(info)
            zout.writestr(entry, edit(info.filename, data) if edit else data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
        zout.comment = comment
    return dst


def state(view: WorkbookView) -> tuple:
    grids = [(g.name, g.values, g.percent, g.merged, g.max_row, g.max_col) for g in view.grids]
    return grids, view.formulas, view.locked, view.states, view.merged, view.vba_sha256, view.marker


def slow_sniff(path: Path, monkeypatch, **limits):
    with monkeypatch.context() as patch:
        patch.setattr(sniffing, "_read_plain_zip", lambda *args: None)
        return sniff(path, **limits)


def same_sniff(path: Path, monkeypatch, **limits):
    """sniff with and without the fast path agree; an accepted package holds exactly zipfile's bytes."""
    fast, slow = sniff(path, keep_parts=True, **limits), slow_sniff(path, monkeypatch, **limits)
    assert (fast.kind, fast.finding, fast.has_vba, fast.uncompressed_size, fast.parts) == \
        (slow.kind, slow.finding, slow.has_vba, slow.uncompressed_size, slow.parts)
    if fast.package is not None:
        with zipfile.ZipFile(path) as archive:
            assert dict(fast.package.data) == {name: archive.read(name) for name in archive.namelist()}
    return fast


def test_fast_path_reads_a_plain_package_once(tmp_path, monkeypatch):
    path = workbook(tmp_path / "a.xlsx", ("B1",))
    found = same_sniff(path, monkeypatch)
    assert found.ok and found.package is not None and found.package.names == found.parts
    assert sniff(path).package is None  # kept only when asked for
    assert state(open_view(path, package=found.package)) == state(open_view(path))


@pytest.mark.parametrize("framework, case", [("dapeng", "dapeng_2024"), ("self_eval", None)])
def test_view_from_parts_equals_view_from_path(framework, case, tmp_path):
    path = finish(filled(framework, case), tmp_path / "copy.xlsx")
    kind = sniff(path, keep_parts=True)
    assert kind.package is not None
    view, reference = open_view(path, package=kind.package), open_view_openpyxl(path)
    assert state(view) == state(open_view(path))
    assert view.locked == reference.locked and view.formulas == reference.formulas


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_odd_packages_take_the_careful_path(tmp_path, monkeypatch):
    plain = workbook(tmp_path / "plain.xlsx")
    bzip = rezip(plain, tmp_path / "bzip.xlsx", compression=zipfile.ZIP_BZIP2)
    stored = rezip(plain, tmp_path / "stored.xlsx", compression=zipfile.ZIP_STORED)
    commented = rezip(plain, tmp_path / "comment.xlsx", comment=b"note")
    stamped = rezip(plain, tmp_path / "stamp.xlsx", extra=struct.pack("<HHB", 0x5455, 1, 1))
    unicode_path = rezip(plain, tmp_path / "upath.xlsx", extra=struct.pack("<HHB", 0x7075, 1, 1))
    doubled = rezip(plain, tmp_path / "double.xlsx", add={"xl/styles.xml": b"<styleSheet/>"})
    prefixed = tmp_path / "prefix.xlsx"
    prefixed.write_bytes(b"junk" + plain.read_bytes())
    for path in (bzip, commented, unicode_path, doubled, prefixed):
        assert same_sniff(path, monkeypatch).package is None, path.name
    for path in (plain, stored, stamped):
        assert same_sniff(path, monkeypatch).package is not None, path.name
    assert same_sniff(plain, monkeypatch, verify_limit=100).package is None  # too large to verify it all
    assert same_sniff(plain, monkeypatch, max_uncompressed=100).kind == "too-large"


def test_damaged_packages_get_the_same_findings(tmp_path, monkeypatch):
    data = workbook(tmp_path / "a.xlsx").read_bytes()
    assert sniff(tmp_path / "a.xlsx", keep_parts=True).ok  # its parts cached: damaged copies must not reuse them
    rng = random.Random(7)
    for i in range(120):
        damaged = bytearray(data)
        if i % 3 == 0:
            del damaged[rng.randrange(len(damaged)):]
        else:
            start = data.rfind(b"PK\x01\x02") if i % 3 == 1 else 0  # the directory, or anywhere
            for _ in range(rng.randint(1, 3)):
                at = rng.randrange(start, len(damaged))
                damaged[at] ^= 1 << rng.randrange(8)
        path = tmp_path / f"d{i}.xlsx"
        path.write_bytes(bytes(damaged))
        same_sniff(path, monkeypatch)


def test_encrypted_flag_and_bad_crc(tmp_path, monkeypatch):
    data = bytearray(workbook(tmp_path / "a.xlsx").read_bytes())
    flagged = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = flagged.find(signature)
        flagged[at + offset] |= 1
    (tmp_path / "enc.xlsx").write_bytes(bytes(flagged))
    assert same_sniff(tmp_path / "enc.xlsx", monkeypatch).kind == "encrypted"
    crc = data.find(b"PK\x01\x02") + 16
    data[crc] ^= 0xFF
    (tmp_path / "crc.xlsx").write_bytes(bytes(data))
    assert same_sniff(tmp_path / "crc.xlsx", monkeypatch).kind == "corrupt"


def test_cached_part_needs_the_same_bytes(tmp_path, monkeypatch):
    """A part cached by its directory entry (name, CRC, sizes) is reused only for the very same bytes: a copy
    whose compressed data differs under an unchanged directory (a lying CRC) gets the careful path's verdict."""
    path = workbook(tmp_path / "a.xlsx")
    data = path.read_bytes()
    assert sniff(path, keep_parts=True).ok
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            for offset in (0, info.compress_size // 2, info.compress_size - 1):
                damaged = bytearray(data)
                damaged[at + offset] ^= 0x10
                copy_path = tmp_path / "damaged.xlsx"
                copy_path.write_bytes(bytes(damaged))
                found = same_sniff(copy_path, monkeypatch)
                assert found.kind == "corrupt" or found.package is None or \
                    found.package.data[info.filename] == archive.read(info), info.filename
    assert same_sniff(path, monkeypatch).package is not None


def test_shared_styles_part_with_a_different_lock(tmp_path):
    first = workbook(tmp_path / "first.xlsx", ("B1",))
    second = workbook(tmp_path / "second.xlsx", ("C1",))
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.read("xl/styles.xml") == b.read("xl/styles.xml")
    for path, unlocked in ((first, (1, 2)), (second, (1, 3)), (first, (1, 2))):
        view = open_view(path, package=sniff(path, keep_parts=True).package)
        assert unlocked not in view.locked["评分表"] and view.locked == open_view_openpyxl(path).locked


def test_same_sheet_with_a_different_styles_part(tmp_path):
    unlocked = workbook(tmp_path / "unlocked.xlsx", ("B1",))
    locked = rezip(unlocked, tmp_path / "locked.xlsx",
                   edit=lambda name, data: data.replace(b'locked="0"', b'locked="1"') if name == "xl/styles.xml"
                   else data)
    assert (1, 2) not in open_view(unlocked).locked["评分表"]
    assert (1, 2) in open_view(locked).locked["评分表"]
    assert (1, 2) not in open_view(unlocked, package=sniff(unlocked, keep_parts=True).package).locked["评分表"]


def test_kept_layout_needs_the_same_structural_parts(tmp_path):
    """Copies with the same part names but another workbook.xml, rels or styles part get their own structure."""
    plain = workbook(tmp_path / "plain.xlsx", ("B1",))
    edits = {"hidden": ("xl/workbook.xml", b'state="visible"', b'state="hidden"'),
             "1904": ("xl/workbook.xml", b"<workbookPr", b'<workbookPr date1904="1"'),
             "locked": ("xl/styles.xml", b'locked="0"', b'locked="1"'),
             "renamed": ("xl/_rels/workbook.xml.rels", b'Target="/xl/worksheets/sheet1.xml"',
                         b'Target="worksheets/missing.xml"')}
    paths = [plain]
    for label, (part, old, new) in edits.items():
        paths.append(rezip(plain, tmp_path / f"{label}.xlsx",
                           edit=lambda name, data, part=part, old=old, new=new: data.replace(old, new)
                           if name == part else data))
    expected = {}
    for path in paths:
        xlsxread._LAYOUTS.clear()
        expected[path] = _outcome(path)
    for path in paths + paths[::-1]:
        assert _outcome(path) == expected[path], path.name
    assert len({repr(outcome) for outcome in expected.values()}) == len(paths)


def _outcome(path: Path) -> object:
    try:
        book = read_workbook(sniff(path, keep_parts=True).package)
    except Exception as exc:  # noqa: BLE001 - the error is the outcome
        return type(exc).__name__, str(exc)
    return book, [(sheet.values, sheet.styles, sheet.locked(sheet.values)) for sheet in book.sheets]


def test_cached_results_cannot_be_changed_by_a_caller(tmp_path):
    path = workbook(tmp_path / "a.xlsx", ("B1",))
    package = sniff(path, keep_parts=True).package
    expected = copy.deepcopy(state(open_view(path, package=package)))
    view = open_view(path, package=package)
    grid = view.grids[0]
    grid.values.clear(), grid.percent.clear(), grid.merged.clear()
    view.formulas["评分表"][(9, 9)] = "=1"
    view.locked["评分表"].clear()
    view.merged["评分表"].append((1, 1, 2, 2))
    assert state(open_view(path, package=package)) == state(open_view(path)) == expected
    book = read_workbook(package)
    sheet = book.sheets[0]
    sheet.values.clear(), sheet.formulas.clear(), sheet.styles.clear(), sheet.merged.clear()
    assert read_workbook(package) == read_workbook(path) != book


def test_part_cache_bounds():
    cache, calls = PartCache(maxsize=2, budget=10), []

    def make(value):
        return lambda: calls.append(value) or value

    assert cache.get(b"aaaa", make(1)) == 1 and cache.get(bytes(b"aaaa"), make(2)) == 1  # equal bytes hit
    cache.get(b"bbbb", make(3))
    cache.get(b"cccc", make(4))  # over the budget of 10 bytes: the oldest goes
    assert cache.get(b"aaaa", make(5)) == 5
    cache.get((b"x" * 11, 1), make(6))  # larger than the budget: never kept
    assert cache.get((b"x" * 11, 1), make(7)) == 7 and len(cache.items) <= 2 and cache.used <= 10
    assert calls == [1, 3, 4, 5, 6, 7]
    cache.clear()
    assert not cache.items and cache.used == 0


def reference_decode(data: bytes) -> str:
    """decode_xml as it was before its byte-level shortcut."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16")
    else:
        declared = xlsxparts._DECLARED.match(data, 3 if data[:3] == b"\xef\xbb\xbf" else 0)
        encoding = declared[1].decode("ascii") if declared else "utf-8"
        text = data.decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<!" in text or text.find("<?", 5) >= 0:
        if "<!DOCTYPE" in text or "<!ENTITY" in text:
            raise ValueError("DTDs are not allowed in OOXML parts")
        if any(text.rfind(start) > text.rfind(end) for start, end in xlsxparts._UNTERMINATED):
            raise ValueError("unterminated comment, CDATA section or processing instruction")
        text = xlsxparts._COMMENT.sub("", xlsxparts._CDATA.sub(
            lambda m: m[1].replace("&", "&amp;").replace("<", "&lt;"), text))
    return text


PIECES = ["<", ">", "!", "?", "-", "\r", "\n", "a", "中", "&", "<?pi x?>", "<!--", "-->", "<![CDATA[", "]]>",
          "<?xml version='1.0' encoding='utf-8'?>", "<!DOCTYPE", "<x>", "</x>"]


def outcome(function, data: bytes):
    try:
        return function(data)
    except ValueError as exc:
        return type(exc), str(exc)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), st.sampled_from([b"", b"\xef\xbb\xbf"]),
       st.sampled_from(["utf-8", "gb18030"]))
def test_decode_xml_shortcut_changes_nothing(text, bom, encoding):
    declared = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding != "utf-8" else ""
    data = (bom if encoding == "utf-8" else b"") + (declared + text).encode(encoding)
    assert outcome(decode_xml, data) == outcome(reference_decode, data)


STRING_PIECES = ["<si>", "<t>", "</t>", "</si>", "<si><t>", "</t></si>", "a", "中", " ", "&amp;", "x005F_", "<r>",
                 "</r>", '<t xml:space="preserve">', "<rPh>", "</rPh>", "<si/>", "<sis>", "<x:si>", "<", ">"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(STRING_PIECES), max_size=16).map("".join), st.sampled_from(["", "x:"]),
       st.sampled_from(["", '<?xml version="1.0"?>\n']))
def test_plain_strings_shortcut_changes_nothing(body, prefix, head):
    text = f'{head}<{prefix}sst count="1">{body.replace("<", "<" + prefix) if prefix else body}</{prefix}sst>'
    for table in (text, text.replace("</sst>", "<si><t>b</t></si></sst>"), f"{head}<sst><si><t>{body}</t></si></sst>"):
        fast = outcome(shared_strings, table)
        with mock.patch.object(xlsxparts, "_plain_strings", lambda text, p: None):
            assert fast == outcome(shared_strings, table), table


def test_markup_declaration_search():
    for data in (b"", b"!", b"<!", b"a!<!", b"!" * 9 + b"<!", b"!" * 20, b"<a!b>" * 10 + b"<!--", b"<?x!?>"):
        assert xlsxparts._has_markup_declaration(data) == (b"<!" in data), data


def test_zip_limits_accepts_directory_entries(tmp_path):
    path = workbook(tmp_path / "a.xlsx")
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    entries = central_directory(path.read_bytes())[0]
    assert [(e.filename, e.file_size, e.compress_size, e.CRC) for e in entries] == \
        [(i.filename, i.file_size, i.compress_size, i.CRC) for i in infos]
    assert sniffing.zip_limits(entries, 10) == sniffing.zip_limits(infos, 10) is not None


def test_a_sheet_met_first_then_again_gives_equal_views_that_share_nothing(tmp_path):
    """A first-seen sheet's view gets the new containers uncopied; the sheet met again comes from the cache."""
    from xlperf.workbook import view as viewing

    path = workbook(tmp_path / "a.xlsx", ("B1",))
    viewing._SEEN.clear(), viewing._SHEETS.clear()
    first = open_view(path)
    expected = copy.deepcopy(state(first))
    assert expected == state(open_view_openpyxl(path))
    grid = first.grids[0]
    grid.values.clear(), grid.percent.clear(), grid.merged.clear()
    first.formulas["评分表"][(9, 9)] = "=1"
    first.locked["评分表"].clear(), first.arrays["评分表"].clear(), first.merged["评分表"].clear()
    second = open_view(path)  # met again: made and kept now
    assert state(second) == expected and len(viewing._SHEETS.items) == 1
    second.grids[0].values.clear(), second.locked["评分表"].clear()
    assert state(open_view(path)) == expected  # from the cache


def test_inflated_parts_stay_within_bounds():
    """Full, the kept parts are those hit since the last time (within bounds), else none."""
    parts = rawzip._Inflated(maxsize=8, budget=1000)
    parts.put(("shared",), b"b" * 10, b"o" * 10)
    for i in range(40):
        parts.hits.add(("shared",))
        parts.put(("own", i), b"b" * 30, b"o" * 30)
        assert len(parts.items) <= 8 and parts.used <= 1000
        assert parts.used == sum(len(blob) + len(out) for blob, out in parts.items.values())
        assert ("shared",) in parts.items
    parts.put(("large",), b"b" * 1000, b"o")  # over the budget (or CACHED_PART_LIMIT): not kept
    assert ("large",) not in parts.items and ("shared",) in parts.items


def test_huge_part_names_are_read_but_never_kept(tmp_path, monkeypatch):
    plain = workbook(tmp_path / "plain.xlsx")
    huge = rezip(plain, tmp_path / "huge.xlsx", add={"x" * 17000: b"a", "y" * 300: b"b"})
    caches = (sniffing._plain_workbook_names, sniffing._has_vba, xlsxread._name_index)
    calls = [cache.cache_info()[:2] for cache in caches]  # hits and misses: neither moves
    found = same_sniff(huge, monkeypatch)
    assert found.ok and found.package is not None
    assert read_workbook(found.package) == read_workbook(huge)
    assert [cache.cache_info()[:2] for cache in caches] == calls
    assert all(len(raw) <= 256 for raw, _ in rawzip._NAMES)
    assert not any(sum(map(len, names)) > 16384 for names, _ in xlsxread._LAYOUTS)
