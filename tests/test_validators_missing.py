"""A validator that cannot run is named with what to install, and `check` exits 1: it never claims a pass (issue 16)."""
from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out


def test_missing_java_and_ace_are_one_line_each_and_check_exits_1(sample, monkeypatch, capsys):
    from bookbuilder.checks import epub as epub_checks
    from bookbuilder.cli import main

    real_which = shutil.which
    monkeypatch.setattr(epub_checks.shutil, "which", lambda name: None if name in ("java", "ace-puppeteer")
                        else real_which(name))
    monkeypatch.setattr(epub_checks, "project_root", lambda: sample.out)  # no .tools there
    monkeypatch.delenv("BOOKBUILDER_ACE", raising=False)
    assert main(["check", str(sample.epub)]) == 1
    out = capsys.readouterr().out
    assert "Could not check (2):" in out
    assert "EPUBCheck did not run: EPUBCheck needs Java: apt-get install default-jre-headless" in out
    assert "DAISY Ace did not run: DAISY Ace is not installed" in out and "npm install -g @daisy/ace" in out
    assert "2 validator(s) could not run" in out
