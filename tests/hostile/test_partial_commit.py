"""When one output cannot be renamed into place, the build says exactly which files are new (issue 17, item 3)."""
from __future__ import annotations

import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out


def test_a_failed_rename_names_the_new_files_and_the_ones_not_written(book_copy, tmp_path):
    out = tmp_path / "out"
    blocker = out / "why-we-joined.epub"
    blocker.mkdir(parents=True)
    (blocker / "keep").write_text("a folder where the EPUB should go")
    done = run_cli("build", str(book_copy), "--out", str(out), "--edition", "print", "--edition", "epub")
    assert done.returncode == 74, done.stderr
    assert "could not put why-we-joined.epub in place" in done.stderr
    assert "new from this build: why-we-joined-print.pdf" in done.stderr
    assert "not written: why-we-joined.epub" in done.stderr
    assert "left as they were" not in done.stderr and "Traceback" not in done.stderr
    assert (out / "why-we-joined-print.pdf").is_file() and (blocker / "keep").is_file()
