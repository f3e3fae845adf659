"""Without a bureau key, bureau-wide pages answer only the server machine itself (in-process app)."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette", reason="the server extra is not installed: pip install 'xlperf[server]'")

import warnings  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # StarletteDeprecationWarning: Starlette 1.x would rather have "httpx2" under it
    from starlette.testclient import TestClient  # noqa: E402

from xlperf.server.app import create_app  # noqa: E402
from xlperf.server.config import ServerConfig  # noqa: E402


@pytest.mark.parametrize("host, allowed", [("127.0.0.1", True), ("::1", True), ("10.1.2.3", False)])
def test_history_without_a_key_is_local_only(tmp_path, host, allowed):
    app = create_app(ServerConfig(data_dir=tmp_path / "data"))
    with TestClient(app, client=(host, 50000), follow_redirects=False) as client:
        page = client.get("/history")
        assert (page.status_code == 200) is allowed
        if not allowed:
            assert page.headers["location"] == "/login?next=/history"
            assert "只能在服务器本机打开" in client.get("/login").text
        assert client.get("/").status_code == 200  # the unit page is for everyone


def test_login_never_sends_elsewhere(tmp_path):
    app = create_app(ServerConfig(data_dir=tmp_path / "data", bureau_key="k"))
    with TestClient(app, follow_redirects=False) as client:
        for target in ("//evil.example/x", "https://evil.example/", "/\\\\evil"):
            answer = client.post("/login", data={"key": "k", "next": target})
            assert answer.headers["location"] == "/history"
        assert client.get("/history").status_code == 200  # the cookie it set
