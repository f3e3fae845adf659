"""``/xlwings/custom-functions-meta`` and ``/xlwings/custom-functions-call``: ``xlperf.udfs`` over HTTP
through xlwings' own Office.js functions, the two endpoints xlwings Server's add-in calls.

xlwings decides at import whether ``@xw.func`` registers Office.js functions (``XLWINGS_ON_SERVER``),
and ``xlwings.server`` needs ``XLWINGS_LICENSE_KEY`` (``noncommercial`` under PolyForm Noncommercial,
see docs/xlwings_server.md); ``xlperf serve --xlwings`` therefore sets the first before importing.
"""

from __future__ import annotations

import os

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


class XlwingsUnavailable(RuntimeError):
    """xlwings' server part cannot be used here (no licence key, or xlwings imported too early)."""


def load():
    """``(xlwings.server, xlperf.udfs)`` in Office.js mode."""
    import sys

    if "xlwings" in sys.modules and os.environ.get("XLWINGS_ON_SERVER", "").lower() != "true":
        raise XlwingsUnavailable("xlwings was imported before XLWINGS_ON_SERVER=true was set")
    os.environ["XLWINGS_ON_SERVER"] = "true"
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise XlwingsUnavailable("XLWINGS_LICENSE_KEY is not set (see docs/xlwings_server.md)")
    from xlwings import server

    import xlperf.udfs as udfs

    return server, udfs


def routes() -> list[Route]:
    server, udfs = load()

    async def meta(request: Request) -> Response:
        return JSONResponse(server.custom_functions_meta(udfs))

    async def call(request: Request) -> Response:
        try:
            data = await request.json()
            result = await server.custom_functions_call(data, udfs)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return JSONResponse({"error": f"{type(exc).__name__}: {exc}"}, status_code=400)
        return JSONResponse({"result": result})

    return [Route("/xlwings/custom-functions-meta", meta),
            Route("/xlwings/custom-functions-call", call, methods=["POST"])]
