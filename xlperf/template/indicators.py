"""A bureau's own indicator table (.csv or .xlsx, as in the 绩效目标申报表) read into a Framework for a template.

Columns, found by their header words (the table reader's synonyms, so 年度指标值 or 权重 work too):
一级指标, 二级指标, 三级指标, 分值, 指标值 (required); 指标性质, 度量单位, 评分方法, 评分标准 (optional).
Level-1 and level-2 cells left blank (merged in the original) take the value above. Every problem is
an :class:`IndicatorError` whose Chinese message names the row and the column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from xlperf.core.frameworks import Framework, FrameworkIndicator, load_framework
from xlperf.core.rules import METHOD_LABELS, method_id
from xlperf.workbook.layout import header_role, norm_label

REQUIRED = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "weight": "分值", "target": "指标值"}
OPTIONAL = {"nature": "指标性质", "unit": "度量单位", "method": "评分方法", "criteria": "评分标准"}
NATURES = ("≥", "≤", "=", "＝", ">", "<", "定性", "正向", "反向", ">=", "<=")
MAX_HEADER_SCAN = 20


class IndicatorError(ValueError):
    """An indicator file that cannot make a template; the message says where and how to fix it."""


def _role(text: Any) -> str | None:
    label = norm_label(text)
    if label in ("评分标准", "计分标准", "评分细则", "评分办法"):
        return "criteria"
    role = header_role(text)
    return role if role in REQUIRED or role in OPTIONAL else None


def _rows_csv(path: Path) -> list[list[Any]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise IndicatorError(f"{path.name}：无法识别文件编码，请另存为 UTF-8 编码的 CSV。")
    try:
        return [row for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise IndicatorError(f"{path.name}：不是有效的 CSV 文件（{exc}）。") from exc


def _rows_xlsx(path: Path) -> list[list[Any]]:
    """The rows of every sheet, read with openpyxl after ``xlperf.workbook.sniff`` has accepted the package
    (size, entry count and compression ratio within the checker's limits: a zip bomb is refused before
    openpyxl inflates it)."""
    import warnings

    import openpyxl

    from xlperf.workbook.sniff import sniff

    found = sniff(path)
    if not found.ok:
        raise IndicatorError(f"{path.name}：{found.finding.message()}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one clear error
        raise IndicatorError(f"{path.name}：无法作为 .xlsx 打开（{type(exc).__name__}），请另存为 .xlsx 或 CSV。") from exc
    try:
        sheets = [[[_shown(cell) for cell in row] for row in ws.iter_rows()] for ws in wb.worksheets]
    finally:
        wb.close()
    return next((rows for rows in sheets if _header(rows) is not None), sheets[0] if sheets else [])


def _shown(cell: Any) -> Any:
    """A cell as its text reads: percentages as 95%, dates as 2024年12月31日."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return format((Decimal(repr(value)) * 100).normalize(), "f") + "%"
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year}年{value.month}月{value.day}日"
    return value


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:MAX_HEADER_SCAN]):
        columns: dict[str, int] = {}
        for col, value in enumerate(row):
            role = _role(value) if isinstance(value, str) else None
            if role and role not in columns:
                columns[role] = col
        if all(role in columns for role in REQUIRED):
            return index, columns
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _indicator(line: int, cells: dict[str, str], above: dict[str, str]) -> FrameworkIndicator:
    where = f"第 {line} 行"
    for role in ("level1", "level2"):
        cells[role] = cells[role] or above.get(role, "")
        if not cells[role]:
            raise IndicatorError(f"{where}「{REQUIRED[role]}」列为空，且上方没有可沿用的{REQUIRED[role]}。")
    if not cells["level3"]:
        raise IndicatorError(f"{where}「三级指标」列为空，请填写指标名称或删除该行。")
    try:
        weight = Decimal(cells["weight"].replace(",", "").removesuffix("分"))
    except InvalidOperation:
        raise IndicatorError(f"{where}「分值」列：「{cells['weight']}」不是数字。") from None
    if not weight.is_finite() or weight < 0:
        raise IndicatorError(f"{where}「分值」列：「{cells['weight']}」应为不小于 0 的数字。")
    if cells["nature"] and cells["nature"] not in NATURES:
        raise IndicatorError(f"{where}「指标性质」列：「{cells['nature']}」无法识别，请填 ≥、≤、= 或 定性。")
    try:
        method = method_id(cells["method"]) if cells["method"] else None
    except ValueError:
        raise IndicatorError(f"{where}「评分方法」列：「{cells['method']}」无法识别，可用："
                             f"{'、'.join(METHOD_LABELS.values())}，或留空按指标值推断。") from None
    return FrameworkIndicator(cells["level1"], cells["level2"], cells["level3"], weight, cells["target"], method,
                              cells["nature"], cells["unit"], "", cells["criteria"])


def read_indicator_rows(path: Path) -> list[FrameworkIndicator]:
    """The indicator rows of a .csv or .xlsx file. IndicatorError (in Chinese) for anything unusable."""
    rows = _rows_csv(path) if path.suffix.lower() == ".csv" else _rows_xlsx(path)
    found = _header(rows)
    if found is None:
        names = "、".join(REQUIRED.values())
        raise IndicatorError(f"{path.name}：前 {MAX_HEADER_SCAN} 行中没有找到表头，表头须包含 {names} 列。")
    head, columns = found
    out: list[FrameworkIndicator] = []
    above: dict[str, str] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for index in range(head + 1, len(rows)):
        row = rows[index]
        cells = {role: _text(row[col]) if col < len(row) else "" for role, col in columns.items()}
        cells |= {role: "" for role in OPTIONAL if role not in cells}
        if not any(cells.values()):
            continue
        if any(word in cells["level1"] for word in ("合计", "总计", "总分")):
            break
        ind = _indicator(index + 1, cells, above)
        key = (ind.level1, ind.level2, ind.level3)
        if key in seen:
            raise IndicatorError(f"第 {index + 1} 行「三级指标」列：「{ind.level3}」与第 {seen[key]} 行重复。")
        seen[key] = index + 1
        above = {"level1": ind.level1, "level2": ind.level2}
        out.append(ind)
    if not out:
        raise IndicatorError(f"{path.name}：表头下没有指标行。")
    return out


def framework_from_indicators(path: str | Path, name: str | None = None, base: str = "evaluation") -> Framework:
    """A Framework for a template: the rows of an indicator file (.csv/.xlsx) on ``base``'s scoring settings,
    or a framework file (.toml) as it is."""
    path = Path(path)
    if not path.is_file():
        raise IndicatorError(f"文件不存在：{path}")
    if path.suffix.lower() == ".toml":
        return load_framework(str(path))
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise IndicatorError(f"{path.name}：指标表应为 .csv 或 .xlsx 文件（或框架 .toml 文件）。")
    rows = read_indicator_rows(path)
    fw = load_framework(base)
    total = sum((ind.weight for ind in rows), Decimal(0))
    if total != fw.config.total_weight:
        raise IndicatorError(f"{path.name}：各行「分值」合计为 {total.normalize():f}，"
                             f"应为 {fw.config.total_weight.normalize():f}，请核对分值。")
    title = name or f"{path.stem}（绩效评价评分表）"
    return replace(fw, id=f"indicators:{path.stem}", name=title, kind="evaluation", indicators=tuple(rows),
                   description=f"由指标表 {path.name} 生成", extra={"source": str(path)})


__all__ = ["IndicatorError", "read_indicator_rows", "framework_from_indicators"]
