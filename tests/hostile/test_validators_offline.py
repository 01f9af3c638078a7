"""Ace's Chromium runs with every outside connection turned off, and the whole process tree ends with it (item 14)."""
from __future__ import annotations

import subprocess
import time
import uuid

import pytest


@pytest.mark.slow
def test_ace_starts_chromium_through_the_offline_launcher(tmp_path, monkeypatch, sample):
    from bookbuilder.checks import epub as epub_checks

    if epub_checks.ace_command() is None:
        pytest.fail("DAISY Ace is not installed (./dev installs it)")
    seen = tmp_path / "argv"
    fake = tmp_path / "chromium"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {seen}\nexit 1\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PUPPETEER_EXECUTABLE_PATH", str(fake))
    with pytest.raises(RuntimeError, match="Ace wrote no report"):
        epub_checks.ace_report(sample.epub)
    argv = seen.read_text().splitlines()
    for flag in ("--proxy-server=http://127.0.0.1:9", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-pings"):
        assert flag in argv
    assert any(a.startswith("--host-resolver-rules=MAP * ~NOTFOUND") for a in argv)


def test_a_tool_that_outlives_its_timeout_is_ended_with_all_its_children():
    from bookbuilder.checks.epub import run_in_own_group

    marker = f"bookbuilder-test-{uuid.uuid4().hex}"
    started = time.monotonic()
    code, message = run_in_own_group(["sh", "-c", f"sh -c 'sleep 300; echo {marker}' & sleep 300; echo {marker}"], {}, timeout=2)
    assert code == -1 and "no answer" in message and time.monotonic() - started < 30
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout
    assert left == ""
