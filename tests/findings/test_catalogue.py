"""Every finding code has Chinese and English text that renders with its parameters."""

import re

from xlperf.findings import CATALOGUE, Finding

PARAM = re.compile(r"{(\w+)")


def test_every_code_renders_in_both_languages():
    for code, entry in CATALOGUE.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert entry.zh and entry.en, code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in entry.zh), code
        params = {name: "X" for name in PARAM.findall(entry.zh + entry.en)} | {"field": "weight"}
        finding = Finding(code, "评分表", "K7", 7, expected="1", found="2", params=params)
        zh, en = finding.message("zh"), finding.message("en")
        assert zh.startswith("「评分表」K7：") and en.startswith("评分表!K7: ")
        assert "{" not in zh and "{" not in en, code


def test_unknown_code_is_refused():
    import pytest

    with pytest.raises(KeyError):
        Finding("no-such-code")
