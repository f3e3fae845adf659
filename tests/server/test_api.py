"""The JSON API against the CLI on the same files, and what bad, large and many uploads leave behind."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import BUREAU_KEY, LIMITS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlperf", *args], cwd=cwd, capture_output=True, timeout=600)


def post(server, route: str, paths: list[Path], field: str = "file", **params) -> httpx.Response:
    files = [(field, (p.name, p.read_bytes(), XLSX)) for p in paths]
    return httpx.post(server.url + route, files=files, params=params, timeout=300)


def announced_too_much(server, length: int) -> bytes:
    """Send only the head of a request announcing ``length`` body bytes; the server's answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
        conn.sendall(f"POST /check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
                     "Content-Type: multipart/form-data; boundary=x\r\n\r\n".encode())
        return conn.recv(65536)


def store_counts(server) -> tuple[int, int, int]:
    """(checks, findings, findings the checks' counts announce) in the server's SQLite store."""
    with sqlite3.connect(server.data / "results.sqlite3") as db:
        checks = db.execute("select count(*), coalesce(sum(errors + warnings + infos), 0) from checks").fetchone()
        findings = db.execute("select count(*) from findings").fetchone()[0]
    return checks[0], findings, checks[1]


@pytest.mark.parametrize("name", ["clean", "tampered", "yantian", "dapeng"])
def test_api_score_is_the_cli_json_byte_for_byte(server, unit_files, name, tmp_path):
    src = unit_files[name]
    local = tmp_path / src.name
    shutil.copyfile(src, local)
    expected = cli("score", local.name, "--json", cwd=tmp_path)
    got = post(server, "/api/score", [local])
    assert got.status_code == 200, got.text
    assert got.content == expected.stdout  # no field removed: `file` is the name given in both


def test_api_score_english(server, unit_files, tmp_path):
    local = tmp_path / "tampered.xlsx"
    shutil.copyfile(unit_files["tampered"], local)
    expected = cli("score", local.name, "--json", "--lang", "en", cwd=tmp_path)
    assert post(server, "/api/score", [local], lang="en").content == expected.stdout


def test_api_check_is_results_json_byte_for_byte(server, unit_files, tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    for name in ("clean", "tampered", "corrupt", "yantian"):
        shutil.copyfile(unit_files[name], folder / unit_files[name].name)
    cli("check", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1", cwd=tmp_path)
    got = post(server, "/api/check", sorted(folder.iterdir()), field="files")
    assert got.status_code == 200, got.text
    # results.json has no run-specific field without --write-back (`written` is null in both)
    assert got.content == (tmp_path / "out" / "results.json").read_bytes()


def test_bad_options_and_files_are_clear_errors(server, unit_files):
    bad = post(server, "/api/score", [unit_files["clean"]], framework="/etc/passwd")
    assert bad.status_code == 400 and "framework" in bad.json()["error"]
    corrupt = post(server, "/api/score", [unit_files["corrupt"]])
    assert corrupt.status_code == 422 and corrupt.json()["error"] == "file-corrupt"
    assert httpx.post(server.url + "/api/score", timeout=30).status_code == 400


def test_corrupt_oversized_and_twenty_concurrent_uploads(server, unit_files, tmp_path):
    before = store_counts(server)
    corrupt = post(server, "/check", [unit_files["corrupt"]])
    assert corrupt.status_code == 303
    page = httpx.get(server.url + corrupt.headers["location"], timeout=30).text
    assert "文件已损坏" in page
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK\x03\x04" + b"\x00" * (LIMITS["max_upload_mb"] * 2**20 + 10))
    too_big = post(server, "/check", [big])
    assert too_big.status_code == 413 and "超过上限" in too_big.text
    assert announced_too_much(server, LIMITS["max_request_mb"] * 2**20 + 1).startswith(b"HTTP/1.1 413")
    head = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
    chunks = (b"\0" * 2**20 if i else head for i in range(LIMITS["max_request_mb"] + 5))  # no length: counted as it streams
    streamed = httpx.post(server.url + "/check", content=chunks, timeout=60,
                          headers={"content-type": "multipart/form-data; boundary=x"})
    assert streamed.status_code == 413
    paths = [unit_files["clean" if i % 2 else "tampered"] for i in range(20)]
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda p: post(server, "/check", [p]), paths))
    assert [a.status_code for a in answers] == [303] * 20
    assert len({a.headers["location"] for a in answers}) == 20
    assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200
    checks, findings, announced = store_counts(server)
    assert checks == before[0] + 21  # the corrupt file and the 20; the rejected uploads stored nothing
    assert findings == announced  # every check's findings stored with it, none half-written


def test_names_never_leave_the_data_folder_and_jobs_stay_private(server, unit_files):
    answer = httpx.post(server.url + "/check", timeout=60,
                        files=[("file", ("../../../逃逸.xlsx", unit_files["clean"].read_bytes(), XLSX))])
    assert answer.status_code == 303
    job = answer.headers["location"].rsplit("/", 1)[1]
    assert (server.data / "jobs" / job / "in" / "逃逸.xlsx").is_file()
    assert not list(server.data.parent.glob("*逃逸*")) and not list(server.data.glob("*逃逸*"))
    for url in (f"/r/{'A' * 32}", f"/r/{job}x", "/r/..%2F..%2Fetc", f"/b/{job}", f"/b/{job}/summary.xlsx",
                f"/r/{job}/../../results.sqlite3"):
        assert httpx.get(server.url + url, timeout=10).status_code == 404, url
    assert httpx.get(server.url + f"/r/{job}", timeout=10).status_code == 200


def test_server_folder_outside_allowed_roots_is_refused(server):
    for folder in ("/etc", str(server.data)):
        answer = httpx.post(server.url + "/bureau", data={"server_folder": folder}, files={"files": ("", b"")},
                            headers={"X-Xlperf-Key": BUREAU_KEY}, timeout=30)
        assert answer.status_code == 403


def test_bureau_wide_data_needs_the_key(server, bureau_folder):
    assert httpx.get(server.url + "/api/history", timeout=30).status_code == 401
    assert httpx.get(server.url + "/api/history", headers={"X-Xlperf-Key": "wrong"}, timeout=30).status_code == 401
    assert httpx.get(server.url + "/api/history", headers={"X-Xlperf-Key": BUREAU_KEY}, timeout=30).status_code == 200
    page = httpx.get(server.url + "/history", timeout=30)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    folder = httpx.post(server.url + "/bureau", data={"server_folder": str(bureau_folder)},
                        files={"files": ("", b"")}, timeout=30)
    assert folder.status_code == 303 and folder.headers["location"].startswith("/login")
