"""The checks and findings tables (SQLAlchemy Core) and the one way to write a batch into them.

SQLAlchemy Core rather than stdlib ``sqlite3``: the same statements run on SQLite (the embedded
default) and on PostgreSQL (``postgresql+psycopg://…``, for a bureau's shared server), so there is
one store, not two. A batch is written in one transaction: a reader sees all of it or none.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import (Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text, create_engine,
                        event, func, insert, select)
from sqlalchemy.engine import Engine

metadata = MetaData()


class StoreError(Exception):
    """The store cannot be opened or written (bad URL, missing driver, server unreachable)."""

checks = Table(
    "checks", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("checked_at", String(32), nullable=False),  # ISO 8601, UTC
    Column("source", String(16), nullable=False),  # cli | unit | bureau | api
    Column("batch", String(64), nullable=False),  # one id per batch (job id, or a random id for the CLI)
    Column("file", Text, nullable=False),  # the file's name in its batch (never a server path)
    Column("file_hash", String(64)),  # sha256 of the file's bytes
    Column("department", Text), Column("unit", Text), Column("project", Text),
    Column("year", Integer),
    Column("framework", String(64)), Column("template_version", String(32)),
    Column("status", String(16), nullable=False), Column("sheet", Text),
    Column("stated_total", Float), Column("total", Float),
    Column("stated_grade", String(16)), Column("grade", String(16)),
    Column("errors", Integer, nullable=False), Column("warnings", Integer, nullable=False),
    Column("infos", Integer, nullable=False),
    Column("level_totals", Text),  # JSON, as in results.json
    Index("ix_checks_project_year", "project", "year"),
    Index("ix_checks_file_hash", "file_hash"),
    Index("ix_checks_batch", "batch"),
)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("check_id", Integer, ForeignKey("checks.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("code", String(64), nullable=False), Column("severity", String(16), nullable=False),
    Column("sheet", Text), Column("cell", String(16)), Column("message", Text),
)


def default_data_dir() -> Path:
    """``$XLPERF_DATA_DIR``, else the user's data folder (``%LOCALAPPDATA%\\xlperf``, ``$XDG_DATA_HOME/xlperf``
    or ``~/.local/share/xlperf``)."""
    if os.environ.get("XLPERF_DATA_DIR"):
        return Path(os.environ["XLPERF_DATA_DIR"])
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "xlperf"
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "xlperf"


def default_db_url(data_dir: Path | None = None) -> str:
    return db_url(str((data_dir or default_data_dir()) / "results.sqlite3"))


def db_url(given: str) -> str:
    """A SQLAlchemy URL as given (``sqlite:///…``, ``postgresql+psycopg://…``), or a plain path as SQLite."""
    if "://" in given:
        return given
    return "sqlite:///" + str(Path(given).expanduser().resolve())


def year_of(value: Any) -> int | None:
    """The evaluation year written in a workbook (2024, 2024.0, "2024年", "2024年度") as a number."""
    match = re.search(r"(19|20)\d\d", str(value or ""))
    return int(match.group(0)) if match else None


def file_hash(path: str | os.PathLike) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


@dataclass(frozen=True)
class Batch:
    """Where a batch of results came from, stored with each of its checks."""

    source: str
    batch: str
    framework: str | None = None  # the batch's framework, for files that are not a recognised template


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the one writer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class ResultsStore:
    """One database: ``record`` a batch's results.json entries, ``rows`` to read them back."""

    def __init__(self, url: str):
        self.url = db_url(url)
        if self.url.startswith("sqlite:///"):
            Path(self.url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(self.url, connect_args={"timeout": 60, "check_same_thread": False})
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True)
        self._lock = threading.Lock()  # one writer per process: SQLite then never returns "database is locked"
        metadata.create_all(self.engine)

    def record(self, entries: Iterable[dict[str, Any]], batch: Batch, hashes: dict[str, str | None]) -> int:
        """Store results.json ``entries`` (hashes by file name) in one transaction; returns how many."""
        from sqlalchemy.exc import SQLAlchemyError

        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        count = 0
        try:
            with self._lock, self.engine.begin() as conn:
                for entry in entries:
                    row = _check_row(entry, batch, hashes, now)
                    check_id = conn.execute(insert(checks).values(**row)).inserted_primary_key[0]
                    rows = [{"check_id": check_id, **{k: f.get(k) for k in ("code", "severity", "sheet", "cell", "message")}}
                            for f in entry.get("findings", [])]
                    if rows:
                        conn.execute(insert(findings), rows)
                    count += 1
        except SQLAlchemyError as exc:
            raise StoreError(f"结果库写入失败，本批未保存 / store write failed, batch not stored: {type(exc).__name__}: "
                             f"{str(exc).splitlines()[0][:200]}") from exc
        return count

    def rows(self, contains: dict[str, str] | None = None, **where: Any) -> list[dict[str, Any]]:
        """Every stored check matching ``where`` (column = value) and ``contains`` (column holds the text),
        oldest first, each with its findings."""
        query = select(checks).order_by(checks.c.id)
        for name, value in where.items():
            query = query.where(checks.c[name] == value)
        for name, text in (contains or {}).items():
            if text:
                query = query.where(checks.c[name].contains(text, autoescape=True))
        with self.engine.connect() as conn:
            found = [dict(r._mapping) for r in conn.execute(query)]
            by_id = {r["id"]: r for r in found}
            for r in found:
                r["findings"] = []
            ids = list(by_id)
            for start in range(0, len(ids), 500):
                chosen = select(findings).where(findings.c.check_id.in_(ids[start:start + 500])).order_by(findings.c.id)
                for f in conn.execute(chosen):
                    by_id[f.check_id]["findings"].append(dict(f._mapping))
        return found

    def counts(self) -> tuple[int, int]:
        """(checks, findings) stored."""
        with self.engine.connect() as conn:
            return (conn.execute(select(func.count()).select_from(checks)).scalar_one(),
                    conn.execute(select(func.count()).select_from(findings)).scalar_one())

    def close(self) -> None:
        self.engine.dispose()


def _check_row(entry: dict[str, Any], batch: Batch, hashes: dict[str, str | None], now: str) -> dict[str, Any]:
    info, counts = entry.get("info") or {}, entry.get("counts") or {}
    return {"checked_at": now, "source": batch.source, "batch": batch.batch, "file": entry["file"],
            "file_hash": hashes.get(entry["file"]), "department": info.get("department"), "unit": info.get("unit"),
            "project": info.get("project"), "year": year_of(info.get("year")),
            "framework": entry.get("framework") or batch.framework, "template_version": entry.get("template_version"),
            "status": entry.get("status") or "failed", "sheet": entry.get("sheet"),
            "stated_total": entry.get("stated_total"), "total": entry.get("total"),
            "stated_grade": entry.get("stated_grade"), "grade": entry.get("grade"),
            "errors": counts.get("error", 0), "warnings": counts.get("warning", 0), "infos": counts.get("info", 0),
            "level_totals": json.dumps(entry.get("level_totals") or {}, ensure_ascii=False)}


_STORES: dict[str, ResultsStore] = {}
_STORES_LOCK = threading.Lock()


def open_store(url: str | None = None) -> ResultsStore:
    """The store at ``url`` (default: ``default_db_url()``), one engine per URL and process; StoreError
    (with the URL's password hidden) when it cannot be opened."""
    from sqlalchemy.exc import SQLAlchemyError

    key = db_url(url) if url else default_db_url()
    with _STORES_LOCK:
        if key not in _STORES:
            try:
                _STORES[key] = ResultsStore(key)
            except (SQLAlchemyError, ImportError, OSError) as exc:
                raise StoreError(f"结果库无法打开 / cannot open the results store {_shown(key)}: "
                                 f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from exc
        return _STORES[key]


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as given
        return url
