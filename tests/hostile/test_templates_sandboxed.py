"""A book's template overrides cannot run Python (issue 17, item 4): Jinja's sandbox, and a clear error naming the file."""
from __future__ import annotations

import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out


def test_a_template_override_cannot_run_code(book_copy, tmp_path):
    marker = tmp_path / "pwned"
    override = book_copy / "styles" / "templates" / "print" / "essay.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text("<p>hello</p>\n{{ cycler.__init__.__globals__.os.system('touch %s') }}\n" % marker)
    done = run_cli("build", str(book_copy), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert done.returncode == 2, done.stderr
    assert not marker.exists()
    assert "essay.html:2" in done.stderr and "not allowed in a template" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.pdf"))


def test_a_broken_template_override_names_its_file_and_line(book_copy, tmp_path):
    override = book_copy / "styles" / "templates" / "epub" / "essay.xhtml"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text("<p>\n{% if %}\n</p>\n")
    done = run_cli("build", str(book_copy), "--out", str(tmp_path / "out"), "--edition", "epub")
    assert done.returncode == 2, done.stderr
    assert "essay.xhtml:2" in done.stderr and "Traceback" not in done.stderr
