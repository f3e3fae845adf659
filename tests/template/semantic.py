"""A digest of what a workbook means (cells, formats, protection, merges, validation, conditional formats, sheets).

Zip bytes differ between two saves of the same workbook (timestamps), so staleness is judged on this instead.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from xlperf.template.fingerprint import canonical, load_for_fingerprint


def _validation(dv: Any) -> str:
    return json.dumps([dv.type, dv.operator, dv.formula1, dv.formula2, dv.errorStyle, dv.allow_blank,
                       dv.prompt, dv.error, sorted(str(r) for r in dv.sqref.ranges)], ensure_ascii=False)


def _rules(ws: Any) -> list[str]:
    out = []
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            fill = rule.dxf.fill.fgColor.rgb if rule.dxf and rule.dxf.fill else None
            out.append(json.dumps([str(rng.sqref), rule.type, list(rule.formula), str(fill)], ensure_ascii=False))
    return sorted(out)


def semantic_lines(path: str | Path) -> list[str]:
    """One line per meaningful fact of the workbook, in a stable order."""
    wb = load_for_fingerprint(path)
    props = wb.properties
    lines = [f"props={props.creator}|{props.title}|{props.created}|{props.modified}"]
    for ws in wb.worksheets:
        lines.append(f"sheet={ws.title}|{ws.sheet_state}|protected={ws.protection.sheet}|freeze={ws.freeze_panes}")
        ps = ws.page_setup
        lines.append(f"{ws.title}!print={ps.orientation}|{ps.paperSize}|{ps.fitToWidth}|{ps.fitToHeight}|"
                     f"{ws.print_title_rows}|{ws.print_area}")
        widths = {k: d.width for k, d in sorted(ws.column_dimensions.items()) if d.customWidth}
        heights = {k: d.height for k, d in sorted(ws.row_dimensions.items()) if d.height}
        lines.append(f"{ws.title}!dims={widths}|{heights}")
        lines.append(f"{ws.title}!merged=" + ",".join(sorted(str(r) for r in ws.merged_cells.ranges)))
        lines.extend(f"{ws.title}!dv={_validation(dv)}" for dv in ws.data_validations.dataValidation)
        lines.extend(f"{ws.title}!cf={rule}" for rule in _rules(ws))
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                value = "" if cell.value is None else canonical(cell.value, cell.data_type == "f")
                fill = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type else None
                lines.append(f"{ws.title}!{cell.coordinate}={value}|{cell.number_format}|"
                             f"locked={cell.protection.locked}|fill={fill}")
    wb.close()
    return lines


def semantic_digest(path: str | Path) -> str:
    return hashlib.sha256("\n".join(semantic_lines(path)).encode("utf-8")).hexdigest()
