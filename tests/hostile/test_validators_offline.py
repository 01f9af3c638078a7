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


@pytest.mark.slow
def test_ace_chromium_opens_no_connection_beyond_the_loopback(tmp_path, monkeypatch, sample):
    """Chromium's own network log over a whole Ace run: every connection it opened went to 127.0.0.1 or ::1."""
    import json
    import shutil

    from bookbuilder.checks import epub as epub_checks

    netlog = tmp_path / "netlog.json"
    logged = tmp_path / "chromium"
    logged.write_text(f'#!/bin/sh\nexec {shutil.which("chromium") or "/usr/bin/chromium"} '
                      f'--log-net-log={netlog} --net-log-capture-mode=IncludeSensitive "$@"\n')
    logged.chmod(0o755)
    monkeypatch.setenv("PUPPETEER_EXECUTABLE_PATH", str(logged))
    report = epub_checks.ace_report(sample.epub)
    assert report["earl:result"]["earl:outcome"] == "pass"
    text = netlog.read_text()
    log = json.loads(text if text.rstrip().endswith("}") else text.rstrip().rstrip(",") + "]}")
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    tcp, udp, udp_sent = set(), {}, set()
    for event in log["events"]:
        kind, address = types.get(event["type"]), event.get("params", {}).get("address", "")
        if kind == "TCP_CONNECT_ATTEMPT":
            tcp.add(address)
        elif kind == "UDP_CONNECT":
            udp[event["source"]["id"]] = address
        elif kind == "UDP_BYTES_SENT":
            udp_sent.add(event["source"]["id"])
    local = ("127.", "[::1]", "::1")
    # an attempt is logged twice, its start with the address, its end with the result only: the starts are judged.
    # Chromium still asks for accounts.google.com and the like, through the dead proxy at 127.0.0.1:9.
    assert {a for a in tcp if a and not a.startswith(local)} == set()
    # Chromium connects a UDP socket to a public address to learn whether IPv6 is routable: connect() on UDP only
    # looks up a route and sends nothing. Traffic would be bytes sent on such a socket: there must be none.
    assert {udp[s] for s in udp_sent if s in udp and not udp[s].startswith(local)} == set()
