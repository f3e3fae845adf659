"""bench/run.py adds a run to RESULTS.md above the earlier ones (``with_history``)."""

from __future__ import annotations

from bench import run


def _report(figure: str) -> str:
    return f"{run.TITLE}\n\nReproduce: here.\n\n## bureau corpus, N = 1000\n\n| way | ms |\n|---|---:|\n| x | {figure} |\n"


def test_each_run_goes_on_top_and_the_earlier_ones_stay(monkeypatch):
    stamps = iter(("2026-01-01 10:00", "2026-01-02 11:00"))
    monkeypatch.setattr(run.time, "strftime", lambda fmt: next(stamps))
    first = run.with_history(_report("1.5"), "")
    second = run.with_history(_report("2.5"), first)
    assert second.count(run.TITLE) == 1 and second.startswith(run.TITLE + "\n")
    newer, older = second.index("## Run of 2026-01-02 11:00"), second.index("## Run of 2026-01-01 10:00")
    assert newer < second.index("| x | 2.5 |") < older < second.index("| x | 1.5 |")
    assert "\n## bureau corpus" not in second and second.count("\n### bureau corpus, N = 1000\n") == 2
    assert second.endswith("|\n") and "\n\n\n" not in second


def test_a_file_without_the_title_is_kept_below_the_run():
    earlier = "## Notes written by hand\n\nkept as they are\n"
    out = run.with_history(_report("3"), earlier)
    assert out.index("| x | 3 |") < out.index("## Notes written by hand\n\nkept as they are")
