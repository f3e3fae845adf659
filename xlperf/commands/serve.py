"""``xlperf serve``: start the intranet server with one command (uvicorn, embedded SQLite store)."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from xlperf.commands.options import UsageError, db_option

EXAMPLE = "xlperf serve --host 0.0.0.0 --port 8000 --allow-root /srv/回收文件"
INSTALL_HINT = "需要安装服务器组件：pip install 'xlperf[server]' / the server needs: pip install 'xlperf[server]'"


def build_server_config(args: argparse.Namespace):
    from xlperf.server.config import MIB, Limits, ServerConfig
    from xlperf.store.db import default_data_dir

    defaults = Limits()
    limits = Limits(max_file_bytes=int(args.max_upload_mb * MIB), max_request_bytes=int(args.max_request_mb * MIB),
                    max_files=args.max_files, file_timeout=args.timeout, jobs=args.jobs or defaults.jobs,
                    queue_wait=args.queue_wait, keep_days=args.keep_days)
    return ServerConfig(data_dir=Path(args.data) if args.data else default_data_dir(), db_url=args.db or "",
                        allowed_roots=tuple(Path(p) for p in args.allow_root), limits=limits, xlwings=args.xlwings,
                        bureau_key=args.bureau_key or os.environ.get("XLPERF_BUREAU_KEY", ""))


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn
        from xlperf.server.app import create_app
    except ImportError as exc:
        raise UsageError(INSTALL_HINT) from exc
    config = build_server_config(args).prepare()
    os.environ["TMPDIR"] = str(config.tmp_dir)  # multipart spooling and every other temporary file stay in data
    tempfile.tempdir = str(config.tmp_dir)
    if args.xlwings:
        os.environ["XLWINGS_ON_SERVER"] = "true"
    from xlperf.store.db import StoreError

    try:
        app = create_app(config)
    except (RuntimeError, StoreError) as exc:  # xlwings' server part unavailable, store cannot be opened
        raise UsageError(str(exc)) from exc
    from xlperf.server.warmup import warm_up

    warm_up(config.tmp_dir)
    print(f"xlperf 服务：http://{args.host}:{args.port}/  数据目录：{config.data_dir}  结果库：{config.db_url}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, timeout_graceful_shutdown=5)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="启动内网校验服务 / start the intranet server",
                       description="单位自查页面、汇总校验页面、JSON 接口和历年结果；上传的文件只保存在数据目录中。",
                       epilog=f"示例 / example: {EXAMPLE}")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（内网服务用 0.0.0.0）/ address to listen on")
    p.add_argument("--port", type=int, default=8000, help="端口 / port")
    db_option(p)
    p.add_argument("--data", metavar="DIR", help="数据目录（上传、结果、默认结果库；默认用户数据目录，或 $XLPERF_DATA_DIR）"
                                                 " / data folder")
    p.add_argument("--allow-root", action="append", default=[], metavar="DIR",
                   help="汇总页面可校验的服务器文件夹（可多次；默认不允许）/ server folder the bureau page may check")
    p.add_argument("--bureau-key", metavar="KEY",
                   help="财政局管理口令：历年结果和服务器文件夹校验需要它（默认读 $XLPERF_BUREAU_KEY；未设置时只能在本机访问）"
                        " / key for the history and server folders")
    p.add_argument("--max-upload-mb", type=float, default=20, help="单个文件上限（MB）/ per-file upload limit")
    p.add_argument("--max-request-mb", type=float, default=512, help="单次上传总量上限（MB）/ per-request limit")
    p.add_argument("--max-files", type=int, default=2000, help="单次上传文件数上限 / files per request")
    p.add_argument("--timeout", type=float, default=60.0, help="单个文件的校验时限（秒）/ per-file time limit")
    p.add_argument("--jobs", type=int, default=0, help="汇总校验的进程数（0：自动）/ worker processes per batch")
    p.add_argument("--queue-wait", type=float, default=120.0, help="单位自查排队等待上限（秒）/ queue wait")
    p.add_argument("--keep-days", type=float, default=90.0,
                   help="上传文件和输出保留天数（结果库中的结果永久保留；0：不删除）/ days a job's files are kept")
    p.add_argument("--xlwings", action="store_true",
                   help="提供 xlwings Server 自定义函数接口（需 XLWINGS_LICENSE_KEY）/ serve the UDFs to Excel")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    p.set_defaults(func=cmd_serve)
