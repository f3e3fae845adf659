"""The rebuilt template's locked cells kept on disk, so each worker need not rebuild it with openpyxl.

Rebuilding a template costs 0.1–0.3 s per process and framework; a batch pays it in every worker
that meets a modified copy. The cache key hashes every source and data file of the installed
xlperf package plus the framework itself, so any change to the code, the data or the framework
makes a new entry and the expectation can never drift from what the builder makes today. The
cache is only an optimisation: a missing, unreadable, corrupt or unwritable cache falls back to
the rebuild, silently. Entries are JSON (never pickle): a cache directory is not trusted code.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

ENV_DIR = "XLPERF_CACHE_DIR"
MAX_ENTRIES = 64  # each a few KB; older entries (earlier versions, other frameworks) are removed beyond this


def cache_dir() -> Path:
    """``$XLPERF_CACHE_DIR``, else ``$XDG_CACHE_HOME/xlperf``, else ``~/.cache/xlperf``."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "xlperf"


@lru_cache(maxsize=1)
def package_digest() -> str:
    """sha256 over the names and bytes of the package's Python sources and data files."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".toml", ".json")):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached_reference(framework_id: str, key_extra: str, build: Callable[[], Any],
                     to_json: Callable[[Any], dict], from_json: Callable[[dict], Any]) -> Any:
    """The reference for ``framework_id``: read from the cache, else ``build()`` and store it
    (``to_json`` / ``from_json`` turn it into a JSON object and back)."""
    key = hashlib.sha256(f"{package_digest()}\0{framework_id}\0{key_extra}".encode("utf-8")).hexdigest()[:32]
    path = cache_dir() / f"reference-{key}.json"
    try:
        return from_json(json.loads(path.read_text(encoding="utf-8")))
    except Exception:  # noqa: BLE001 - no entry or a bad one: rebuild below
        pass
    ref = build()
    _store(path, to_json(ref))
    return ref


def _store(path: Path, data: dict) -> None:
    """Write atomically (a temporary file renamed over the entry); any failure leaves no trace."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".reference-", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return
    _prune(path.parent, keep=path)


def _prune(folder: Path, keep: Path) -> None:
    """Remove the least recently written entries beyond MAX_ENTRIES (never ``keep``)."""
    try:
        entries = sorted(folder.glob("reference-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in [p for p in entries if p != keep][MAX_ENTRIES - 1:]:
            old.unlink()
    except OSError:
        pass  # another process pruned first, or the folder is read-only now
