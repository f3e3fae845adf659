"""Helpers behind xlsxread: XML text handling, part caching, relationships, shared strings and cell references.

styles.xml and dates are in xlsxstyles, shared-formula translation in sharedformula."""

from __future__ import annotations

import posixpath
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Hashable, Mapping, TypeVar
from urllib.parse import unquote


_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# A name starts only where no name character precedes it: without the look-behind, findall retries from
# every character of a long run of name characters that is not followed by "=" (a 40 000-character
# attribute took 27 s, quadratic, holding the interpreter lock all along).
_ATTR = re.compile(r"""(?<![\w:.-])([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DECLARED = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']""")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_UNTERMINATED = (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"))
_COMMENT = re.compile(r"<!--.*?-->|<\?(?!xml\b).*?\?>", re.S)
_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
POSITIONS: dict[str, tuple[int, int]] = {}
CACHED_PART_LIMIT = 512 * 1024  # larger parts (and keys) are never cached: a cache holds few, small entries
T = TypeVar("T")


class CellError(str):
    """A cached error value such as "#DIV/0!" (compares equal to its text)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"CellError({str.__repr__(self)})"


@dataclass(frozen=True)
class PackageParts:
    """Every part of a zip package, inflated and CRC-checked once (by sniff), in directory order."""

    names: tuple[str, ...]
    data: Mapping[str, bytes]
    total: int  # declared uncompressed bytes of all parts


class PartCache:
    """A small thread-safe LRU of results made from part bytes, bounded in entries and in input bytes.

    Keys hold the bytes themselves, so a hit means byte-for-byte equal input (never a checksum);
    values must be immutable, or copied by the caller before they are handed out."""

    def __init__(self, maxsize: int = 32, budget: int = 2 * 2**20):
        self.maxsize, self.budget, self.used = maxsize, budget, 0
        self.items: dict[Hashable, tuple[Any, int]] = {}
        self.lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T], size: int | None = None) -> T:
        """The cached result for ``key``, else ``make()``, kept if its input (by default: the bytes in the key,
        a bytes object or a tuple holding some) is small enough."""
        if size is None:
            size = len(key) if isinstance(key, bytes) else \
                sum(len(item) for item in key if isinstance(item, bytes)) if isinstance(key, tuple) else 0
        if size > min(CACHED_PART_LIMIT, self.budget):
            return make()
        with self.lock:
            found = self.items.pop(key, None)
            if found is not None:
                self.items[key] = found
                return found[0]
        value = make()
        with self.lock:
            old = self.items.pop(key, None)
            self.used += size - (old[1] if old else 0)
            self.items[key] = (value, size)
            while len(self.items) > self.maxsize or self.used > self.budget:
                self.used -= self.items.pop(next(iter(self.items)))[1]
        return value

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.used = 0


def small_names(names: tuple[str, ...]) -> bool:
    """Whether part names may be kept as a cache key (a hostile directory's huge ones are never kept)."""
    return len(names) <= 256 and sum(map(len, names)) <= 16384


def decode_xml(data: bytes) -> str:
    """Part bytes as text with XML line ends; CDATA escaped, comments dropped, DTDs refused."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16")
    else:
        bom = 3 if data[:3] == b"\xef\xbb\xbf" else 0
        declared = _DECLARED.match(data, bom)
        encoding = declared[1].decode("ascii") if declared else "utf-8"
        utf8 = encoding.lower() in ("utf-8", "utf8")
        text = data.decode("utf-8-sig" if utf8 else encoding)
        if utf8 and _plain_markup(data, bom):  # UTF-8 keeps ASCII as it is: the text checks below find nothing
            return _lines(text)
    text = _lines(text)
    if "<!" in text or text.find("<?", 5) >= 0:
        if "<!DOCTYPE" in text or "<!ENTITY" in text:
            raise ValueError("DTDs are not allowed in OOXML parts")
        if any(text.rfind(start) > text.rfind(end) for start, end in _UNTERMINATED):  # lazy regexes: quadratic
            raise ValueError("unterminated comment, CDATA section or processing instruction")
        text = _COMMENT.sub("", _CDATA.sub(lambda m: m[1].replace("&", "&amp;").replace("<", "&lt;"), text))
    return text


def _plain_markup(data: bytes, bom: int) -> bool:
    """No "<!" and no "<?" after the first one, by one-byte searches (fast) before two-byte ones."""
    if b"!" in data and _has_markup_declaration(data):
        return False
    at = data.find(b"?", bom + 2)
    if at < 0 or (data[at - 1] != 0x3C and data.find(b"?", at + 1) < 0):
        return True
    return data.find(b"<?", bom + 1) < 0


def _has_markup_declaration(data: bytes) -> bool:
    """Whether ``b"<!"`` occurs: the first few "!" looked at one by one (a two-byte search took 13 µs over a
    17 kB sheet with "<" everywhere, a one-byte one 0.3 µs; decode_xml over bureau sheets 12.1 → 6 µs a copy)."""
    at = data.find(b"!", 1)
    for _ in range(8):
        if at < 0:
            return False
        if data[at - 1] == 0x3C:
            return True
        at = data.find(b"!", at + 1)
    return b"<!" in data


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _entity(match: re.Match) -> str:
    name = match[1]
    if name[0] != "#":
        return _NAMED[name]
    return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))


def unescape(text: str) -> str:
    """Resolve the five XML entities and character references."""
    return _ENTITY.sub(_entity, text) if "&" in text else text


def attrs(text: str) -> dict[str, str]:
    """Attributes of a start tag's inside, unescaped and whitespace-normalised like an XML parser."""
    out = {}
    for name, double, single in _ATTR.findall(text):
        value = double or single
        if "\n" in value or "\t" in value:
            value = value.replace("\n", " ").replace("\t", " ")
        out[name] = unescape(value)
    return out


def tags_agree(found: int, text: str, p: str, name: str, start: int = 0, end: int | None = None,
               counted: int | None = None) -> bool:
    """Whether ``found`` regex matches account for every <name …> start tag (else the XML is malformed).
    ``counted``: the "<name" count of the range, when the caller has made it already."""
    quick = text.count(f"<{p}{name}", start, end) if counted is None else counted
    if quick == found:  # the quick count; longer names sharing the prefix are rare
        return True
    return sum(text.count(f"<{p}{name}{after}", start, end) for after in " >/\n\t") == found


def root_prefix(text: str, root: str) -> str:
    """The namespace prefix ("x:" or "") the part uses for its root element."""
    match = re.search(rf"<([\w.-]+:)?{root}[\s/>]", text)
    if match is None:
        raise ValueError(f"no <{root}> element")
    return match[1] or ""


def xml_bool(value: str | None, default: bool = False) -> bool:
    return default if value is None else value not in ("0", "false", "f")


@lru_cache(maxsize=64)
def relationships(text: str | None, folder: str) -> tuple[tuple[str, str, str], ...]:
    """A .rels part as (id, type suffix, target part path); external targets left out. Cached by text."""
    found = []
    for inner in re.findall(rf"<{root_prefix(text, 'Relationships')}Relationship\b([^<>]*)>", text) if text else ():
        rel = attrs(inner)
        target = unquote(rel.get("Target", ""))
        if rel.get("TargetMode") != "External" and target:
            path = target if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found.append((rel.get("Id", ""), rel.get("Type", "").rsplit("/", 1)[-1], path.lstrip("/")))
    return tuple(found)


@lru_cache(maxsize=64)
def parse_workbook(text: str) -> tuple[tuple[tuple[str, str, str], ...], bool, tuple[tuple[str, int | None, str], ...]]:
    """workbook.xml: sheets as (name, state, relationship id), the 1904 flag, defined names. Cached by text."""
    p = root_prefix(text, "workbook")
    sheets = []
    for inner in re.findall(rf"<{p}sheet\b([^<>]*)>", text):
        found = attrs(inner)
        rid = next((v for k, v in found.items() if k == "id" or k.endswith(":id")), "")
        sheets.append((found.get("name", ""), found.get("state", "visible"), rid))
    props = re.search(rf"<{p}workbookPr\b([^<>]*)>", text)
    names = []
    for inner, body in re.findall(rf"<{p}definedName\b([^<>]*)>([^<]*)</{p}definedName>", text):
        found = attrs(inner)
        local = found.get("localSheetId")
        names.append((found.get("name", ""), None if local is None else int(local), unescape(body)))
    return tuple(sheets), bool(props) and xml_bool(attrs(props[1]).get("date1904")), tuple(names)


def section(text: str, p: str, name: str) -> tuple[int, int]:
    """Where the content of the first <name> element starts and ends; (-1, -1) when absent or empty."""
    begin = text.find(f"<{p}{name}")
    while begin >= 0 and text[begin + len(p) + len(name) + 1] not in " \t\n>/":
        begin = text.find(f"<{p}{name}", begin + 1)
    inner = -1 if begin < 0 else text.index(">", begin) + 1
    if inner < 0 or text[inner - 2] == "/":
        return -1, -1
    end = text.find(f"</{p}{name}>", inner)
    if end < 0:
        raise ValueError(f"unclosed <{name}>")
    return inner, end


@lru_cache(maxsize=4)
def _string_patterns(p: str) -> tuple[re.Pattern, ...]:
    body = rf"[^<]*(?:<(?!/?{p}si\b)[^<]*)*"
    return (re.compile(rf'<{p}si\b[^<>]*?(?:/>|>(?:<{p}t(?: xml:space="preserve")?>([^<]*)</{p}t>)?({body})</{p}si>)'),
            re.compile(rf"<{p}t\b[^<>]*?(?:/>|>([^<]*)</{p}t>)"),
            re.compile(rf"<{p}rPh\b[^<>]*>[^<]*(?:<(?!/?{p}rPh\b)[^<]*)*</{p}rPh>"))


def rich_text(plain: str, rest: str, p: str) -> str:
    """Plain text plus the runs' text, phonetic runs left out (openpyxl's Text.content), unescaped."""
    _, run_text, phonetic = _string_patterns(p)
    if "rPh" in rest:
        rest = phonetic.sub("", rest)
    return unescape(plain + "".join(run_text.findall(rest)))


def shared_strings(text: str | None) -> list[str]:
    """The shared string table, "x005F_" removed as openpyxl does."""
    if not text:
        return []
    p = root_prefix(text, "sst")
    simple = _plain_strings(text, p)
    if simple is not None:
        return simple
    entries = _string_patterns(p)[0].findall(text)
    if not tags_agree(len(entries), text, p, "si"):
        raise ValueError("malformed <si> in the shared string table")
    # a plain <t> without entities or x005F_ is its own value: no call for it (0.03 → 0.02 ms per bureau copy)
    return [plain if not rest and "&" not in plain and "x005F_" not in plain else _string(plain, rest, p)
            for plain, rest in entries]


def _plain_strings(text: str, p: str) -> list[str] | None:
    """The table when every <si> is a bare <t> whose text has no markup, entity or "x005F_" (what the
    regular path returns then), by one split; else None (shared_strings over bureau tables 19.7 → 6.2 µs a copy)."""
    start, stop = f"<{p}si><{p}t>", f"</{p}t></{p}si>"
    first, last = text.find(start), text.rfind(stop)
    if first < 0 or last < first:
        return None
    body = text[first + len(start):last]
    if "&" in body or "x005F_" in body:
        return None
    items = body.split(stop + start)
    # every "<" of the body is a separator's (4 each), and every "<si" of the text is one of the items
    if body.count("<") != 4 * (len(items) - 1) or text.count(f"<{p}si") != len(items):
        return None
    return items


def _string(plain: str, rest: str, p: str) -> str:
    value = rich_text(plain, rest, p) if rest else unescape(plain)
    return value.replace("x005F_", "") if "x005F_" in value else value


def column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


def position(ref: str) -> tuple[int, int]:
    """An A1 reference ("$B$3" too) as (row, column), cached."""
    pos = POSITIONS.get(ref)
    if pos is None:
        match = _A1.fullmatch(ref)
        if match is None:
            raise ValueError(f"bad cell reference {ref!r}")
        pos = (int(match[2]), column_index(match[1]))
        if len(POSITIONS) > 500_000:
            POSITIONS.clear()
        POSITIONS[ref] = pos
    return pos


def cell_range(ref: str) -> tuple[int, int, int, int]:
    first, _, last = ref.partition(":")
    (r1, c1), (r2, c2) = position(first), position(last or first)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def number_value(v: str) -> int | float:
    """The <v> of a number cell as openpyxl reads it: an int unless it has a point or an exponent."""
    return float(v) if ("." in v or "E" in v or "e" in v) else int(v)


def cell_value(t: str, v: str) -> Any:
    """A cached <v> of a cell type other than n and s."""
    if t == "s":
        raise ValueError(f"bad shared string index {v!r}")
    if t == "str":
        return unescape(v)
    if t == "b":
        return bool(int(v)) if v.isdigit() else v == "true"
    if t == "e":
        return CellError(unescape(v))
    if t == "d":
        from openpyxl.utils.datetime import from_ISO8601
        return from_ISO8601(v)
    return unescape(v)
