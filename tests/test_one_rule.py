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


LINTED = """Text with a note[^a] and one never written.[^gone] In code, `[^code]` is no call.

An inline picture ![a mark](../images/inline.png) in a sentence, and a [reference link][ref].

![TODO: describe the image](../images/fig.png){: .fullwidth }
A caption. / Sculpture: Ana Ruiz

<!-- TODO figure 2: save the image as images/later.png, then delete this line and the last one
![A crowd](../images/later.png)
The crowd. / Image: Someone
-->

[ref]: missing.md

[^a]: A note.

[^spare]: Nobody calls it.
"""


def test_the_lint_reads_the_essay_as_the_loader_does(tmp_path):
    from PIL import Image

    from bookbuilder.checks.source import lint_sources

    book = small_book(tmp_path / "book", essay_body=LINTED)
    (book / "images").mkdir()
    for name in ("inline.png", "fig.png", "later.png", "spare.png"):
        Image.new("L", (8, 8)).save(book / "images" / name)
    found = sorted(f"{'error' if f.fatal else 'warning'}: {f}" for f in lint_sources(book))
    line = {text: n for n, text in enumerate((book / "essays" / "one.md").read_text().split("\n"), 1)}

    def at(start: str) -> int:
        return next(n for text, n in line.items() if text.startswith(start))

    assert found == sorted([
        f"error: essays/one.md:{at('Text with')}: note [^gone] is called but never written: add a line [^gone]: …",
        f"error: essays/one.md:{at('[ref]:')}: broken link: missing.md does not exist",
        f"warning: essays/one.md:{at('![TODO')}: the image's class .fullwidth means nothing to the build: a figure's "
        "size is one of .full-page, .full-width, .half-width, .inline",
        f"error: essays/one.md:{at('![TODO')}: figure alt text is still a TODO: describe the image inside the [brackets]",
        f"warning: essays/one.md:{at('A caption.')}: “Sculpture:” is not a credit label, so the credit would print as "
        "part of the caption: use one of " + ", ".join(__import__("bookbuilder.sources.conventions", fromlist=["x"])
                                                     .CREDIT_LABELS) + " (Credit: prints the name alone)",
        f"error: essays/one.md:{at('<!-- TODO')}: a figure awaits its image: save the image as images/later.png, then "
        "delete this line and the last one",
        f"warning: essays/one.md:{at('[^spare]:')}: note [^spare] is written but never called",
        "warning: images/spare.png: no essay uses this image",
    ]), found


def test_the_lint_leaves_an_unreadable_book_toml_to_the_loader(tmp_path):
    from bookbuilder.checks.source import lint_sources

    book = small_book(tmp_path / "book")
    (book / "book.toml").write_text('title = "unclosed\n[contents\n', encoding="utf-8")
    assert [str(f) for f in lint_sources(book)] == [
        "essays/one.md: is not in book.toml's contents: list it, or move it out of the book folder"]
