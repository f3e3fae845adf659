"""Who may see bureau-wide data: the history of every unit and the server's own folders.

A unit only ever sees its own upload (through its job id). The history pages and the server-folder
check show other units' data, so they need the bureau's key (``xlperf serve --bureau-key``, or
``$XLPERF_BUREAU_KEY``): sent as the ``X-Xlperf-Key`` header or kept in a cookie after ``/login``.
Without a configured key they answer only requests from the server machine itself (127.0.0.1, ::1).
"""

from __future__ import annotations

import hashlib
import hmac

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

COOKIE = "xlperf_bureau"
LOCAL = ("127.0.0.1", "::1")


class NeedsKey(Exception):
    """The request asks for bureau-wide data without the bureau's key."""


def _token(key: str) -> str:
    return hashlib.sha256(("xlperf-bureau:" + key).encode()).hexdigest()


def bureau_allowed(request: Request) -> bool:
    key = request.app.state.config.bureau_key
    if not key:
        return bool(request.client and request.client.host in LOCAL)
    given = request.headers.get("x-xlperf-key")
    if given is not None and hmac.compare_digest(given.encode(), key.encode()):
        return True
    return hmac.compare_digest(request.cookies.get(COOKIE, ""), _token(key))


def require_bureau(request: Request) -> None:
    if not bureau_allowed(request):
        raise NeedsKey()


def _local_path(target: object) -> str:
    """Where to go after logging in: a path on this server only (never another site)."""
    text = str(target or "")
    return text if text.startswith("/") and not text.startswith("//") and "\\" not in text else "/history"


async def login_page(request: Request) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "login.html", {"next": _local_path(request.query_params.get("next")), "wrong": False,
                                                              "configured": bool(request.app.state.config.bureau_key)})


async def login(request: Request) -> Response:
    key = request.app.state.config.bureau_key
    form = await request.form(max_files=0, max_fields=5, max_part_size=4096)
    given = str(form.get("key") or "")
    target = _local_path(form.get("next"))
    if not key or not hmac.compare_digest(given.encode(), key.encode()):
        templates = request.app.state.templates
        return templates.TemplateResponse(request, "login.html", {"next": target, "wrong": True, "configured": bool(key)},
                                          status_code=401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, _token(key), httponly=True, samesite="strict", max_age=12 * 3600)
    return response


def routes() -> list[Route]:
    return [Route("/login", login_page), Route("/login", login, methods=["POST"])]
