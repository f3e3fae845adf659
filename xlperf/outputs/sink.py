"""A writer fed a stream of results: everything added, then closed; on any failure aborted (nothing half-written)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Protocol


class Sink(Protocol):
    def add(self, result: Any) -> None: ...
    def abort(self) -> None: ...
    def close(self) -> Path: ...


def drain(sink: Sink, results: Iterable[Any]) -> Path:
    """Add every result to ``sink`` and close it (its path); abort it and re-raise if anything fails."""
    try:
        for result in results:
            sink.add(result)
    except BaseException:
        sink.abort()
        raise
    return sink.close()
