"""The one comparison of a returned file with its template, whatever the template came from.

The reference is a Structure: xlperf's template rebuilt by its builder (locked cells), a bureau's blank
template (every cell it fills), or the template a batch's copies agree on. Rows are matched by
indicator name, so an inserted or deleted row is reported once, by name, and the rows after it are
still compared cell by cell; a row whose name alone changed is compared as itself. A formula of the
template expected in a copy is the template's formula with its rows moved as Excel moves them: a
range loses a deleted end row, a reference to a deleted row becomes #REF!. Sheets renamed one for
one keep being compared under their new name.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from xlperf.batch.canon import render, rewrite
from xlperf.batch.structure import Structure, cell_id, shown, split_id
from xlperf.findings import Finding
from xlperf.workbook.grid import a1, column_letter

ROLE_CODES = {"weight": "weight-changed", "target": "target-changed"}
_REPEAT = re.compile(r"#\d+$")


def _name(key: str) -> str:
    return _REPEAT.sub("", key).rsplit("|", 1)[-1]


def _same_place(a: str, b: str) -> bool:
    """Two row keys naming the same template row with its name edited (same level 1 and 2)."""
    return a.rsplit("|", 1)[0] == b.rsplit("|", 1)[0]


class _Rows:
    """The alignment of a file's indicator rows with the template's."""

    def __init__(self, ref: Structure, file: Structure):
        self.keymap: dict[str, str] = {}
        self.deleted: list[tuple[str, int]] = []  # (template key, file row where it would stand)
        self.inserted: list[tuple[str, int]] = []  # (file key, file row)
        self.order = list(ref.table.keys) if ref.table else []
        self.identity = ref.table is not None and file.table is not None and ref.table.keys == file.table.keys
        self.same_places = (ref.table.rows if ref.table else None) == (file.table.rows if file.table else None)
        if self.identity:
            self.keymap = dict(zip(self.order, self.order))
            return
        if ref.table is None or file.table is None:
            return
        theirs = list(zip(file.table.keys, file.table.rows))
        matcher = difflib.SequenceMatcher(a=self.order, b=[k for k, _ in theirs], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1 and all(
                    _same_place(self.order[i1 + n], theirs[j1 + n][0]) for n in range(i2 - i1))):
                self.keymap.update((self.order[i1 + n], theirs[j1 + n][0]) for n in range(i2 - i1))
                continue
            at = theirs[j1][1] if j1 < len(theirs) else (theirs[-1][1] + 1 if theirs else 0)
            self.deleted.extend((key, at) for key in self.order[i1:i2])
            self.inserted.extend(theirs[j1:j2])

    def anchor(self, anchor: str, starts: bool = False, ends: bool = False) -> str | None:
        """A template anchor in the file (None: its row was deleted and a single reference to it is #REF!)."""
        if anchor[:1] != "k":
            return anchor
        key, plus, offset = anchor[1:], "", ""
        if key not in self.keymap and "+" in key:
            head, _, tail = key.rpartition("+")
            if tail.isdigit():
                key, plus, offset = head, "+", tail
        if key in self.keymap:
            return f"k{self.keymap[key]}{plus}{offset}"
        if not (starts or ends) or key not in self.order:
            return None
        i = self.order.index(key)
        steps = self.order[i + 1:] if starts else reversed(self.order[:i])
        return next((f"k{self.keymap[k]}" for k in steps if k in self.keymap), None)


def _sheets(ref: Structure, file: Structure) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """Template sheet → the file's sheet; the missing ones; renames (one missing, one new: renamed)."""
    missing = [s for s in ref.sheets if s not in file.sheets]
    extra = [s for s in file.sheets if s not in ref.sheets]
    renamed = {missing[0]: extra[0]} if len(missing) == 1 and len(extra) == 1 else {}
    mapping = {s: s for s in ref.sheets if s in file.sheets} | renamed
    return mapping, missing, renamed


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'!"


def expected_formula(want: str, rows: _Rows, renamed: dict[str, str]) -> str:
    """The template's canonical formula as it should read in the file."""
    if rows.identity and not renamed:
        return want
    out = rewrite(want, lambda anchor, starts, ends: rows.anchor(anchor, starts, ends))
    for old, new in renamed.items():
        out = out.replace(_quoted(old), _quoted(new)).replace(old + "!", new + "!")
    return out


def _display(file: Structure, content: str | None, sheet: str, row: int, col: int, fid: str) -> Any:
    raw = getattr(file.cells, "raw", None)
    if raw is not None:
        value = raw(sheet, row, col)
        return "" if value is None else value
    if content is None:
        return file.typed.get(fid, "")
    if content.startswith("="):
        return render(content, sheet, row, file.table.row_of if file.table else _absolute)
    return shown(content)


def _absolute(sheet: str, anchor: str) -> int | None:
    return int(anchor[1:]) if anchor[:1] == "r" else None


def _cell(ref: Structure, file: Structure, cid: str, want: str, rows: _Rows,
          sheets: tuple[dict[str, str], dict[str, str]], label_code: str) -> Finding | None:
    sheet, anchor, col = split_id(cid)
    mapping, renamed = sheets
    fsheet, fanchor = mapping.get(sheet), rows.anchor(anchor)
    if fsheet is None or fanchor is None:
        return None
    fid = cell_id(fsheet, fanchor, col)
    place = file.locate(fid)
    if place is None:
        return None
    written = getattr(file.cells, "formula_text", None)
    if rows.same_places and written is not None and cid in ref.texts and written(fid) == ref.texts[cid]:
        return None  # the template's formula as written, on the template's row
    found, row, ref_a1 = file.cells.get(fid), place[1], a1(place[1], col)
    row_of = file.table.row_of if file.table else _absolute
    if want.startswith("="):
        expected = expected_formula(want, rows, renamed)
        if found == expected:
            return None
        shown_expected = render(expected, fsheet, row, row_of)
        if found is None or not found.startswith("="):
            typed = _display(file, found, fsheet, row, col, fid)
            return Finding("formula-missing" if typed not in (None, "") else "formula-deleted", fsheet, ref_a1,
                           row, expected=shown_expected, found=typed)
        return Finding("formula-changed", fsheet, ref_a1, row, expected=shown_expected,
                       found=_display(file, found, fsheet, row, col, fid))
    if found == want:
        return None
    role = ref.table.role(col) if ref.table and anchor[:1] == "k" and sheet == ref.table.sheet else None
    return Finding(ROLE_CODES.get(role or "", label_code), fsheet, ref_a1, row, expected=shown(want),
                   found=_display(file, found, fsheet, row, col, fid))


def macro_findings(expected: str | None, found: str | None) -> list[Finding]:
    """Macros added, changed or removed against the template's vbaProject."""
    if expected is None and found is not None:
        return [Finding("macro-added")]
    if expected is not None and expected != found:
        return [Finding("macro-changed", params={"detail": "宏被删除" if found is None else "宏被修改"})]
    return []


def _level3_column(ref: Structure, file: Structure) -> str:
    for table in (file.table, ref.table):
        if table is not None:
            col = next((c for c, role in table.roles if role == "level3"), None)
            if col:
                return column_letter(col)
    return "A"


def _differing(ref: Structure, file: Structure) -> list[tuple[str, str]] | None:
    """The template cells a copy holds otherwise, when it has the template's rows and every template sheet
    (None when it has not): the usual case, decided quickly (a formula written exactly as in the template,
    on the same row, needs no canonical form). With the template's rows a cell holding the template's
    content has nothing to report, so only these cells are compared one by one (the bureau corpus' 84
    copies that differ: 40 → 18 ms of CPU)."""
    same_rows = (ref.table.keys if ref.table else None) == (file.table.keys if file.table else None)
    if not same_rows or not set(ref.sheets) <= set(file.sheets):
        return None
    same_places = (ref.table.rows if ref.table else None) == (file.table.rows if file.table else None)
    written = getattr(file.cells, "formula_text", None) if same_places and ref.texts else None
    get, texts, out = file.cells.get, ref.texts, []
    for cid, want in ref.cells.items():
        if written is not None and cid in texts and written(cid) == texts[cid]:
            continue
        if get(cid) != want:
            out.append((cid, want))
    return out


def in_frame(ref: Structure, file: Structure) -> bool:
    """Whether ``file`` has the template's indicator rows and every template sheet: ``compare`` then reads of
    it only its table, its sheets, and its cells and typed constants at the template's own cell ids."""
    return (ref.table is not None and file.table is not None and ref.table.keys == file.table.keys
            and set(ref.sheets) <= set(file.sheets))


def compare(ref: Structure, file: Structure, label_code: str = "template-cell-changed") -> list[Finding]:
    """Every difference between a file and its template: sheets, rows (by name), then cell by cell."""
    differing = _differing(ref, file)
    if differing == []:
        return []
    mapping, missing, renamed = _sheets(ref, file)
    findings = [Finding("sheet-missing", expected=sheet, found=renamed.get(sheet)) for sheet in missing]
    rows = _Rows(ref, file)
    table_sheet = file.table.sheet if file.table else (ref.table.sheet if ref.table else None)
    col3 = _level3_column(ref, file)
    findings.extend(Finding("row-deleted", table_sheet, f"{col3}{at}", at, expected=_name(key))
                    for key, at in rows.deleted)
    findings.extend(Finding("row-inserted", table_sheet, f"{col3}{at}", at, found=_name(key))
                    for key, at in rows.inserted)
    cells = differing if differing is not None and rows.identity else ref.cells.items()
    for cid, want in cells:
        finding = _cell(ref, file, cid, want, rows, (mapping, renamed), label_code)
        if finding is not None:
            findings.append(finding)
    return findings
