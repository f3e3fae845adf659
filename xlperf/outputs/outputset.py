"""Write the three batch outputs from the streamed results: 汇总.xlsx, findings.csv, results.json."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Iterable

from xlperf.outputs.sink import drain
from xlperf.scoring.result import FileResult
from xlperf.version import __version__

SUMMARY_NAME = {"zh": "汇总.xlsx", "en": "summary.xlsx"}


def summary_name(lang: str) -> str:
    """The summary workbook's file name in the run's language."""
    return SUMMARY_NAME["en" if lang == "en" else "zh"]


class Outputs:
    """汇总.xlsx (summary.xlsx with ``--lang en``), findings.csv and results.json, written as results arrive
    (in input order) and complete on ``close``; ``abort`` removes what was begun. A batch writes them into
    its work folder and swaps the three in as one set (``batch.outdir``)."""

    def __init__(self, out_dir: Path, opts: Any, final_dir: Path | None = None):
        self.out_dir, self.opts = Path(out_dir), opts
        self.final_dir = Path(final_dir) if final_dir is not None else self.out_dir  # where the set will be
        self._writers: list[Any] | None = None

    def open(self) -> None:
        """Import the writers (pandas-free, but openpyxl: a few tenths of a second) and start the files;
        a batch calls this while its workers check the first files."""
        if self._writers is not None:
            return
        from xlperf.outputs.machine import FindingsCsv, ResultsJson
        from xlperf.outputs.summary_xlsx import SummaryBook

        lang = getattr(self.opts, "lang", "zh")
        meta = {"xlperf_version": __version__, "framework": self.opts.cfg.framework, "lang": lang}
        self._writers = [SummaryBook(self.out_dir / summary_name(lang), lang, link_base=self.final_dir),
                         FindingsCsv(self.out_dir / "findings.csv"), ResultsJson(self.out_dir / "results.json", meta)]

    def add(self, result: FileResult) -> None:
        self.open()
        for writer in self._writers or ():
            writer.add(result)

    def prepare(self, result: FileResult) -> tuple:
        """What each output writes of ``result``, made without touching the files (the batch's tail makes it in
        a helper process, see ``batch.infer``); ``write`` writes it. Call ``open`` first."""
        return tuple(writer.prepare(result) for writer in self._writers or ())

    def write(self, prepared: tuple) -> None:
        for writer, part in zip(self._writers or (), prepared):
            writer.write(part)

    def close(self) -> Path:
        """Complete the three files and put each in place (the 汇总's path). findings.csv and results.json are
        put in place by threads while this one writes the 汇总's last sheets: their fsyncs wait for the disk,
        not the processor (the bureau corpus, medians of eight alternating closes: 79 → 51 ms of wall time)."""
        self.open()
        summary, *others = self._writers or ()
        failed: list[BaseException] = []

        def close(writer: Any) -> None:
            try:
                writer.close()
            except BaseException as exc:  # noqa: BLE001 - raised again below, in this thread
                failed.append(exc)

        threads = [threading.Thread(target=close, args=(writer,), daemon=True) for writer in others]
        for thread in threads:
            thread.start()
        try:
            path = summary.close()
        finally:
            for thread in threads:
                thread.join()
        if failed:
            raise failed[0]
        return path

    def abort(self) -> None:
        for writer in self._writers or ():
            writer.abort()


def write_outputs(results: Iterable[FileResult], out_dir: Path, opts: Any) -> Path:
    """All three outputs from a stream of results; returns the summary path."""
    return drain(Outputs(out_dir, opts), results)
