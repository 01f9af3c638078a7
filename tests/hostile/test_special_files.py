"""Links, FIFOs and devices in a book folder are never opened (issue 17, item 6): the build neither hangs nor reads them."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT


def build(book, out):
    return subprocess.run([sys.executable, "-m", "bookbuilder.cli", "build", str(book), "--out", str(out),
                           "--edition", "epub"], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.slow
def test_an_unused_fifo_and_links_to_a_device_and_outside_do_not_hang_or_leak(book_copy, tmp_path):
    os.mkfifo(book_copy / "images" / "pipe")
    (book_copy / "zero").symlink_to("/dev/zero")
    (book_copy / "secrets").symlink_to("/etc")
    (book_copy / "passwd.jpg").symlink_to("/etc/passwd")
    done = build(book_copy, tmp_path / "out")  # a hang would end in TimeoutExpired, failing the test
    assert done.returncode == 0, done.stderr
    manifest = (tmp_path / "out" / ".bookbuilder-manifest.json").read_text()
    assert "root:" not in manifest  # nothing of /etc/passwd


def test_a_changed_link_target_name_is_a_change(book_copy, tmp_path):
    from bookbuilder.fingerprint import Inputs

    (book_copy / "notes").symlink_to("/dev/null")
    first = Inputs(book_copy, tmp_path, {}, [], [], []).fingerprint()
    (book_copy / "notes").unlink()
    (book_copy / "notes").symlink_to("/dev/zero")
    assert Inputs(book_copy, tmp_path, {}, [], [], []).fingerprint() != first
