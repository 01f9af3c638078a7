"""The command line as editors type it: folders given relative to where they stand."""
from __future__ import annotations

import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out


def test_relative_book_and_output_folders(book_copy):
    here = book_copy.parent
    result = run_cli("build", "book", "--out", "out", "--edition", "epub", cwd=here)
    assert result.returncode == 0, result.stderr
    assert (here / "out" / "why-we-joined.epub").is_file()
    default = run_cli("build", "book", "--edition", "epub", cwd=here)
    assert default.returncode == 0, default.stderr
    assert (book_copy / "_build" / "why-we-joined.epub").is_file()
