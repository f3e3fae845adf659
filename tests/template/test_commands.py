"""``xlperf template new / list / build-all``."""

from __future__ import annotations

import argparse

import pytest

from xlperf.cli import main
from xlperf.commands.options import UsageError
from xlperf.commands.template import register
from xlperf.template.fingerprint import fingerprint_file


@pytest.fixture
def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xlperf")
    register(p.add_subparsers(dest="command", required=True))
    return p


def run(parser, *argv: str) -> int:
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_new_writes_a_template(parser, tmp_path, capsys):
    out = tmp_path / "大鹏.xlsx"
    assert run(parser, "template", "new", "--framework", "dapeng", "--out", str(out)) == 0
    assert "已生成模板" in capsys.readouterr().out
    fp, marker = fingerprint_file(out)
    assert marker["framework"] == "dapeng" and marker["fingerprint"] == fp
    assert [p.name for p in tmp_path.iterdir()] == ["大鹏.xlsx"]  # no temporary file left behind


def test_new_refuses_to_overwrite(parser, tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"keep me")
    with pytest.raises(UsageError, match="已存在"):
        run(parser, "template", "new", "--framework", "yantian", "--out", str(out))
    assert out.read_bytes() == b"keep me"
    assert run(parser, "template", "new", "--framework", "yantian", "--out", str(out), "--force") == 0
    assert fingerprint_file(out)[1]["framework"] == "yantian"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


@pytest.mark.parametrize("framework, message", [("nope", "未知"), ("generic", "没有指标行"), ("evaluation", "没有指标行")])
def test_new_bad_framework(parser, tmp_path, framework, message):
    with pytest.raises(UsageError, match=message):
        run(parser, "template", "new", "--framework", framework, "--out", str(tmp_path / "x.xlsx"))
    assert not list(tmp_path.iterdir())


def test_new_bad_output(parser, tmp_path):
    with pytest.raises(UsageError, match=".xlsx"):
        run(parser, "template", "new", "--framework", "dapeng", "--out", str(tmp_path / "x.xls"))
    with pytest.raises(UsageError, match="文件夹不存在"):
        run(parser, "template", "new", "--framework", "dapeng", "--out", str(tmp_path / "no" / "x.xlsx"))


def test_list(parser, capsys):
    assert run(parser, "template", "list") == 0
    out = capsys.readouterr().out
    for fid in ("dapeng", "yantian", "self_eval", "generic"):
        assert fid in out
    assert "无指标行" in out


def test_build_all(parser, tmp_path, capsys):
    folder = tmp_path / "模板"
    assert run(parser, "template", "build-all", str(folder)) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["dapeng.xlsx", "dapeng_udf.xlsx", "self_eval.xlsx",
                                                        "self_eval_udf.xlsx", "yantian.xlsx", "yantian_udf.xlsx"]
    assert fingerprint_file(folder / "dapeng.xlsx")[1]["formulas"] == "excel"
    assert fingerprint_file(folder / "dapeng_udf.xlsx")[1]["formulas"] == "udf"
    assert run(parser, "template", "build-all", str(folder)) == 0  # rebuilding overwrites
    assert len(list(folder.iterdir())) == 6


def test_help_texts_are_chinese_with_examples(parser):
    group = parser._subparsers._group_actions[0].choices["template"]
    assert "示例" in group.format_help()
    actions = group._subparsers._group_actions[0].choices
    assert set(actions) == {"new", "list", "build-all"}
    for sub in actions.values():
        text = sub.format_help()
        assert "示例" in text and "xlperf template" in text
        assert any("\u4e00" <= ch <= "\u9fff" for ch in sub.description)


def test_through_the_cli(tmp_path, capsys):
    assert main(["template", "new", "--framework", "nope", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "未知" in capsys.readouterr().err
    assert main(["template", "new", "--framework", "self_eval", "--out", str(tmp_path / "x.xlsx")]) == 0


def test_new_defaults_to_plain_formulas(parser, tmp_path):
    out = tmp_path / "plain.xlsx"
    assert run(parser, "template", "new", "--framework", "dapeng", "--out", str(out)) == 0
    marker = fingerprint_file(out)[1]
    assert marker["formulas"] == "excel"
    udf = tmp_path / "udf.xlsx"
    assert run(parser, "template", "new", "--framework", "dapeng", "--out", str(udf), "--formulas", "udf") == 0
    assert fingerprint_file(udf)[1]["formulas"] == "udf"


def test_framework_and_indicators_exclude_each_other(parser, tmp_path):
    with pytest.raises(SystemExit):
        parser.parse_args(["template", "new", "--out", str(tmp_path / "x.xlsx")])
    with pytest.raises(SystemExit):
        parser.parse_args(["template", "new", "--framework", "dapeng", "--indicators", "a.csv", "--out", "x.xlsx"])


def test_new_from_indicators_names_the_bad_row(parser, tmp_path):
    bad = tmp_path / "指标.csv"
    bad.write_text("一级指标,二级指标,三级指标,分值,指标值\n产出,数量,培训人次,三分,≥20人次\n", encoding="utf-8")
    with pytest.raises(UsageError, match="第 2 行「分值」列"):
        run(parser, "template", "new", "--indicators", str(bad), "--out", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()
