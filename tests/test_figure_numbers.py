"""Issue 14: figures numbered by the book ([figures] numbering), and links with no text that name their target
("fig. 1.2", "note 1", a title, a heading) in every edition; an empty link with nothing to name is a source error."""
from __future__ import annotations

import zipfile

import pikepdf
import pytest

from conftest import linked_book, pdf_pages_text, run_cli

from bookbuilder import transforms
from bookbuilder.errors import BuildError
from bookbuilder.sources import load_book
from bookbuilder.transforms.numbering import from_roman, letters

# Two more figures in the first essay (its 1 and 2), and empty links to them and to the second essay's places.
INTRO_FIGURES = ("\n![A first field](../images/pic-one.jpg)\nThe first field.\n\n"
                 "![A second field](../images/pic-one.jpg)\nThe second field. / Image: Someone Else\n")
CROSS_REFERENCES = ("\nAs [](01-intro.md#fig-2) shows, and [](01-intro.md#fig-2){: .page} again; see [](#note-1), "
                    "[](01-intro.md), [](01-intro.md#later-on) and [](#fig-1).\n")


def numbered_book(root, numbering: str | None = "chapter", language: str | None = None):
    book = linked_book(root)
    toml = book / "book.toml"
    settings = toml.read_text()
    if language:
        settings = settings.replace("date = 2026-11-01\n", f'date = 2026-11-01\nlanguage = "{language}"\n')
    if numbering:
        settings += f'\n[figures]\nnumbering = "{numbering}"\n'
    toml.write_text(settings)
    with (book / "essays" / "01-intro.md").open("a") as essay:
        essay.write(INTRO_FIGURES)
    with (book / "essays" / "2 deux.md").open("a") as essay:
        essay.write(CROSS_REFERENCES)
    return book


def deux(book):
    return next(e for e in book.essays if e.title == "Deux")


@pytest.mark.parametrize("numbering, numbers", [("chapter", ["1.1", "1.2", "2.1"]), ("book", ["1", "2", "3"]),
                                                ("none", ["", "", ""])])
def test_figures_are_numbered_as_the_book_asks(tmp_path, numbering, numbers):
    book = linked_book(tmp_path / "book")
    (book / "book.toml").write_text((book / "book.toml").read_text() + f'\n[figures]\nnumbering = "{numbering}"\n')
    with (book / "essays" / "01-intro.md").open("a") as essay:
        essay.write(INTRO_FIGURES)
    model = transforms.apply_all(load_book(book))
    assert [f.number for _e, f in model.figures] == numbers
    assert [f.label for _e, f in model.figures] == [f"Figure {n}" if n else "" for n in numbers]


def test_an_essays_own_number_numbers_its_figures(tmp_path):
    """'Chapter IV' (number: IV in its front matter) has figures 4.1, 4.2; a book numbering its essays counts on."""
    book = numbered_book(tmp_path / "book")
    intro = book / "essays" / "01-intro.md"
    intro.write_text(intro.read_text().replace('title: "Intro"', 'title: "Intro"\nnumber: "IV"'))
    model = transforms.apply_all(load_book(book))
    assert [f.number for _e, f in model.figures] == ["4.1", "4.2", "2.1"]


def test_front_matter_figures_run_on_and_back_matters_are_lettered(tmp_path):
    book = numbered_book(tmp_path / "book")
    for folder, name in (("front", "preface"), ("back", "afterword")):
        (book / folder).mkdir()
        (book / folder / f"{name}.md").write_text(f'---\ntitle: "{name.title()}"\n---\n\n'
                                                  "![A field](../images/pic-one.jpg)\nA field.\n")
    toml = book / "book.toml"
    toml.write_text(toml.read_text().replace("[contents]\n", '[contents]\nfront = ["front/preface.md"]\n'
                                                              'back = ["back/afterword.md"]\n'))
    model = transforms.apply_all(load_book(book))
    assert [f.number for _e, f in model.figures] == ["1", "1.1", "1.2", "2.1", "A.1"]


def test_empty_links_name_their_targets(tmp_path):
    model = transforms.apply_all(load_book(numbered_book(tmp_path / "book")))
    body = deux(model).body_html
    assert '<a href="#e-01-intro-fig-2">fig.\u00a01.2</a> shows' in body, body
    assert '<a class="page" href="#e-01-intro-fig-2">fig.\u00a01.2</a> again' in body
    assert '<a href="#e-2-deux-note-1">note\u00a01</a>' in body
    assert '<a href="#e-01-intro">Intro</a>' in body
    assert '<a href="#e-01-intro-later-on">Later on</a>' in body
    assert '<a href="#e-2-deux-fig-1">fig.\u00a02.1</a>.' in body


