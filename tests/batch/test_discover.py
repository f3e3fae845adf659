"""Which files a batch finds, in which order and under which names."""

from __future__ import annotations

import os

from xlperf.batch.discover import STATE_NAME, discover


def _tree(root):
    for rel in ("a/b/x.xlsx", "a/y.XLSX", "a/~$lock.xlsx", "a/out/sub/z.xlsx", "a/out/r.xlsx", "c/q.xls",
                "a-b/k.xlsx", "a/b.xlsx", "a/b c.xlsm", "e/only.xlsx", "a/out/汇总.xlsx", "a/out/corrected/r.xlsx"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    (root / "a" / "out" / STATE_NAME).write_text("")  # an earlier run's output folder: only its outputs known
    os.symlink(root / "c", root / "a" / "linkdir")  # a symlinked folder already walked: its files once, by real name
    os.symlink(root / "e", root / "a" / "elsewhere")  # a symlinked folder (e is outside the roots given below)
    os.symlink(root / "a", root / "a" / "b" / "up")  # a link back to an ancestor: nothing twice, no endless walk
    os.symlink(root / "a" / "b" / "x.xlsx", root / "a" / "link.xlsx")  # the same file twice: once
    os.symlink(root / "nowhere", root / "a" / "broken.xlsx")  # reported, not dropped
    os.symlink("loop2", root / "a" / "loop1.xlsx")
    os.symlink("loop1.xlsx", root / "a" / "loop2")


def test_order_names_and_kinds(tmp_path):
    _tree(tmp_path)
    tasks = discover([tmp_path])
    assert [(t.name, t.kind) for t in tasks] == [
        ("a/b/x.xlsx", "workbook"), ("a/b c.xlsm", "workbook"), ("a/b.xlsx", "workbook"),
        ("a/broken.xlsx", "broken-link"), ("a/loop1.xlsx", "broken-link"), ("a/loop2", "broken-link"),
        ("a/out/.xlperf-progress.jsonl", "output"), ("a/out/corrected", "output"), ("a/out/r.xlsx", "workbook"),
        ("a/out/sub/z.xlsx", "workbook"), ("a/out/汇总.xlsx", "output"), ("a/y.XLSX", "workbook"), ("a/~$lock.xlsx", "other"), ("a-b/k.xlsx", "workbook"), ("c/q.xls", "spreadsheet"),
        ("e/only.xlsx", "workbook")]
    assert all(t.path.startswith(str(tmp_path) + os.sep) for t in tasks)
    assert [t.checkable for t in tasks] == [t.kind == "workbook" for t in tasks]


def test_several_roots_named_by_folder_and_excluded_folders(tmp_path):
    _tree(tmp_path)
    tasks = discover([tmp_path / "a-b", tmp_path / "a"], exclude=[tmp_path / "a" / "b"])
    # only the excluded folder is left out, and a/link.xlsx, which points into it; the link to e is followed
    assert [t.name for t in tasks] == ["a-b/k.xlsx", "a/b c.xlsm", "a/b.xlsx", "a/broken.xlsx",
                                       "a/elsewhere/only.xlsx", "a/linkdir/q.xls", "a/loop1.xlsx", "a/loop2",
                                       "a/out/.xlperf-progress.jsonl", "a/out/corrected", "a/out/r.xlsx",
                                       "a/out/sub/z.xlsx", "a/out/汇总.xlsx", "a/y.XLSX", "a/~$lock.xlsx"]


def test_relative_root_gives_plain_relative_paths(tmp_path, monkeypatch):
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert [t.path for t in discover(["."])][:2] == ["a/b/x.xlsx", "a/b c.xlsm"]
    assert [(t.path, t.name) for t in discover(["a/y.XLSX"])] == [("a/y.XLSX", "y.XLSX")]


def test_kinds_real_paths_and_names_as_each_file_alone_gives_them(tmp_path, monkeypatch):
    """The listing's file types stand in for a stat and a realpath per file: the kinds are classify's, each real
    file is found once, the names those of the files' absolute paths (here a FIFO and a root given with ..)."""
    from xlperf.batch.discover import classify
    from xlperf.batch.names import distinct_names

    _tree(tmp_path)
    os.mkfifo(tmp_path / "a" / "pipe.xlsx")
    monkeypatch.chdir(tmp_path / "e")
    for roots in (["../a"], [tmp_path, "../c/q.xls"], ["../a-b", "../a/b"]):
        tasks = discover(roots)
        assert [t.kind for t in tasks] == ["output" if t.kind == "output" else classify(t.path) for t in tasks]
        assert len({os.path.realpath(t.path) for t in tasks}) == len(tasks)
        natural = [t.name.split("/") for t in tasks]
        assert [t.name for t in tasks] == distinct_names([(os.path.abspath(t.path), n) for t, n in zip(tasks, natural)])
    assert ("a/pipe.xlsx", "special") in [(t.name, t.kind) for t in discover([tmp_path])]
