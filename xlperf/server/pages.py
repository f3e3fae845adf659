"""The HTML pages: a unit checks one workbook, the bureau checks a folder, anyone reads the history.

Pages are server-rendered (Jinja2) and work without JavaScript: a form posts, the answer is a page.
The bureau's progress page refreshes itself (``<meta http-equiv=refresh>``) until the batch is done.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from xlperf.server import reports
from xlperf.server.access import require_bureau
from xlperf.server.charts import grade_bars
from xlperf.server.jobs import Job, JobStore, NoSuchJob
from xlperf.server.summary import SEVERITY_ZH, batch_view, location
from xlperf.server.uploads import UploadRejected, check_sizes, files_of, read_form, save_files

DOWNLOADS = {"summary.xlsx": ("汇总.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             "findings.csv": ("findings.csv", "text/csv; charset=utf-8"),
             "results.json": ("results.json", "application/json")}


def render(request: Request, name: str, status: int = 200, **context) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def jobs_of(request: Request) -> JobStore:
    return request.app.state.jobs


def download(path: Path, shown_name: str, media_type: str) -> FileResponse:
    """A file of a job, named for the user (RFC 5987 for Chinese names)."""
    if not path.is_file():
        raise NoSuchJob(shown_name)
    ascii_name = "xlperf" + Path(shown_name).suffix  # for clients that ignore filename*
    return FileResponse(path, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(shown_name)}"})


async def unit_page(request: Request) -> Response:
    return render(request, "unit.html")


async def unit_check(request: Request) -> Response:
    jobs = jobs_of(request)
    form = await read_form(request, request.app.state.config.limits)
    files = files_of(form, "file")
    if len(files) > 1:
        raise UploadRejected("单位自查一次上传一个文件；多个文件请使用汇总校验页面。", "One file per unit check.", 400)
    check_sizes(files, request.app.state.config.limits)
    job = jobs.new("unit", write_back=True)
    await save_files(files, jobs.folder(job.id) / "in", request.app.state.config.limits, keep_folders=False)
    await run_in_threadpool(jobs.run_now, job)
    return RedirectResponse(f"/r/{job.id}", status_code=303)


def _unit_job(request: Request) -> tuple[Job, dict]:
    jobs = jobs_of(request)
    job = jobs.get(request.path_params["job"])
    if job.kind != "unit":
        raise NoSuchJob(job.id)
    if job.status != "done":
        raise UploadRejected(f"校验未能完成：{job.error or job.status}。请稍后重试或联系管理员。", "Check not done.", 500)
    return job, jobs.results(job.id)["files"][0]


async def unit_result(request: Request) -> Response:
    job, entry = _unit_job(request)
    findings = [{**f, "where": location(f), "level": SEVERITY_ZH[f["severity"]]} for f in entry["findings"]]
    return render(request, "result.html", job=job, entry=entry, findings=findings, info=entry.get("info") or {},
                  corrected=bool(entry.get("written")), report=reports.available(entry["file"]))


async def unit_corrected(request: Request) -> Response:
    job, entry = _unit_job(request)
    out = jobs_of(request).out(job.id).resolve()
    written = Path(entry.get("written") or "").resolve()
    if out not in written.parents:  # only a copy this job wrote
        raise NoSuchJob(job.id)
    return download(written, "更正_" + written.name, "application/octet-stream")


async def unit_report(request: Request) -> Response:
    job, entry = _unit_job(request)
    jobs = jobs_of(request)
    made = await run_in_threadpool(reports.write, jobs.folder(job.id) / "in" / entry["file"], jobs.out(job.id),
                                   job.framework)
    if made is None:
        raise NoSuchJob(job.id)
    return download(made, reports.REPORT_NAME,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


async def bureau_page(request: Request) -> Response:
    return render(request, "bureau.html", folders=bool(request.app.state.config.allowed_roots))


async def bureau_start(request: Request) -> Response:
    config, jobs = request.app.state.config, jobs_of(request)
    form = await read_form(request, config.limits)
    files = files_of(form, "files", "folder")
    folder_text = str(form.get("server_folder") or "").strip()
    if folder_text and not files:
        require_bureau(request)
        folder = config.allowed_folder(folder_text)
        if folder is None:
            raise UploadRejected("该服务器文件夹不存在或不在允许校验的范围内。", "Folder not allowed.", 403)
        job = jobs.new("bureau", source=str(folder))
    else:
        check_sizes(files, config.limits)
        job = jobs.new("bureau")
        await save_files(files, jobs.folder(job.id) / "in", config.limits)
    jobs.submit_bureau(job)
    return RedirectResponse(f"/b/{job.id}", status_code=303)


async def bureau_job(request: Request) -> Response:
    jobs = jobs_of(request)
    job = jobs.get(request.path_params["job"])
    if job.kind != "bureau":
        raise NoSuchJob(job.id)
    if job.status != "done":
        return render(request, "progress.html", job=job, done=jobs.progress(job))
    view = batch_view(jobs.results(job.id))
    return render(request, "batch.html", job=job, view=view, chart=grade_bars(view["grades"]))


async def bureau_download(request: Request) -> Response:
    jobs = jobs_of(request)
    job = jobs.get(request.path_params["job"])
    name = request.path_params["name"]
    if job.kind != "bureau" or job.status != "done" or name not in DOWNLOADS:
        raise NoSuchJob(job.id)
    shown, media = DOWNLOADS[name]
    if name == "summary.xlsx":  # the batch names its summary in the job's language (outputs.outputset)
        from xlperf.outputs.outputset import summary_name

        shown = summary_name(job.lang)
    return download(jobs.out(job.id) / shown, shown, media)


async def history_page(request: Request) -> Response:
    from xlperf.server.history_view import history_context

    require_bureau(request)
    context = await run_in_threadpool(history_context, request.app.state.config.db_url, request.query_params)
    return render(request, "history.html", **context)


def routes() -> list[Route]:
    return [Route("/", unit_page), Route("/check", unit_check, methods=["POST"]),
            Route("/r/{job}", unit_result), Route("/r/{job}/corrected", unit_corrected),
            Route("/r/{job}/report", unit_report),
            Route("/bureau", bureau_page), Route("/bureau", bureau_start, methods=["POST"]),
            Route("/b/{job}", bureau_job), Route("/b/{job}/{name}", bureau_download),
            Route("/history", history_page)]
