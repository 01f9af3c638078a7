"""One rule per concept, each tested where the book uses it: the attribution line and the ISBN.

(The credit rule has its own file, test_figure_credits.py.)
"""
from __future__ import annotations

import re
import zipfile

import pytest

from bookbuilder.build import build
from bookbuilder.config import isbn_digits, isbn_urn
from bookbuilder.importers import import_file
from bookbuilder.sources import load_book
from bookbuilder.sources.conventions import ATTRIBUTION_LINE

DASH_FORMS = ("—", "―", "–", "--")


def small_book(root, extra_toml: str = "", essay_body: str = "Text.\n"):
    (root / "essays").mkdir(parents=True)
    (root / "book.toml").write_text('title = "Rules"\nauthors = ["Ed Itor"]\nlanguage = "en"\ndate = 2024\n'
                                    '[contents]\nessays = ["essays/one.md"]\n' + extra_toml, encoding="utf-8")
    (root / "essays" / "one.md").write_text('---\ntitle: "One"\n---\n\n' + essay_body, encoding="utf-8")
    return root


@pytest.mark.parametrize("dash", DASH_FORMS)
def test_every_dash_opens_an_attribution_for_the_importer_and_the_loader(dash, tmp_path):
    assert ATTRIBUTION_LINE.match(f"{dash} Rosa Luxemburg, *Reform or Revolution*").group(1).startswith("Rosa")
    text = tmp_path / "quoted.txt"
    text.write_text(f"Quoted\n\nWhat is to be done?\n{dash} Rosa Luxemburg, Reform or Revolution\n\nThe body.\n",
                    encoding="utf-8")
    book = small_book(tmp_path / "book")
    essay = import_file(text, book).essay.read_text(encoding="utf-8")
    assert "> What is to be done?\n> — Rosa Luxemburg, Reform or Revolution" in essay  # the importer's epigraph
    (book / "essays" / "one.md").write_text(
        f'---\ntitle: "One"\n---\n\n> What is to be done?\n>\n> {dash} Rosa Luxemburg, *Reform or Revolution*\n\n'
        "The body.\n", encoding="utf-8")
    (epigraph,) = load_book(book).essays[0].epigraphs  # the loader's
    assert epigraph.attribution_html.startswith("Rosa Luxemburg") and "<cite>" in epigraph.attribution_html


def test_an_isbn_is_read_the_same_with_spaces_or_hyphens():
    for written in ("978-0-306-40615-7", "978 0 306 40615 7", "978-0 306-40615 7", "9780306406157"):
        assert isbn_digits(written) == "9780306406157" and isbn_urn(written) == "urn:isbn:9780306406157"


@pytest.mark.slow
def test_the_epub_names_isbns_written_with_spaces_as_urns_without_them(tmp_path):
    book = small_book(tmp_path / "book", '[editions.print]\nisbn = "978 0 306 40615 7"\n'
                                         '[editions.epub]\nisbn = "979 8 9871234 1 6"\n')
    result = build(book, tmp_path / "out", editions=["epub"])
    assert not result.failed, [str(f) for f in result.findings]
    with zipfile.ZipFile(result.outputs[0].path) as z:
        opf = z.read("EPUB/content.opf").decode("utf-8")
    assert re.search(r"<dc:identifier[^>]*>urn:isbn:9798987123416</dc:identifier>", opf), opf
    assert "<dc:source>urn:isbn:9780306406157</dc:source>" in opf, opf
    assert not re.search(r"urn:isbn:[^<]*[ -]", opf)
