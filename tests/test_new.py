"""`bookbuilder new`: the folder it makes builds clean at once, with every house element at work."""
from __future__ import annotations

import zipfile

import pytest

from conftest import run_cli


@pytest.mark.slow
def test_new_book_builds_clean(tmp_path):
    book = tmp_path / "our-anthology"
    made = run_cli("new", str(book), "--title", 'Why "We" Joined')
    assert made.returncode == 0, made.stderr
    toml = (book / "book.toml").read_text()
    assert 'title = "Why \\"We\\" Joined"' in toml
    for option in ("identifier", "isbn", "trim", "[cover]", "image", "credit", "front", "back", "[[contents.parts]]",
                   "subtitle", "series", "[[epigraphs]]", "rights", "description"):
        assert option in toml, option
    assert (book / "styles" / "print" / "90-book.css").is_file()

    built = run_cli("build", str(book), "--out", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr, built.stderr
    epub = next((tmp_path / "out").glob("*.epub"))
    with zipfile.ZipFile(epub) as z:
        essay = next(z.read(n).decode() for n in z.namelist() if n.endswith("example.xhtml"))
    assert 'epub:type="epigraph"' in essay and "Eighteenth Brumaire" in essay
    assert "<figure" in essay and "example-figure" in essay
    assert 'epub:type="footnote"' in essay


def test_new_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run_cli("new", str(tmp_path))
    assert result.returncode == 2 and "not empty" in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"
