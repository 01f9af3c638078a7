"""Ctrl-C to the whole process group (as a terminal sends it) stops a build without a traceback (item 14)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])  # where it lands varies: idle, mid-chunk, waiting for a folio
def test_ctrl_c_to_the_process_group_mid_layout_prints_no_traceback(book_copy, tmp_path, delay):
    proc = subprocess.Popen([sys.executable, "-m", "bookbuilder.cli", "build", str(book_copy), "--out",
                             str(tmp_path / "out"), "--jobs", "2"], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    seen = ""
    deadline = time.monotonic() + 120
    while "chunk(s) to lay out" not in seen and time.monotonic() < deadline:
        seen += proc.stderr.readline()
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGINT)
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 130, seen + rest
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest, rest
    assert "interrupted" in rest
    time.sleep(1)
    assert subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True).stdout == b""
