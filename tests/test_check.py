"""`bookbuilder check`: one report over the source and the built editions; exit 1 when something needs fixing."""
from __future__ import annotations

import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out

BROKEN_ESSAY = """---
title: "Half Finished"
author: "A. Writer"
---

Text with a note that was never written.[^missing] See [the other essay](ghost.md) and
[the example](example.md) and [our site](https://example.org/).

![](../images/example-figure.jpg)
A caption without any credit.

<!-- TODO figure 2: save the image as images/half-finished-2.jpg, then delete this line and the last one
![A crowd](../images/half-finished-2.jpg)
The crowd. / Image: Someone
-->

[^spare]: A note nobody calls.
"""


def test_new_book_checks_clean_with_epubcheck(tmp_path, monkeypatch):
    from bookbuilder.checks.epub import ace_command

    ace = ace_command()
    assert ace is not None, "DAISY Ace is not installed: run ./dev once"
    ran = tmp_path / "ace-ran"  # Ace through a wrapper that leaves a trace, so the test knows it was run
    wrapper = tmp_path / "ace"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{ran}"\nexec "{ace}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("BOOKBUILDER_ACE", str(wrapper))
    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    result = run_cli("check", str(book))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems in the sources and the print and screen and cover and epub and web edition(s)." in result.stdout
    assert "epub: check_epub" in result.stderr
    # EPUBCheck and Ace ran on the built EPUB: a validator that could not run is listed, and is not a pass
    assert "did not run" not in result.stdout and "Could not check" not in result.stdout, result.stdout
    assert "could not run" not in result.stdout, result.stdout
    assert ran.read_text().strip().endswith(".epub"), "Ace was not run on the EPUB"


def test_check_lists_every_problem_with_file_and_line(tmp_path):
    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    (book / "essays" / "half-finished.md").write_text(BROKEN_ESSAY)
    toml = book / "book.toml"
    toml.write_text(toml.read_text().replace('  "essays/example.md",\n',
                                             '  "essays/example.md",\n  "essays/half-finished.md",\n'))
    (book / "essays" / "forgotten.md").write_text('---\ntitle: "Forgotten"\n---\n\nText.\n')
    (book / "images" / "spare.jpg").write_bytes((book / "images" / "example-figure.jpg").read_bytes())

    result = run_cli("check", str(book), "--no-build")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    for expected in (
        "essays/half-finished.md:6: note [^missing] is called but never written",
        "essays/half-finished.md:6: broken link: ghost.md does not exist",
        "essays/half-finished.md:9: image 1 of “Half Finished” (example-figure.jpg) has no alt text",
        "essays/half-finished.md:10: caption without a credit",
        "essays/half-finished.md:12: a figure awaits its image: save the image as images/half-finished-2.jpg",
        "essays/half-finished.md:17: note [^spare] is written but never called",
        "essays/forgotten.md: is not in book.toml's contents",
        "images/spare.jpg: no essay uses this image",
        "4 problem(s) to fix in the sources.",  # a caption without a credit is worth a look, not a fault
    ):
        assert expected in out, (expected, out)
    assert "example.md" not in out.split("Worth a look")[0].replace("example-figure", "")  # listed essay: fine

    (book / "essays" / "half-finished.md").write_text(BROKEN_ESSAY.replace('author: "A. Writer"', 'autor: "A. Writer"'))
    result = run_cli("check", str(book))
    assert result.returncode == 1
    assert "essays/half-finished.md:3: autor: unknown key → did you mean 'author'?" in result.stdout
