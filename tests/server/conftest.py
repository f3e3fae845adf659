"""The real server on 127.0.0.1 (``xlperf serve`` in a subprocess on a free port) and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.server.returns import make_bureau_folder, make_unit_files

CHROMIUM = os.environ.get("XLPERF_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LIMITS = {"max_upload_mb": 2, "max_request_mb": 40}
BUREAU_KEY = "bureau-key-2024"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running ``xlperf serve``: its base URL, data folder and log."""

    def __init__(self, data: Path, allowed: Path, log: Path):
        self.data, self.port, self.log = data, free_port(), log
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial",  # PolyForm Noncommercial: a test run
               "XLPERF_BUREAU_KEY": BUREAU_KEY}
        cmd = [sys.executable, "-m", "xlperf", "serve", "--port", str(self.port), "--data", str(data),
               "--allow-root", str(allowed), "--max-upload-mb", str(LIMITS["max_upload_mb"]),
               "--max-request-mb", str(LIMITS["max_request_mb"]), "--jobs", "2", "--timeout", "60",
               "--xlwings", "--log-level", "warning"]
        self._log = open(log, "wb")
        self.process = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                        start_new_session=True)
        self._wait()

    def _wait(self) -> None:
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("xlperf serve exited:\n" + self.log.read_text(errors="replace"))
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("xlperf serve did not answer within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)  # its own session: the server and its worker processes
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self._log.close()


@pytest.fixture(scope="session")
def unit_files(tmp_path_factory) -> dict[str, Path]:
    return make_unit_files(tmp_path_factory.mktemp("unit"))


@pytest.fixture(scope="session")
def bureau_folder(tmp_path_factory, unit_files) -> Path:
    return make_bureau_folder(tmp_path_factory.mktemp("collected") / "回收文件", unit_files)


@pytest.fixture(scope="session")
def server(tmp_path_factory, bureau_folder) -> Server:
    pytest.importorskip("uvicorn", reason="the server extra is not installed: pip install 'xlperf[server]'")
    root = tmp_path_factory.mktemp("serve")
    srv = Server(root / "data", bureau_folder.parent, root / "serve.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (its own browser download is not used). Module scope:
    Playwright's sync API keeps an event loop running while it is open, which would stop later tests
    from calling ``asyncio.run``."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"Chromium not installed ({CHROMIUM}); python3 dev.py test installs Debian's chromium as root")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install playwright")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                                      args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def bureau_login(page, server, target: str) -> None:
    """Log in with the bureau's key and land on ``target``."""
    from urllib.parse import quote

    page.goto(server.url + "/login?next=" + quote(target))
    page.fill("#key", BUREAU_KEY)
    with page.expect_navigation():
        page.click("#login")


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()
