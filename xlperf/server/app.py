"""The Starlette application: routes of the pages, the JSON API and the xlwings endpoints, the body
limit, and error pages that never show a traceback."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from xlperf.server import access, api, pages
from xlperf.server.access import NeedsKey
from xlperf.server.config import ServerConfig
from xlperf.server.jobs import Busy, JobStore, NoSuchJob
from xlperf.server.limits import BodyLimit
from xlperf.server.uploads import UploadRejected

HERE = Path(__file__).resolve().parent


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/xlwings/"))


def error_response(request: Request, status: int, zh: str, en: str) -> Response:
    """A Chinese error page for the browser, ``{"error": …}`` for the API."""
    if wants_json(request):
        return JSONResponse({"error": en, "message": zh}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"message": zh, "status": status}, status_code=status)


async def too_large(request: Request) -> Response:
    limit = request.app.state.config.limits.max_request_bytes
    return error_response(request, 413, f"上传内容超过上限 {limit / 2**20:.0f} MB，请分批上传。",
                          f"Request body exceeds {limit} bytes.")


async def on_rejected(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UploadRejected)
    return error_response(request, exc.status, exc.zh, exc.en)


async def on_busy(request: Request, exc: Exception) -> Response:
    return error_response(request, 503, "校验服务繁忙，请稍后再试。", "All checkers are busy; try again later.")


async def on_missing(request: Request, exc: Exception) -> Response:
    return error_response(request, 404, "没有找到该页面或校验结果（链接可能有误或已过期）。", "Not found.")


async def on_needs_key(request: Request, exc: Exception) -> Response:
    if wants_json(request):
        return JSONResponse({"error": "bureau key required (X-Xlperf-Key)", "message": "需要财政局管理口令。"},
                            status_code=401)
    return RedirectResponse("/login?next=" + quote(request.url.path + ("?" + request.url.query if request.url.query else "")),
                            status_code=303)


async def on_error(request: Request, exc: Exception) -> Response:
    return error_response(request, 500, "服务器处理时出错，已记录；请稍后重试或联系管理员。", "Internal error.")


def create_app(config: ServerConfig) -> Starlette:
    """The whole server for ``config`` (its data folder is created if missing)."""
    from xlperf.store.db import open_store

    config.prepare()
    open_store(config.db_url)  # tables created now; a bad --db stops the start with one clear line
    routes = pages.routes() + api.routes() + access.routes()
    if config.xlwings:
        from xlperf.server.xlwings_routes import routes as xlwings_routes

        routes += xlwings_routes()
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))
    app = Starlette(
        routes=routes,
        middleware=[Middleware(BodyLimit, limit=config.limits.max_request_bytes, respond=too_large)],
        exception_handlers={UploadRejected: on_rejected, Busy: on_busy, NoSuchJob: on_missing, NeedsKey: on_needs_key, 404: on_missing,
                            500: on_error},
    )
    app.state.config = config
    app.state.jobs = JobStore(config)
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.templates.env.globals["limits"] = config.limits
    return app
