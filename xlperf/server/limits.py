"""Request limits and upload names: a body-size cap and the one function that turns a client's file
name into a path inside a job folder.

Starlette has no request-body limit of its own (its form parser caps file counts and field sizes,
not file bytes), so ``BodyLimit`` counts bytes as they stream in and answers 413 past the cap,
before anything is parsed or written.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Any, Awaitable, Callable

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
MAX_PART = 120  # characters in one path component (file systems allow 255 bytes; CJK is 3 bytes each)
MAX_DEPTH = 8


class TooLarge(Exception):
    """The request body passed its limit."""


class BodyLimit:
    """ASGI middleware: a request whose body exceeds ``limit`` bytes gets 413 (by Content-Length at
    once, else when the streamed bytes pass it)."""

    def __init__(self, app: Any, limit: int, respond: Callable[[Any], Awaitable[Any]]):
        self.app, self.limit, self.respond = app, limit, respond

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await self._reject(scope, receive, send)
        seen = 0

        async def counting_receive() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise TooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send)
        except TooLarge:
            await self._reject(scope, receive, send)

    async def _reject(self, scope: dict, receive: Callable, send: Callable) -> None:
        from starlette.requests import Request

        response = await self.respond(Request(scope, receive))
        await response(scope, receive, send)


def safe_parts(client_name: str | None, keep_folders: bool = True) -> tuple[str, ...]:
    """A client's file name (maybe "folder/sub/文件.xlsx" from a folder upload, maybe "..\\..\\x") as
    path components that stay inside any folder they are joined to: no "..", no absolute paths, no
    control or reserved characters, bounded length and depth."""
    text = unicodedata.normalize("NFC", (client_name or "").replace("\\", "/"))
    parts = [_clean(p) for p in PurePosixPath(text).parts if p not in ("/", ".", "..")]
    parts = [p for p in parts if p]
    if not keep_folders:
        parts = parts[-1:]
    if len(parts) > MAX_DEPTH:
        parts = parts[-MAX_DEPTH:]
    return tuple(parts) or ("upload",)


def _clean(part: str) -> str:
    part = _UNSAFE.sub("_", part).strip().strip(".").strip()
    if part in ("", ".", ".."):
        return ""
    if len(part) > MAX_PART:
        stem, dot, ext = part.rpartition(".")
        part = (stem[:MAX_PART - len(ext) - 1] + "." + ext) if dot and len(ext) <= 8 else part[:MAX_PART]
    return part


def place(root: Path, parts: tuple[str, ...]) -> Path:
    """A new file path for ``parts`` under ``root`` (never outside it; "名 (2).xlsx" when taken)."""
    target = root.joinpath(*parts)
    stem, suffix, n = target.stem, target.suffix, 2
    while target.exists():
        target = target.with_name(f"{stem} ({n}){suffix}")
        n += 1
    resolved_root = root.resolve()
    if resolved_root not in target.resolve().parents:
        raise ValueError(f"upload name leaves its folder: {parts!r}")
    return target
