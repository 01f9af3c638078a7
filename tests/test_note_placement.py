"""Notes stay on their call's page even where WeasyPrint would push them on to keep widows and orphans.

At A5 the sample book has pages where plain WeasyPrint defers a note to fit one more line
of the page's last paragraph. Our layout breaks such lines as if the page had no notes
(engine/notes_first.py); without that patch, the print edition's repair pass lays those pages
out again with the paragraph allowed a one-line orphan or widow.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from bookbuilder.build import build

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out


def a5(book):
    toml = book / "book.toml"
    toml.write_text(toml.read_text().replace('trim = "6x9in"', 'trim = "A5"'))
    return book


def late_notes(footnotes):
    return [(note, call, body) for note, call, body in footnotes if call != body]


def test_notes_stay_on_their_call_page_at_a5(book_copy, tmp_path):
    result = build(a5(book_copy), tmp_path / "out", ["print", "screen"])
    printed = next(r for r in result.outputs if r.edition == "print")
    screen = next(r for r in result.outputs if r.edition == "screen")
    assert len(printed.facts.footnotes) >= 8
    for facts in (printed.facts, screen.facts):
        assert not late_notes(facts.footnotes)
        assert facts.relaxed_blocks == []  # no repair layout was needed
    assert screen.facts.essay_pages == printed.facts.essay_pages


def test_without_the_patch_the_repair_pass_brings_notes_back(book_copy, tmp_path):
    """A WeasyPrint whose line layout changed (the override cannot apply) still gets notes on their pages."""
    script = textwrap.dedent(f"""
        import json
        from pathlib import Path
        from bookbuilder.engine import notes_first
        notes_first.TARGET = "_a_function_WeasyPrint_does_not_have"
        from bookbuilder.build import build
        result = build(Path({str(a5(book_copy))!r}), Path({str(tmp_path / 'out')!r}), ["print"])
        facts = result.outputs[0].facts
        print(json.dumps({{"relaxed": facts.relaxed_blocks, "footnotes": facts.footnotes}}))
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    reported = __import__("json").loads(run.stdout.strip().splitlines()[-1])
    assert "notes-first patch not applied" in run.stderr
    assert reported["relaxed"], "A5 no longer needs a repair without the patch: pick a size that does"
    assert not late_notes(reported["footnotes"])
