"""The JSON API: exactly what ``xlperf score --json`` prints and what ``results.json`` holds.

``POST /api/score`` (one file): ``xlperf.api.score_workbook`` and ``outputs.json_report.score_dict``,
the two calls ``xlperf score --json`` makes, run in a one-worker ``WorkerPool`` so the per-file time
limit holds; the body is the CLI's own text (``json.dumps(…, ensure_ascii=False, indent=1)`` plus a
newline). ``file`` is the upload's sanitised name, as the CLI shows the name it was given.
``POST /api/check`` (several files): ``run_batch`` as ``xlperf check`` runs it; the body is the batch's
``results.json`` file itself.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from xlperf.server.access import require_bureau
from xlperf.server.jobs import scoring_config
from xlperf.server.uploads import UploadRejected, check_sizes, files_of, read_form, save_files


def _options(request: Request, form: Any) -> tuple[str, str, str | None]:
    """framework, lang and sheet from the query string or the form (as the CLI options)."""
    pick = lambda name: request.query_params.get(name) or (form.get(name) if form is not None else None)  # noqa: E731
    framework, lang, sheet = str(pick("framework") or "generic"), str(pick("lang") or "zh"), pick("sheet")
    if lang not in ("zh", "en"):
        raise UploadRejected("lang 只能是 zh 或 en。", "lang must be zh or en.", 400)
    try:
        scoring_config(framework)
    except ValueError as exc:
        raise UploadRejected(f"未知的评分框架：{framework}", str(exc), 400) from exc
    return framework, lang, str(sheet) if sheet else None


def score_text(path: str, framework: str, lang: str, sheet: str | None, name: str) -> tuple[int, str]:
    """What ``xlperf score PATH --json`` prints, with ``file`` set to ``name``; (HTTP status, body)."""
    from xlperf.api import score_workbook
    from xlperf.errors import XlperfError
    from xlperf.outputs.json_report import score_dict

    try:
        data = score_dict(score_workbook(path, scoring_config(framework), sheet), lang)
    except XlperfError as exc:  # the CLI's exit status 2: a file-level finding, in the same words
        finding = exc.finding.with_file(name)
        return 422, json.dumps({"error": finding.code, "message": finding.message(lang)}, ensure_ascii=False) + "\n"
    data["file"] = name
    return 200, json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _score_limited(path: str, framework: str, lang: str, sheet: str | None, name: str, timeout: float) -> tuple[int, str]:
    from xlperf.batch.pool import WorkerPool

    work = functools.partial(score_text, framework=framework, lang=lang, sheet=sheet, name=name)
    for _, (status, payload) in WorkerPool(work, 1, timeout).run([path]):
        if status == "ok":
            return payload
        if status == "timeout":
            return 504, json.dumps({"error": "file-timeout", "message": f"评分超过 {timeout:g} 秒未完成，已中止。"},
                                   ensure_ascii=False) + "\n"
        return 500, json.dumps({"error": "file-failed", "message": str(payload)}, ensure_ascii=False) + "\n"
    raise RuntimeError("worker pool returned nothing")


async def api_score(request: Request) -> Response:
    config, jobs = request.app.state.config, request.app.state.jobs
    form = await read_form(request, config.limits)
    files = files_of(form, "file")
    if len(files) != 1:
        raise UploadRejected("请上传且只上传一个文件（字段名 file）。", "Send exactly one file in field 'file'.", 400)
    framework, lang, sheet = _options(request, form)
    check_sizes(files, config.limits)
    job = jobs.new("api", framework=framework, lang=lang)
    saved = await save_files(files, jobs.folder(job.id) / "in", config.limits, keep_folders=False)
    path = jobs.folder(job.id) / "in" / saved.names[0]
    status, body = await run_in_threadpool(_score_limited, str(path), framework, lang, sheet, saved.names[0],
                                           config.limits.file_timeout)
    return Response(body, status_code=status, media_type="application/json")


async def api_check(request: Request) -> Response:
    config, jobs = request.app.state.config, request.app.state.jobs
    form = await read_form(request, config.limits)
    files = files_of(form, "files", "file")
    framework, lang, _ = _options(request, form)
    check_sizes(files, config.limits)
    job = jobs.new("api", framework=framework, lang=lang)
    await save_files(files, jobs.folder(job.id) / "in", config.limits)
    await run_in_threadpool(jobs.run_now, job, config.limits.jobs)
    job = jobs.get(job.id)
    if job.status != "done":
        return JSONResponse({"error": "check-failed", "message": job.error}, status_code=500)
    body = (jobs.out(job.id) / "results.json").read_bytes()
    return Response(body, media_type="application/json", headers={"X-Xlperf-Job": job.id})


async def api_history(request: Request) -> Response:
    from xlperf.store.db import open_store
    from xlperf.store.history import history_dict, project_history

    require_bureau(request)
    q = request.query_params
    entries = await run_in_threadpool(project_history, open_store(request.app.state.config.db_url),
                                      q.get("project"), q.get("department"), q.get("unit"))
    return JSONResponse(history_dict(entries))


async def api_job(request: Request) -> Response:
    jobs = request.app.state.jobs
    job = jobs.get(request.path_params["job"])
    return JSONResponse({"id": job.id, "kind": job.kind, "status": job.status, "total": job.total,
                         "done": jobs.progress(job), "error": job.error})


async def health(request: Request) -> Response:
    return JSONResponse({"ok": True})


def routes() -> list[Route]:
    return [Route("/api/score", api_score, methods=["POST"]), Route("/api/check", api_check, methods=["POST"]),
            Route("/api/history", api_history), Route("/api/jobs/{job}", api_job), Route("/healthz", health)]
