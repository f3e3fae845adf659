"""Column letters as Excel names them."""

import pytest

from xlperf.workbook.grid import column_letter


def test_column_letters():
    assert [column_letter(i) for i in (1, 26, 27, 52, 703, 18278)] == ["A", "Z", "AA", "AZ", "AAA", "ZZZ"]
    for outside in (0, -1, 18279):  # beyond Excel's columns (a shared formula shifted off the sheet)
        with pytest.raises(ValueError):
            column_letter(outside)