def test_empty_links_and_labels_are_in_the_books_language(tmp_path):
    model = transforms.apply_all(load_book(numbered_book(tmp_path / "book", language="de")))
    assert [f.label for _e, f in model.figures] == ["Abbildung 1.1", "Abbildung 1.2", "Abbildung 2.1"]
    body = deux(model).body_html
    assert "Abb.\u00a01.2</a> shows" in body and "Anm.\u00a01</a>" in body, body


def test_an_empty_link_to_an_unnumbered_figure_says_to_number_the_figures(tmp_path):
    book = numbered_book(tmp_path / "book", numbering=None)
    line = (book / "essays" / "2 deux.md").read_text().splitlines().index(CROSS_REFERENCES.strip()) + 1
    with pytest.raises(BuildError) as failure:
        transforms.apply_all(load_book(book))
    message = str(failure.value)
    assert f"essays/2 deux.md:{line}: the link to 01-intro.md#fig-2 has no text, and the book does not number " \
           "its figures" in message, message
    assert 'set numbering = "chapter" (or "book") under [figures] in book.toml' in message


def test_an_empty_link_to_a_place_with_no_name_is_a_source_error(tmp_path):
    book = numbered_book(tmp_path / "book")
    essay = book / "essays" / "01-intro.md"
    essay.write_text(essay.read_text() + "\nA paragraph with an id.\n{: #marked }\n\nBack to [](#marked).\n")
    line = len(essay.read_text().splitlines())
    with pytest.raises(BuildError) as failure:
        transforms.apply_all(load_book(book))
    assert f"essays/01-intro.md:{line}: the link to #marked has no text, and what it goes to has no name" \
        in str(failure.value), failure.value


def test_the_build_exits_2_naming_the_file_and_line_of_an_empty_link_to_an_unnumbered_figure(tmp_path):
    book = numbered_book(tmp_path / "book", numbering=None)
    line = (book / "essays" / "2 deux.md").read_text().splitlines().index(CROSS_REFERENCES.strip()) + 1
    result = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--edition", "epub")
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"essays/2 deux.md:{line}: the link to 01-intro.md#fig-2 has no text" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_numbering_is_a_settings_error(tmp_path):
    book = numbered_book(tmp_path / "book", numbering="roman")
    with pytest.raises(BuildError) as failure:
        load_book(book)
    assert "figures.numbering: 'roman' is not one of the choices" in str(failure.value)


def test_numerals_and_letters():
    assert [from_roman(x) for x in ("IV", "xiv", "MCMLXXXIV", "IIII", "Coda", "")] == [4, 14, 1984, None, None, None]
    assert [letters(n) for n in (0, 1, 25, 26)] == ["A", "B", "Z", "AA"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("figures")
    book = numbered_book(root / "book")
    result = run_cli("build", str(book), "--out", str(root / "out"), "--edition", "epub", "--edition", "print",
                     "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return root / "out"


@pytest.mark.slow
def test_print_captions_open_with_the_figure_label_and_links_name_it(built):
    pages = pdf_pages_text(built / "linked-print.pdf")
    text = " ".join(" ".join(pages).split())
    assert "Figure 1.2 The second field." in text, text
    assert "Figure 2.1 A grey field." in text
    with pikepdf.open(built / "linked-print.pdf") as pdf:
        folio = next(pdf.pages[i].label for i, page in enumerate(pages) if "Figure 1.2" in page)
    assert f"As fig. 1.2 shows, and fig. 1.2 (p. {folio}) again; see note 1, Intro, Later on and fig. 2.1." in text, \
        text


@pytest.mark.slow
def test_epub_captions_open_with_the_figure_label_and_links_name_it(built):
    with zipfile.ZipFile(built / "linked.epub") as z:
        intro = z.read("EPUB/text/e-01-intro.xhtml").decode()
        second = z.read("EPUB/text/e-2-deux.xhtml").decode()
    assert '<figcaption><span class="figure-label">Figure 1.2</span>\u2002<span class="caption">The second field.' \
        in intro, intro
    assert '<a href="e-01-intro.xhtml#e-01-intro-fig-2">fig.\u00a01.2</a> shows' in second, second
    assert '<a class="page" href="e-01-intro.xhtml#e-01-intro-fig-2">fig.\u00a01.2</a> again' in second
