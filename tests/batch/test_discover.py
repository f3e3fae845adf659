"""Which files a batch finds, in which order and under which names."""

from __future__ import annotations

import os

from xlperf.batch.discover import STATE_NAME, discover


def _tree(root):
    for rel in ("a/b/x.xlsx", "a/y.XLSX", "a/~$lock.xlsx", "a/out/sub/z.xlsx", "a/out/r.xlsx", "c/q.xls",
                "a-b/k.xlsx", "a/b.xlsx", "a/b c.xlsm"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    (root / "a" / "out" / STATE_NAME).write_text("")
    os.symlink(root / "c", root / "a" / "linkdir")  # a symlinked folder is not entered
    os.symlink(root / "a" / "b" / "x.xlsx", root / "a" / "link.xlsx")  # the same file twice: once
    os.symlink(root / "nowhere", root / "a" / "broken.xlsx")


def test_order_names_and_exclusions(tmp_path):
    _tree(tmp_path)
    tasks = discover([tmp_path])
    assert [(t.name, t.checkable) for t in tasks] == [
        ("a/b/x.xlsx", True), ("a/b c.xlsm", True), ("a/b.xlsx", True), ("a/y.XLSX", True),
        ("a/~$lock.xlsx", False), ("a-b/k.xlsx", True), ("c/q.xls", False)]  # output folder a/out left out
    assert all(t.path.startswith(str(tmp_path) + os.sep) for t in tasks)


def test_several_roots_named_by_folder_and_excluded_folders(tmp_path):
    _tree(tmp_path)
    tasks = discover([tmp_path / "a-b", tmp_path / "a"], exclude=[tmp_path / "a" / "b"])
    # a/link.xlsx points into the excluded a/b: left out too
    assert [t.name for t in tasks] == ["a-b/k.xlsx", "a/b c.xlsm", "a/b.xlsx", "a/y.XLSX", "a/~$lock.xlsx"]


def test_relative_root_gives_plain_relative_paths(tmp_path, monkeypatch):
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert [t.path for t in discover(["."])][:2] == ["a/b/x.xlsx", "a/b c.xlsm"]
    assert [(t.path, t.name) for t in discover(["a/y.XLSX"])] == [("a/y.XLSX", "y.XLSX")]
