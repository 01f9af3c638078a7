"""Work is bounded before the expensive step: a title no book has is refused, a very long word stays on the page."""
from __future__ import annotations

import re
import subprocess

import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out


def test_a_title_longer_than_any_real_one_is_a_source_error_with_its_line(book_copy, tmp_path):
    essay = book_copy / "essays" / "card-by-card.md"
    text = re.sub(r"^title: .*$", 'title: "' + "T" * 45_000 + '"', essay.read_text(), count=1, flags=re.M)
    essay.write_text(text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("title:"))
    done = run_cli("build", str(book_copy), "--out", str(tmp_path / "out"))
    assert done.returncode == 2, done.stderr[-2000:]
    assert f"card-by-card.md:{line}" in done.stderr and "45,000 characters long" in done.stderr


def test_a_5000_character_url_breaks_inside_the_text_block(book_copy, tmp_path):
    essay = book_copy / "essays" / "card-by-card.md"
    essay.write_text(essay.read_text() + "\nSee https://example.org/" + "a" * 5000 + " for the rest.\n")
    out = tmp_path / "out"
    assert run_cli("build", str(book_copy), "--out", str(out), "--edition", "print").returncode == 0
    (pdf,) = out.glob("*-print.pdf")
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    rights = [float(x) for x in re.findall(r'xMax="([0-9.]+)"', boxes)]
    assert max(rights) < 432 - 18  # inside the 6×9 in trim, short of its edge (it ran past the bleed)
    assert sum("aaaaaaaaaa" in w for w in re.findall(r">([^<]+)</word>", boxes)) > 20


def test_preflight_names_text_that_runs_outside_the_trim(book_copy, tmp_path):
    essay = book_copy / "essays" / "card-by-card.md"  # a line that may not wrap (no style= in an essay: a class)
    essay.write_text(essay.read_text() + '\n<span class="unbroken">' + "unbreakable words " * 30 + "</span>\n")
    (book_copy / "styles" / "print").mkdir(parents=True)
    (book_copy / "styles" / "print" / "90-book.css").write_text(".unbroken { white-space: nowrap }\n")
    done = run_cli("build", str(book_copy), "--out", str(tmp_path / "out"), "--edition", "print")
    assert done.returncode == 1, done.stderr[-2000:]
    assert re.search(r"text runs outside the trim on page \d+ \(PDF page \d+\)", done.stderr), done.stderr[-2000:]
    assert "it would be cut off" in done.stderr
