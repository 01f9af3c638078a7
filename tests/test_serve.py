"""`bookbuilder serve`: a real browser (Debian's chromium, headless) sees the page change when a source changes."""
from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import run_cli

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="Debian's chromium is not installed"),
              pytest.mark.slow]  # builds and serves a book in a browser


@pytest.fixture()
def server(tmp_path):
    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "bookbuilder.cli", "serve", str(book), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ.copy())
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    seen: list[str] = []
    try:
        while True:
            line = lines.get(timeout=60)
            seen.append(line)
            if "Serving" in line:
                url = line.split(" on ", 1)[1].split()[0]
                break
        yield book, url, seen, lines
    finally:
        proc.terminate()
        proc.wait(timeout=10)


TEXT_OF = "(s => (document.querySelector(s)?.textContent ?? '').replace(/\\u00a0/g, ' '))"  # ties; no h1 mid-reload


def heading(page) -> str:
    return page.locator("h1").first.inner_text().replace("\xa0", " ").strip()


def drain(lines: queue.Queue, seen: list[str]) -> str:
    while not lines.empty():
        seen.append(lines.get_nowait())
    return "".join(seen)


def test_preview_reloads_on_edit_and_survives_a_broken_source(server):
    book, url, seen, lines = server
    essay = book / "essays" / "example.md"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_default_timeout(90_000)  # a loaded machine (CI beside other work) rebuilds slowly
            page.goto(url)
            page.click("text=An Example Essay")
            page.wait_for_url("**/text/example.xhtml")
            assert heading(page) == "An Example Essay"
            assert page.locator("[epub\\:type=epigraph], .epigraph").count() >= 1
            # the house CSS is applied: the body text is set in the book face
            assert "EB Garamond" in page.evaluate("getComputedStyle(document.body).fontFamily")

            while "print rebuilt" not in drain(lines, seen):  # the preview has settled: its first PDF is made
                time.sleep(0.2)
            essay.write_text(essay.read_text().replace('title: "An Example Essay"', 'title: "A Changed Essay"'))
            page.wait_for_function(f"{TEXT_OF}('h1').includes('A Changed Essay')")

            good = essay.read_text()
            essay.write_text(good.replace('title: "A Changed Essay"', 'titel: "A Changed Essay"'))
            page.wait_for_selector("#bookbuilder-error")
            assert "essays/example.md" in page.inner_text("#bookbuilder-error")
            assert heading(page) == "A Changed Essay"  # the last good page stays readable
            assert "does not build" in drain(lines, seen)

            essay.write_text(good.replace("A note.", "A revised note."))
            page.wait_for_function("!document.getElementById('bookbuilder-error') && "
                                   "document.body.textContent.includes('A revised note.')")
        finally:
            browser.close()
    with urllib.request.urlopen(url + "pdf", timeout=30) as response:
        assert response.headers["Content-Type"] == "application/pdf" and response.read(5) == b"%PDF-"
