"""The preview server answers only its own host names, survives odd paths and idle crowds, and checks --port first.

Issue 17, item 13. All traffic stays on 127.0.0.1.
"""
from __future__ import annotations

import http.client
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out


@pytest.fixture()
def served(tmp_path):
    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "bookbuilder.cli", "serve", str(book), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        while True:
            line = lines.get(timeout=120)
            if "Serving" in line:
                port = int(line.split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
                break
        yield port, lines
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host or f"127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    return response.status, response.read()


def test_another_host_name_is_refused_and_ours_are_served(served):
    port, _ = served
    assert get(port, "/", f"attacker.example:{port}")[0] == 421
    assert get(port, "/", "127.0.0.1")[0] == 421  # without our port: not a name we answer to
    assert get(port, "/")[0] == 200 and get(port, "/", f"localhost:{port}")[0] == 200


def test_a_nul_in_the_path_is_a_404_not_a_traceback(served):
    port, lines = served
    assert get(port, "/%00")[0] == 404
    assert get(port, "/")[0] == 200
    printed = []
    while not lines.empty():
        printed.append(lines.get())
    assert "Traceback" not in "".join(printed)


def test_a_crowd_of_idle_connections_does_not_stop_the_server(served):
    port, lines = served
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(300)]
    try:  # while they hold every slot a new reader may be turned away; once they time out, it is served
        deadline = time.monotonic() + 60
        while True:
            try:
                assert get(port, "/")[0] == 200
                break
            except (ConnectionError, http.client.HTTPException, socket.timeout):
                assert time.monotonic() < deadline, "the server stopped answering"
                time.sleep(1)
    finally:
        for s in idle:
            s.close()
    assert get(port, "/")[0] == 200
    printed = []
    while not lines.empty():
        printed.append(lines.get())
    assert "Traceback" not in "".join(printed) and "BrokenPipe" not in "".join(printed)


def test_a_port_out_of_range_is_refused_before_any_build(tmp_path):
    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    before = set(Path(tempfile.gettempdir()).glob("bookbuilder-serve-*"))
    done = run_cli("serve", str(book), "--port", "70000")
    assert done.returncode == 2 and "70000 is not a port number" in done.stderr
    assert set(Path(tempfile.gettempdir()).glob("bookbuilder-serve-*")) == before
