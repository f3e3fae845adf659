"""Save a request's uploaded files into a job's ``in/`` folder, within the limits."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlperf.server.config import Limits
from xlperf.server.limits import place, safe_parts


class UploadRejected(Exception):
    """A request the limits refuse: ``zh`` and ``en`` say what and how to fix it; HTTP ``status``."""

    def __init__(self, zh: str, en: str, status: int = 400):
        super().__init__(en)
        self.zh, self.en, self.status = zh, en, status


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


@dataclass
class Saved:
    names: list[str]  # as placed, relative to the job's in/ folder (posix)


async def read_form(request: Any, limits: Limits) -> Any:
    """The multipart form, with Starlette's own caps on file and field counts."""
    from starlette.formparsers import MultiPartException

    try:
        return await request.form(max_files=limits.max_files, max_fields=100, max_part_size=64 * 1024)
    except MultiPartException as exc:
        raise UploadRejected(f"上传内容无法接受：{exc}", str(exc), 400) from exc


def files_of(form: Any, *fields: str) -> list[Any]:
    """Uploaded files under ``fields`` (a browser sends an empty part for an empty file input: skipped)."""
    return [f for name in fields for f in form.getlist(name) if hasattr(f, "filename") and f.filename]


def check_sizes(files: list[Any], limits: Limits) -> None:
    if not files:
        raise UploadRejected("没有收到文件，请选择要校验的工作簿。", "No file received.", 400)
    if len(files) > limits.max_files:
        raise UploadRejected(f"一次最多上传 {limits.max_files} 个文件，本次 {len(files)} 个。",
                             f"At most {limits.max_files} files per request ({len(files)} sent).", 413)
    for f in files:
        if f.size is not None and f.size > limits.max_file_bytes:
            raise UploadRejected(f"文件「{f.filename}」大小 {_mb(f.size)}，超过上限 {_mb(limits.max_file_bytes)}；"
                                 "请删除无关的工作表或图片后重新上传。",
                                 f"{f.filename}: {_mb(f.size)} exceeds the limit of {_mb(limits.max_file_bytes)}.", 413)


async def save_files(files: list[Any], folder: Path, limits: Limits, keep_folders: bool = True) -> Saved:
    """Write each upload under ``folder`` with a sanitised name (never the client's path as given)."""
    check_sizes(files, limits)
    names = []
    for upload in files:
        target = place(folder, safe_parts(upload.filename, keep_folders))
        target.parent.mkdir(parents=True, exist_ok=True)
        await upload.seek(0)
        with open(target, "xb") as handle:
            shutil.copyfileobj(upload.file, handle, 1 << 20)
        await upload.close()
        names.append(target.relative_to(folder).as_posix())
    return Saved(names)
