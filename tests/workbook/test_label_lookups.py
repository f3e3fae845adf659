"""Label lookups (budget fields, totals, info labels) answer as a scan of the word lists would."""

from __future__ import annotations

import pytest

from xlperf.workbook.grid import SheetGrid
from xlperf.workbook.info import INFO_LABELS, find_info
from xlperf.workbook.layout import BUDGET_LABELS, budget_field, is_subtotal_label, is_total_label, norm_label, total_kind


@pytest.mark.parametrize("text", ["全年预算数", " 年初预算（万元）", "实际支出：", "执行数", "预算", "", "合计"])
def test_budget_field_is_the_first_list_naming_the_label(text):
    scanned = next((name for name, words in BUDGET_LABELS.items() if norm_label(text) in words), None)
    assert budget_field(text) == scanned


@pytest.mark.parametrize("text", ["合计", " 合 计 ", "总分（分）", "一级小计", "小计", "项目", "3", ""])
def test_total_kind(text):
    expected = "total" if is_total_label(text.strip()) else "subtotal" if is_subtotal_label(text.strip()) else None
    assert total_kind(text) == expected


def test_no_info_word_names_two_facts():
    words = [word for group in INFO_LABELS.values() for word in group]
    assert len(words) == len(set(words))


def test_find_info_takes_the_first_label_in_sheet_order():
    grid = SheetGrid("基本信息", {(1, 1): "项目名称：", (1, 2): "甲", (2, 1): "项目名称", (2, 3): "乙",
                                 (3, 1): "年度", (3, 2): "  ", (3, 3): 2024, (4, 1): "单位名称"},
                     max_row=4, max_col=3)
    assert find_info([grid]) == {"project": "甲", "year": "2024"}
