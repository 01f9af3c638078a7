"""`bookbuilder import`: real files in, house essays out, and the book still builds."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import run_cli

SEED = Path("/work/shared/seed/from-chomsky-to-marx.txt")


@pytest.fixture()
def new_book(tmp_path) -> Path:
    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    return book


def front_matter_and_body(essay: Path) -> tuple[dict, str]:
    _, fm, body = essay.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(fm), body


def essay_xhtml(out: Path, slug: str) -> str:
    with zipfile.ZipFile(next(out.glob("*.epub"))) as z:
        return next(z.read(n).decode() for n in z.namelist() if n.endswith(f"{slug}.xhtml"))


def build_epub(book: Path, out: Path) -> None:
    built = run_cli("build", str(book), "--out", str(out), "--edition", "epub")
    assert built.returncode == 0, built.stderr


@pytest.mark.skipif(not SEED.is_file(), reason="the seed essay is not on this machine")
def test_import_seed_text(new_book, tmp_path):
    result = run_cli("import", str(SEED), "--book", str(new_book))
    assert result.returncode == 0, result.stderr
    assert "epigraphs: 2" in result.stdout and "figures: 3 (3 without an image file)" in result.stdout
    assert "images/from-chomsky-to-marx-2.jpg" in result.stdout and "no author" in result.stdout
    essay = new_book / "essays" / "from-chomsky-to-marx.md"
    meta, body = front_matter_and_body(essay)
    assert meta["title"] == "From Chomsky to Marx" and meta["subtitle"] == "Why I Joined the IMT"
    assert meta["standfirst"].startswith("An ongoing series on membership in the IMT")
    assert body.lstrip().startswith("> A revolutionary organization is not the prototype")
    assert "> — Leon Trotsky, History of the Russian Revolution" in body
    assert "> — Alan Woods, Marx versus Bakunin" in body
    assert body.count("<!-- TODO figure") == 3
    assert "![Revolutionary Philosophy of Marxism Book Cover](../images/from-chomsky-to-marx-1.jpg)" in body
    assert "/ Image: Σ, Wikimedia Commons" in body
    assert "As Alan Woods explains in Marx versus Bakunin:\n\n> In reality, anarchist organizations" in body
    assert "/// aside | call-to-action\n**Are you a communist?**\nThen apply to join your party!\n///" in body
    toml = (new_book / "book.toml").read_text()
    assert '"essays/from-chomsky-to-marx.md"' in toml and "# A book in parts lists" in toml

    build_epub(new_book, tmp_path / "out")
    xhtml = essay_xhtml(tmp_path / "out", "from-chomsky-to-marx")
    assert xhtml.count('epub:type="epigraph"') == 2 and "Why I Joined the IMT" in xhtml
    assert "call-to-action" in xhtml

    again = run_cli("import", str(SEED), "--book", str(new_book))
    assert again.returncode == 2 and "--force" in again.stderr
    assert run_cli("import", str(SEED), "--book", str(new_book), "--force").returncode == 0
    assert (new_book / "book.toml").read_text().count("from-chomsky-to-marx.md") == 1
