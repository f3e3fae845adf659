"""Put a finished batch (its ``results.json``) into the store: what ``check --db`` and the server call."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Iterable

from xlperf.store.db import Batch, ResultsStore, file_hash, open_store


def read_results(out_dir: str | Path) -> dict:
    """A batch's results.json as written by ``run_batch``."""
    return json.loads((Path(out_dir) / "results.json").read_text(encoding="utf-8"))


def input_hashes(paths: Iterable[str | Path], out_dir: str | Path) -> dict[str, str | None]:
    """sha256 of each input file, by the name the batch gives it (the same discovery as ``run_batch``)."""
    from xlperf.batch.discover import discover

    return {task.name: file_hash(task.path) for task in discover(paths, exclude=[Path(out_dir)])}


def record_batch(store: ResultsStore, out_dir: str | Path, hashes: dict[str, str | None], source: str,
                 batch_id: str | None = None) -> int:
    """Store every file of the batch written to ``out_dir``; returns how many checks were stored."""
    data = read_results(out_dir)
    batch = Batch(source, batch_id or secrets.token_hex(8), data.get("framework"))
    return store.record(data["files"], batch, hashes)


def record_check(db: str, paths: Iterable[str | Path], out_dir: str | Path) -> int:
    """``xlperf check PATHS --out OUT_DIR --db DB``: store the batch just written to ``out_dir``."""
    paths = list(paths)
    return record_batch(open_store(db), out_dir, input_hashes(paths, out_dir), "cli")
